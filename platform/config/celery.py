"""The Celery application. Tasks carry the schema they were queued in
(tenant-schemas-celery) and run there."""

import os
from typing import Any

from celery.signals import setup_logging
from tenant_schemas_celery.app import CeleryApp

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

app = CeleryApp("sukowati")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


@setup_logging.connect
def _keep_django_logging(**kwargs: Any) -> None:
    """Workers log through Django's LOGGING (JSON in production, with the task's
    schema) instead of Celery replacing the root logger's handlers."""
