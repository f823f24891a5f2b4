"""What the organisation's writes share: who acts, and their audit row."""

from typing import Any

from django.http import HttpRequest

from core.audit import audit_record
from tenants.lifecycle import Actor

__all__ = ["Actor", "organisation_audit"]


def organisation_audit(
    *,
    action: str,
    actor: Actor,
    target: str,
    detail: dict[str, Any] | None = None,
    request: HttpRequest | None = None,
) -> None:
    audit_record(
        action=action,
        actor_email=actor.email,
        actor_name=actor.name,
        target=target,
        detail=detail,
        request=request,
    )
