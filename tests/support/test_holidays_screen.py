"""The desk's holidays in the console: listed by year, added (today or later,
once per day), future ones removed; each change audited. A holiday counts at
once: a deadline computed afterwards skips it, and open tickets whose deadlines
lie on or after the day get new ones."""

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.test import Client

from core.models import AuditEvent
from support.business_hours import business_minutes_between, deadline_after, sragen_calendar
from support.models import Holiday, Ticket
from support.services.holidays import desk_today, holiday_add
from support.sla import sla_start
from tests.support.conftest import engineer_actor

pytestmark = pytest.mark.django_db
WIB = ZoneInfo("Asia/Jakarta")


def wib(day: date, hour: int) -> datetime:
    return datetime.combine(day, time(hour), tzinfo=WIB)


def free_wednesday() -> date:
    """A Wednesday a month or more ahead with no holiday from Tuesday to Thursday."""
    day = desk_today() + timedelta(days=30)
    while True:
        day += timedelta(days=1)
        week = [day - timedelta(days=1), day, day + timedelta(days=1)]
        if day.weekday() == 2 and not Holiday.objects.filter(date__in=week).exists():
            return day


@pytest.fixture
def future_holiday() -> Holiday:
    day = free_wednesday()
    return Holiday.objects.create(date=day, name="Hari Jadi Kabupaten", kind="local")


def test_the_list_shows_one_years_holidays(console: Client, future_holiday):
    html = console.get("/support/holidays/", {"year": 2026}).content.decode()
    assert "Proklamasi Kemerdekaan Republik Indonesia" in html
    assert 'data-date="2026-08-17"' in html
    assert 'href="?year=2026"' in html
    other = console.get("/support/holidays/", {"year": future_holiday.date.year}).content.decode()
    assert "Hari Jadi Kabupaten" in other
    if future_holiday.date.year != 2026:
        assert "Proklamasi Kemerdekaan" not in other


def test_only_future_holidays_can_be_removed(console: Client, future_holiday):
    html = console.get("/support/holidays/", {"year": future_holiday.date.year}).content.decode()
    row = html[html.index(f'data-date="{future_holiday.date:%Y-%m-%d}"') :]
    assert 'data-testid="holiday-delete"' in row[: row.index("</tr>")]
    past = Holiday.objects.get(date=date(2026, 1, 1))
    html = console.get("/support/holidays/", {"year": 2026}).content.decode()
    row = html[html.index('data-date="2026-01-01"') :]
    assert 'data-testid="holiday-delete"' not in row[: row.index("</tr>")]

    refused = console.post(f"/support/holidays/{past.pk}/delete/", follow=True)
    assert "Only future holidays can be removed" in refused.content.decode()
    assert Holiday.objects.filter(pk=past.pk).exists()

    response = console.post(f"/support/holidays/{future_holiday.pk}/delete/")
    assert response.status_code == 302
    assert not Holiday.objects.filter(pk=future_holiday.pk).exists()
    event = AuditEvent.objects.get(action="support.holiday.deleted")
    assert event.target == f"holiday:{future_holiday.date.isoformat()}"
    assert event.detail["name"] == "Hari Jadi Kabupaten"


def test_adding_a_holiday_is_audited(console: Client):
    day = free_wednesday()
    response = console.post(
        "/support/holidays/",
        {"date": day.isoformat(), "name": "Pilkada serentak", "kind": "national"},
    )
    assert response.status_code == 302
    assert response["Location"] == f"/support/holidays/?year={day.year}"
    holiday = Holiday.objects.get(date=day)
    assert (holiday.name, holiday.kind) == ("Pilkada serentak", "national")
    event = AuditEvent.objects.get(action="support.holiday.added")
    assert event.target == f"holiday:{day.isoformat()}"
    assert event.detail["name"] == "Pilkada serentak"


