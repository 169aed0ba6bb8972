"""The comment area as a closed loop: comments, official replies, questions."""
