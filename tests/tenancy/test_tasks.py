"""A task runs in the schema it was queued in, on a real Celery worker: Redis
when REDIS_URL is set (as in CI), the embedded filesystem transport otherwise."""

import os
import uuid
from collections.abc import Iterator
from functools import partial

import pytest
from django.conf import settings
from django.db import connection
from django_tenants.utils import schema_context

from core.models import WorkerHeartbeat
from core.tasks import worker_heartbeat_task
from tenants.models import Tenant
from tenants.tasks import worker_heartbeat_fanout_task
from tests.workers import Worker, celery_worker, outside_test_transaction, wait_for

pytestmark = pytest.mark.worker

SCHEMAS = ("public", "lebak", "balangan", "dumai")


def heartbeat_in(schema: str) -> WorkerHeartbeat | None:
    with schema_context(schema):
        return WorkerHeartbeat.objects.first()


def _heartbeats_delete() -> None:
    quote = connection.ops.quote_name
    table = quote(WorkerHeartbeat._meta.db_table)
    with outside_test_transaction() as cursor:
        for schema in SCHEMAS:
            cursor.execute(f"DELETE FROM {quote(schema)}.{table}")


@pytest.fixture
def heartbeats(db: None) -> Iterator[None]:
    """No heartbeat rows before the test; the ones the worker committed are
    removed after it (the test's rollback does not reach them)."""
    _heartbeats_delete()
    yield
    _heartbeats_delete()


def test_worker_runs_on_redis_when_redis_url_is_set():
    expected = "redis://" if os.environ.get("REDIS_URL", "").strip() else "filesystem://"
    assert settings.CELERY_BROKER_URL.startswith(expected)


@pytest.mark.parametrize(("queued_in", "other"), [("lebak", "dumai"), ("dumai", "lebak")])
def test_task_queued_in_a_regency_runs_in_that_regencys_schema(
    celery_worker_session: Worker, heartbeats: None, queued_in: str, other: str
):
    with schema_context(queued_in):
        worker_heartbeat_task.delay()

    row = wait_for(lambda: heartbeat_in(queued_in), worker=celery_worker_session)

    assert row.schema_name == queued_in
    assert row.worker == celery_worker_session.hostname
    assert heartbeat_in(other) is None
    assert heartbeat_in("public") is None


def test_heartbeat_fanout_queues_one_task_in_each_active_regencys_schema(
    celery_worker_session: Worker, heartbeats: None
):
    active = sorted(
        Tenant.objects.filter(status=Tenant.Status.ACTIVE).values_list("schema_name", flat=True)
    )
    assert {"lebak", "balangan", "dumai"} <= set(active)

    # Beat queues the fan-out in public; run it here, its tasks go to the worker.
    queued = worker_heartbeat_fanout_task.apply().get()

    assert queued == len(active)
    for schema in active:
        row = wait_for(partial(heartbeat_in, schema), worker=celery_worker_session)
        assert row.schema_name == schema
    assert heartbeat_in("public") is None


def test_task_queued_while_no_worker_runs_is_executed_once_a_worker_starts(
    heartbeats: None, tmp_path
):
    queue = f"test-{uuid.uuid4().hex[:12]}"
    with schema_context("balangan"):
        worker_heartbeat_task.apply_async(queue=queue)
    assert heartbeat_in("balangan") is None

    with celery_worker(tmp_path, queue=queue) as worker:
        row = wait_for(lambda: heartbeat_in("balangan"), worker=worker)

    assert row.schema_name == "balangan"
    assert row.worker == worker.hostname
