"""Business-hours arithmetic for service levels: Sragen's support desk works
Monday to Friday, 07:30-16:00 in Asia/Jakarta (WIB), and not on Indonesia's
national holidays and cuti bersama days (the Holiday table).

`WorkCalendar` is pure: its working hours and holidays are given, so the
arithmetic is tested without a database. `sragen_calendar()` builds the real one
from the Holiday table; the module-level functions use it unless given another."""

from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

DESK_TIME_ZONE = ZoneInfo("Asia/Jakarta")
_WEEKDAY_HOURS = (time(7, 30), time(16, 0))
# Monday is 0. Saturday and Sunday are absent: the desk is closed.
DESK_HOURS: Mapping[int, tuple[time, time]] = {day: _WEEKDAY_HOURS for day in range(5)}
# Far enough for any target (years of business minutes), short enough to stop a
# calendar without a single working day from looping forever.
_MAX_DAYS = 3660


@dataclass(frozen=True)
class WorkCalendar:
    zone: ZoneInfo = DESK_TIME_ZONE
    hours: Mapping[int, tuple[time, time]] = field(default_factory=lambda: dict(DESK_HOURS))
    holidays: frozenset[date] = frozenset()

    def window(self, day: date) -> tuple[datetime, datetime] | None:
        """The desk's opening and closing moments on `day`, or None when closed."""
        if day in self.holidays or day.weekday() not in self.hours:
            return None
        opens, closes = self.hours[day.weekday()]
        return (
            datetime.combine(day, opens, tzinfo=self.zone),
            datetime.combine(day, closes, tzinfo=self.zone),
        )

    def _days_from(self, moment: datetime) -> Iterator[date]:
        day = moment.astimezone(self.zone).date()
        for offset in range(_MAX_DAYS):
            yield day + timedelta(days=offset)
        raise ValueError("The calendar has no working time within ten years.")

    def business_seconds_between(self, start: datetime, end: datetime) -> int:
        if end <= start:
            return 0
        total = 0.0
        for day in self._days_from(start):
            window = self.window(day)
            if window is not None:
                overlap = min(window[1], end) - max(window[0], start)
                total += max(overlap.total_seconds(), 0.0)
            if datetime.combine(day + timedelta(days=1), time(0), tzinfo=self.zone) >= end:
                break
        return int(total)

    def business_minutes_between(self, start: datetime, end: datetime) -> int:
        """Whole business minutes from `start` to `end` (0 when end is not later)."""
        return self.business_seconds_between(start, end) // 60

    def deadline_after(self, start: datetime, minutes: int) -> datetime:
        """The moment `minutes` business minutes after `start`. A deadline that
        falls exactly at closing time stays there rather than moving to the next
        morning; zero minutes gives the first business moment from `start`."""
        if minutes < 0:
            raise ValueError("A business-minute count cannot be negative.")
        remaining = timedelta(minutes=minutes)
        for day in self._days_from(start):
            window = self.window(day)
            if window is None:
                continue
            begins = max(window[0], start)
            if begins > window[1] or (begins == window[1] and remaining):
                continue
            available = window[1] - begins
            if remaining <= available:
                return (begins + remaining).astimezone(self.zone)
            remaining -= available
        raise AssertionError("unreachable: _days_from raises first")  # pragma: no cover


def calendar_with(holidays: Iterable[date]) -> WorkCalendar:
    return WorkCalendar(holidays=frozenset(holidays))


def sragen_calendar() -> WorkCalendar:
    """The desk's calendar with the holidays in the Holiday table."""
    from support.models import Holiday

    return calendar_with(Holiday.objects.values_list("date", flat=True))


def business_minutes_between(
    start: datetime, end: datetime, *, calendar: WorkCalendar | None = None
) -> int:
    return (calendar or sragen_calendar()).business_minutes_between(start, end)


def deadline_after(
    start: datetime, minutes: int, *, calendar: WorkCalendar | None = None
) -> datetime:
    return (calendar or sragen_calendar()).deadline_after(start, minutes)
