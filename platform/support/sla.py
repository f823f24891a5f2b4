"""Service-level clocks of a ticket, in business minutes (support/business_hours.py).

- First response: from the ticket's creation to the first public answer of an
  engineer (a reply, or moving the ticket to waiting or resolved).
- Resolution: from creation to resolved. It pauses while the ticket waits on
  the regency, keeping the business minutes it had left, and resumes from there.
  Reopening starts a fresh resolution clock with the full target.
- A warning is due when SUPPORT_WARNING_PERCENT of a target has elapsed; the
  `*_warn_at` fields hold that moment so that the queue can filter on it.

These functions change the ticket in memory; the caller saves it."""

import math
from dataclasses import dataclass
from datetime import datetime

from django.conf import settings

from support.business_hours import WorkCalendar, sragen_calendar
from support.models import Priority, ServiceTarget, SupportPlan, TenantSupportPlan, Ticket

S = Ticket.Status

# Used only if the plans were removed from the database: a ticket still gets a clock.
FALLBACK_TARGETS: dict[str, tuple[int, int]] = {
    Priority.CRITICAL: (30, 510),
    Priority.HIGH: (120, 1530),
    Priority.NORMAL: (510, 2550),
    Priority.LOW: (1020, 5100),
}


@dataclass(frozen=True)
class Targets:
    first_response_minutes: int
    resolution_minutes: int


def plan_for(tenant_id: int) -> SupportPlan | None:
    assigned = TenantSupportPlan.objects.select_related("plan").filter(tenant_id=tenant_id).first()
    if assigned is not None:
        return assigned.plan
    return SupportPlan.objects.filter(is_default=True).first()


def targets_for(ticket: Ticket) -> Targets:
    plan = plan_for(ticket.tenant_id)
    target = (
        ServiceTarget.objects.filter(plan=plan, priority=ticket.priority).first()
        if plan is not None
        else None
    )
    if target is None:
        first, resolution = FALLBACK_TARGETS[ticket.priority]
        return Targets(first, resolution)
    return Targets(target.first_response_minutes, target.resolution_minutes)


def warning_minutes(target: int) -> int:
    """Business minutes into a target at which the warning is due."""
    return min(target, math.ceil(target * settings.SUPPORT_WARNING_PERCENT / 100))


def _remaining(ticket: Ticket, now: datetime, calendar: WorkCalendar) -> int:
    """Business minutes left on the resolution clock (negative once overdue)."""
    if ticket.resolution_due_at is None:
        return ticket.resolution_remaining_minutes or 0
    if now <= ticket.resolution_due_at:
        return calendar.business_minutes_between(now, ticket.resolution_due_at)
    return -calendar.business_minutes_between(ticket.resolution_due_at, now)


def _run_resolution(
    ticket: Ticket, *, now: datetime, remaining: int, target: int, calendar: WorkCalendar
) -> None:
    """Start (or resume) the resolution clock with `remaining` minutes left."""
    remaining = max(remaining, 0)
    until_warning = max(remaining - (target - warning_minutes(target)), 0)
    ticket.resolution_due_at = calendar.deadline_after(now, remaining)
    ticket.resolution_warn_at = calendar.deadline_after(now, until_warning)
    ticket.resolution_remaining_minutes = None


def sla_start(ticket: Ticket, *, now: datetime, calendar: WorkCalendar | None = None) -> None:
    """Both clocks of a new ticket, from `now` (its creation)."""
    calendar = calendar or sragen_calendar()
    targets = targets_for(ticket)
    first = targets.first_response_minutes
    ticket.first_response_due_at = calendar.deadline_after(now, first)
    ticket.first_response_warn_at = calendar.deadline_after(now, warning_minutes(first))
    _run_resolution(
        ticket,
        now=now,
        remaining=targets.resolution_minutes,
        target=targets.resolution_minutes,
        calendar=calendar,
    )


def sla_first_response(
    ticket: Ticket, *, now: datetime, calendar: WorkCalendar | None = None
) -> None:
    """Stop the first-response clock at `now`, if it is still running."""
    if ticket.first_response_at is not None:
        return
    calendar = calendar or sragen_calendar()
    ticket.first_response_at = now
    ticket.first_response_business_minutes = calendar.business_minutes_between(
        ticket.created_at, now
    )
    if ticket.first_response_due_at is not None and now > ticket.first_response_due_at:
        ticket.first_response_breached = True


def sla_on_transition(
    ticket: Ticket,
    *,
    from_status: str,
    to_status: str,
    now: datetime,
    calendar: WorkCalendar | None = None,
) -> None:
    """Pause, resume, stop or restart the resolution clock for a status change."""
    calendar = calendar or sragen_calendar()
    running = (S.NEW, S.OPEN)
    if from_status in running and to_status in running:
        return
    target = targets_for(ticket).resolution_minutes
    if from_status in running:
        # Leaving the running states: waiting pauses, resolved and closed stop.
        if ticket.resolution_due_at is not None and now > ticket.resolution_due_at:
            ticket.resolution_breached = True
        remaining = _remaining(ticket, now, calendar)
        ticket.resolution_due_at = None
        ticket.resolution_warn_at = None
        if to_status == S.WAITING:
            ticket.resolution_remaining_minutes = max(remaining, 0)
        else:
            ticket.resolution_remaining_minutes = None
            ticket.resolution_business_minutes = max(target - remaining, 0)
        return
    if from_status == S.WAITING:
        if to_status in running:
            _run_resolution(
                ticket,
                now=now,
                remaining=ticket.resolution_remaining_minutes or 0,
                target=target,
                calendar=calendar,
            )
        else:
            remaining = ticket.resolution_remaining_minutes or 0
            ticket.resolution_business_minutes = max(target - remaining, 0)
            ticket.resolution_remaining_minutes = None
        return
    if to_status in running:
        # Reopened: a fresh resolution clock; a breach of the first round stays recorded.
        ticket.resolution_warned_at = None
        ticket.resolution_escalated_at = None
        _run_resolution(ticket, now=now, remaining=target, target=target, calendar=calendar)


def sla_reprioritise(
    ticket: Ticket, *, old_priority: str, now: datetime, calendar: WorkCalendar | None = None
) -> None:
    """Recompute the clocks for a new priority, keeping the time already used."""
    calendar = calendar or sragen_calendar()
    new = targets_for(ticket)
    if ticket.first_response_at is None and ticket.status in Ticket.ACTIVE:
        first = new.first_response_minutes
        ticket.first_response_due_at = calendar.deadline_after(ticket.created_at, first)
        ticket.first_response_warn_at = calendar.deadline_after(
            ticket.created_at, warning_minutes(first)
        )
    if ticket.status not in Ticket.ACTIVE:
        return
    current = ticket.priority
    ticket.priority = old_priority
    old_target = targets_for(ticket).resolution_minutes
    ticket.priority = current
    used = old_target - _remaining(ticket, now, calendar)
    remaining = new.resolution_minutes - used
    if ticket.status == S.WAITING:
        ticket.resolution_remaining_minutes = max(remaining, 0)
    else:
        _run_resolution(
            ticket,
            now=now,
            remaining=remaining,
            target=new.resolution_minutes,
            calendar=calendar,
        )
