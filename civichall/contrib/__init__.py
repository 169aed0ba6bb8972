"""Optional apps that sit on top of the product and can be left out."""
