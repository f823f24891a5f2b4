"""Reading tickets: what a regency's user may see, and the engineers' queue."""

from dataclasses import dataclass
from datetime import datetime

from django.db.models import Prefetch, Q, QuerySet
from django.utils import timezone

from support.models import Ticket, TicketAttachment, TicketMessage

S = Ticket.Status


@dataclass(frozen=True)
class RegencyViewer:
    """A signed-in regency user: admins see every ticket of their regency, other
    staff the tickets they opened (and the tickets those were merged into)."""

    tenant_id: int
    user_id: int
    is_admin: bool


def regency_tickets(viewer: RegencyViewer) -> QuerySet[Ticket]:
    tickets = Ticket.objects.filter(tenant_id=viewer.tenant_id)
    if viewer.is_admin:
        return tickets
    mine = Q(requester_user_id=viewer.user_id) | Q(merged_tickets__requester_user_id=viewer.user_id)
    return tickets.filter(pk__in=Ticket.objects.filter(mine).values("pk"))


def regency_ticket_get(viewer: RegencyViewer, pk: int) -> Ticket | None:
    """The ticket if the viewer may see it, else None (the view answers 404)."""
    return regency_tickets(viewer).select_related("tenant").filter(pk=pk).first()


def public_messages(ticket: Ticket) -> QuerySet[TicketMessage]:
    """What the regency sees of a ticket's conversation: replies only, never
    internal notes, with their attachments."""
    return ticket.messages.filter(kind=TicketMessage.Kind.REPLY).prefetch_related(
        Prefetch("attachments", queryset=TicketAttachment.objects.order_by("pk"))
    )


def public_attachments(ticket: Ticket) -> QuerySet[TicketAttachment]:
    """Attachments the regency may download: the ticket's own and those on replies."""
    return ticket.attachments.filter(
        Q(message__isnull=True) | Q(message__kind=TicketMessage.Kind.REPLY)
    )


def all_messages(ticket: Ticket) -> QuerySet[TicketMessage]:
    return ticket.messages.prefetch_related(
        Prefetch("attachments", queryset=TicketAttachment.objects.order_by("pk"))
    )


@dataclass(frozen=True)
class QueueFilters:
    status: str = ""  # a status, "active" (default) or "all"
    priority: str = ""
    tenant: str = ""  # a regency's slug
    assignee: str = ""  # an email, "none", or "" for anyone
    category: str = ""
    sla: str = ""  # "breached" or "at_risk"
    q: str = ""


def _breached(now: datetime) -> Q:
    first = Q(
        status__in=Ticket.ACTIVE, first_response_at__isnull=True, first_response_due_at__lte=now
    )
    resolution = Q(status__in=Ticket.RUNNING, resolution_due_at__lte=now)
    return first | resolution | Q(first_response_breached=True) | Q(resolution_breached=True)


def _at_risk(now: datetime) -> Q:
    first = Q(
        status__in=Ticket.ACTIVE,
        first_response_at__isnull=True,
        first_response_warn_at__lte=now,
        first_response_due_at__gt=now,
    )
    resolution = Q(
        status__in=Ticket.RUNNING, resolution_warn_at__lte=now, resolution_due_at__gt=now
    )
    return first | resolution


def ticket_queue(filters: QueueFilters, now: datetime | None = None) -> QuerySet[Ticket]:
    now = now or timezone.now()
    tickets = Ticket.objects.select_related("tenant")
    if filters.status == "all":
        pass
    elif filters.status in S.values:
        tickets = tickets.filter(status=filters.status)
    else:
        tickets = tickets.filter(status__in=Ticket.ACTIVE)
    if filters.priority:
        tickets = tickets.filter(priority=filters.priority)
    if filters.tenant:
        tickets = tickets.filter(tenant__slug=filters.tenant)
    if filters.assignee == "none":
        tickets = tickets.filter(assignee_email="")
    elif filters.assignee:
        tickets = tickets.filter(assignee_email__iexact=filters.assignee)
    if filters.category:
        tickets = tickets.filter(category=filters.category)
    if filters.sla == "breached":
        tickets = tickets.filter(_breached(now))
    elif filters.sla == "at_risk":
        tickets = tickets.filter(_at_risk(now))
    if filters.q:
        term = filters.q.strip().lstrip("#")
        condition = Q(subject__icontains=term) | Q(requester_email__icontains=term)
        if term.isdigit():
            condition |= Q(pk=int(term))
        tickets = tickets.filter(condition)
    return tickets.order_by("first_response_due_at", "resolution_due_at", "-created_at")


def ticket_sla_state(ticket: Ticket, now: datetime | None = None) -> str:
    """ "breached", "at_risk", "paused", "ok" or "" (no clock running)."""
    now = now or timezone.now()
    first_running = ticket.status in Ticket.ACTIVE and ticket.first_response_at is None
    res_running = ticket.status in Ticket.RUNNING and ticket.resolution_due_at is not None
    if (
        (first_running and ticket.first_response_due_at and ticket.first_response_due_at <= now)
        or (res_running and ticket.resolution_due_at and ticket.resolution_due_at <= now)
        or (ticket.status in Ticket.ACTIVE and ticket.resolution_breached)
    ):
        return "breached"
    if (
        first_running and ticket.first_response_warn_at and ticket.first_response_warn_at <= now
    ) or (res_running and ticket.resolution_warn_at and ticket.resolution_warn_at <= now):
        return "at_risk"
    if ticket.status == S.WAITING:
        return "paused"
    if ticket.status in Ticket.RUNNING:
        return "ok"
    return ""
