"""/healthz says the process is alive; /readyz whether the database, the broker
and the file storage answer. Both answer on any host, a bare IP included, since
load balancers probe by address."""

import json
import socket
from collections.abc import Iterator
from contextlib import contextmanager

import pytest
from django.db import connection
from django.test import Client

from tests.s3 import s3_bucket_create, s3_storage_options


@pytest.fixture
def closed_port() -> Iterator[int]:
    """A local port nothing listens on: bound, so no one else takes it, never listening."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as holder:
        holder.bind(("127.0.0.1", 0))
        yield holder.getsockname()[1]


@pytest.fixture
def probe_client() -> Client:
    return Client(HTTP_HOST="10.0.0.5")


@contextmanager
def database_stopped(port: int) -> Iterator[None]:
    """The default connection pointed at a port where no server listens, as if
    the database had stopped; the real settings are back afterwards."""
    saved = {key: connection.settings_dict[key] for key in ("HOST", "PORT", "OPTIONS")}
    connection.close()
    connection.settings_dict.update(
        HOST="127.0.0.1", PORT=str(port), OPTIONS={"connect_timeout": 2}
    )
    try:
        yield
    finally:
        connection.close()
        connection.settings_dict.update(saved)


def readiness(response) -> dict:
    return json.loads(response.content)


@pytest.mark.parametrize("host", ["10.0.0.5", "localhost", "lebak.localhost", "unknown.example"])
def test_healthz_answers_ok_on_any_host(client, host):
    response = client.get("/healthz", HTTP_HOST=host)

    assert response.status_code == 200
    assert json.loads(response.content) == {"status": "ok"}


@pytest.mark.django_db
def test_readyz_reports_ready_when_database_broker_and_storage_answer(probe_client):
    response = probe_client.get("/readyz")

    assert response.status_code == 200
    assert readiness(response) == {
        "status": "ready",
        "checks": {"database": "ok", "broker": "ok", "storage": "ok"},
    }


def test_readiness_reports_a_stopped_database_as_not_ready(
    probe_client, django_db_blocker, closed_port
):
    # Outside a test transaction: the connection is closed and reopened.
    with django_db_blocker.unblock(), database_stopped(closed_port):
        response = probe_client.get("/readyz")

    assert response.status_code == 503
    body = readiness(response)
    assert body["status"] == "not ready"
    assert body["checks"]["database"] == "failing"
    assert body["checks"]["broker"] == "ok"


@pytest.mark.django_db
def test_readiness_reports_an_unreachable_broker_as_not_ready(probe_client, settings, closed_port):
    settings.CELERY_BROKER_URL = f"redis://127.0.0.1:{closed_port}/0"
    settings.CELERY_BROKER_TRANSPORT_OPTIONS = {}

    response = probe_client.get("/readyz")

    assert response.status_code == 503
    assert readiness(response)["checks"] == {
        "database": "ok",
        "broker": "failing",
        "storage": "ok",
    }


@pytest.mark.django_db
def test_readiness_reports_an_unwritable_media_folder_as_not_ready(
    probe_client, settings, tmp_path
):
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("")
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "core.storage.TenantFileSystemStorage",
            "OPTIONS": {"location": str(blocker / "media")},
        },
    }

    response = probe_client.get("/readyz")

    assert response.status_code == 503
    assert readiness(response)["checks"]["storage"] == "failing"


@pytest.mark.django_db
@pytest.mark.parametrize(("bucket_exists", "expected"), [(True, "ok"), (False, "failing")])
def test_readiness_checks_the_s3_bucket(
    probe_client, settings, s3_endpoint, bucket_exists, expected
):
    bucket = s3_bucket_create(s3_endpoint) if bucket_exists else "no-such-bucket"
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "core.storage.TenantS3Storage",
            "OPTIONS": s3_storage_options(s3_endpoint, bucket),
        },
    }

    response = probe_client.get("/readyz")

    assert readiness(response)["checks"]["storage"] == expected
