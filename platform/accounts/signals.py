"""Sign-ins, successful or not, go to the audit log of the schema they happen in.
Sign-ins and sign-outs also keep the index of each person's sessions
(accounts.sessions), and a password set through an invitation link accepts it."""

from typing import Any

from allauth.account.signals import password_changed, password_reset, password_set
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.dispatch import receiver
from django.http import HttpRequest

from accounts.invitations import invitation_accept
from accounts.sessions import user_session_forget, user_session_record
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
    if request is not None:
        user_session_record(request=request, user=user)


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
    session = getattr(request, "session", None)
    user_session_forget(session_key=getattr(session, "session_key", None))


@receiver(password_changed)
@receiver(password_set)
def _session_key_rotated(sender: Any, request: HttpRequest, user: Any, **kwargs: Any) -> None:
    # Changing a password gives the session a new key (update_session_auth_hash):
    # index the new one, or deactivation would miss this session.
    if getattr(user, "is_authenticated", False):
        user_session_record(request=request, user=user)


@receiver(password_reset)
def _password_reset(sender: Any, request: HttpRequest, user: Any, **kwargs: Any) -> None:
    invitation_accept(user=user, request=request)


@receiver(user_login_failed)
def _sign_in_failed(
    sender: Any, credentials: dict[str, Any], request: HttpRequest | None = None, **kwargs: Any
) -> None:
    # Django masks the password; the address tried is what the admin needs to see.
    tried = str(credentials.get("email") or credentials.get("username") or "")[:200]
    audit_record(action="auth.sign_in_failed", target=tried, request=request)
