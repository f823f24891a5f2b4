"""Writing the audit log. Rows go to the schema the caller is in: the console's
actions land in `public`, a regency's in its own schema."""

from typing import Any

from django.conf import settings
from django.http import HttpRequest

from core.models import AuditEvent


def client_ip(request: HttpRequest | None) -> str | None:
    """The client's address, looking through TRUSTED_PROXY_COUNT proxies."""
    if request is None:
        return None
    hops = settings.TRUSTED_PROXY_COUNT
    forwarded = request.headers.get("x-forwarded-for", "")
    if hops > 0 and forwarded:
        chain = [part.strip() for part in forwarded.split(",")]
        if len(chain) >= hops:
            return chain[-hops] or None
    address = request.META.get("REMOTE_ADDR")
    return str(address) if address else None


def audit_record(
    *,
    action: str,
    actor_email: str = "",
    actor_name: str = "",
    target: str = "",
    detail: dict[str, Any] | None = None,
    request: HttpRequest | None = None,
) -> AuditEvent:
    event = AuditEvent(
        actor_email=actor_email,
        actor_name=actor_name,
        action=action,
        target=target,
        detail=detail or {},
        ip_address=client_ip(request),
    )
    event.full_clean()
    event.save()
    return event
