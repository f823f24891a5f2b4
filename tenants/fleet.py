"""Migrations across the fleet: every tenant schema, in parallel, with a report.

`public` is migrated first (`migrate_schemas --shared`, which also ensures the
template exists); `fleet_migrate` then takes every tenant schema, the template
included, and hands them to a pool of worker processes. Most runs find most
schemas current, so the no-op path is what must be cheap: the tenant apps'
migrations on disk are read once per process (`_tenant_migrations_on_disk`), and
a schema is "nothing to do" after a single read of its `django_migrations`.
Only a schema with pending migrations runs Django's `migrate` (post_migrate
included, so new models get their content types and permissions as in a fresh
schema).

One schema's failure is caught and reported with the tenant's name; it stops
nothing else. Each migration is atomic on PostgreSQL, so the failed schema stays
at its last good migration and keeps serving."""

import io
import multiprocessing
import os
import time
from collections.abc import Callable, Iterable
from concurrent.futures import Future, ProcessPoolExecutor, as_completed
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from django.apps import apps
from django.core.management import call_command
from django.db import connection, connections
from django.db.migrations.recorder import MigrationRecorder
from django.utils.translation import gettext_lazy as _

from core.db import tenant_connection

# Models, django-tenants' utilities and tenants.template are imported where used:
# a `spawn` worker imports this module before its initializer has set Django up.

# Connection settings a worker takes from its parent: under `spawn` the worker
# reads settings afresh, which would not name the parent's (e.g. test) database.
_CONNECTION_KEYS = ("NAME", "HOST", "PORT", "USER", "PASSWORD", "OPTIONS")
_in_worker = False


class Outcome(StrEnum):
    MIGRATED = "migrated"
    FAILED = "failed"
    NOTHING_TO_DO = "nothing to do"

    @property
    def label(self) -> str:
        return str(_OUTCOME_LABELS[self])


_OUTCOME_LABELS = {
    Outcome.MIGRATED: _("migrated"),
    Outcome.FAILED: _("failed"),
    Outcome.NOTHING_TO_DO: _("nothing to do"),
}


@dataclass(frozen=True)
class SchemaReport:
    """What one schema's migration did. `applied` lists the migrations applied in
    this run as "app.name", also for a failure (those before the failing one)."""

    schema_name: str
    tenant: str
    outcome: Outcome
    applied: tuple[str, ...] = ()
    error: str = ""
    seconds: float = field(default=0.0, compare=False)


def fleet_schemas() -> dict[str, str]:
    """{schema name: tenant name} for every tenant row whose schema exists,
    template included; prospects and deleted regencies have no schema."""
    from tenants.models import Tenant

    with connection.cursor() as cursor:
        cursor.execute("SELECT nspname FROM pg_namespace")
        existing = {name for (name,) in cursor.fetchall()}
    rows = Tenant.objects.order_by("schema_name").values_list("schema_name", "name")
    return {schema: name for schema, name in rows if schema in existing and schema != "public"}


def fleet_migrate(
    *,
    schemas: list[str] | None = None,
    processes: int = 2,
    on_report: Callable[[SchemaReport], None] | None = None,
) -> list[SchemaReport]:
    """Migrate `schemas` (default: the whole fleet) with `processes` workers and
    return one report per schema, ordered by schema name. `on_report` is called
    as each schema finishes. Raises ValueError, before migrating anything, for a
    schema that is not a tenant's existing schema."""
    from tenants.template import _tenant_migrations_on_disk

    fleet = fleet_schemas()
    if schemas is None:
        targets = list(fleet)
    else:
        unknown = sorted(set(schemas) - set(fleet))
        if unknown:
            raise ValueError(
                _("Not the existing schema of a tenant: %(schemas)s")
                % {"schemas": ", ".join(unknown)}
            )
        targets = sorted(set(schemas))
    if not targets:
        return []
    # Read the migrations on disk before forking, so workers inherit the result.
    _tenant_migrations_on_disk()
    reports: dict[str, SchemaReport] = {}

    def collect(report: SchemaReport) -> None:
        report = _named(report, fleet[report.schema_name])
        reports[report.schema_name] = report
        if on_report is not None:
            on_report(report)

    # A daemonic process (a pool worker itself) may not start children.
    if processes <= 1 or len(targets) == 1 or multiprocessing.current_process().daemon:
        for schema in targets:
            collect(schema_migrate(schema))
    else:
        database = {key: connection.settings_dict.get(key) for key in _CONNECTION_KEYS}
        _run_in_pool(targets, min(processes, len(targets)), database, collect)
    return [reports.get(schema) or _named(_lost(schema), fleet[schema]) for schema in targets]


def _run_in_pool(
    targets: list[str],
    processes: int,
    database: dict[str, Any],
    collect: Callable[[SchemaReport], None],
) -> None:
    # fork where there is one: the worker inherits the loaded apps and migration
    # graph, so it starts in milliseconds rather than a second.
    methods = multiprocessing.get_all_start_methods()
    context = multiprocessing.get_context("fork" if "fork" in methods else None)
    with ProcessPoolExecutor(
        max_workers=processes,
        mp_context=context,
        initializer=_worker_init,
        initargs=(database,),
    ) as pool:
        futures: dict[Future[SchemaReport], str] = {
            pool.submit(schema_migrate, schema): schema for schema in targets
        }
        for future in as_completed(futures):
            try:
                collect(future.result())
            except BrokenProcessPool as exc:
                # A worker died (killed, out of memory); its schemas are unknown.
                collect(_lost(futures[future], str(exc)))


