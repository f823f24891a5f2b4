"""E-government modules, one tenant app each, all of the same shape (see README)."""
