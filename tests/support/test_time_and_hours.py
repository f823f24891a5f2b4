"""Time spent on replies goes to billing (billing.SupportTime) in the reply's
own transaction, once; the monthly hours per regency add it up."""

from unittest import mock

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from billing.models import SupportTime
from support.models import TicketMessage
from support.selectors.reports import Month, support_hours_by_regency
from support.services.tickets import ticket_reply
from tests.support.conftest import engineer_actor, regency_actor

pytestmark = pytest.mark.django_db


def test_minutes_on_a_reply_land_in_billing_once(ticket, engineer):
    message = ticket_reply(
        ticket=ticket, actor=engineer_actor(engineer), body="Diperbaiki.", minutes=45
    )
    entry = SupportTime.objects.get(idempotency_key=f"support-reply-{message.pk}")
    assert (entry.tenant_id, entry.engineer_email, entry.minutes, entry.source) == (
        ticket.tenant_id,
        engineer.email,
        45,
        f"support:ticket:{ticket.pk}",
    )
    # Recording the same reply again (a retried task, a double submit) adds nothing.
    from billing.usage import support_time_record

    support_time_record(
        tenant=ticket.tenant,
        engineer_email=engineer.email,
        minutes=45,
        idempotency_key=f"support-reply-{message.pk}",
    )
    assert SupportTime.objects.filter(source=f"support:ticket:{ticket.pk}").count() == 1


def test_notes_carry_time_too_and_replies_without_minutes_record_none(ticket, engineer):
    actor = engineer_actor(engineer)
    ticket_reply(ticket=ticket, actor=actor, body="Cek log server.", kind="note", minutes=30)
    ticket_reply(ticket=ticket, actor=actor, body="Sebentar ya.")
    assert list(
        SupportTime.objects.filter(source=f"support:ticket:{ticket.pk}").values_list(
            "minutes", flat=True
        )
    ) == [30]


def test_the_regency_cannot_record_time(ticket, lebak_staff):
    with pytest.raises(ValidationError):
        ticket_reply(
            ticket=ticket, actor=regency_actor(lebak_staff), body="Saya 60 menit", minutes=60
        )
    assert not SupportTime.objects.filter(source=f"support:ticket:{ticket.pk}").exists()


def test_when_billing_fails_the_reply_is_not_saved_either(ticket, engineer):
    with (
        mock.patch(
            "support.services.tickets.support_time_record",
            side_effect=IntegrityError("ledger down"),
        ),
        pytest.raises(IntegrityError),
        transaction.atomic(),
    ):
        ticket_reply(ticket=ticket, actor=engineer_actor(engineer), body="Hilang?", minutes=10)
    assert not TicketMessage.objects.filter(ticket=ticket, body="Hilang?").exists()


def test_monthly_hours_per_regency(make_ticket, engineer):
    actor = engineer_actor(engineer)
    month = Month.parse(timezone.localdate().strftime("%Y-%m"))
    before = {row.tenant.slug: row.minutes for row in support_hours_by_regency(month)}
    lebak, dumai = make_ticket("lebak"), make_ticket("dumai")
    ticket_reply(ticket=lebak, actor=actor, body="a", minutes=50)
    ticket_reply(ticket=lebak, actor=actor, body="b", minutes=40)
    ticket_reply(ticket=dumai, actor=actor, body="c", minutes=15)
    rows = {row.tenant.slug: row for row in support_hours_by_regency(month)}
    assert rows["lebak"].minutes - before.get("lebak", 0) == 90
    assert rows["dumai"].minutes - before.get("dumai", 0) == 15
    assert "balangan" not in rows or rows["balangan"].minutes == before.get("balangan")


def test_the_hours_page_and_its_exports(console, make_ticket, engineer):
    ticket_reply(
        ticket=make_ticket("balangan"), actor=engineer_actor(engineer), body="x", minutes=90
    )
    month = timezone.localdate().strftime("%Y-%m")
    html = console.get("/support/reports/hours/", {"month": month}).content.decode()
    assert 'data-regency="balangan"' in html
    csv = console.get("/support/reports/hours/", {"month": month, "format": "csv"})
    assert csv["Content-Disposition"] == f'attachment; filename="support-hours-{month}.csv"'
    rows = [line.split(",") for line in csv.content.decode("utf-8-sig").splitlines()]
    balangan = next(row for row in rows if row[1] == "balangan")
    assert int(balangan[2]) >= 90
    xlsx = console.get("/support/reports/hours/", {"month": month, "format": "xlsx"})
    assert xlsx.content[:2] == b"PK"


def test_month_parsing():
    assert str(Month.parse("2026-03")) == "2026-03"
    assert str(Month.parse("2026-12").next) == "2027-01"
    assert str(Month.parse("2026-01").previous) == "2025-12"
    assert Month.parse("nonsense") == Month.parse(None)
