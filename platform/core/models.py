from django.db import models
from django.utils.translation import gettext_lazy as _


class WorkerHeartbeat(models.Model):
    """The last time a Celery worker ran a task in this schema.

    One row per schema, written by `worker_heartbeat_task`; the console reads it to
    show that the workers reach every regency."""

    schema_name = models.CharField(max_length=63, unique=True)
    worker = models.CharField(max_length=200)
    seen_at = models.DateTimeField()

    class Meta:
        verbose_name = _("worker heartbeat")

    def __str__(self) -> str:
        return f"{self.schema_name} @ {self.seen_at:%Y-%m-%d %H:%M}"
