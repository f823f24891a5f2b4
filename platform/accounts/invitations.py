"""Invitations: an email with a link to set a password. The link is allauth's
password-reset key, so it expires with PASSWORD_RESET_TIMEOUT and dies once used.

An invitation is "open" until it is accepted (the person set a password through
a link) or revoked. Revoking rotates the person's unusable password, which the
key is derived from, so every link already sent stops working; the token
generator (accounts.tokens) also refuses anyone whose invitation was revoked."""

import math
from typing import Any

from allauth.account.forms import default_token_generator
from allauth.account.utils import user_pk_to_url_str
from django.conf import settings
from django.core.mail import send_mail
from django.db import connection, transaction
from django.db.models import Count, Q
from django.http import HttpRequest
from django.template.loader import render_to_string
from django.utils import timezone, translation

from accounts.models import Invitation, User
from core.audit import audit_record


def invitation_link(*, user: User, host: str) -> str:
    key = f"{user_pk_to_url_str(user)}-{default_token_generator.make_token(user)}"
    scheme = "https" if settings.SESSION_COOKIE_SECURE else "http"
    port = getattr(settings, "SUKOWATI_PUBLIC_PORT", None)
    # A host taken from a request may carry its port already.
    suffix = f":{port}" if port and ":" not in host else ""
    return f"{scheme}://{host}{suffix}/accounts/password/reset/key/{key}/"


def invitation_valid_days() -> int:
    return max(1, math.ceil(settings.PASSWORD_RESET_TIMEOUT / 86400))


def _open_invitations(user: User) -> Any:
    return Invitation.objects.filter(user=user, revoked_at__isnull=True, accepted_at__isnull=True)


def invitation_open(*, user: User, invited_by_email: str = "") -> Invitation:
    """The person's open invitation, created if they have none (not sent yet)."""
    with transaction.atomic():
        invitation = _open_invitations(user).select_for_update().first()
        if invitation is None:
            invitation = Invitation.objects.create(
                user=user, email=user.email, invited_by_email=invited_by_email
            )
    return invitation


def invitation_send(
    *,
    user: User,
    host: str,
    invited_by_email: str = "",
    once: bool = False,
    create: bool = True,
) -> Invitation | None:
    """Email the user an invitation. With `once`, an invitation already sent is not
    sent again (provisioning retries must not mail the admin twice). Without
    `create`, only an invitation still open is sent: one revoked or accepted
    while the email waited in the queue is not (returns None)."""
    with transaction.atomic():
        invitation = _open_invitations(user).select_for_update().first()
        if invitation is not None and once and invitation.last_sent_at is not None:
            return invitation
        if invitation is None:
            if not create:
                return None
            invitation = Invitation.objects.create(
                user=user, email=user.email, invited_by_email=invited_by_email
            )
        # Recorded before sending: a crash between the two loses one email, which
        # can be resent, rather than sending it twice.
        invitation.last_sent_at = timezone.now()
        invitation.sent_count += 1
        invitation.save(update_fields=["last_sent_at", "sent_count"])
    tenant = getattr(connection, "tenant", None)
    # The regency's language: Indonesian unless the regency says otherwise.
    language = getattr(tenant, "language", "") or settings.LANGUAGE_CODE
    context = {
        "user": user,
        "link": invitation_link(user=user, host=host),
        "regency": getattr(tenant, "name", "Sukowati"),
        "days": invitation_valid_days(),
        "invited_by": invitation.invited_by_email,
    }
    with translation.override(language):
        subject = render_to_string("accounts/email/invitation_subject.txt", context).strip()
        message = render_to_string("accounts/email/invitation_message.txt", context)
    send_mail(subject=subject, message=message, from_email=None, recipient_list=[user.email])
    return invitation


def invitation_revoke(*, user: User) -> int:
    """Revoke the person's open invitations and kill every link already sent;
    returns how many were open. Only for someone who has not set a password
    (the caller checks): rotating a real password would lock them out."""
    with transaction.atomic():
        revoked = _open_invitations(user).update(revoked_at=timezone.now())
        # A new random unusable hash: the reset key is derived from the hash, so
        # the old links no longer match.
        user.set_unusable_password()
        user.save(update_fields=["password"])
    return revoked


def invitation_refused(user: User) -> bool:
    """Whether the person's invitation was revoked and nothing was offered since:
    no open invitation and none accepted."""
    counts = Invitation.objects.filter(user=user).aggregate(
        revoked=Count("pk", filter=Q(revoked_at__isnull=False)),
        live=Count("pk", filter=Q(revoked_at__isnull=True)),
    )
    return bool(counts["revoked"]) and not counts["live"]


def invitation_accept(*, user: User, request: HttpRequest | None = None) -> int:
    """Mark the person's open invitations accepted: they just set a password
    through a link. Returns how many."""
    with transaction.atomic():
        accepted = _open_invitations(user).update(accepted_at=timezone.now())
        if accepted:
            audit_record(
                action="invitation.accepted",
                actor_email=user.email,
                actor_name=user.get_full_name(),
                target=user.email,
                request=request,
            )
    return accepted
