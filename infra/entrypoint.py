#!/usr/bin/env python3
"""The container image's entrypoint: `web`, `worker`, `beat` or `migrate`.

    web | worker | beat   wait for the database, migrate first when MIGRATE_ON_START
                          is on, then exec gunicorn / the Celery worker / Celery beat
    migrate               wait for the database and migrate every schema, once
    manage ARGS...        `manage.py ARGS...` (operators' one-off commands)
    healthcheck           exit 0 when this container's /healthz answers 200
    collectstatic         collect static files with the production storage (image build)

Migrations run once per release, not once per replica: whoever migrates holds a
PostgreSQL advisory lock for the whole run, and whoever gets the lock next finds
nothing pending and goes on. That holds for the compose file's one-shot `migrate`
service, for a one-off task in ECS, and for replicas started together with
MIGRATE_ON_START=1, in any mix.

Only the standard library, psycopg and config.env are imported up front; Django is
set up only by the steps that need it, and web/worker/beat exec a fresh process.
"""

import argparse
import os
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import NoReturn
from urllib.parse import parse_qs, urlsplit

ROOT = Path(__file__).resolve().parents[1]
# platform/ is a source root next to the top-level packages, not a package.
for _path in (str(ROOT / "platform"), str(ROOT)):
    if _path not in sys.path:
        sys.path.insert(0, _path)

import psycopg  # noqa: E402
from django.core.exceptions import ImproperlyConfigured  # noqa: E402

from config.env import env_bool, env_int, env_str, env_url  # noqa: E402

# Any fixed number works as long as every release uses the same one: "Suko".
MIGRATION_LOCK_KEY = 0x53756B6F
PRODUCTION_STATIC_STORAGE = "whitenoise.storage.CompressedManifestStaticFilesStorage"
PROCESS_COMMANDS = ("web", "worker", "beat")
_DATABASE_SCHEMES = ("postgres", "postgresql", "pgsql")
# Only gunicorn's worker heartbeat files go here, never anything read back.
RAM_DISK = Path("/dev/shm")  # noqa: S108

Log = Callable[[str], None]
Connect = Callable[[str], psycopg.Connection]


class StartupError(Exception):
    """Start-up cannot go on; the message tells the operator what to fix."""


def log(message: str) -> None:
    print(f"entrypoint: {message}", file=sys.stderr, flush=True)