def test_a_second_holiday_on_the_same_day_is_refused_with_a_clear_message(
    console: Client, future_holiday
):
    response = console.post(
        "/support/holidays/",
        {"date": future_holiday.date.isoformat(), "name": "Lagi", "kind": "local"},
    )
    assert response.status_code == 400
    errors = response.context["form"].errors["date"]
    assert len(errors) == 1
    assert errors[0].startswith("There is already a holiday on ")
    assert errors[0].endswith(": Hari Jadi Kabupaten.")
    assert Holiday.objects.filter(date=future_holiday.date).count() == 1
    assert not AuditEvent.objects.filter(action="support.holiday.added").exists()


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({"name": "Libur", "kind": "local"}, "date", "Give the date."),
        (
            {"date": "17/08/2027", "name": "Libur", "kind": "local"},
            "date",
            "Give a date such as 2027-08-17.",
        ),
        ({"date": "2027-08-17", "name": "   ", "kind": "local"}, "name", "Name the holiday."),
        ({"date": "2020-08-17", "name": "Libur", "kind": "local"}, "date", None),
    ],
)
def test_bad_input_is_refused_with_a_clear_message(console: Client, data, field, message):
    count = Holiday.objects.count()
    response = console.post("/support/holidays/", data)
    assert response.status_code == 400
    expected = message or (
        "Choose today or a later day: the business time of past days is already counted."
    )
    assert response.context["form"].errors[field] == [expected]
    assert Holiday.objects.count() == count


def test_adding_a_holiday_moves_a_deadline_computed_afterwards(console: Client):
    wednesday = free_wednesday()
    tuesday, thursday = wednesday - timedelta(days=1), wednesday + timedelta(days=1)
    start = wib(tuesday, 12)
    assert deadline_after(start, 510) == wib(wednesday, 12)
    assert business_minutes_between(start, wib(thursday, 12)) == 1020

    response = console.post(
        "/support/holidays/",
        {"date": wednesday.isoformat(), "name": "Cuti bersama", "kind": "cuti_bersama"},
    )
    assert response.status_code == 302

    assert deadline_after(start, 510) == wib(thursday, 12)
    assert business_minutes_between(start, wib(thursday, 12)) == 510


def test_adding_a_holiday_moves_open_tickets_deadlines_that_lie_after_it(engineer, make_ticket):
    """June 2026: the 1st and 16th are holidays; the 8th is a Monday."""
    created = datetime(2026, 6, 8, 9, tzinfo=WIB)

    def opened(priority: str) -> Ticket:
        ticket = make_ticket("dumai", priority=priority)  # Dumai has the default plan
        Ticket.objects.filter(pk=ticket.pk).update(created_at=created)
        ticket.refresh_from_db()
        sla_start(ticket, now=created, calendar=sragen_calendar())
        ticket.save()
        return ticket

    normal = opened("normal")  # 1 working day / 5 working days
    assert normal.resolution_due_at == datetime(2026, 6, 15, 9, tzinfo=WIB)
    critical = opened("critical")  # due on Monday and Tuesday, before the holiday
    before = (critical.first_response_due_at, critical.resolution_due_at)

    change = holiday_add(
        actor=engineer_actor(engineer),
        day=date(2026, 6, 10),
        name="Libur daerah",
        kind="local",
        now=datetime(2026, 6, 8, 10, tzinfo=WIB),
    )

    normal.refresh_from_db()
    critical.refresh_from_db()
    # Its first response was due on Tuesday, before the holiday: it stays.
    assert normal.first_response_due_at == datetime(2026, 6, 9, 9, tzinfo=WIB)
    # 2,490 minutes left at Monday 10:00, now skipping the 10th (and the 16th).
    assert normal.resolution_due_at == datetime(2026, 6, 17, 9, tzinfo=WIB)
    assert (critical.first_response_due_at, critical.resolution_due_at) == before
    assert normal.pk in change.tickets_moved and critical.pk not in change.tickets_moved
