"""Integer rupiah arithmetic: the one place where division and rounding happen.

Every amount is a whole number of rupiah; a fraction only ever appears inside a
division, and it is rounded half up (0.5 rupiah and more goes to the next rupiah)
right there. No floats anywhere."""

import calendar
import datetime

BASIS_POINTS = 10_000  # 1100 basis points = 11 %


def divide_half_up(numerator: int, denominator: int) -> int:
    """numerator / denominator rounded half up, for non-negative whole numbers."""
    if denominator <= 0 or numerator < 0:
        raise ValueError("divide_half_up takes a non-negative numerator and a positive denominator")
    quotient, remainder = divmod(numerator, denominator)
    return quotient + (1 if 2 * remainder >= denominator else 0)


def tax_of(subtotal: int, rate_basis_points: int) -> int:
    """PPN on an invoice's taxable subtotal: computed once per invoice, on the
    subtotal, rounded half up to the rupiah (never per line)."""
    return divide_half_up(subtotal * rate_basis_points, BASIS_POINTS)


def prorate(amount: int, days_active: int, days_in_period: int) -> int:
    """A monthly fee for part of a month: amount x days active / days in the
    month, rounded half up."""
    if not 0 <= days_active <= days_in_period:
        raise ValueError("days_active must lie between 0 and days_in_period")
    return divide_half_up(amount * days_active, days_in_period)


def per_minute(rate_per_hour: int, minutes: int) -> int:
    """An hourly rate applied to minutes, rounded half up."""
    return divide_half_up(rate_per_hour * minutes, 60)


def rupiah(amount: int) -> str:
    """`Rp 50.000.000`: Indonesian grouping with dots, no decimals."""
    sign = "-" if amount < 0 else ""
    grouped = f"{abs(amount):,}".replace(",", ".")
    return f"{sign}Rp {grouped}"


def percent_of(basis_points: int) -> str:
    """`11` for 1100 basis points, `12,5` for 1250 (Indonesian decimal comma)."""
    whole, rest = divmod(basis_points, 100)
    return f"{whole}" if rest == 0 else f"{whole},{rest:02d}".rstrip("0")


def month_bounds(any_day: datetime.date) -> tuple[datetime.date, datetime.date]:
    """The first and last day of the month `any_day` is in."""
    last = calendar.monthrange(any_day.year, any_day.month)[1]
    return any_day.replace(day=1), any_day.replace(day=last)


def previous_month_start(today: datetime.date) -> datetime.date:
    first = today.replace(day=1)
    return (first - datetime.timedelta(days=1)).replace(day=1)


def days_between(first: datetime.date, last: datetime.date) -> int:
    """Days from `first` to `last`, both included (0 when last is before first)."""
    return max(0, (last - first).days + 1)
