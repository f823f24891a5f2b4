"""The permit service's tasks. They run in the schema they were queued in
(tenant-schemas-celery); the daily digest is queued per regency by
`tenants.tasks.permits_digest_fanout_task`."""

from celery import shared_task

# Defined with the certificate code; imported here so that workers register it.
from modules.permits.certificates import certificate_render_task  # noqa: F401
from modules.permits.models import Application, ApplicationTransition


@shared_task(acks_late=True)
def application_submitted_email_task(application_id: int) -> bool:
    """Tell the applicant their number and tracking code."""
    from modules.permits.notifications import application_submitted_email

    application = Application.objects.select_related("service").filter(pk=application_id).first()
    return application is not None and application_submitted_email(application)


@shared_task(acks_late=True)
def application_email_task(transition_id: int) -> bool:
    """Tell the applicant their application moved."""
    from modules.permits.notifications import application_status_email

    transition = (
        ApplicationTransition.objects.select_related("application__service")
        .filter(pk=transition_id)
        .first()
    )
    return transition is not None and application_status_email(transition)


@shared_task(acks_late=True)
def overdue_digest_task() -> int:
    """Email each handling officer their overdue and nearly due items (at most once
    a day per person, so a redelivered task sends nothing twice). Returns how many
    emails were sent."""
    from modules.permits.digest import digest_send

    return digest_send()
