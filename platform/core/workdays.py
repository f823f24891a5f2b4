"""Working days in the current regency: its time zone, its holiday calendar.

The rules every deadline follows (see docs/decisions/permits.md):

- A working day is Monday to Friday, unless it is in the regency's calendar
  (`core.Holiday`: national holidays, cuti bersama and its own days off).
- Dates are the regency's local dates (`Tenant.time_zone`): 23:30 WIB on a Monday is
  still Monday in Lebak, but 00:30 WITA on Tuesday in Balangan.
- Something received on a working day before the office closes (16:00 local, the
  civil service's day; `SUKOWATI_OFFICE_CLOSES` changes it) is received that day.
  Received later, or on a weekend or holiday, it is received on the next working day.
- The day of receipt counts as day 1: a 3-day service received on Monday is due on
  Wednesday, and finishing on the day of receipt took 1 working day.

Module code runs in the regency's schema, so the calendar read here is that
regency's; nothing here switches schemas."""

import datetime
from collections.abc import Iterable
from dataclasses import dataclass, field
from zoneinfo import ZoneInfo

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.db import tenant_connection
from core.models import Holiday

ONE_DAY = datetime.timedelta(days=1)
# Holidays are loaded in windows around the dates asked about: one query covers a
# deadline months away (the longest legal deadline is a few dozen working days).
WINDOW = datetime.timedelta(days=120)


def office_closes() -> datetime.time:
    value = settings.SUKOWATI_OFFICE_CLOSES
    hour, minute = (int(part) for part in str(value).split(":", 1))
    return datetime.time(hour, minute)


def regency_zone() -> ZoneInfo:
    """The current regency's time zone; the platform's outside a regency."""
    connection = tenant_connection()
    name = getattr(getattr(connection, "tenant", None), "time_zone", "")
    if not name and connection.schema_name != "public":
        # Entered by schema name only (a management command): ask the tenant row.
        from tenants.models import Tenant

        name = (
            Tenant.objects.filter(schema_name=connection.schema_name)
            .values_list("time_zone", flat=True)
            .first()
        ) or ""
    return ZoneInfo(name or settings.TIME_ZONE)


def local_now() -> datetime.datetime:
    return timezone.now().astimezone(regency_zone())


def local_today() -> datetime.date:
    return local_now().date()


def local_date(moment: datetime.datetime) -> datetime.date:
    return moment.astimezone(regency_zone()).date()


@dataclass
class WorkCalendar:
    """The regency's holidays over a range of dates, extended (one query each time)
    when a calculation walks past it. Reuse one calendar for many rows (an inbox
    page) so that they cost one query together."""

    holidays: set[datetime.date] = field(default_factory=set)
    start: datetime.date | None = None
    end: datetime.date | None = None

    def _cover(self, day: datetime.date) -> None:
        # The loaded range stays one contiguous span: only the missing part is read.
        if self.start is None or self.end is None:
            low, high = day - WINDOW, day + WINDOW
        elif day < self.start:
            low, high = day - WINDOW, self.start - ONE_DAY
        elif day > self.end:
            low, high = self.end + ONE_DAY, day + WINDOW
        else:
            return
        self.holidays.update(
            Holiday.objects.filter(date__gte=low, date__lte=high).values_list("date", flat=True)
        )
        self.start = low if self.start is None else min(self.start, low)
        self.end = high if self.end is None else max(self.end, high)

    def cover(self, low: datetime.date, high: datetime.date) -> None:
        """Load every holiday from `low` to `high` at once (one query), so that a
        page computing many clocks over that span costs one query whatever the
        rows' ages; later walks inside it read nothing more."""
        if self.start is not None and self.end is not None:
            if low >= self.start and high <= self.end:
                return
            low, high = min(low, self.start), max(high, self.end)
        self.holidays.update(
            Holiday.objects.filter(date__gte=low, date__lte=high).values_list("date", flat=True)
        )
        self.start, self.end = low, high

    def is_workday(self, day: datetime.date) -> bool:
        if day.weekday() >= 5:
            return False
        self._cover(day)
        return day not in self.holidays

    def next_workday(self, day: datetime.date) -> datetime.date:
        """`day` itself when it is a working day, else the next one."""
        while not self.is_workday(day):
            day += ONE_DAY
        return day

    def add(self, start: datetime.date, days: int) -> datetime.date:
        """The date `days` working days after `start` (`start` itself for 0)."""
        if days < 0:
            raise ValueError("days must not be negative")
        day = start
        while days > 0:
            day += ONE_DAY
            if self.is_workday(day):
                days -= 1
        return day

    def between(self, start: datetime.date, end: datetime.date) -> int:
        """Working days after `start`, up to and including `end` (0 if end <= start)."""
        count = 0
        day = start + ONE_DAY
        while day <= end:
            count += self.is_workday(day)
            day += ONE_DAY
        return count

    def received_on(self, moment: datetime.datetime) -> datetime.date:
        """The working day something arriving at `moment` counts as received."""
        local = moment.astimezone(regency_zone())
        day = local.date()
        if self.is_workday(day) and local.time() < office_closes():
            return day
        return self.next_workday(day + ONE_DAY)

    def deadline(self, received: datetime.date, days: int) -> datetime.date:
        """The last day of a `days`-working-day period whose day 1 is `received`."""
        received = self.next_workday(received)
        return self.add(received, max(days, 1) - 1)

    def elapsed(self, *, due: datetime.date, days: int, today: datetime.date) -> int:
        """Working days used so far by an item allowed `days`, due on `due`: the day
        of receipt counts as 1, so an item is overdue once this exceeds `days`."""
        if today <= due:
            return max(days - self.between(today, due), 0)
        return days + self.between(due, today)


