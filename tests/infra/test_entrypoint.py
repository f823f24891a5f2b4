"""The container entrypoint (infra/entrypoint.py): arguments, waiting for the
database, migrating once across replicas, and the processes it execs."""

import json
import os
import re
import socket
import subprocess
import sys
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import quote

import psycopg
import pytest
from django.core.exceptions import ImproperlyConfigured
from psycopg.conninfo import make_conninfo

from infra import entrypoint
from infra.entrypoint import StartupError

ROOT = Path(__file__).resolve().parents[2]


def closed_port() -> int:
    """A local port nothing listens on (bound once, then released)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def flag(argv: list[str], name: str) -> str:
    return argv[argv.index(name) + 1]


# --- arguments ------------------------------------------------------------------------


@pytest.mark.parametrize("command", ["web", "worker", "beat", "migrate", "healthcheck"])
def test_each_process_is_a_subcommand(command):
    assert entrypoint.parse_args([command]).command == command


def test_manage_passes_everything_after_it_to_manage_py():
    args = entrypoint.parse_args(["manage", "tenant_provision", "--slug", "maros"])
    assert args.command == "manage"
    assert entrypoint.manage_argv(args.arguments)[1:] == [
        str(ROOT / "manage.py"),
        "tenant_provision",
        "--slug",
        "maros",
    ]


@pytest.mark.parametrize("argv", [[], ["serve"], ["web", "--extra"]])
def test_an_unknown_or_missing_command_is_refused(argv):
    with pytest.raises(SystemExit) as exit_:
        entrypoint.parse_args(argv)
    assert exit_.value.code == 2


# --- DATABASE_URL and waiting for it ---------------------------------------------------


def test_a_container_without_database_url_is_told_to_set_it(monkeypatch):
    monkeypatch.delenv("DATABASE_URL", raising=False)
    with pytest.raises(StartupError, match="DATABASE_URL is not set"):
        entrypoint.database_url()


def test_a_database_url_of_another_kind_is_refused_by_name(monkeypatch):
    monkeypatch.setenv("DATABASE_URL", "mysql://db/sukowati")
    with pytest.raises(ImproperlyConfigured, match="DATABASE_URL"):
        entrypoint.database_url()


def test_the_pgsql_scheme_is_handed_to_libpq_as_postgresql(monkeypatch):
    monkeypatch.setenv("DATABASE_URL", "pgsql://app:secret@db.internal:6432/sukowati")
    assert entrypoint.database_url() == "postgresql://app:secret@db.internal:6432/sukowati"


@pytest.mark.parametrize(
    ("url", "host"),
    [
        ("postgresql://app:secret@db.internal/sukowati", "db.internal:5432"),
        ("postgresql://app:secret@10.0.3.7:6432/sukowati", "10.0.3.7:6432"),
        ("postgresql://app@/sukowati?host=/run/postgresql", "/run/postgresql:5432"),
    ],
)
def test_messages_name_the_database_host_and_never_the_password(url, host):
    assert entrypoint.database_host(url) == host


def test_an_unreachable_database_fails_after_the_attempts_naming_its_host():
    port = closed_port()
    url = f"postgresql://app:secret@127.0.0.1:{port}/sukowati"
    waited: list[float] = []
    logged: list[str] = []
    with pytest.raises(StartupError) as failure:
        entrypoint.wait_for_database(
            url, attempts=3, interval=0.5, sleep=waited.append, log=logged.append
        )
    message = str(failure.value)
    assert f"127.0.0.1:{port}" in message
    assert "DATABASE_URL" in message
    assert "3 attempts" in message
    assert "secret" not in message
    assert waited == [0.5, 0.5]  # between attempts, not after the last
    assert len(logged) == 3 and all(f"127.0.0.1:{port}" in line for line in logged)


def test_a_database_that_comes_up_while_waiting_is_used():
    attempts: list[str] = []

    class Connection:
        def close(self) -> None:
            pass

    def connect(url: str) -> Any:
        attempts.append(url)
        if len(attempts) < 3:
            raise psycopg.OperationalError("the database system is starting up")
        return Connection()

    entrypoint.wait_for_database(
        "postgresql://db/sukowati",
        attempts=5,
        interval=1,
        connect=connect,
        sleep=lambda _: None,
        log=lambda _: None,
    )
    assert len(attempts) == 3


# --- migrating once -------------------------------------------------------------------


@pytest.fixture
def test_database(db: None) -> str:
    """libpq connection string of the test database: the advisory lock is taken
    on connections of the entrypoint's own, as in a container. (`db` makes
    pytest-django create the test database; an advisory lock is per database.)"""
    from django.db import connection

    settings = connection.settings_dict
    assert str(settings["NAME"]).startswith("test_")
    return make_conninfo(
        host=settings["HOST"] or None,
        port=str(settings["PORT"]) if settings["PORT"] else None,
        dbname=settings["NAME"],
        user=settings["USER"] or None,
        password=settings["PASSWORD"] or None,
    )


def test_replicas_starting_together_migrate_exactly_once(test_database):
    applied: list[str] = []
    second_is_waiting = threading.Event()
    first_is_migrating = threading.Event()
    results: dict[str, bool] = {}
    logs: dict[str, list[str]] = {"first": [], "second": []}
    errors: list[BaseException] = []

    def migrate() -> None:
        first_is_migrating.set()
        # Keep the lock until the other replica is blocked on it, so the two
        # really overlap.
        if not second_is_waiting.wait(timeout=60):
            raise AssertionError("the second replica never waited for the lock")
        applied.append("0042_new_field")

    def replica(name: str) -> None:
        def log(line: str) -> None:
            logs[name].append(line)
            if "another container is migrating" in line:
                second_is_waiting.set()

        try:
            results[name] = entrypoint.migrate_once(
                test_database,
                pending=lambda: not applied,
                migrate=migrate,
                lock_wait_seconds=60,
                log=log,
            )
        except BaseException as error:
            errors.append(error)

    first = threading.Thread(target=replica, args=("first",))
    first.start()
    assert first_is_migrating.wait(timeout=60)
    second = threading.Thread(target=replica, args=("second",))
    second.start()
    first.join(timeout=60)
    second.join(timeout=60)

    assert errors == []
    assert applied == ["0042_new_field"]
    assert results == {"first": True, "second": False}
    assert "migrations: nothing to do" in logs["second"]


def test_a_failed_migration_releases_the_lock_for_the_next_container(test_database):
    def broken() -> None:
        raise StartupError("`fleet_migrate` failed (exit 1).")

    with pytest.raises(StartupError):
        entrypoint.migrate_once(
            test_database,
            pending=lambda: True,
            migrate=broken,
            lock_wait_seconds=5,
            log=lambda _: None,
        )
    logged: list[str] = []
    ran: list[bool] = []
    assert entrypoint.migrate_once(
        test_database,
        pending=lambda: True,
        migrate=lambda: ran.append(True),
        lock_wait_seconds=5,
        log=logged.append,
    )
    assert ran == [True]
    assert not any("another container" in line for line in logged)


def test_waiting_for_another_containers_migrations_is_bounded(test_database):
    with psycopg.connect(test_database, autocommit=True) as holder:
        holder.execute("SELECT pg_advisory_lock(%s)", [entrypoint.MIGRATION_LOCK_KEY])
        ran: list[bool] = []
        with pytest.raises(StartupError, match="MIGRATE_LOCK_WAIT_SECONDS"):
            entrypoint.migrate_once(
                test_database,
                pending=lambda: True,
                migrate=lambda: ran.append(True),
                lock_wait_seconds=1,
                log=lambda _: None,
            )
        assert ran == []


def test_nothing_pending_runs_no_migration(test_database):
    ran: list[bool] = []
    migrated = entrypoint.migrate_once(
        test_database,
        pending=lambda: False,
        migrate=lambda: ran.append(True),
        lock_wait_seconds=5,
        log=lambda _: None,
    )
    assert (migrated, ran) == (False, [])


def _database_url(settings: dict[str, Any], name: str) -> str:
    user = quote(str(settings["USER"] or "postgres"))
    host = str(settings["HOST"] or "127.0.0.1")
    if host.startswith("/"):  # the embedded server's socket folder
        return f"postgresql://{user}@/{name}?host={quote(host)}"
    password = f":{quote(str(settings['PASSWORD']))}" if settings["PASSWORD"] else ""
    return f"postgresql://{user}{password}@{host}:{settings['PORT'] or 5432}/{name}"


@pytest.fixture
def empty_database(test_database: str) -> Iterator[str]:
    """A database of its own, as a first deployment finds it: nothing migrated."""
    from django.db import connection

    name = f"{connection.settings_dict['NAME']}_empty"
    with psycopg.connect(test_database, autocommit=True) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}"')
        admin.execute(f'CREATE DATABASE "{name}"')
    yield _database_url(connection.settings_dict, name)
    with psycopg.connect(test_database, autocommit=True) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def run_entrypoint(
    *arguments: str, env: dict[str, str], cwd: Path
) -> "subprocess.CompletedProcess[str]":
    return subprocess.run(
        [sys.executable, str(ROOT / "infra" / "entrypoint.py"), *arguments],
        env=env,
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=600,
    )


def test_migrate_on_a_new_database_migrates_and_a_second_run_finds_nothing_to_do(
    empty_database, tmp_path
):
    env = {key: value for key, value in os.environ.items() if key != "DJANGO_SETTINGS_MODULE"}
    env.update(
        DATABASE_URL=empty_database,
        SUKOWATI_ENV="development",
        SUKOWATI_VAR_DIR=str(tmp_path / "var"),
        DATABASE_WAIT_ATTEMPTS="1",
    )
    first = run_entrypoint("migrate", env=env, cwd=tmp_path)
    assert first.returncode == 0, first.stdout + first.stderr
    assert "migrations: done" in first.stderr, first.stderr

    second = run_entrypoint("migrate", env=env, cwd=tmp_path)
    assert second.returncode == 0, second.stdout + second.stderr
    assert "migrations: nothing to do" in second.stderr
    assert "migrations: running" not in second.stderr


def test_migrations_are_make_migrate_public_first_then_the_fleet():
    commands = entrypoint.migrate_commands({"FLEET_MIGRATE_PROCESSES": "4"})
    assert [command[2:] for command in commands] == [
        ["migrate_schemas", "--shared", "--noinput"],
        ["fleet_migrate", "--processes", "4"],
    ]
    assert all(command[1] == str(ROOT / "manage.py") for command in commands)


# --- what gets exec'd -----------------------------------------------------------------


def test_web_is_gunicorn_sized_from_the_environment():
    argv = entrypoint.web_argv({"WEB_CONCURRENCY": "5", "GUNICORN_THREADS": "8", "PORT": "9000"})
    assert argv[:4] == [sys.executable, "-m", "gunicorn", "config.wsgi:application"]
    assert flag(argv, "--bind") == "0.0.0.0:9000"
    assert flag(argv, "--workers") == "5"
    assert flag(argv, "--threads") == "8"
    assert flag(argv, "--access-logfile") == "-"
    assert flag(argv, "--forwarded-allow-ips") == "*"


def test_web_defaults_serve_port_8000_with_two_workers():
    argv = entrypoint.web_argv({})
    assert flag(argv, "--bind") == "0.0.0.0:8000"
    assert flag(argv, "--workers") == "2"
    # Outlives the load balancer's 60 s idle timeout.
    assert int(flag(argv, "--keep-alive")) > 60


def test_the_proxy_addresses_gunicorn_trusts_are_configurable():
    argv = entrypoint.web_argv({"FORWARDED_ALLOW_IPS": "10.0.0.0/8"})
    assert flag(argv, "--forwarded-allow-ips") == "10.0.0.0/8"


@pytest.mark.parametrize(("name", "value"), [("WEB_CONCURRENCY", "many"), ("PORT", "0")])
def test_a_malformed_size_stops_start_up_naming_the_variable(name, value):
    with pytest.raises(StartupError, match=name):
        entrypoint.web_argv({name: value})


def test_worker_is_a_celery_worker_of_the_config_app():
    argv = entrypoint.worker_argv({"CELERY_CONCURRENCY": "3", "LOG_LEVEL": "WARNING"})
    assert argv == [
        sys.executable,
        "-m",
        "celery",
        "-A",
        "config",
        "worker",
        "--loglevel",
        "WARNING",
        "--concurrency",
        "3",
    ]


def test_beat_keeps_its_schedule_in_the_writable_var_dir():
    argv = entrypoint.beat_argv({"SUKOWATI_VAR_DIR": "/app/var"})
    assert argv[3:6] == ["-A", "config", "beat"]
    assert flag(argv, "--schedule") == "/app/var/celerybeat-schedule"


def test_children_can_import_the_project_and_platform_apps():
    env = entrypoint.process_environment({"PYTHONPATH": "/opt/extra"})
    assert env["PYTHONPATH"].split(os.pathsep) == [
        str(ROOT),
        str(ROOT / "platform"),
        "/opt/extra",
    ]
    assert env["DJANGO_SETTINGS_MODULE"] == "config.settings"
    assert env["PYTHONUNBUFFERED"] == "1"


class Execed(Exception):
    pass


@pytest.fixture
def start_up(monkeypatch) -> Iterator[list[tuple[str, Any]]]:
    """main() with the database and exec replaced by recorders, in order."""
    steps: list[tuple[str, Any]] = []
    monkeypatch.setenv("DATABASE_URL", "postgresql://app@db.internal/sukowati")
    monkeypatch.delenv("MIGRATE_ON_START", raising=False)
    monkeypatch.setattr(
        entrypoint, "wait_for_database", lambda url, **_: steps.append(("wait", url))
    )
    monkeypatch.setattr(entrypoint, "migrate_once", lambda url, **_: steps.append(("migrate", url)))

    def exec_process(argv: list[str], env: dict[str, str]) -> None:
        steps.append(("exec", argv))
        raise Execed

    monkeypatch.setattr(entrypoint, "exec_process", exec_process)
    yield steps


def test_web_waits_for_the_database_then_execs_gunicorn(start_up):
    with pytest.raises(Execed):
        entrypoint.main(["web"])
    assert [step for step, _ in start_up] == ["wait", "exec"]
    assert start_up[0][1] == "postgresql://app@db.internal/sukowati"
    assert start_up[-1][1][2:4] == ["gunicorn", "config.wsgi:application"]


def test_with_migrate_on_start_web_migrates_before_serving(start_up, monkeypatch):
    monkeypatch.setenv("MIGRATE_ON_START", "1")
    with pytest.raises(Execed):
        entrypoint.main(["web"])
    assert [step for step, _ in start_up] == ["wait", "migrate", "exec"]


def test_beat_never_migrates(start_up, monkeypatch):
    monkeypatch.setenv("MIGRATE_ON_START", "1")
    with pytest.raises(Execed):
        entrypoint.main(["beat"])
    assert [step for step, _ in start_up] == ["wait", "exec"]


def test_migrate_migrates_and_exits_without_starting_anything(start_up):
    assert entrypoint.main(["migrate"]) == 0
    assert [step for step, _ in start_up] == ["wait", "migrate"]


def test_a_failed_start_exits_1_with_the_reason(start_up, monkeypatch, capsys):
    monkeypatch.delenv("DATABASE_URL")
    assert entrypoint.main(["worker"]) == 1
    assert start_up == []
    assert "cannot start worker: DATABASE_URL is not set" in capsys.readouterr().err


# --- health check and static files ----------------------------------------------------


@pytest.fixture
def liveness_server() -> Iterator[dict[str, Any]]:
    state: dict[str, Any] = {"status": 200}

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            state["path"] = self.path
            self.send_response(state["status"])
            self.end_headers()
            self.wfile.write(b'{"status": "ok"}')

        def log_message(self, *args: Any) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    state["port"] = str(server.server_address[1])
    yield state
    server.shutdown()
    server.server_close()


def test_healthcheck_passes_when_healthz_answers_200(liveness_server):
    assert entrypoint.healthcheck({"PORT": liveness_server["port"]}) == 0
    assert liveness_server["path"] == "/healthz"


def test_healthcheck_fails_on_an_error_status(liveness_server):
    liveness_server["status"] = 503
    assert entrypoint.healthcheck({"PORT": liveness_server["port"]}) == 1


def test_healthcheck_fails_when_nothing_listens():
    assert entrypoint.healthcheck({"PORT": str(closed_port())}, timeout=2) == 1


def test_the_images_collectstatic_step_needs_no_database(tmp_path):
    """Runs the Dockerfile's build step with the very variables it sets there,
    whose database and broker do not exist, and gets the hashed manifest."""
    dockerfile = (ROOT / "infra" / "Dockerfile").read_text().replace("\\\n", " ")
    step = next(
        line for line in dockerfile.splitlines() if "collectstatic" in line and "RUN" in line
    )
    build_env = dict(re.findall(r"\b([A-Z_]+)=(\S+)", step.split("python infra/entrypoint.py")[0]))
    assert {"DATABASE_URL", "DJANGO_SECRET_KEY"} <= build_env.keys()
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in {"DATABASE_URL", "REDIS_URL", "DJANGO_SETTINGS_MODULE"}
    }
    env.update(build_env)
    env.update(SUKOWATI_VAR_DIR=str(tmp_path / "var"), DJANGO_STATIC_ROOT=str(tmp_path / "static"))
    env["DATABASE_URL"] = f"postgresql://build@127.0.0.1:{closed_port()}/never-connected"

    result = subprocess.run(
        [sys.executable, str(ROOT / "infra" / "entrypoint.py"), "collectstatic"],
        env=env,
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr
    manifest = json.loads((tmp_path / "static" / "staticfiles.json").read_text())
    assert manifest["paths"], "no static file was collected"
    hashed = next(iter(manifest["paths"].values()))
    assert (tmp_path / "static" / hashed).is_file()
