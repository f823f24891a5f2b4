"""Sign-ins, successful or not, go to the audit log of the schema they happen in."""

from typing import Any

from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.dispatch import receiver
from django.http import HttpRequest

from core.audit import audit_record


@receiver(user_logged_in)
def _signed_in(sender: Any, request: HttpRequest | None, user: Any, **kwargs: Any) -> None:
    audit_record(
        action="auth.sign_in",
        actor_email=user.email,
        actor_name=user.get_full_name(),
        target=user.email,
        request=request,
    )


@receiver(user_logged_out)
def _signed_out(sender: Any, request: HttpRequest | None, user: Any, **kwargs: Any) -> None:
    if user is not None:
        audit_record(
            action="auth.sign_out",
            actor_email=user.email,
            actor_name=user.get_full_name(),
            target=user.email,
            request=request,
        )


@receiver(user_login_failed)
def _sign_in_failed(
    sender: Any, credentials: dict[str, Any], request: HttpRequest | None = None, **kwargs: Any
) -> None:
    # Django masks the password; the address tried is what the admin needs to see.
    tried = str(credentials.get("email") or credentials.get("username") or "")[:200]
    audit_record(action="auth.sign_in_failed", target=tried, request=request)
