"""The ticket status machine: every allowed and every forbidden move, who may
make each, the reopening window, and the history each move leaves."""

from datetime import timedelta
from itertools import product

import pytest
from django.utils import timezone
from django.utils.translation import override

from core.models import AuditEvent
from support.lifecycle import ALLOWED, SYSTEM, TransitionRefused, ticket_transition
from support.models import Side, Ticket, TicketTransition
from tests.support.conftest import engineer_actor, regency_actor

pytestmark = pytest.mark.django_db
S = Ticket.Status

# The table as the product describes it: new -> open -> waiting -> resolved ->
# closed, each active state can be resolved or closed, and reopening goes back to open.
EXPECTED = {
    (S.NEW, S.OPEN),
    (S.NEW, S.WAITING),
    (S.NEW, S.RESOLVED),
    (S.NEW, S.CLOSED),
    (S.OPEN, S.WAITING),
    (S.OPEN, S.RESOLVED),
    (S.OPEN, S.CLOSED),
    (S.WAITING, S.OPEN),
    (S.WAITING, S.RESOLVED),
    (S.WAITING, S.CLOSED),
    (S.RESOLVED, S.OPEN),
    (S.RESOLVED, S.CLOSED),
    (S.CLOSED, S.OPEN),
}
ALL_PAIRS = [(a, b) for a, b in product(S.values, S.values) if a != b]
REGENCY_MOVES = {
    (S.WAITING, S.OPEN),
    (S.RESOLVED, S.OPEN),
    (S.CLOSED, S.OPEN),
    (S.RESOLVED, S.CLOSED),
}


def put_in(ticket: Ticket, status: str) -> Ticket:
    """Set the status directly (test set-up only), as if it had got there just now."""
    now = timezone.now()
    Ticket.objects.filter(pk=ticket.pk).update(
        status=status,
        resolved_at=now if status in (S.RESOLVED, S.CLOSED) else None,
        closed_at=now if status == S.CLOSED else None,
    )
    ticket.refresh_from_db()
    return ticket


def test_the_table_is_exactly_the_products_machine():
    table = {(a, b) for a, targets in ALLOWED.items() for b in targets}
    assert table == EXPECTED


@pytest.mark.parametrize(("from_status", "to_status"), sorted(EXPECTED))
def test_every_allowed_move_is_made_and_recorded(ticket, engineer, from_status, to_status):
    put_in(ticket, from_status)
    record = ticket_transition(
        ticket=ticket, to_status=to_status, actor=engineer_actor(engineer), reason="Checked"
    )
    ticket.refresh_from_db()
    assert ticket.status == to_status
    assert (record.from_status, record.to_status) == (from_status, to_status)
    assert (record.actor_email, record.actor_side, record.reason) == (
        engineer.email,
        Side.ENGINEER,
        "Checked",
    )
    assert AuditEvent.objects.filter(
        action="support.ticket.transition", target=f"ticket:{ticket.pk}"
    ).exists()


@pytest.mark.parametrize(("from_status", "to_status"), sorted(set(ALL_PAIRS) - EXPECTED))
def test_every_forbidden_move_is_refused_and_changes_nothing(
    ticket, engineer, from_status, to_status
):
    put_in(ticket, from_status)
    with override("en"), pytest.raises(TransitionRefused, match="can only become"):
        ticket_transition(
            ticket=ticket, to_status=to_status, actor=engineer_actor(engineer), reason="Try"
        )
    ticket.refresh_from_db()
    assert ticket.status == from_status
    assert not TicketTransition.objects.filter(ticket=ticket).exists()


@pytest.mark.parametrize("status", S.values)
def test_moving_to_the_same_status_is_refused(ticket, engineer, status):
    put_in(ticket, status)
    with pytest.raises(TransitionRefused):
        ticket_transition(
            ticket=ticket, to_status=status, actor=engineer_actor(engineer), reason="Same"
        )


