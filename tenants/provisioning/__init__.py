"""Turning a prospect into a running regency instance, step by persisted step."""
