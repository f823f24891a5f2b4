"""A ticket's status machine: one table of allowed moves (and who may make
each), one function that makes them. No other code changes `Ticket.status`.

    new -> open -> waiting on regency -> resolved -> closed
    (any of new, open, waiting can also go straight to resolved or closed;
     resolved and closed go back to open within SUPPORT_REOPEN_DAYS)

Engineers move tickets anywhere the table allows. The regency's side moves a
ticket only by answering (waiting -> open), reopening it within the window,
or confirming a resolution (resolved -> closed); the system closes resolved
tickets when their reopening window ends."""

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.audit import audit_record
from support.models import Side, Ticket, TicketTransition
from support.notify import queue_public
from support.sla import sla_first_response, sla_on_transition

S = Ticket.Status
E, R, SYS = Side.ENGINEER, Side.REGENCY, Side.SYSTEM

ALLOWED: dict[str, dict[str, frozenset[str]]] = {
    S.NEW: {
        S.OPEN: frozenset({E}),
        S.WAITING: frozenset({E}),
        S.RESOLVED: frozenset({E}),
        S.CLOSED: frozenset({E}),
    },
    S.OPEN: {
        S.WAITING: frozenset({E}),
        S.RESOLVED: frozenset({E}),
        S.CLOSED: frozenset({E}),
    },
    S.WAITING: {
        S.OPEN: frozenset({E, R}),
        S.RESOLVED: frozenset({E}),
        S.CLOSED: frozenset({E}),
    },
    S.RESOLVED: {
        S.OPEN: frozenset({E, R}),
        S.CLOSED: frozenset({E, R, SYS}),
    },
    S.CLOSED: {
        S.OPEN: frozenset({E, R}),
    },
}


@dataclass(frozen=True)
class Actor:
    """Who acts: a snapshot, because users live per schema."""

    email: str
    name: str
    side: str


SYSTEM = Actor(email="", name="Sukowati", side=Side.SYSTEM)


class TransitionRefused(Exception):
    """A status change that is not allowed, with a reason a person can act on."""


def reopen_deadline(ticket: Ticket) -> datetime | None:
    """Until when a resolved or closed ticket can be reopened."""
    if ticket.resolved_at is None:
        return None
    return ticket.resolved_at + timedelta(days=settings.SUPPORT_REOPEN_DAYS)


def can_reopen(ticket: Ticket, now: datetime | None = None) -> bool:
    deadline = reopen_deadline(ticket)
    return (
        ticket.merged_into_id is None
        and deadline is not None
        and (now or timezone.now()) <= deadline
    )


def transition_refusal(
    *, ticket: Ticket, to_status: str, side: str, now: datetime | None = None
) -> str | None:
    """Why the move is refused, or None when it is allowed."""
    current = ticket.status
    label = Ticket.Status(current).label
    if to_status == current:
        return _("Ticket %(ref)s is already %(status)s.") % {
            "ref": ticket.reference,
            "status": label,
        }
    sides = ALLOWED[current].get(to_status)
    if sides is None:
        allowed = ", ".join(str(Ticket.Status(s).label) for s in ALLOWED[current])
        return _("Ticket %(ref)s is %(status)s; from there it can only become: %(allowed)s.") % {
            "ref": ticket.reference,
            "status": label,
            "allowed": allowed,
        }
    if side not in sides:
        return _("Only Sragen's engineers can move a ticket from %(from)s to %(to)s.") % {
            "from": label,
            "to": Ticket.Status(to_status).label,
        }
    if to_status == S.OPEN and current in (S.RESOLVED, S.CLOSED):
        if ticket.merged_into_id is not None:
            return _("Ticket %(ref)s was merged into #%(target)s; continue there.") % {
                "ref": ticket.reference,
                "target": ticket.merged_into_id,
            }
        if not can_reopen(ticket, now):
            return _(
                "Ticket %(ref)s was resolved more than %(days)d days ago and can no longer be "
                "reopened. Open a new ticket that refers to it instead."
            ) % {"ref": ticket.reference, "days": settings.SUPPORT_REOPEN_DAYS}
    return None


def ticket_transition(
    *,
    ticket: Ticket,
    to_status: str,
    actor: Actor,
    reason: str,
    notify: bool = True,
    now: datetime | None = None,
) -> TicketTransition:
    """Move `ticket` to `to_status`, recording who, when and why, and keeping the
    service-level clocks in step. `notify` emails the requester once committed
    (callers that send their own email about the same event pass False)."""
    if not reason.strip():
        raise TransitionRefused(_("Give a reason: it is kept in the ticket's history."))
    now = now or timezone.now()
    with transaction.atomic():
        locked = Ticket.objects.select_for_update().get(pk=ticket.pk)
        refusal = transition_refusal(ticket=locked, to_status=to_status, side=actor.side, now=now)
        if refusal is not None:
            raise TransitionRefused(refusal)
        from_status = locked.status
        if actor.side == Side.ENGINEER and to_status in (S.WAITING, S.RESOLVED):
            sla_first_response(locked, now=now)
        sla_on_transition(locked, from_status=from_status, to_status=to_status, now=now)
        locked.status = to_status
        locked.status_changed_at = now
        if to_status == S.RESOLVED:
            locked.resolved_at = now
        elif to_status == S.CLOSED:
            locked.closed_at = now
            # Closed straight from an active state: the reopening window starts now.
            locked.resolved_at = locked.resolved_at or now
        elif to_status == S.OPEN and from_status in (S.RESOLVED, S.CLOSED):
            locked.resolved_at = None
            locked.closed_at = None
        locked.full_clean()
        locked.save()
        record = TicketTransition.objects.create(
            ticket=locked,
            from_status=from_status,
            to_status=to_status,
            actor_email=actor.email,
            actor_name=actor.name,
            actor_side=actor.side,
            reason=reason.strip(),
        )
        audit_record(
            action="support.ticket.transition",
            actor_email=actor.email,
            actor_name=actor.name,
            target=f"ticket:{locked.pk}",
            detail={"from": from_status, "to": to_status, "reason": reason.strip()},
        )
        if notify and actor.side != Side.REGENCY:
            from support.tasks import ticket_transition_notify_task

            queue_public(ticket_transition_notify_task, record.pk)
    # The caller's object reflects the move (and the clocks) without a reload.
    for field in Ticket._meta.concrete_fields:
        setattr(ticket, field.attname, getattr(locked, field.attname))
    return record