@pytest.mark.parametrize(("from_status", "to_status"), sorted(EXPECTED))
def test_the_regency_side_makes_only_its_own_moves(ticket, lebak_staff, from_status, to_status):
    put_in(ticket, from_status)
    actor = regency_actor(lebak_staff)
    if (from_status, to_status) in REGENCY_MOVES:
        ticket_transition(ticket=ticket, to_status=to_status, actor=actor, reason="Ours")
        assert ticket.status == to_status
    else:
        with override("en"), pytest.raises(TransitionRefused, match="Only Sragen's engineers"):
            ticket_transition(ticket=ticket, to_status=to_status, actor=actor, reason="Ours")


def test_a_reason_is_required(ticket, engineer):
    with pytest.raises(TransitionRefused):
        ticket_transition(
            ticket=ticket, to_status=S.OPEN, actor=engineer_actor(engineer), reason="  "
        )


@pytest.mark.parametrize("status", [S.RESOLVED, S.CLOSED])
def test_reopening_is_allowed_within_the_window(ticket, engineer, settings, status):
    settings.SUPPORT_REOPEN_DAYS = 7
    put_in(ticket, status)
    Ticket.objects.filter(pk=ticket.pk).update(resolved_at=timezone.now() - timedelta(days=6))
    ticket.refresh_from_db()
    ticket_transition(
        ticket=ticket, to_status=S.OPEN, actor=engineer_actor(engineer), reason="Again"
    )
    ticket.refresh_from_db()
    assert ticket.status == S.OPEN
    assert ticket.resolved_at is None
    assert ticket.resolution_due_at is not None  # a fresh resolution clock


@pytest.mark.parametrize("status", [S.RESOLVED, S.CLOSED])
def test_reopening_after_the_window_is_refused_with_advice(ticket, engineer, settings, status):
    settings.SUPPORT_REOPEN_DAYS = 7
    put_in(ticket, status)
    Ticket.objects.filter(pk=ticket.pk).update(resolved_at=timezone.now() - timedelta(days=8))
    ticket.refresh_from_db()
    with override("en"), pytest.raises(TransitionRefused, match="Open a new ticket"):
        ticket_transition(
            ticket=ticket, to_status=S.OPEN, actor=engineer_actor(engineer), reason="Again"
        )
    ticket.refresh_from_db()
    assert ticket.status == status


def test_a_merged_duplicate_is_never_reopened(make_ticket, engineer):
    target = make_ticket()
    duplicate = make_ticket()
    from support.services.desk import ticket_merge

    ticket_merge(source=duplicate, target=target, actor=engineer_actor(engineer), reason="Same")
    duplicate.refresh_from_db()
    with override("en"), pytest.raises(TransitionRefused, match="merged into"):
        ticket_transition(
            ticket=duplicate, to_status=S.OPEN, actor=engineer_actor(engineer), reason="Undo"
        )


def test_the_system_closes_resolved_tickets_only(ticket):
    put_in(ticket, S.RESOLVED)
    ticket_transition(ticket=ticket, to_status=S.CLOSED, actor=SYSTEM, reason="Window over")
    assert ticket.status == S.CLOSED
    put_in(ticket, S.OPEN)
    with pytest.raises(TransitionRefused):
        ticket_transition(ticket=ticket, to_status=S.RESOLVED, actor=SYSTEM, reason="No")


def test_resolving_and_closing_stamp_their_moments(ticket, engineer):
    actor = engineer_actor(engineer)
    ticket_transition(ticket=ticket, to_status=S.RESOLVED, actor=actor, reason="Fixed")
    assert ticket.resolved_at is not None and ticket.closed_at is None
    ticket_transition(ticket=ticket, to_status=S.CLOSED, actor=actor, reason="Confirmed")
    assert ticket.closed_at is not None
    assert list(ticket.transitions.values_list("to_status", flat=True)) == [S.RESOLVED, S.CLOSED]
