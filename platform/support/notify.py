"""Queueing the support desk's tasks.

Support's data and the engineers it emails live in the public schema, so its
tasks are queued for `public` whatever schema the caller is in (a regency's
request, the console, the inbound-mail endpoint): tenant-schemas-celery runs a
task in the schema named in its headers. The task never switches schema.

Publishing happens once the transaction commits. An email is a notification of
something already saved and visible on both sides: a broker that cannot be
reached is logged, and the request that saved the ticket still succeeds."""

import logging
from typing import Any

from celery import Task
from django.db import transaction
from django_tenants.utils import get_public_schema_name

logger = logging.getLogger(__name__)


def queue_public(task: Task, *args: Any) -> None:
    def publish() -> None:
        try:
            task.apply_async(args=args, headers={"_schema_name": get_public_schema_name()})
        except Exception:
            logger.exception("Could not queue %s%r", task.name, args)

    transaction.on_commit(publish)
