"""`make run`: prepare the database and static files, then run web, worker and beat
under one process manager, so that Ctrl-C stops all of them.

Settings have already started the embedded PostgreSQL when DATABASE_URL is unset.
Every step is cheap when already done, so a second run serves within seconds."""

import datetime
import os
import sys
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from django.conf import settings
from django.contrib.staticfiles.management.commands import collectstatic
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connections
from django.utils.module_loading import import_string
from honcho.manager import Manager
from honcho.printer import Message

from config.env import env_url
from core.launcher import (
    migrations_pending,
    port_is_free,
    stack_banner,
    stack_environment,
    stack_port,
    stack_processes,
    wait_until_serving,
)

# Settings fall back to plain static storage until a manifest exists, so on a fresh
# clone this very process was configured without one: collect with the production
# storage explicitly, or the manifest would never be written.
PRODUCTION_STATIC_STORAGE = "whitenoise.storage.CompressedManifestStaticFilesStorage"
SERVING_TIMEOUT_SECONDS = 120


class Command(BaseCommand):
    help = "Run Sukowati locally: web (gunicorn), Celery worker and beat, with demo data."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--port",
            type=int,
            default=None,
            help="Port of the web server (default: SUKOWATI_PORT, else 8000).",
        )
        parser.add_argument(
            "--no-seed", action="store_true", help="Do not create the demo regencies."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        port: int = options["port"] or stack_port()
        if not port_is_free(port):
            raise CommandError(
                f"Port {port} is already in use (another `make run`?). "
                "Stop it, or choose another port with SUKOWATI_PORT."
            )
        self._step("Static files", _collect_static)
        self._step("Database schemas", _migrate)
        if not options["no_seed"]:
            self._step("Demo data", _seed)
        environment = stack_environment(
            os.environ, root=Path(settings.BASE_DIR), database_url=_embedded_database_url()
        )
        # The children open their own connections; this one would only idle.
        connections.close_all()
        self._serve(port=port, environment=environment)

    def _step(self, label: str, action: Callable[[], str | None]) -> None:
        self.stdout.write(f"{label}...", ending="")
        self.stdout.flush()
        began = time.monotonic()
        outcome = action() or "done"
        self.stdout.write(f" {outcome} ({time.monotonic() - began:.1f} s)")

    def _serve(self, *, port: int, environment: dict[str, str]) -> None:
        manager = Manager()
        processes = stack_processes(
            python=sys.executable,
            port=port,
            beat_schedule=Path(settings.CELERY_BEAT_SCHEDULE_FILENAME),
        )
        for process in processes:
            manager.add_process(
                process.name, process.command, env=environment, cwd=str(settings.BASE_DIR)
            )
        announcer = threading.Thread(
            target=_announce_when_serving, args=(manager, port), daemon=True
        )
        announcer.start()
        manager.loop()
        sys.exit(manager.returncode)


def _collect_static() -> str:
    command = collectstatic.Command()
    command.storage = import_string(PRODUCTION_STATIC_STORAGE)()
    # Copies only files newer than the collected ones; hashing and compressing is
    # the remaining cost, a second or two for the vendored assets.
    call_command(command, interactive=False, verbosity=0)
    return f"{len(command.copied_files)} copied"


def _seed() -> None:
    call_command("seed_demo", verbosity=0)


def _migrate() -> str:
    if not migrations_pending():
        return "up to date"
    call_command("migrate_schemas", interactive=False, verbosity=0)
    return "migrated"


def _embedded_database_url() -> str | None:
    """The embedded server's URL for the children, None when DATABASE_URL is set."""
    if env_url("DATABASE_URL", schemes=("postgres", "postgresql", "pgsql")) is not None:
        return None
    from core.embedded import embedded_database_url

    return embedded_database_url()


def _announce_when_serving(manager: Manager, port: int) -> None:
    """Print the URLs and accounts through honcho, after the web server's start-up
    lines, so that they are the last thing on the screen rather than scrolled away."""
    if wait_until_serving(port, timeout=SERVING_TIMEOUT_SECONDS):
        text = stack_banner(port=port)
    else:
        text = f"The web server did not answer on port {port} within a few minutes."
    manager.events.put(
        Message(
            type="line",
            data=text + "\n",
            time=datetime.datetime.now(),
            name="system",
            colour=None,
        )
    )