def parse_args(argv: Sequence[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="entrypoint", description="Start one Sukowati process in the container."
    )
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    commands.add_parser("web", help="gunicorn serving config.wsgi")
    commands.add_parser("worker", help="a Celery worker")
    commands.add_parser("beat", help="Celery beat (run exactly one)")
    commands.add_parser("migrate", help="migrate public, then the fleet; once across replicas")
    manage = commands.add_parser("manage", help="manage.py with the given arguments")
    manage.add_argument("arguments", nargs=argparse.REMAINDER)
    commands.add_parser("healthcheck", help="exit 0 when /healthz answers 200")
    commands.add_parser("collectstatic", help="collect static files (image build)")
    return parser.parse_args(list(argv))


# --- the database ----------------------------------------------------------------


def database_url() -> str:
    """DATABASE_URL, in a form libpq accepts. Required: without it the settings
    would start an embedded PostgreSQL inside the container, private to it."""
    url = env_url("DATABASE_URL", schemes=_DATABASE_SCHEMES)
    if url is None:
        raise StartupError(
            "DATABASE_URL is not set. In a container it must name the PostgreSQL server, "
            "e.g. postgresql://sukowati:PASSWORD@db.internal:5432/sukowati."
        )
    scheme, rest = url.split(":", 1)
    return f"postgresql:{rest}" if scheme == "pgsql" else url


def database_host(url: str) -> str:
    """host:port of a database URL, for messages (never the password)."""
    parts = urlsplit(url)
    host = parts.hostname or parse_qs(parts.query).get("host", ["localhost"])[0]
    return f"{host}:{parts.port or 5432}"


def connect(url: str) -> psycopg.Connection:
    return psycopg.connect(url, autocommit=True, connect_timeout=5)


def wait_for_database(
    url: str,
    *,
    attempts: int,
    interval: float,
    connect: Connect = connect,
    sleep: Callable[[float], None] = time.sleep,
    log: Log = log,
) -> None:
    """Return once the database accepts a connection; after `attempts` failures,
    raise StartupError naming the host DATABASE_URL points at."""
    host = database_host(url)
    last_error = ""
    for attempt in range(1, attempts + 1):
        try:
            connect(url).close()
        except psycopg.OperationalError as error:
            last_error = " ".join(str(error).split())
            log(f"waiting for the database at {host} ({attempt}/{attempts}): {last_error}")
            if attempt < attempts:
                sleep(interval)
        else:
            return
    raise StartupError(
        f"The database at {host} (from DATABASE_URL) did not accept a connection after "
        f"{attempts} attempts {interval:g} s apart. Last error: {last_error}"
    )


def migrate_once(
    url: str,
    *,
    pending: Callable[[], bool],
    migrate: Callable[[], None],
    lock_wait_seconds: int,
    connect: Connect = connect,
    log: Log = log,
) -> bool:
    """Run `migrate` if `pending()` says so, holding the fleet's migration lock.

    The lock is a session-level advisory lock on a connection of its own, so it
    is released when this process ends, even by a crash. A caller that finds it
    taken waits (up to `lock_wait_seconds`), then asks `pending()` afresh: after
    the holder's run, normally nothing is left. Returns whether this caller
    migrated."""
    with connect(url) as lock:
        acquired = lock.execute("SELECT pg_try_advisory_lock(%s)", [MIGRATION_LOCK_KEY])
        row = acquired.fetchone()
        if not (row and row[0]):
            log("another container is migrating; waiting for it to finish")
            lock.execute(f"SET lock_timeout = '{int(lock_wait_seconds)}s'")
            try:
                lock.execute("SELECT pg_advisory_lock(%s)", [MIGRATION_LOCK_KEY])
            except psycopg.errors.LockNotAvailable:
                raise StartupError(
                    f"Another container has held the migration lock for more than "
                    f"{lock_wait_seconds} s (MIGRATE_LOCK_WAIT_SECONDS); see its logs."
                ) from None
        try:
            if not pending():
                log("migrations: nothing to do")
                return False
            log("migrations: running")
            migrate()
            log("migrations: done")
            return True
        finally:
            lock.execute("SELECT pg_advisory_unlock(%s)", [MIGRATION_LOCK_KEY])


def _django_setup() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django

    django.setup()


def migrations_pending() -> bool:
    """What `migrate_schemas --shared` and `fleet_migrate` would do, without doing
    it: public's plan is not empty, or some tenant schema lacks a tenant-app
    migration (the fleet's own definition of "nothing to do")."""
    _django_setup()
    from django.db import connection, connections
    from django.db.migrations.executor import MigrationExecutor

    try:
        executor = MigrationExecutor(connection)
        if executor.migration_plan(executor.loader.graph.leaf_nodes()):
            return True
        from tenants.fleet import fleet_migration_state

        return any(row["status"] == "pending" for row in fleet_migration_state())
    finally:
        connections.close_all()


def migrate_commands(env: Mapping[str, str]) -> list[list[str]]:
    manage = [sys.executable, str(ROOT / "manage.py")]
    processes = _int(env, "FLEET_MIGRATE_PROCESSES", default=2, minimum=1)
    return [
        [*manage, "migrate_schemas", "--shared", "--noinput"],
        [*manage, "fleet_migrate", "--processes", str(processes)],
    ]


def run_migrations() -> None:
    """`make migrate`, as child processes: public first, then the fleet."""
    for command in migrate_commands(os.environ):
        result = subprocess.run(command, cwd=ROOT, env=process_environment(os.environ))
        if result.returncode != 0:
            raise StartupError(f"`{' '.join(command[1:])}` failed (exit {result.returncode}).")


# --- the processes -----------------------------------------------------------------


def _int(env: Mapping[str, str], name: str, *, default: int, minimum: int = 0) -> int:
    """config.env's reader, against the environment the command line is built from."""
    try:
        return env_int(name, default=default, minimum=minimum, environ=env)
    except ImproperlyConfigured as error:
        raise StartupError(str(error)) from None


def _str(env: Mapping[str, str], name: str, *, default: str) -> str:
    return env_str(name, default=default, environ=env) or default


def var_dir(env: Mapping[str, str]) -> Path:
    return Path(_str(env, "SUKOWATI_VAR_DIR", default=str(ROOT / "var")))


def web_argv(env: Mapping[str, str]) -> list[str]:
    argv = [
        sys.executable,
        "-m",
        "gunicorn",
        "config.wsgi:application",
        "--bind",
        f"0.0.0.0:{_int(env, 'PORT', default=8000, minimum=1)}",
        "--workers",
        str(_int(env, "WEB_CONCURRENCY", default=2, minimum=1)),
        "--threads",
        str(_int(env, "GUNICORN_THREADS", default=4, minimum=1)),
        "--timeout",
        str(_int(env, "GUNICORN_TIMEOUT", default=30, minimum=1)),
        "--graceful-timeout",
        str(_int(env, "GUNICORN_GRACEFUL_TIMEOUT", default=25, minimum=1)),
        # Longer than the load balancer's idle timeout (60 s on an ALB): otherwise
        # gunicorn closes a connection the balancer is about to reuse, a 502.
        "--keep-alive",
        str(_int(env, "GUNICORN_KEEPALIVE", default=75, minimum=1)),
        # Only the proxy can reach this port (compose: not published; AWS: the
        # ALB's security group), so its X-Forwarded-Proto is believed.
        "--forwarded-allow-ips",
        _str(env, "FORWARDED_ALLOW_IPS", default="*"),
        "--access-logfile",
        "-",
        "--error-logfile",
        "-",
        # Import Django once in the master; workers fork from it.
        "--preload",
        # Recycle workers now and then, so a slow leak never takes a container down.
        "--max-requests",
        str(_int(env, "GUNICORN_MAX_REQUESTS", default=2000)),
        "--max-requests-jitter",
        "200",
    ]
    # Heartbeat files on a RAM disk: a container's overlay filesystem can stall
    # them long enough for the master to kill healthy workers.
    if RAM_DISK.is_dir():
        argv += ["--worker-tmp-dir", str(RAM_DISK)]
    return argv


def worker_argv(env: Mapping[str, str]) -> list[str]:
    return [
        sys.executable,
        "-m",
        "celery",
        "-A",
        "config",
        "worker",
        "--loglevel",
        _str(env, "LOG_LEVEL", default="INFO"),
        "--concurrency",
        str(_int(env, "CELERY_CONCURRENCY", default=2, minimum=1)),
    ]


def beat_argv(env: Mapping[str, str]) -> list[str]:
    schedule = _str(
        env, "CELERY_BEAT_SCHEDULE_FILE", default=str(var_dir(env) / "celerybeat-schedule")
    )
    return [
        sys.executable,
        "-m",
        "celery",
        "-A",
        "config",
        "beat",
        "--loglevel",
        _str(env, "LOG_LEVEL", default="INFO"),
        "--schedule",
        schedule,
    ]


def manage_argv(arguments: Sequence[str]) -> list[str]:
    return [sys.executable, str(ROOT / "manage.py"), *arguments]


PROCESS_ARGV: dict[str, Callable[[Mapping[str, str]], list[str]]] = {
    "web": web_argv,
    "worker": worker_argv,
    "beat": beat_argv,
}


def process_environment(env: Mapping[str, str]) -> dict[str, str]:
    """The child's environment: the project and platform/ importable, unbuffered
    output (logs go to the container runtime through a pipe)."""
    child = dict(env)
    paths = [str(ROOT), str(ROOT / "platform")]
    paths += [path for path in child.get("PYTHONPATH", "").split(os.pathsep) if path]
    child["PYTHONPATH"] = os.pathsep.join(dict.fromkeys(paths))
    child.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    child["PYTHONUNBUFFERED"] = "1"
    return child


def exec_process(argv: Sequence[str], env: Mapping[str, str]) -> NoReturn:
    """Replace this process, so gunicorn or Celery gets the container's signals."""
    os.chdir(ROOT)
    os.execve(argv[0], list(argv), dict(env))  # noqa: S606 - our own argv, no shell


# --- the small ones ---------------------------------------------------------------


def healthcheck(env: Mapping[str, str], *, timeout: float = 4.0) -> int:
    port = _int(env, "PORT", default=8000, minimum=1)
    url = f"http://127.0.0.1:{port}/healthz"
    try:
        with urllib.request.urlopen(url, timeout=timeout) as response:
            status = response.status
    except urllib.error.HTTPError as error:
        status = error.code
    except (urllib.error.URLError, OSError) as error:
        print(f"{url}: {error}", file=sys.stderr)
        return 1
    if status != 200:
        print(f"{url}: HTTP {status}", file=sys.stderr)
        return 1
    return 0


def collect_static() -> None:
    """Settings fall back to plain storage until a manifest exists, so the first
    collection must name the production storage itself (as `make run` does)."""
    _django_setup()
    from django.contrib.staticfiles.management.commands import collectstatic
    from django.core.management import call_command
    from django.utils.module_loading import import_string

    command = collectstatic.Command()
    command.storage = import_string(PRODUCTION_STATIC_STORAGE)()
    call_command(command, interactive=False, verbosity=1)


# --- main ------------------------------------------------------------------------


def prepare_database(*, migrate: bool) -> None:
    """Wait for the database; with `migrate`, migrate under the lock."""
    url = database_url()
    wait_for_database(
        url,
        attempts=env_int("DATABASE_WAIT_ATTEMPTS", default=30, minimum=1),
        interval=float(env_int("DATABASE_WAIT_INTERVAL", default=2, minimum=0)),
    )
    if migrate:
        migrate_once(
            url,
            pending=migrations_pending,
            migrate=run_migrations,
            lock_wait_seconds=env_int("MIGRATE_LOCK_WAIT_SECONDS", default=1800, minimum=1),
        )


def main(argv: Sequence[str]) -> int:
    args = parse_args(argv)
    try:
        if args.command == "healthcheck":
            return healthcheck(os.environ)
        if args.command == "collectstatic":
            collect_static()
            return 0
        if args.command == "migrate":
            prepare_database(migrate=True)
            return 0
        if args.command == "manage":
            prepare_database(migrate=False)
            exec_process(manage_argv(args.arguments), process_environment(os.environ))
        # web, worker, beat. Beat never migrates: it must not hold up, or be held
        # up by, a release's migrations.
        environment = process_environment(os.environ)
        argv_for = PROCESS_ARGV[args.command]
        command_line = argv_for(environment)  # bad settings fail before any waiting
        on_start = args.command != "beat" and env_bool("MIGRATE_ON_START", default=False)
        prepare_database(migrate=on_start)
        log(f"starting {args.command}")
        exec_process(command_line, environment)
    except (StartupError, ImproperlyConfigured) as error:
        log(f"cannot start {args.command}: {error}")
        return 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
