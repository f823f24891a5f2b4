"""Platform-side periodic jobs. Beat queues them in the public schema; a job
that concerns every regency fans out explicitly, one task per regency, each
queued inside that regency's schema so the task carries it."""

from celery import shared_task
from django_tenants.utils import tenant_context

from core.tasks import worker_heartbeat_task
from tenants.models import Tenant


@shared_task
def worker_heartbeat_fanout_task() -> int:
    """Queue a worker heartbeat in every active regency; returns how many."""
    queued = 0
    for tenant in Tenant.objects.filter(status=Tenant.Status.ACTIVE).order_by("pk"):
        with tenant_context(tenant):
            worker_heartbeat_task.delay()
        queued += 1
    return queued


@shared_task(acks_late=True)
def provisioning_run_task(run_id: int) -> str:
    """Execute (or resume) a provisioning run; redelivered if the worker dies, and
    the run's persisted steps make the second delivery pick up where it stopped."""
    from tenants.provisioning.services import provisioning_execute

    return provisioning_execute(run_id=run_id).status


@shared_task
def permits_digest_fanout_task() -> int:
    """Queue the permit service's daily digest in every active regency that uses
    the module; returns how many were queued."""
    from modules.permits.tasks import overdue_digest_task

    queued = 0
    tenants = Tenant.objects.filter(
        status=Tenant.Status.ACTIVE, entitlements__module_code="permits"
    ).order_by("pk")
    for tenant in tenants:
        with tenant_context(tenant):
            overdue_digest_task.delay()
        queued += 1
    return queued
