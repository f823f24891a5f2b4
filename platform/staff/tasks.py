"""Staff tasks. They run in the schema they were queued in (tenant-schemas-celery
carries it), so they never name one themselves."""

from celery import shared_task

from accounts.invitations import invitation_send
from accounts.models import User


@shared_task(autoretry_for=(OSError,), retry_backoff=True, max_retries=5)
def invitation_send_task(user_id: int, host: str, invited_by_email: str) -> bool:
    """Email the person's open invitation; returns whether one was sent. Nothing
    is sent to someone deactivated, or whose invitation was revoked or accepted
    while this waited in the queue. Mail-server errors (OSError, which smtplib's
    errors are) are retried."""
    user = User.objects.filter(pk=user_id, is_active=True, is_support_agent=False).first()
    if user is None or user.has_usable_password():
        return False
    sent = invitation_send(user=user, host=host, invited_by_email=invited_by_email, create=False)
    return sent is not None
