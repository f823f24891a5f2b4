"""`make run` without starting it: the processes it would run, the environment they
get, the banner, and the checks that make a second run fast or fail clearly."""

import os
import shlex
import socket
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.core.management import CommandError, call_command
from django.db import connection
from django.db.migrations.recorder import MigrationRecorder

from core.db import tenant_connection
from core.launcher import (
    migrations_pending,
    port_is_free,
    stack_banner,
    stack_environment,
    stack_port,
    stack_processes,
)

ROOT = Path(__file__).resolve().parents[2]
PYTHON = "/opt/my checkout/.venv/bin/python"
SCHEDULE = Path("/opt/my checkout/var/celerybeat-schedule")


def _processes(port: int = 8123) -> dict[str, list[str]]:
    processes = stack_processes(python=PYTHON, port=port, beat_schedule=SCHEDULE)
    return {p.name: list(p.argv) for p in processes}


def _option(argv: list[str], flag: str) -> str:
    return argv[argv.index(flag) + 1]


def test_stack_is_web_worker_and_beat():
    assert list(_processes()) == ["web", "worker", "beat"]


def test_web_serves_the_wsgi_app_on_every_interface_at_the_port():
    web = _processes(port=8123)["web"]
    assert web[:4] == [PYTHON, "-m", "gunicorn", "config.wsgi:application"]
    assert _option(web, "--bind") == "0.0.0.0:8123"
    assert int(_option(web, "--workers")) >= 2
    assert int(_option(web, "--threads")) >= 2


def test_worker_and_beat_run_the_config_celery_app():
    processes = _processes()
    assert processes["worker"][:6] == [PYTHON, "-m", "celery", "-A", "config", "worker"]
    assert processes["beat"][:6] == [PYTHON, "-m", "celery", "-A", "config", "beat"]
    assert _option(processes["beat"], "--schedule") == str(SCHEDULE)


def test_command_lines_survive_the_shell_with_spaces_in_the_checkout_path():
    for process in stack_processes(python=PYTHON, port=8000, beat_schedule=SCHEDULE):
        assert shlex.split(process.command) == list(process.argv)


def test_children_find_platform_and_top_level_packages_from_any_directory(tmp_path):
    env = stack_environment(
        {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}, root=ROOT, database_url=None
    )
    code = (
        "import config.wsgi, tenants.routing, platform;"
        "assert platform.system(); print(config.wsgi.application.__class__.__name__)"
    )
    result = subprocess.run(
        [sys.executable, "-c", code],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "WSGIHandler"


def test_environment_puts_the_source_roots_before_an_existing_pythonpath():
    env = stack_environment({"PYTHONPATH": "/elsewhere"}, root=Path("/app"), database_url=None)
    assert env["PYTHONPATH"].split(os.pathsep) == ["/app", "/app/platform", "/elsewhere"]
    assert env["DJANGO_SETTINGS_MODULE"] == "config.settings"
    assert env["PYTHONUNBUFFERED"] == "1"


def test_children_get_the_embedded_database_url_when_none_was_set():
    env = stack_environment({}, root=Path("/app"), database_url="postgresql://embedded/x")
    assert env["DATABASE_URL"] == "postgresql://embedded/x"


def test_a_configured_database_url_is_never_replaced():
    env = stack_environment(
        {"DATABASE_URL": "postgresql://prod/x"},
        root=Path("/app"),
        database_url="postgresql://embedded/x",
    )
    assert env["DATABASE_URL"] == "postgresql://prod/x"


def test_port_comes_from_sukowati_port_else_8000(monkeypatch):
    monkeypatch.delenv("SUKOWATI_PORT", raising=False)
    assert stack_port() == 8000
    monkeypatch.setenv("SUKOWATI_PORT", "8100")
    assert stack_port() == 8100


def test_malformed_port_names_the_variable(monkeypatch):
    monkeypatch.setenv("SUKOWATI_PORT", "eighty")
    with pytest.raises(ImproperlyConfigured, match="SUKOWATI_PORT"):
        stack_port()


def test_banner_lists_console_and_each_regency_with_its_account_and_password():
    banner = stack_banner(port=8123)
    for url in (
        "http://localhost:8123/",
        "http://lebak.localhost:8123/",
        "http://balangan.localhost:8123/",
        "http://dumai.localhost:8123/",
    ):
        assert url in banner
    for email in (
        "engineer@sukowati.test",
        "keuangan@sukowati.test",
        "admin@lebak.test",
        "admin@balangan.test",
        "admin@dumai.test",
    ):
        assert email in banner
    assert "Sukowati-demo-2026" in banner
    assert "Ctrl-C" in banner


def test_banner_leaves_out_the_default_http_port():
    assert "http://lebak.localhost/" in stack_banner(port=80)


@pytest.fixture
def listener() -> Iterator[socket.socket]:
    """A server socket on a free loopback port, like another `make run`."""
    with socket.socket() as server:
        server.bind(("127.0.0.1", 0))
        server.listen()
        yield server


def test_busy_port_is_reported_and_a_released_one_is_free(listener):
    port = listener.getsockname()[1]
    assert not port_is_free(port)
    listener.close()
    assert port_is_free(port)


def test_run_stack_refuses_a_busy_port_before_touching_anything(listener):
    with pytest.raises(CommandError, match="SUKOWATI_PORT"):
        call_command("run_stack", port=listener.getsockname()[1])


def test_no_migration_is_pending_after_the_suite_database_was_migrated(db):
    assert migrations_pending() is False


def test_a_migration_missing_in_one_regency_counts_as_pending(regencies):
    tenant_connection().set_schema("dumai", include_public=False)
    recorder = MigrationRecorder(connection)
    latest = recorder.migration_qs.filter(app="accounts").order_by("-id").first()
    assert latest is not None
    latest.delete()
    tenant_connection().set_schema_to_public()
    assert migrations_pending() is True
