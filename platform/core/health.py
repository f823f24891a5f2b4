"""Liveness and readiness, as JSON, for load balancers and operators.

Both answer before any host check (tenants.middleware), in the public schema, so
a load balancer can probe by IP address. `/healthz` says the process serves
requests; `/readyz` says whether it can do useful work: the database, the broker
and the file storage answer. A failing check is named in the answer and logged
with its error; the error itself is not shown, since anyone can call these."""

import logging
import os
from collections.abc import Callable
from pathlib import Path

from django.conf import settings
from django.core.files.storage import FileSystemStorage, storages
from django.db import connection
from django.http import HttpRequest, JsonResponse
from kombu import Connection
from storages.backends.s3 import S3Storage

logger = logging.getLogger(__name__)

# A probe must answer well within a load balancer's timeout (typically 5-10 s).
BROKER_TIMEOUT_SECONDS = 2


def healthz(request: HttpRequest) -> JsonResponse:
    return JsonResponse({"status": "ok"})


def readyz(request: HttpRequest) -> JsonResponse:
    results = {name: _passes(name, check) for name, check in READINESS_CHECKS.items()}
    ready = all(results.values())
    return JsonResponse(
        {
            "status": "ready" if ready else "not ready",
            "checks": {name: "ok" if ok else "failing" for name, ok in results.items()},
        },
        status=200 if ready else 503,
    )


def _passes(name: str, check: Callable[[], None]) -> bool:
    try:
        check()
    except Exception:
        logger.exception("Readiness check %r failed", name)
        return False
    return True


def database_check() -> None:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")


def broker_check() -> None:
    """Connect to the broker Celery publishes to, giving up within seconds."""
    url = settings.CELERY_BROKER_URL
    options = dict(settings.CELERY_BROKER_TRANSPORT_OPTIONS)
    with Connection(
        url, transport_options=options, connect_timeout=BROKER_TIMEOUT_SECONDS
    ) as broker:
        broker.ensure_connection(
            max_retries=1, interval_start=0, interval_step=0, timeout=BROKER_TIMEOUT_SECONDS
        )
    if url.startswith("filesystem://"):
        # The embedded transport "connects" without touching the disk: what can
        # fail is writing a message into its folder.
        _writable_folder(Path(str(options["data_folder_out"])))


def storage_check() -> None:
    storage = storages["default"]
    if isinstance(storage, S3Storage):
        storage.connection.meta.client.head_bucket(Bucket=storage.bucket_name)
    elif isinstance(storage, FileSystemStorage):
        # The shared root, not the current schema's folder: every schema's
        # folder is created beneath it on first write.
        _writable_folder(Path(storage.base_location))
    else:
        raise TypeError(f"No readiness check for {type(storage).__name__}")


def _writable_folder(folder: Path) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    if not os.access(folder, os.W_OK | os.X_OK):
        raise PermissionError(f"{folder} is not writable")


READINESS_CHECKS: dict[str, Callable[[], None]] = {
    "database": database_check,
    "broker": broker_check,
    "storage": storage_check,
}
