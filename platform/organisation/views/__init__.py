"""The regency admin's organisation screens (mounted at /organisation/)."""
