"""Engineers' actions are audited in the public schema, whatever schema the
calling code happens to be in."""

from typing import Any

from django.http import HttpRequest
from django_tenants.utils import get_public_schema_name, schema_context

from core.audit import audit_record


def platform_audit(
    *,
    action: str,
    actor_email: str,
    actor_name: str = "",
    target: str = "",
    detail: dict[str, Any] | None = None,
    request: HttpRequest | None = None,
) -> None:
    with schema_context(get_public_schema_name()):
        audit_record(
            action=action,
            actor_email=actor_email,
            actor_name=actor_name,
            target=target,
            detail=detail,
            request=request,
        )