def work_calendar() -> WorkCalendar:
    return WorkCalendar()


def workdays_add(start: datetime.date, days: int) -> datetime.date:
    """The date `days` working days after `start` in the current regency."""
    return WorkCalendar().add(start, days)


def workdays_between(start: datetime.date, end: datetime.date) -> int:
    """Working days after `start` up to and including `end`, in the current regency."""
    return WorkCalendar().between(start, end)


def workday_is(day: datetime.date) -> bool:
    return WorkCalendar().is_workday(day)


def received_on(moment: datetime.datetime) -> datetime.date:
    """The regency-local working day on which something arriving at `moment` is
    received (after office hours or on a day off: the next working day)."""
    return WorkCalendar().received_on(moment)


# Indonesia's national holidays and cuti bersama. 2026: SKB 3 Menteri of 19 November
# 2025. 2027: the SKB is published late in 2026; the dates of the lunar and lunisolar
# holidays are astronomical estimates, marked "perkiraan", for the regency to check
# against the SKB when it appears (the holiday screen edits them).
NATIONAL_HOLIDAYS: tuple[tuple[str, str], ...] = (
    ("2026-01-01", "Tahun Baru 2026 Masehi"),
    ("2026-01-16", "Isra Mikraj Nabi Muhammad SAW"),
    ("2026-02-16", "Cuti bersama Tahun Baru Imlek"),
    ("2026-02-17", "Tahun Baru Imlek 2577 Kongzili"),
    ("2026-03-18", "Cuti bersama Hari Suci Nyepi"),
    ("2026-03-19", "Hari Suci Nyepi (Tahun Baru Saka 1948)"),
    ("2026-03-20", "Cuti bersama Idul Fitri 1447 H"),
    ("2026-03-21", "Idul Fitri 1447 H"),
    ("2026-03-22", "Idul Fitri 1447 H"),
    ("2026-03-23", "Cuti bersama Idul Fitri 1447 H"),
    ("2026-03-24", "Cuti bersama Idul Fitri 1447 H"),
    ("2026-04-03", "Wafat Yesus Kristus"),
    ("2026-04-05", "Kebangkitan Yesus Kristus (Paskah)"),
    ("2026-05-01", "Hari Buruh Internasional"),
    ("2026-05-14", "Kenaikan Yesus Kristus"),
    ("2026-05-15", "Cuti bersama Kenaikan Yesus Kristus"),
    ("2026-05-27", "Idul Adha 1447 H"),
    ("2026-05-28", "Cuti bersama Idul Adha 1447 H"),
    ("2026-05-31", "Hari Raya Waisak 2570 BE"),
    ("2026-06-01", "Hari Lahir Pancasila"),
    ("2026-06-16", "Tahun Baru Islam 1448 H"),
    ("2026-08-17", "Proklamasi Kemerdekaan Republik Indonesia"),
    ("2026-08-25", "Maulid Nabi Muhammad SAW"),
    ("2026-12-24", "Cuti bersama Hari Raya Natal"),
    ("2026-12-25", "Hari Raya Natal"),
    ("2027-01-01", "Tahun Baru 2027 Masehi"),
    ("2027-01-05", "Isra Mikraj Nabi Muhammad SAW (perkiraan)"),
    ("2027-02-06", "Tahun Baru Imlek 2578 Kongzili"),
    ("2027-03-09", "Hari Suci Nyepi (Tahun Baru Saka 1949) (perkiraan)"),
    ("2027-03-10", "Idul Fitri 1448 H (perkiraan)"),
    ("2027-03-11", "Idul Fitri 1448 H (perkiraan)"),
    ("2027-03-12", "Cuti bersama Idul Fitri 1448 H (perkiraan)"),
    ("2027-03-15", "Cuti bersama Idul Fitri 1448 H (perkiraan)"),
    ("2027-03-26", "Wafat Yesus Kristus"),
    ("2027-03-28", "Kebangkitan Yesus Kristus (Paskah)"),
    ("2027-05-01", "Hari Buruh Internasional"),
    ("2027-05-06", "Kenaikan Yesus Kristus"),
    ("2027-05-07", "Cuti bersama Kenaikan Yesus Kristus (perkiraan)"),
    ("2027-05-16", "Idul Adha 1448 H (perkiraan)"),
    ("2027-05-20", "Hari Raya Waisak 2571 BE (perkiraan)"),
    ("2027-06-01", "Hari Lahir Pancasila"),
    ("2027-06-05", "Tahun Baru Islam 1449 H (perkiraan)"),
    ("2027-08-14", "Maulid Nabi Muhammad SAW (perkiraan)"),
    ("2027-08-17", "Proklamasi Kemerdekaan Republik Indonesia"),
    ("2027-12-24", "Cuti bersama Hari Raya Natal (perkiraan)"),
    ("2027-12-25", "Hari Raya Natal"),
)


