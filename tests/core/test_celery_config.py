"""Celery never drops a task silently: tasks are acknowledged after they ran,
handed back when a worker dies, and a publish that cannot reach the broker fails
in the caller. Tasks are found where the beat schedule says they are."""

import socket
from collections.abc import Iterator

import pytest
from kombu.exceptions import OperationalError
from tenant_schemas_celery.app import CeleryApp

from config.celery import app


@pytest.fixture
def closed_port() -> Iterator[int]:
    """A local port nothing listens on: bound, so no one else takes it, never listening."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as holder:
        holder.bind(("127.0.0.1", 0))
        yield holder.getsockname()[1]


def test_publishing_to_an_unreachable_broker_raises_instead_of_dropping_the_task(closed_port):
    unreachable = CeleryApp("unreachable", set_as_current=False)
    unreachable.config_from_object("django.conf:settings", namespace="CELERY")
    unreachable.conf.update(
        broker_url=f"redis://127.0.0.1:{closed_port}/0", broker_transport_options={}
    )

    with pytest.raises(OperationalError):
        unreachable.send_task("core.tasks.worker_heartbeat_task")


def test_publish_retries_are_bounded_so_the_caller_hears_of_the_failure():
    assert app.conf.task_publish_retry is True
    assert app.conf.task_publish_retry_policy["max_retries"] is not None
    assert app.conf.broker_connection_timeout is not None


def test_tasks_are_acknowledged_after_they_ran_and_requeued_when_the_worker_is_lost():
    assert app.conf.task_acks_late is True
    assert app.conf.task_reject_on_worker_lost is True
    assert app.conf.task_always_eager is False


def test_beat_schedule_names_only_registered_tasks():
    app.loader.import_default_modules()
    scheduled = {entry["task"] for entry in app.conf.beat_schedule.values()}

    assert scheduled
    assert scheduled <= set(app.tasks)


def test_tasks_are_tenant_aware():
    from tenant_schemas_celery.task import TenantTask

    assert isinstance(app.tasks["core.tasks.worker_heartbeat_task"], TenantTask)
    assert isinstance(app.tasks["tenants.tasks.worker_heartbeat_fanout_task"], TenantTask)
