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


class AuditEvent(models.Model):
    """An append-only record of who did what.

    Lives in every schema: the public schema records engineers' and finance staff's
    actions, each regency's schema what happens there. The database refuses UPDATE
    and DELETE on this table (see migration 0002), whatever the application does."""

    actor_email = models.EmailField(blank=True)
    actor_name = models.CharField(max_length=150, blank=True)
    action = models.CharField(max_length=80, db_index=True)
    target = models.CharField(max_length=200, blank=True)
    detail = models.JSONField(default=dict, blank=True)
    ip_address = models.GenericIPAddressField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("audit event")

    def __str__(self) -> str:
        return f"{self.created_at:%Y-%m-%d %H:%M} {self.actor_email} {self.action} {self.target}"


class Holiday(models.Model):
    """A day off in this schema's calendar: a regency's holidays in its schema
    (national holidays, cuti bersama and its own), used by working-day deadlines."""

    date = models.DateField(unique=True)
    name = models.CharField(max_length=150)

    class Meta:
        ordering = ["date"]

    def __str__(self) -> str:
        return f"{self.date} {self.name}"
