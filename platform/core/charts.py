"""Shared arithmetic of the server-drawn SVG charts (permits dashboard, finance view)."""


def nice_ceiling(value: float) -> float:
    """The smallest 1, 2, 2.5 or 5 x 10^n at or above `value`: a chart's top that
    reads well on its axis. 1 when there is nothing to show."""
    if value <= 0:
        return 1.0
    magnitude = 10 ** (len(str(int(value))) - 1)
    for step in (1, 2, 2.5, 5):
        if step * magnitude >= value:
            return float(step * magnitude)
    return float(10 * magnitude)
