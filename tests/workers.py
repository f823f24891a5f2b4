"""A real Celery worker for tests: `celery -A config worker` as a subprocess.

It uses the broker the settings chose (Redis when REDIS_URL is set, else the
filesystem transport under var/broker, the same folder for both sides since the
environment is inherited) and the pytest test database, whose committed rows
(the demo regencies) it sees. Each worker consumes a queue of its own, so a
development worker sharing the broker, or another test run, never takes its
tasks.

Tasks write through the worker's own connection and commit, outside the test's
transaction: a test's own writes are invisible to the worker (tasks must only
write), while the test sees what the worker committed (polling with `wait_for`)
and must delete it afterwards (`outside_test_transaction`)."""

import os
import subprocess
import sys
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TypeVar
from urllib.parse import quote, urlencode

import pytest
from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, connection, connections
from django.db.backends.utils import CursorWrapper

from config.celery import app as celery_app

ROOT = Path(__file__).resolve().parents[1]
READY_TIMEOUT_SECONDS = 90.0
STOP_TIMEOUT_SECONDS = 30.0
T = TypeVar("T")


@dataclass(frozen=True)
class Worker:
    queue: str
    hostname: str
    log: Path


def session_database_url() -> str:
    """The URL of the database the test session runs against, built from the live
    connection settings after pytest-django created it (its NAME is the test
    database's). Connection OPTIONS, such as the embedded server's socket folder
    (`host`), travel as query parameters, which django-environ reads back."""
    s = connection.settings_dict
    auth = quote(s["USER"] or "", safe="")
    if s["PASSWORD"]:
        auth += ":" + quote(s["PASSWORD"], safe="")
    options = {k: v for k, v in (s.get("OPTIONS") or {}).items() if isinstance(v, str | int)}
    host = s["HOST"] or ""
    if host.startswith("/"):  # a Unix socket folder
        options["host"], host = host, ""
    port = f":{s['PORT']}" if s["PORT"] else ""
    query = f"?{urlencode(options)}" if options else ""
    return f"postgresql://{auth}@{host}{port}/{quote(s['NAME'], safe='')}{query}"


@contextmanager
def celery_worker(log_dir: Path, *, queue: str | None = None) -> Iterator[Worker]:
    """Start a worker consuming `queue` (a fresh name by default), wait until it
    is ready, and stop it (warm shutdown) on exit."""
    queue = queue or f"test-{uuid.uuid4().hex[:12]}"
    hostname = f"{queue}@localhost"
    log = log_dir / f"{queue}.log"
    env = {
        **os.environ,
        "DATABASE_URL": session_database_url(),
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "PYTHONPATH": os.pathsep.join([str(ROOT), str(ROOT / "platform")]),
        "PYTHONUNBUFFERED": "1",
    }
    command = [
        sys.executable, "-m", "celery", "-A", "config", "worker",
        "--pool=solo", "--loglevel=INFO", "-Q", queue, "-n", hostname,
        # Talking to other workers only slows start-up down.
        "--without-mingle", "--without-gossip", "--without-heartbeat",
    ]  # fmt: skip
    with log.open("wb") as output:
        process = subprocess.Popen(
            command, cwd=ROOT, env=env, stdout=output, stderr=subprocess.STDOUT
        )
    worker = Worker(queue=queue, hostname=hostname, log=log)
    try:
        _wait_until_ready(process, log)
        yield worker
    finally:
        process.terminate()
        try:
            process.wait(timeout=STOP_TIMEOUT_SECONDS)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        _queues_delete(worker)


def _queues_delete(worker: Worker) -> None:
    """Remove the worker's task queue and remote-control queue, and their
    bindings, from the broker, which keeps them otherwise. The broker forgets
    only what this connection declared, so each is declared again first."""
    with celery_app.connection_for_write() as broker:
        channel = broker.default_channel
        for queue in (
            celery_app.amqp.queues[worker.queue],
            celery_app.control.mailbox.get_queue(worker.hostname),
        ):
            bound = queue(channel)
            bound.declare()
            bound.delete()
    if settings.CELERY_BROKER_URL.startswith("filesystem://"):
        # The filesystem transport leaves each exchange's (now empty) table behind.
        control = Path(str(settings.CELERY_BROKER_TRANSPORT_OPTIONS["control_folder"]))
        (control / f"{worker.queue}.exchange").unlink(missing_ok=True)


def _wait_until_ready(process: subprocess.Popen[bytes], log: Path) -> None:
    deadline = time.monotonic() + READY_TIMEOUT_SECONDS
    while time.monotonic() < deadline:
        text = log.read_text(errors="replace")
        if " ready." in text:
            return
        if process.poll() is not None:
            raise RuntimeError(f"The Celery worker exited ({process.returncode}):\n{text}")
        time.sleep(0.2)
    raise RuntimeError(f"The Celery worker was not ready in time:\n{log.read_text()}")


@contextmanager
def default_queue(queue: str) -> Iterator[None]:
    """Tasks this process queues without naming a queue go to `queue`."""
    previous = celery_app.conf.task_default_queue
    celery_app.conf.task_default_queue = queue
    try:
        yield
    finally:
        celery_app.conf.task_default_queue = previous


def wait_for(probe: Callable[[], T | None], *, worker: Worker, timeout: float = 60.0) -> T:
    """Poll `probe` until it returns something; fail with the worker's log if
    nothing came in time (polling: the test asserts what, never how fast)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        result = probe()
        if result is not None:
            return result
        time.sleep(0.2)
    pytest.fail(f"Nothing arrived from the worker; its log:\n{worker.log.read_text()}")


@pytest.fixture(scope="session")
def celery_worker_session(
    django_db_setup: None, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Worker]:
    """One worker for the session, stopped before the test database is dropped.
    Tasks queued by the test process without a queue name go to it."""
    with celery_worker(tmp_path_factory.mktemp("celery")) as worker, default_queue(worker.queue):
        yield worker


@contextmanager
def outside_test_transaction() -> Iterator[CursorWrapper]:
    """A cursor on a connection of its own, in autocommit: what it does is
    committed at once, unlike the test's own writes, which are rolled back.
    For undoing what a worker committed."""
    separate = connections.create_connection(DEFAULT_DB_ALIAS)
    try:
        with separate.cursor() as cursor:
            yield cursor
    finally:
        separate.close()
