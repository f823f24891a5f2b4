"""The support desk's tasks. They run in the public schema (support/notify.py
queues them there; beat queues in public anyway), take ids, and are safe to
run twice: warnings and escalations are claimed with a conditional update
before their email goes out, so each is sent once."""

import logging
from datetime import datetime, timedelta

from celery import shared_task
from django.conf import settings
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from core.audit import audit_record
from support.lifecycle import SYSTEM, TransitionRefused, ticket_transition
from support.mail import console_ticket_url, regency_ticket_url, regency_url, ticket_email_send
from support.models import Side, Ticket, TicketMessage, TicketTransition

logger = logging.getLogger(__name__)
S = Ticket.Status


def _engineer_emails() -> list[str]:
    return list(
        User.objects.filter(platform_role=User.PlatformRole.ENGINEER, is_active=True)
        .order_by("email")
        .values_list("email", flat=True)
    )


def _lead_emails() -> list[str]:
    return list(settings.SUPPORT_LEAD_EMAIL) or _engineer_emails()


def _handlers(ticket: Ticket) -> list[str]:
    """Who hears from the regency: the assignee, or every engineer."""
    return [ticket.assignee_email] if ticket.assignee_email else _engineer_emails()


def _to_engineers(ticket: Ticket, recipients: list[str], template: str, **context: object) -> int:
    for recipient in recipients:
        ticket_email_send(
            ticket=ticket,
            recipient=recipient,
            language=settings.LANGUAGE_CODE,
            template=template,
            context={"url": console_ticket_url(ticket), **context},
        )
    return len(recipients)


def _to_requester(ticket: Ticket, template: str, **context: object) -> int:
    ticket_email_send(
        ticket=ticket,
        recipient=ticket.requester_email,
        language=ticket.requester_language,
        template=template,
        context={"url": regency_ticket_url(ticket), **context},
        time_zone=ticket.tenant.time_zone,
    )
    return 1


@shared_task
def ticket_opened_notify_task(ticket_id: int) -> int:
    """Tell the engineers about a new ticket; returns how many emails went out."""
    ticket = Ticket.objects.select_related("tenant").get(pk=ticket_id)
    return _to_engineers(ticket, _engineer_emails(), "ticket_opened")


@shared_task
def ticket_message_notify_task(message_id: int) -> int:
    """A public reply: the engineer's goes to the requester, the regency's to
    the engineers. Internal notes are never emailed to anyone."""
    message = TicketMessage.objects.select_related("ticket__tenant").get(pk=message_id)
    if message.kind != TicketMessage.Kind.REPLY:
        return 0
    ticket = message.ticket
    if message.author_side == Side.ENGINEER:
        return _to_requester(ticket, "reply_to_regency", message=message)
    return _to_engineers(ticket, _handlers(ticket), "reply_to_engineers", message=message)


@shared_task
def ticket_transition_notify_task(transition_id: int) -> int:
    transition = TicketTransition.objects.select_related("ticket__tenant").get(pk=transition_id)
    ticket = transition.ticket
    return _to_requester(
        ticket,
        "status_changed",
        transition=transition,
        status=Ticket.Status(transition.to_status).label,
        new_ticket_url=regency_url(ticket.tenant, "ticket_create"),
        reopen_days=settings.SUPPORT_REOPEN_DAYS,
    )


@shared_task
def ticket_assigned_notify_task(ticket_id: int, assignee_email: str) -> int:
    ticket = Ticket.objects.select_related("tenant").get(pk=ticket_id)
    if ticket.assignee_email != assignee_email:
        return 0  # reassigned again before this ran
    return _to_engineers(ticket, [assignee_email], "ticket_assigned")


@shared_task
def inbound_bounce_task(ticket_id: int, sender: str, reason: str, text: str) -> int:
    """Send an emailed reply that was refused back to its sender, with the reason."""
    ticket = Ticket.objects.select_related("tenant").get(pk=ticket_id)
    language = ticket.requester_language if sender == ticket.requester_email else "id"
    ticket_email_send(
        ticket=ticket,
        recipient=sender,
        language=language,
        template="reply_refused",
        context={
            "reason": reason,
            "text": text,
            "new_ticket_url": regency_url(ticket.tenant, "ticket_create"),
        },
    )
    return 1


def _claim(ticket_id: int, flag: str, now: datetime, **extra: object) -> bool:
    """Set `flag` if still unset; True for the one caller that set it."""
    updates: dict[str, object] = {flag: now, **extra}
    return bool(Ticket.objects.filter(pk=ticket_id, **{f"{flag}__isnull": True}).update(**updates))


def _sla_event(ticket: Ticket, *, clock: str, event: str, recipients: list[str]) -> None:
    audit_record(
        action=f"support.sla.{event}",
        actor_name="Sukowati",
        target=f"ticket:{ticket.pk}",
        detail={"clock": clock, "to": recipients},
    )
    _to_engineers(ticket, recipients, f"sla_{event}", clock=clock)


def sla_sweep(now: datetime | None = None) -> dict[str, int]:
    """Warn before and escalate after each deadline, once each; close resolved
    tickets whose reopening window has ended. Returns counts per kind."""
    now = now or timezone.now()
    counts = {"warned": 0, "escalated": 0, "closed": 0}
    open_first = Q(status__in=Ticket.ACTIVE, first_response_at__isnull=True)
    running = Q(status__in=Ticket.RUNNING, resolution_due_at__isnull=False)
    clocks = (
        ("first_response", open_first, "first_response_due_at", "first_response_warn_at"),
        ("resolution", running, "resolution_due_at", "resolution_warn_at"),
    )
    for clock, condition, due, warn in clocks:
        overdue = Ticket.objects.filter(
            condition, **{f"{due}__lte": now, f"{clock}_escalated_at__isnull": True}
        ).select_related("tenant")
        for ticket in overdue:
            if _claim(
                ticket.pk,
                f"{clock}_escalated_at",
                now,
                # A warning not sent by now is never sent: the escalation says more.
                **{
                    f"{clock}_breached": True,
                    f"{clock}_warned_at": getattr(ticket, f"{clock}_warned_at") or now,
                },
            ):
                _sla_event(ticket, clock=clock, event="escalated", recipients=_lead_emails())
                counts["escalated"] += 1
        at_risk = Ticket.objects.filter(
            condition,
            **{f"{warn}__lte": now, f"{due}__gt": now, f"{clock}_warned_at__isnull": True},
        ).select_related("tenant")
        for ticket in at_risk:
            if _claim(ticket.pk, f"{clock}_warned_at", now):
                _sla_event(ticket, clock=clock, event="warning", recipients=_handlers(ticket))
                counts["warned"] += 1
    expired = now - timedelta(days=settings.SUPPORT_REOPEN_DAYS)
    for ticket in Ticket.objects.filter(status=S.RESOLVED, resolved_at__lt=expired):
        try:
            ticket_transition(
                ticket=ticket,
                to_status=S.CLOSED,
                actor=SYSTEM,
                reason=_("Closed automatically %(days)d days after its resolution.")
                % {"days": settings.SUPPORT_REOPEN_DAYS},
                now=now,
            )
        except TransitionRefused:
            continue  # closed by someone else meanwhile
        counts["closed"] += 1
    return counts


@shared_task
def support_sla_sweep_task() -> dict[str, int]:
    """Beat runs this every five minutes, in the public schema."""
    return sla_sweep()
