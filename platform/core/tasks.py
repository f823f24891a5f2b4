"""Tasks every schema runs. They run in the schema they were queued in
(tenant-schemas-celery), so they never name one themselves."""

from celery import Task, shared_task
from django.utils import timezone

from core.db import tenant_connection
from core.models import WorkerHeartbeat


@shared_task(bind=True)
def worker_heartbeat_task(self: Task) -> None:
    """Record that a worker reached the current schema, and when."""
    WorkerHeartbeat.objects.update_or_create(
        schema_name=tenant_connection().schema_name,
        defaults={"worker": self.request.hostname or "", "seen_at": timezone.now()},
    )
