"""Demo staff for a demo regency: a few dozen civil servants across work units,
roles and scopes. Idempotent."""


def demo_staff_seed() -> int:
    """Create what is missing; returns how many people were created."""
    return 0
