"""Moving the deadlines of open tickets when the rules they were computed with
change: a regency's plan, a plan's targets, or the desk's holidays.

The business time a ticket has already used is kept, measured with the rules
its deadlines were computed with; what is left is counted with the new rules,
exactly as when an engineer changes a ticket's priority (sla.sla_reprioritise).
Resolved and closed tickets keep their measurements, and a breach, warning or
escalation already recorded stays recorded. The callers lock what they change
and audit it; this module only does the arithmetic and saves the clocks."""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from django.db.models import QuerySet

from support.business_hours import WorkCalendar
from support.models import Ticket

# The clock's internals are shared with sla.py rather than copied, so that a
# moved deadline is computed exactly as a new one would be.
from support.sla import Targets, _remaining, _run_resolution, warning_minutes

S = Ticket.Status

# Only the clocks: a concurrent reply or status change keeps what it wrote.
SLA_FIELDS = [
    "first_response_due_at",
    "first_response_warn_at",
    "resolution_due_at",
    "resolution_warn_at",
    "resolution_remaining_minutes",
]


@dataclass(frozen=True)
class Rules:
    """What a ticket's deadlines are computed with."""

    targets: Targets
    calendar: WorkCalendar


def sla_retime(ticket: Ticket, *, before: Rules, after: Rules, now: datetime) -> None:
    """Recompute, in memory, the running clocks of an active ticket whose
    deadlines were computed with `before`, for the rules `after`."""
    if ticket.status not in Ticket.ACTIVE:
        return
    if ticket.first_response_at is None:
        first = after.targets.first_response_minutes
        ticket.first_response_due_at = after.calendar.deadline_after(ticket.created_at, first)
        ticket.first_response_warn_at = after.calendar.deadline_after(
            ticket.created_at, warning_minutes(first)
        )
    used = before.targets.resolution_minutes - _remaining(ticket, now, before.calendar)
    remaining = after.targets.resolution_minutes - used
    if ticket.status == S.WAITING:
        # Paused: only what is left is kept; the deadline is set when it resumes.
        ticket.resolution_remaining_minutes = max(remaining, 0)
        return
    _run_resolution(
        ticket,
        now=now,
        remaining=remaining,
        target=after.targets.resolution_minutes,
        calendar=after.calendar,
    )


def tickets_retime(
    tickets: "QuerySet[Ticket]",
    *,
    before: Callable[[Ticket], Rules],
    after: Callable[[Ticket], Rules],
    now: datetime,
) -> list[int]:
    """Lock the active tickets among `tickets` and move the clocks of those
    whose rules differ; returns their ids. Call inside a transaction."""
    moved: list[int] = []
    locked = tickets.filter(status__in=Ticket.ACTIVE).select_for_update(of=("self",)).order_by("pk")
    for ticket in locked:
        old, new = before(ticket), after(ticket)
        if old == new:
            # Unchanged rules: recomputing would only round the deadline to the minute.
            continue
        sla_retime(ticket, before=old, after=new, now=now)
        ticket.save(update_fields=SLA_FIELDS)
        moved.append(ticket.pk)
    return moved