def holidays_national_seed(
    entries: Iterable[tuple[str, str]] = NATIONAL_HOLIDAYS,
) -> int:
    """Add the national holidays the calendar lacks; a date the regency already has
    (perhaps renamed, or its own) is left alone. Returns how many were added."""
    rows = [Holiday(date=datetime.date.fromisoformat(day), name=name) for day, name in entries]
    with transaction.atomic():
        existing = set(
            Holiday.objects.filter(date__in=[row.date for row in rows]).values_list(
                "date", flat=True
            )
        )
        missing = [row for row in rows if row.date not in existing]
        Holiday.objects.bulk_create(missing, ignore_conflicts=True)
    return len(missing)


def holiday_create(
    *, date: datetime.date, name: str, actor_email: str, actor_name: str = ""
) -> Holiday:
    from core.audit import audit_record

    holiday = Holiday(date=date, name=name.strip())
    if Holiday.objects.filter(date=date).exists():
        raise ValidationError({"date": [_("This date is already in the calendar.")]})
    holiday.full_clean()
    with transaction.atomic():
        holiday.save()
        audit_record(
            action="holiday.create",
            actor_email=actor_email,
            actor_name=actor_name,
            target=date.isoformat(),
            detail={"name": holiday.name},
        )
    return holiday


def holiday_delete(*, holiday: Holiday, actor_email: str, actor_name: str = "") -> None:
    from core.audit import audit_record

    with transaction.atomic():
        audit_record(
            action="holiday.delete",
            actor_email=actor_email,
            actor_name=actor_name,
            target=holiday.date.isoformat(),
            detail={"name": holiday.name},
        )
        holiday.delete()
