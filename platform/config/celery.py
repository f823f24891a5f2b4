"""The Celery application. Tasks carry the schema they were queued in
(tenant-schemas-celery) and run there."""

import os

from tenant_schemas_celery.app import CeleryApp

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

app = CeleryApp("sukowati")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
