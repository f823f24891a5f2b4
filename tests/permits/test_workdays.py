"""Working-day arithmetic: weekends, the regency's holidays, office hours and the
regency's own time zone (Lebak WIB, Balangan WITA)."""

import datetime
from zoneinfo import ZoneInfo

import pytest
from django_tenants.utils import schema_context, tenant_context

from core.models import Holiday
from core.workdays import (
    NATIONAL_HOLIDAYS,
    WorkCalendar,
    holidays_national_seed,
    received_on,
    regency_zone,
    workday_is,
    workdays_add,
    workdays_between,
)

pytestmark = pytest.mark.django_db

D = datetime.date
UTC = datetime.UTC


@pytest.fixture
def quiet_calendar():
    """A calendar with no holidays in the dates these tests use (June 2031)."""
    with schema_context("lebak"):
        Holiday.objects.filter(date__year=2031).delete()
        yield


def test_adding_working_days_skips_the_weekend(quiet_calendar):
    with schema_context("lebak"):
        friday = D(2031, 6, 6)
        assert friday.weekday() == 4
        assert workdays_add(friday, 1) == D(2031, 6, 9)  # Monday
        assert workdays_add(friday, 5) == D(2031, 6, 13)
        assert workdays_add(friday, 0) == friday


def test_adding_working_days_skips_the_regencys_holidays(quiet_calendar):
    with schema_context("lebak"):
        Holiday.objects.create(date=D(2031, 6, 10), name="Hari jadi kabupaten")
        # Monday 9 June + 2 working days, Tuesday 10 June off: Thursday 12 June.
        assert workdays_add(D(2031, 6, 9), 2) == D(2031, 6, 12)
        assert workday_is(D(2031, 6, 10)) is False


def test_holidays_of_one_regency_do_not_count_in_another(quiet_calendar):
    with schema_context("balangan"):
        Holiday.objects.filter(date__year=2031).delete()
    with schema_context("lebak"):
        Holiday.objects.create(date=D(2031, 6, 10), name="Hari jadi Lebak")
    with schema_context("balangan"):
        assert workdays_add(D(2031, 6, 9), 1) == D(2031, 6, 10)


def test_counting_working_days_between_two_dates(quiet_calendar):
    with schema_context("lebak"):
        Holiday.objects.create(date=D(2031, 6, 11), name="Libur")
        # After Fri 6 June up to and including Fri 13 June: Mon, Tue, Thu, Fri.
        assert workdays_between(D(2031, 6, 6), D(2031, 6, 13)) == 4
        assert workdays_between(D(2031, 6, 13), D(2031, 6, 6)) == 0
        assert workdays_between(D(2031, 6, 7), D(2031, 6, 8)) == 0  # a weekend


def test_a_deadline_counts_the_day_of_receipt_as_day_one(quiet_calendar):
    with schema_context("lebak"):
        calendar = WorkCalendar()
        monday = D(2031, 6, 9)
        assert calendar.deadline(monday, 3) == D(2031, 6, 11)
        assert calendar.deadline(monday, 1) == monday
        # Received on a Saturday: day 1 is the Monday.
        assert calendar.deadline(D(2031, 6, 7), 1) == monday


def test_elapsed_working_days_against_a_deadline(quiet_calendar):
    with schema_context("lebak"):
        calendar = WorkCalendar()
        due = calendar.deadline(D(2031, 6, 9), 3)  # Wednesday 11 June
        assert calendar.elapsed(due=due, days=3, today=D(2031, 6, 9)) == 1
        assert calendar.elapsed(due=due, days=3, today=D(2031, 6, 11)) == 3
        assert calendar.elapsed(due=due, days=3, today=D(2031, 6, 16)) == 6  # over the weekend
        assert calendar.elapsed(due=due, days=3, today=D(2031, 6, 8)) == 0  # not yet received


def test_a_long_deadline_reads_holidays_beyond_the_first_window(quiet_calendar):
    with schema_context("lebak"):
        Holiday.objects.create(date=D(2031, 12, 1), name="Jauh di depan")
        start = D(2031, 6, 2)
        due = WorkCalendar().add(start, 130)
        assert due > D(2031, 12, 1)
        weekdays = sum(
            1
            for offset in range(1, (due - start).days + 1)
            if (start + datetime.timedelta(days=offset)).weekday() < 5
        )
        # 130 working days took 131 weekdays: 1 December, months ahead, was off.
        assert weekdays == 131


@pytest.mark.parametrize(
    ("local", "expected"),
    [
        (datetime.datetime(2031, 6, 9, 8, 0), D(2031, 6, 9)),  # Monday morning
        (datetime.datetime(2031, 6, 9, 15, 59), D(2031, 6, 9)),
        (datetime.datetime(2031, 6, 9, 16, 0), D(2031, 6, 10)),  # office closed
        (datetime.datetime(2031, 6, 9, 23, 30), D(2031, 6, 10)),
        (datetime.datetime(2031, 6, 6, 17, 0), D(2031, 6, 9)),  # Friday evening
        (datetime.datetime(2031, 6, 7, 10, 0), D(2031, 6, 9)),  # Saturday
    ],
)
def test_a_submission_after_hours_or_on_a_day_off_is_received_the_next_working_day(
    regencies, quiet_calendar, local, expected
):
    with tenant_context(regencies["lebak"]):
        moment = local.replace(tzinfo=ZoneInfo("Asia/Jakarta"))
        assert received_on(moment) == expected


