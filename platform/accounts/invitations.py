"""Invitations: an email with a link to set a password. The link is allauth's
password-reset key, so it expires with PASSWORD_RESET_TIMEOUT and dies once used."""

from allauth.account.forms import default_token_generator
from allauth.account.utils import user_pk_to_url_str
from django.conf import settings
from django.core.mail import send_mail
from django.db import connection, transaction
from django.template.loader import render_to_string
from django.utils import timezone

from accounts.models import Invitation, User


def invitation_link(*, user: User, host: str) -> str:
    key = f"{user_pk_to_url_str(user)}-{default_token_generator.make_token(user)}"
    scheme = "https" if settings.SESSION_COOKIE_SECURE else "http"
    port = getattr(settings, "SUKOWATI_PUBLIC_PORT", None)
    suffix = f":{port}" if port else ""
    return f"{scheme}://{host}{suffix}/accounts/password/reset/key/{key}/"


def invitation_send(
    *, user: User, host: str, invited_by_email: str = "", once: bool = False
) -> Invitation:
    """Email the user an invitation. With `once`, an invitation already sent is not
    sent again (provisioning retries must not mail the admin twice)."""
    with transaction.atomic():
        invitation = (
            Invitation.objects.select_for_update()
            .filter(user=user, revoked_at__isnull=True, accepted_at__isnull=True)
            .first()
        )
        if invitation is not None and once and invitation.last_sent_at is not None:
            return invitation
        if invitation is None:
            invitation = Invitation.objects.create(
                user=user, email=user.email, invited_by_email=invited_by_email
            )
        # Recorded before sending: a crash between the two loses one email, which
        # can be resent, rather than sending it twice.
        invitation.last_sent_at = timezone.now()
        invitation.sent_count += 1
        invitation.save(update_fields=["last_sent_at", "sent_count"])
    tenant = getattr(connection, "tenant", None)
    context = {
        "user": user,
        "link": invitation_link(user=user, host=host),
        "regency": getattr(tenant, "name", "Sukowati"),
    }
    send_mail(
        subject=render_to_string("accounts/email/invitation_subject.txt", context).strip(),
        message=render_to_string("accounts/email/invitation_message.txt", context),
        from_email=None,
        recipient_list=[user.email],
    )
    return invitation
