"""Service-level clocks (targets per plan and priority, pausing while waiting on
the regency, reopening, reprioritising) and the sweep that warns before and
escalates after a deadline, each once."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone

from support.business_hours import WorkCalendar
from support.lifecycle import ticket_transition
from support.models import Priority, SupportPlan, TenantSupportPlan, Ticket
from support.services.tickets import ticket_reply
from support.sla import (
    sla_first_response,
    sla_on_transition,
    sla_reprioritise,
    sla_start,
    targets_for,
)
from support.tasks import sla_sweep
from tests.support.conftest import engineer_actor

pytestmark = pytest.mark.django_db
S = Ticket.Status
WIB = ZoneInfo("Asia/Jakarta")
PLAIN = WorkCalendar()


def at(day: int, hour: int, minute: int = 0) -> datetime:
    """June 2026: Monday the 1st (a holiday only in the real calendar)."""
    return datetime(2026, 6, day, hour, minute, tzinfo=WIB)


def standard(regencies, priority=Priority.HIGH, created=None) -> Ticket:
    """An unsaved Balangan ticket (Balangan has the default Standar plan)."""
    ticket = Ticket(tenant=regencies["balangan"], priority=priority)
    ticket.created_at = created or at(2, 9)
    return ticket


def test_targets_follow_the_regencys_plan_and_the_priority(regencies):
    assert SupportPlan.objects.get(is_default=True).code == "standar"
    balangan = standard(regencies, Priority.CRITICAL)
    assert (balangan.tenant_id, targets_for(balangan).first_response_minutes) == (
        regencies["balangan"].pk,
        60,
    )
    TenantSupportPlan.objects.update_or_create(
        tenant=regencies["balangan"], defaults={"plan": SupportPlan.objects.get(code="prioritas")}
    )
    assert targets_for(balangan).first_response_minutes == 30
    balangan.priority = Priority.LOW
    assert targets_for(balangan).resolution_minutes == 5 * 510


def test_new_ticket_deadlines_count_business_minutes(regencies, settings):
    settings.SUPPORT_WARNING_PERCENT = 80
    # Standar, high: first response 240 minutes, resolution 2 business days.
    ticket = standard(regencies, Priority.HIGH, created=at(5, 14))  # Friday 14:00
    sla_start(ticket, now=ticket.created_at, calendar=PLAIN)
    assert ticket.first_response_due_at == at(8, 9, 30)  # 120 Friday, 120 Monday
    assert ticket.first_response_warn_at == at(8, 8, 42)  # 192 minutes in
    assert ticket.resolution_due_at == at(9, 14)  # Fri 120 + Mon 510 + Tue 390


def test_the_resolution_clock_pauses_while_waiting_on_the_regency(regencies):
    ticket = standard(regencies, Priority.HIGH)
    sla_start(ticket, now=ticket.created_at, calendar=PLAIN)  # due Thursday 09:00
    assert ticket.resolution_due_at == at(4, 9)
    # Waiting from Tuesday 11:00: 120 of 1020 minutes used.
    sla_on_transition(
        ticket, from_status=S.OPEN, to_status=S.WAITING, now=at(2, 11), calendar=PLAIN
    )
    assert ticket.resolution_due_at is None
    assert ticket.resolution_remaining_minutes == 900
    # The regency answers on Friday 15:00: 900 minutes from then.
    sla_on_transition(
        ticket, from_status=S.WAITING, to_status=S.OPEN, now=at(5, 15), calendar=PLAIN
    )
    assert ticket.resolution_remaining_minutes is None
    assert ticket.resolution_due_at == PLAIN.deadline_after(at(5, 15), 900) == at(9, 13)


def test_resolving_records_the_business_minutes_used_without_the_pause(regencies):
    ticket = standard(regencies, Priority.HIGH)
    sla_start(ticket, now=ticket.created_at, calendar=PLAIN)
    sla_on_transition(
        ticket, from_status=S.OPEN, to_status=S.WAITING, now=at(2, 10), calendar=PLAIN
    )
    sla_on_transition(ticket, from_status=S.WAITING, to_status=S.OPEN, now=at(4, 9), calendar=PLAIN)
    sla_on_transition(
        ticket, from_status=S.OPEN, to_status=S.RESOLVED, now=at(4, 10), calendar=PLAIN
    )
    assert ticket.resolution_business_minutes == 60 + 60
    assert not ticket.resolution_breached


def test_resolving_after_the_deadline_is_a_breach(regencies):
    ticket = standard(regencies, Priority.CRITICAL)  # 510 minutes
    sla_start(ticket, now=ticket.created_at, calendar=PLAIN)
    sla_on_transition(
        ticket, from_status=S.OPEN, to_status=S.RESOLVED, now=at(3, 10), calendar=PLAIN
    )
    assert ticket.resolution_breached
    assert ticket.resolution_business_minutes == 510 + 60


def test_first_response_is_late_only_after_its_deadline(regencies):
    on_time = standard(regencies, Priority.CRITICAL)
    sla_start(on_time, now=on_time.created_at, calendar=PLAIN)
    sla_first_response(on_time, now=at(2, 9, 59), calendar=PLAIN)
    assert (on_time.first_response_business_minutes, on_time.first_response_breached) == (59, False)
    late = standard(regencies, Priority.CRITICAL, created=at(5, 15, 30))  # Friday 15:30
    sla_start(late, now=late.created_at, calendar=PLAIN)
    assert late.first_response_due_at == at(8, 8)
    sla_first_response(late, now=at(8, 8, 1), calendar=PLAIN)
    assert (late.first_response_business_minutes, late.first_response_breached) == (61, True)


def test_reopening_starts_a_fresh_resolution_clock_and_clears_its_flags(regencies):
    ticket = standard(regencies, Priority.CRITICAL)
    sla_start(ticket, now=ticket.created_at, calendar=PLAIN)
    ticket.resolution_warned_at = ticket.resolution_escalated_at = at(3, 9)
    sla_on_transition(
        ticket, from_status=S.OPEN, to_status=S.RESOLVED, now=at(3, 10), calendar=PLAIN
    )
    sla_on_transition(
        ticket, from_status=S.RESOLVED, to_status=S.OPEN, now=at(4, 9), calendar=PLAIN
    )
    assert ticket.resolution_due_at == at(5, 9)
    assert ticket.resolution_warned_at is None and ticket.resolution_escalated_at is None
    assert ticket.resolution_breached  # the first round stays recorded


def test_a_higher_priority_keeps_the_time_already_used(regencies):
    ticket = standard(regencies, Priority.NORMAL)  # resolution 2550
    sla_start(ticket, now=ticket.created_at, calendar=PLAIN)
    ticket.priority = Priority.HIGH  # resolution 1020
    sla_reprioritise(ticket, old_priority=Priority.NORMAL, now=at(2, 12), calendar=PLAIN)
    # 180 minutes used: 840 left from 12:00.
    assert ticket.resolution_due_at == PLAIN.deadline_after(at(2, 12), 840)
    assert ticket.first_response_due_at == PLAIN.deadline_after(at(2, 9), 240)


# --- the sweep --------------------------------------------------------------------


def _due(ticket: Ticket, **fields) -> Ticket:
    Ticket.objects.filter(pk=ticket.pk).update(**fields)
    ticket.refresh_from_db()
    return ticket


def _mails_about(outbox, ticket: Ticket) -> list:
    return [m for m in outbox if m.subject.startswith(f"[{ticket.reference}]")]


def test_a_warning_goes_to_the_assignee_once(ticket, engineer, mailoutbox):
    now = timezone.now()
    ticket = _due(
        ticket,
        assignee_email=engineer.email,
        first_response_warn_at=now - timedelta(minutes=1),
        first_response_due_at=now + timedelta(minutes=30),
    )
    sla_sweep(now)
    sla_sweep(now + timedelta(minutes=5))
    mails = _mails_about(mailoutbox, ticket)
    assert [m.to for m in mails] == [[engineer.email]]
    ticket.refresh_from_db()
    assert ticket.first_response_warned_at is not None
    assert ticket.first_response_escalated_at is None
    assert not ticket.first_response_breached


def test_a_passed_deadline_is_escalated_to_the_lead_once(ticket, settings, mailoutbox):
    settings.SUPPORT_LEAD_EMAIL = ["lead@sukowati.test"]
    now = timezone.now()
    ticket = _due(
        ticket,
        first_response_warn_at=now - timedelta(hours=2),
        first_response_due_at=now - timedelta(minutes=1),
    )
    counts = sla_sweep(now)
    sla_sweep(now + timedelta(minutes=5))
    mails = _mails_about(mailoutbox, ticket)
    assert [m.to for m in mails] == [["lead@sukowati.test"]]
    assert counts["escalated"] >= 1
    ticket.refresh_from_db()
    assert ticket.first_response_breached
    # The warning that was never sent is not sent after the escalation.
    assert ticket.first_response_warned_at is not None


def test_without_a_lead_setting_every_engineer_hears_of_a_breach(
    ticket, engineer, settings, mailoutbox
):
    settings.SUPPORT_LEAD_EMAIL = []
    now = timezone.now()
    ticket = _due(ticket, first_response_due_at=now - timedelta(minutes=1))
    sla_sweep(now)
    recipients = {m.to[0] for m in _mails_about(mailoutbox, ticket)}
    assert {engineer.email, "engineer@sukowati.test"} <= recipients


def test_a_resolution_deadline_is_escalated_but_not_while_paused(
    ticket, engineer, settings, mailoutbox
):
    settings.SUPPORT_LEAD_EMAIL = ["lead@sukowati.test"]
    actor = engineer_actor(engineer)
    ticket_reply(
        ticket=ticket, actor=actor, body="Mohon kirim tangkapan layar.", next_status=S.WAITING
    )
    ticket.refresh_from_db()
    assert ticket.resolution_due_at is None  # paused
    now = timezone.now() + timedelta(days=60)
    sla_sweep(now)
    assert _mails_about(mailoutbox, ticket) == []
    ticket_transition(ticket=ticket, to_status=S.OPEN, actor=actor, reason="Back")
    ticket = _due(ticket, resolution_due_at=timezone.now() - timedelta(minutes=1))
    sla_sweep(timezone.now())
    sla_sweep(timezone.now())
    mails = _mails_about(mailoutbox, ticket)
    assert [
        (m.extra_headers["X-Sukowati-Support"], m.extra_headers["X-Sukowati-Clock"]) for m in mails
    ] == [("sla_escalated", "resolution")]
    ticket.refresh_from_db()
    assert ticket.resolution_breached and ticket.resolution_escalated_at is not None


def test_answered_tickets_are_not_escalated_for_first_response(ticket, engineer, mailoutbox):
    ticket_reply(ticket=ticket, actor=engineer_actor(engineer), body="Sedang kami cek.")
    now = timezone.now()
    ticket = _due(ticket, first_response_due_at=now - timedelta(minutes=5))
    sla_sweep(now)
    assert not any(
        m.extra_headers.get("X-Sukowati-Clock") == "first_response"
        for m in _mails_about(mailoutbox, ticket)
    )


def test_resolved_tickets_close_when_the_reopening_window_ends(ticket, engineer, settings):
    settings.SUPPORT_REOPEN_DAYS = 7
    ticket_transition(
        ticket=ticket, to_status=S.RESOLVED, actor=engineer_actor(engineer), reason="Done"
    )
    sla_sweep(timezone.now() + timedelta(days=6))
    ticket.refresh_from_db()
    assert ticket.status == S.RESOLVED
    sla_sweep(timezone.now() + timedelta(days=8))
    ticket.refresh_from_db()
    assert ticket.status == S.CLOSED
    assert ticket.transitions.last().actor_side == "system"