def _lost(schema: str, error: str = "") -> SchemaReport:
    return SchemaReport(
        schema_name=schema,
        tenant="",
        outcome=Outcome.FAILED,
        error=error or str(_("The worker process migrating this schema died.")),
    )


def _named(report: SchemaReport, tenant: str) -> SchemaReport:
    return SchemaReport(
        schema_name=report.schema_name,
        tenant=tenant,
        outcome=report.outcome,
        applied=report.applied,
        error=report.error,
        seconds=report.seconds,
    )


def _worker_init(database: dict[str, Any]) -> None:
    """Runs once in each worker: Django ready, and a connection of its own."""
    global _in_worker
    if not apps.ready:  # spawn: a fresh interpreter
        import django

        os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
        django.setup()
    for alias in [conn.alias for conn in connections.all(initialized_only=True)]:
        # Inherited over fork, this is the parent's open session: closing it would
        # end that session too (libpq says goodbye on the shared socket).
        # Forgetting it is enough; psycopg never closes a connection in a process
        # other than the one that opened it.
        del connections[alias]
    connections["default"].settings_dict.update(database)
    _in_worker = True


def schema_migrate(schema_name: str) -> SchemaReport:
    """Bring one schema to the latest migrations; never raises."""
    from django_tenants.utils import get_tenant_base_migrate_command_class

    from tenants.template import _tenant_migrations_on_disk

    started = time.perf_counter()
    before: set[tuple[str, str]] = set()

    def report(outcome: Outcome, error: str = "") -> SchemaReport:
        applied: tuple[str, ...] = ()
        if outcome is not Outcome.NOTHING_TO_DO:
            try:
                after = schema_applied_migrations(schema_name) or set()
            except Exception:  # the connection may be what failed
                after = before
            applied = tuple(f"{app}.{name}" for app, name in sorted(after - before))
        return SchemaReport(
            schema_name=schema_name,
            tenant="",
            outcome=outcome,
            applied=applied,
            error=error,
            seconds=time.perf_counter() - started,
        )

    try:
        before = schema_applied_migrations(schema_name) or set()
        if _tenant_migrations_on_disk() <= before:
            return report(Outcome.NOTHING_TO_DO)
        # As django-tenants' own executor does: the recorder's table must exist in
        # this schema before `migrate` looks for it along the search path.
        tenant_connection().set_schema(schema_name, include_public=False)
        MigrationRecorder(connection).ensure_schema()
        tenant_connection().set_schema(schema_name)
        command = get_tenant_base_migrate_command_class()()
        call_command(
            command, interactive=False, verbosity=0, stdout=io.StringIO(), stderr=io.StringIO()
        )
        outcome, error = Outcome.MIGRATED, ""
    except Exception as exc:
        outcome, error = Outcome.FAILED, f"{type(exc).__name__}: {exc}".strip()
        if _in_worker:
            # Start the next schema on a fresh session, whatever state this one is in.
            connection.close()
    finally:
        tenant_connection().set_schema_to_public()
    return report(outcome, error)


def schema_applied_migrations(schema_name: str) -> set[tuple[str, str]] | None:
    """The (app, name) rows of a schema's django_migrations; None without the table."""
    table = f'"{schema_name}".django_migrations'
    with connection.cursor() as cursor:
        cursor.execute("SELECT to_regclass(%s) IS NOT NULL", [table])
        row = cursor.fetchone()
        if row is None or not row[0]:
            return None
        cursor.execute(f"SELECT app, name FROM {table}")  # noqa: S608 - a tenant's schema name
        return {(app, name) for app, name in cursor.fetchall()}


_STATE_LABELS = {
    "current": _("up to date"),
    "pending": _("migrations pending"),
    "no schema": _("no schema"),
}


def fleet_migration_state() -> list[dict[str, Any]]:
    """Per tenant row, for the console's fleet page: schema, tenant, slug,
    is_template, status ("current", "pending" or "no schema") and its label,
    applied (count of recorded migrations) and pending (the tenant apps'
    migrations not applied, as "app.name"). The template comes first."""
    from tenants.models import Tenant
    from tenants.template import _tenant_migrations_on_disk

    fleet = fleet_schemas()
    on_disk = _tenant_migrations_on_disk()
    state = []
    for tenant in Tenant.objects.order_by("-is_template", "name"):
        applied = (
            schema_applied_migrations(tenant.schema_name) if tenant.schema_name in fleet else None
        )
        pending = sorted(on_disk - applied) if applied is not None else []
        if tenant.schema_name not in fleet:
            status = "no schema"
        else:
            status = "pending" if pending else "current"
        state.append(
            {
                "schema": tenant.schema_name,
                "tenant": tenant.name,
                "slug": tenant.slug,
                "is_template": tenant.is_template,
                "status": status,
                "status_label": str(_STATE_LABELS[status]),
                "applied": len(applied or ()),
                "pending": [f"{app}.{name}" for app, name in pending],
            }
        )
    return state


def summary(reports: Iterable[SchemaReport]) -> dict[Outcome, int]:
    counts = dict.fromkeys(Outcome, 0)
    for report in reports:
        counts[report.outcome] += 1
    return counts
