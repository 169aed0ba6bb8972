"""Content-safety engine: the pure functional core (no Django)."""
