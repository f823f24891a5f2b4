"""Business-hours arithmetic: Monday to Friday, 07:30-16:00 WIB, without
holidays. Pure functions with a given calendar, then the seeded 2026 holidays."""

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from support.business_hours import (
    WorkCalendar,
    business_minutes_between,
    calendar_with,
    deadline_after,
    sragen_calendar,
)

WIB = ZoneInfo("Asia/Jakarta")
WITA = ZoneInfo("Asia/Makassar")
PLAIN = WorkCalendar()
DAY = 510  # 07:30-16:00


def at(day: int, hour: int, minute: int = 0, month: int = 6, zone: ZoneInfo = WIB) -> datetime:
    """A moment in 2026; June 2026 starts on a Monday (1 June is a holiday, but
    not in PLAIN)."""
    return datetime(2026, month, day, hour, minute, tzinfo=zone)


# --- business_minutes_between ---------------------------------------------------


@pytest.mark.parametrize(
    ("start", "end", "minutes"),
    [
        (at(2, 9), at(2, 10), 60),  # within a day
        (at(2, 6), at(2, 8), 30),  # before opening counts from 07:30
        (at(2, 15), at(2, 18), 60),  # after closing stops at 16:00
        (at(2, 17), at(3, 7), 0),  # a whole night, closed
        (at(2, 15), at(3, 8), 90),  # over a night: 60 + 30
        (at(2, 7, 30), at(2, 16), DAY),  # a full day
        (at(5, 15), at(8, 8), 90),  # Friday 15:00 to Monday 08:00 skips the weekend
        (at(6, 9), at(7, 18), 0),  # a weekend
        (at(1, 7, 30), at(6, 0), 5 * DAY),  # Monday to Friday
        (at(2, 10), at(2, 10), 0),  # no time
        (at(2, 11), at(2, 10), 0),  # end before start
        (at(2, 10, 0), at(2, 10, 0) + timedelta(seconds=59), 0),  # whole minutes only
    ],
)
def test_business_minutes_between(start, end, minutes):
    assert PLAIN.business_minutes_between(start, end) == minutes


def test_moments_in_another_zone_are_counted_on_sragens_clock():
    # 09:00 WITA is 08:00 WIB: half an hour after opening.
    assert PLAIN.business_minutes_between(at(2, 7, 30), at(2, 9, zone=WITA)) == 30


def test_a_holiday_counts_nothing():
    calendar = calendar_with([date(2026, 6, 3)])
    assert calendar.business_minutes_between(at(3, 7), at(3, 17)) == 0
    # Tuesday 15:00 to Thursday 08:00 skips the Wednesday holiday.
    assert calendar.business_minutes_between(at(2, 15), at(4, 8)) == 90


# --- deadline_after -------------------------------------------------------------


@pytest.mark.parametrize(
    ("start", "minutes", "deadline"),
    [
        (at(2, 9), 60, at(2, 10)),
        (at(2, 15, 30), 60, at(3, 8)),  # 30 today, 30 tomorrow
        (at(2, 15, 30), 30, at(2, 16)),  # ends exactly at closing: stays there
        (at(2, 20), 30, at(3, 8)),  # opened at night: the clock starts next morning
        (at(2, 5), 30, at(2, 8)),  # before opening
        (at(5, 15), 120, at(8, 8, 30)),  # Friday afternoon to Monday
        (at(6, 10), 30, at(8, 8)),  # opened on Saturday
        (at(2, 9), DAY, at(3, 9)),  # one business day later, same hour
        (at(1, 7, 30), 5 * DAY, at(5, 16)),  # a full week
        (at(6, 10), 0, at(8, 7, 30)),  # zero minutes: the next business moment
    ],
)
def test_deadline_after(start, minutes, deadline):
    assert PLAIN.deadline_after(start, minutes) == deadline


def test_deadline_skips_holidays():
    calendar = calendar_with([date(2026, 6, 3), date(2026, 6, 4)])
    # Tuesday 15:00 + 120 minutes: 60 on Tuesday, then Friday.
    assert calendar.deadline_after(at(2, 15), 120) == at(5, 8, 30)


def test_deadline_and_minutes_agree():
    calendar = calendar_with([date(2026, 6, 3)])
    start = at(2, 13, 17)
    for minutes in (1, 59, 163, DAY, 3 * DAY + 7):
        assert calendar.business_minutes_between(
            start, calendar.deadline_after(start, minutes)
        ) == (minutes)


def test_negative_minutes_are_refused():
    with pytest.raises(ValueError):
        PLAIN.deadline_after(at(2, 9), -1)


def test_a_calendar_without_working_days_fails_instead_of_looping():
    with pytest.raises(ValueError):
        WorkCalendar(hours={}).deadline_after(at(2, 9), 1)


# --- the seeded 2026 calendar ---------------------------------------------------


@pytest.mark.django_db
def test_lebaran_2026_with_cuti_bersama_closes_the_desk_for_a_week():
    calendar = sragen_calendar()
    # Tuesday 17 March 16:00 -> 18 Mar cuti bersama Nyepi, 19 Nyepi, 20 cuti bersama,
    # 21-22 Idulfitri (weekend), 23-24 cuti bersama: open again Wednesday 25 March.
    start = at(17, 15, month=3)
    assert calendar.deadline_after(start, 60) == at(17, 16, month=3)
    assert calendar.deadline_after(start, 61) == at(25, 7, 31, month=3)
    assert business_minutes_between(at(17, 16, month=3), at(25, 7, 30, month=3)) == 0


@pytest.mark.django_db
def test_new_year_and_independence_day_are_holidays():
    new_years_eve = datetime(2025, 12, 31, 15, 30, tzinfo=WIB)
    assert deadline_after(new_years_eve, 60) == datetime(2026, 1, 2, 8, 0, tzinfo=WIB)
    # 17 August 2026 is a Monday.
    assert deadline_after(at(14, 15, month=8), 120) == at(18, 8, 30, month=8)


@pytest.mark.django_db
def test_seeded_holidays_include_every_national_holiday_and_cuti_bersama_of_2026():
    from support.models import Holiday

    days = Holiday.objects.filter(date__year=2026)
    assert days.filter(kind=Holiday.Kind.NATIONAL).count() == 17
    assert days.filter(kind=Holiday.Kind.COLLECTIVE_LEAVE).count() == 8