def test_a_submission_on_a_holiday_is_received_the_next_working_day(regencies, quiet_calendar):
    with tenant_context(regencies["lebak"]):
        Holiday.objects.create(date=D(2031, 6, 10), name="Libur")
        moment = datetime.datetime(2031, 6, 10, 9, 0, tzinfo=ZoneInfo("Asia/Jakarta"))
        assert received_on(moment) == D(2031, 6, 11)


def test_the_same_moment_is_received_on_different_days_in_wib_and_wita(regencies, quiet_calendar):
    with schema_context("balangan"):
        Holiday.objects.filter(date__year=2031).delete()
    # 08:30 UTC on Monday 9 June: 15:30 WIB (office open) but 16:30 WITA (closed).
    moment = datetime.datetime(2031, 6, 9, 8, 30, tzinfo=UTC)
    with tenant_context(regencies["lebak"]):
        assert str(regency_zone()) == "Asia/Jakarta"
        assert received_on(moment) == D(2031, 6, 9)
    with tenant_context(regencies["balangan"]):
        assert str(regency_zone()) == "Asia/Makassar"
        assert received_on(moment) == D(2031, 6, 10)


def test_half_past_eleven_at_night_falls_on_different_dates_in_wib_and_wita(
    regencies, quiet_calendar
):
    from core.workdays import local_date

    # 23:30 WIB on Monday is 00:30 WITA on Tuesday.
    moment = datetime.datetime(2031, 6, 9, 23, 30, tzinfo=ZoneInfo("Asia/Jakarta"))
    with tenant_context(regencies["lebak"]):
        assert local_date(moment) == D(2031, 6, 9)
    with tenant_context(regencies["balangan"]):
        assert local_date(moment) == D(2031, 6, 10)


def test_the_zone_is_the_regencys_even_when_entered_by_schema_name(regencies):
    with schema_context("balangan"):
        assert str(regency_zone()) == "Asia/Makassar"


def test_national_holidays_are_seeded_once_and_keep_the_regencys_names():
    with schema_context("lebak"):
        Holiday.objects.filter(date__year__in=[2026, 2027]).delete()
        Holiday.objects.create(date=D(2026, 8, 17), name="HUT RI ke-81 (Lebak)")
        added = holidays_national_seed()
        assert added == len(NATIONAL_HOLIDAYS) - 1
        assert holidays_national_seed() == 0
        assert Holiday.objects.get(date=D(2026, 8, 17)).name == "HUT RI ke-81 (Lebak)"
        # Idul Fitri 1447 H with its cuti bersama: 20-24 March 2026 are all off.
        calendar = WorkCalendar()
        assert workdays_add(D(2026, 3, 19), 1) == D(2026, 3, 25)
        assert not calendar.is_workday(D(2026, 3, 24))


def test_the_national_list_covers_2026_and_2027_with_cuti_bersama():
    years = {day[:4] for day, _name in NATIONAL_HOLIDAYS}
    assert years == {"2026", "2027"}
    assert sum("Cuti bersama" in name for day, name in NATIONAL_HOLIDAYS if day < "2027") == 8
    assert len({day for day, _name in NATIONAL_HOLIDAYS}) == len(NATIONAL_HOLIDAYS)


# --- the holiday calendar screen ---------------------------------------------------


def test_the_admin_keeps_the_holiday_calendar(lebak):
    from core.models import AuditEvent
    from tests.permits.support import person, signed_in

    with schema_context("lebak"):
        Holiday.objects.filter(date__year=2031).delete()
        admin = person(admin=True)
    client = signed_in("lebak", admin)
    response = client.post(
        "/permits/office/holidays/?year=2031", {"date": "2031-06-10", "name": "Hari Jadi Lebak"}
    )
    assert response.status_code == 302
    page = client.get("/permits/office/holidays/?year=2031").content.decode()
    assert 'data-date="2031-06-10"' in page and "Hari Jadi Lebak" in page
    duplicate = client.post(
        "/permits/office/holidays/?year=2031", {"date": "2031-06-10", "name": "Lagi"}
    )
    assert duplicate.status_code == 400
    assert 'data-field="date"' in duplicate.content.decode()
    with schema_context("lebak"):
        holiday = Holiday.objects.get(date=D(2031, 6, 10))
        assert workdays_add(D(2031, 6, 9), 1) == D(2031, 6, 11)
    client.post(f"/permits/office/holidays/{holiday.pk}/delete/")
    with schema_context("lebak"):
        assert not Holiday.objects.filter(date=D(2031, 6, 10)).exists()
        actions = set(
            AuditEvent.objects.filter(target="2031-06-10").values_list("action", flat=True)
        )
        assert actions == {"holiday.create", "holiday.delete"}


def test_the_national_holidays_button_adds_the_missing_ones(lebak):
    from tests.permits.support import person, signed_in

    with schema_context("lebak"):
        Holiday.objects.filter(date=D(2026, 12, 25)).delete()
        admin = person(admin=True)
    signed_in("lebak", admin).post("/permits/office/holidays/national/")
    with schema_context("lebak"):
        assert Holiday.objects.filter(date=D(2026, 12, 25)).exists()


def test_only_admins_and_the_regency_back_office_keep_the_calendar(lebak):
    from tests.permits.support import grant, person, signed_in

    with schema_context("lebak"):
        clerk = person()
        grant(clerk, "front_office")
        back = person()
        grant(back, "back_office")
    assert signed_in("lebak", clerk).get("/permits/office/holidays/").status_code == 403
    assert signed_in("lebak", back).get("/permits/office/holidays/").status_code == 200
