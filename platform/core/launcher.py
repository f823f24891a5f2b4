"""What `make run` starts and what it tells the developer.

Kept apart from the `run_stack` command so that the command lines, the child
environment and the banner can be tested without starting anything.
"""

import errno
import os
import shlex
import socket
import time
import urllib.error
import urllib.request
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings

from config.env import env_int
from core.db import tenant_connection
from tenants.management.commands.seed_demo import (
    DEMO_PASSWORD,
    DEMO_REGENCIES,
    DEMO_TOTP_SECRET,
    ENGINEER_EMAIL,
    FINANCE_EMAIL,
    demo_admin_email,
    demo_urls,
)

DEFAULT_PORT = 8000
# Two cores on a developer's machine: two web processes with a few threads each
# keep the browser's parallel static requests from queueing behind a slow page.
WEB_WORKERS = 2
WEB_THREADS = 4
WORKER_CONCURRENCY = 2
# On Ctrl-C honcho sends SIGTERM, then SIGKILL five seconds after the first process
# has stopped: a short grace period lets gunicorn finish in-flight requests and exit
# early, which starts that clock for the slower Celery worker.
WEB_GRACEFUL_SECONDS = 2


@dataclass(frozen=True)
class StackProcess:
    name: str
    argv: tuple[str, ...]

    @property
    def command(self) -> str:
        """The command line honcho runs; it goes through a shell, so every
        argument is quoted (a checkout path may contain spaces)."""
        return shlex.join(self.argv)


def stack_port() -> int:
    return env_int("SUKOWATI_PORT", default=DEFAULT_PORT, minimum=1)


def stack_processes(*, python: str, port: int, beat_schedule: Path) -> list[StackProcess]:
    """Web, worker and beat: each a fresh interpreter, so none of them inherits
    the launcher's database connection or half-configured state."""
    web = _options(
        {
            "--bind": f"0.0.0.0:{port}",
            "--workers": str(WEB_WORKERS),
            "--threads": str(WEB_THREADS),
            "--graceful-timeout": str(WEB_GRACEFUL_SECONDS),
            # Import Django once in the master and fork the workers from it: on
            # two cores, every interpreter that imports Django slows the others.
            "--preload": "",
            "--access-logfile": "-",
        }
    )
    worker = _options({"--loglevel": "INFO", "--concurrency": str(WORKER_CONCURRENCY)})
    beat = _options({"--loglevel": "INFO", "--schedule": str(beat_schedule)})
    celery = (python, "-m", "celery", "-A", "config")
    return [
        StackProcess("web", (python, "-m", "gunicorn", "config.wsgi:application", *web)),
        StackProcess("worker", (*celery, "worker", *worker)),
        StackProcess("beat", (*celery, "beat", *beat)),
    ]


def _options(options: Mapping[str, str]) -> tuple[str, ...]:
    """`{"--bind": "0.0.0.0:8000", "--preload": ""}` -> the flags, a switch alone."""
    return tuple(part for pair in options.items() for part in pair if part)


def stack_environment(
    base: Mapping[str, str], *, root: Path, database_url: str | None
) -> dict[str, str]:
    """The environment of every child process.

    `database_url` is the embedded server's address when DATABASE_URL was unset:
    handing it down spares each child from probing and possibly racing to start
    the embedded server itself."""
    env = dict(base)
    # platform/ is a source root next to the top-level packages (tenants, modules).
    paths = [str(root), str(root / "platform")]
    if env.get("PYTHONPATH"):
        paths.append(env["PYTHONPATH"])
    env["PYTHONPATH"] = os.pathsep.join(paths)
    env.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    # Children write through a pipe to honcho: without this, Python buffers their
    # log lines and the developer sees nothing until a buffer fills.
    env["PYTHONUNBUFFERED"] = "1"
    if database_url is not None and not env.get("DATABASE_URL", "").strip():
        env["DATABASE_URL"] = database_url
    return env


def migrations_pending() -> bool:
    """Whether any schema lacks a migration that is on disk.

    `migrate_schemas` takes a second or more even when there is nothing to do, as
    it plans every schema separately; reading each schema's `django_migrations`
    takes milliseconds. Only ever errs towards migrating: a squashed migration
    recorded differently, or a schema without the table, counts as pending."""
    from django.db.migrations.loader import MigrationLoader
    from django_tenants.utils import get_tenant_model

    graph = MigrationLoader(None, ignore_no_migrations=True).graph
    needed = {node for leaf in graph.leaf_nodes() for node in graph.forwards_plan(leaf)}
    db = tenant_connection()
    try:
        db.set_schema_to_public()
        if _missing(needed):
            return True
        schemas = get_tenant_model().objects.exclude(schema_name="public")
        for schema in schemas.values_list("schema_name", flat=True):
            db.set_schema(schema, include_public=False)
            if _missing(needed):
                return True
        return False
    finally:
        db.set_schema_to_public()


def _missing(needed: set[tuple[str, str]]) -> bool:
    from django.db import connection
    from django.db.migrations.recorder import MigrationRecorder

    recorder = MigrationRecorder(connection)
    if not recorder.has_table():
        return True
    return bool(needed - set(recorder.applied_migrations()))


def port_is_free(port: int) -> bool:
    """Whether the web server will be able to bind the port; checked up front so
    a second `make run` fails with a clear message instead of gunicorn retrying."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind(("0.0.0.0", port))  # noqa: S104 - the address gunicorn binds
        except OSError as error:
            if error.errno in (errno.EADDRINUSE, errno.EACCES):
                return False
            raise
    return True


def wait_until_serving(port: int, *, timeout: float, interval: float = 0.2) -> bool:
    """True once the liveness probe answers 200 on the port, False after `timeout`."""
    url = f"http://127.0.0.1:{port}/healthz"
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=5) as response:
                if response.status == 200:
                    return True
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            pass
        time.sleep(interval)
    return False


def stack_banner(*, port: int) -> str:
    """The URLs and demo accounts, printed once the web server answers."""
    lines = ["", "Sukowati is serving:", ""]
    urls = demo_urls(port)
    width = max(len(label) for label, _ in urls)
    lines += [f"  {label.ljust(width)}  {url}" for label, url in urls]
    lines += ["", f"Demo accounts (password {DEMO_PASSWORD}):", ""]
    accounts = [
        ("Console", f"{ENGINEER_EMAIL}  (platform engineer)"),
        ("Console", f"{FINANCE_EMAIL}  (finance staff)"),
    ]
    accounts += [(demo.slug, demo_admin_email(demo.slug)) for demo in DEMO_REGENCIES]
    lines += [f"  {label.ljust(width)}  {email}" for label, email in accounts]
    lines += [
        "",
        "The console and the regency admins ask for a two-factor code: add the demo",
        f"secret {DEMO_TOTP_SECRET} to an authenticator app, or run `manage.py demo_totp`.",
        "",
        "Press Ctrl-C to stop web, worker and beat.",
        "",
    ]
    if settings.ROOT_DOMAIN == "localhost":
        # Said because newcomers expect to edit /etc/hosts for subdomains.
        lines.insert(-3, "Browsers and curl resolve *.localhost to this machine by themselves.")
    return "\n".join(lines)
