"""Reads of a regency's audit log. They run in the request's schema, so a
regency only ever reads its own rows."""

from datetime import datetime

from django.db.models import Q, QuerySet

from core.models import AuditEvent


def audit_events(
    *,
    action: str = "",
    actor: str = "",
    target: str = "",
    start: datetime | None = None,
    end: datetime | None = None,
) -> QuerySet[AuditEvent]:
    """Events newest first; `end` is excluded, `actor` matches email or name."""
    events = AuditEvent.objects.all()
    if action:
        events = events.filter(action=action)
    if actor:
        events = events.filter(Q(actor_email__icontains=actor) | Q(actor_name__icontains=actor))
    if target:
        events = events.filter(target__icontains=target)
    if start is not None:
        events = events.filter(created_at__gte=start)
    if end is not None:
        events = events.filter(created_at__lt=end)
    return events.order_by("-created_at", "-id")


def audit_actions() -> list[str]:
    """Every action code this log holds, for the filter's choices."""
    return list(AuditEvent.objects.order_by("action").values_list("action", flat=True).distinct())
