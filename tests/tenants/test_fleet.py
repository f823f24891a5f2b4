"""Fleet migrations: every schema in parallel worker processes, one report each.

Workers have database sessions of their own, so they see only committed data:
tenants made behind or broken for a test are created outside the test
transaction (`committed_tenant`), and dropped again afterwards."""

import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.core.management import call_command
from django.db import connection, transaction
from django.utils import translation
from django_tenants.utils import schema_context

from core.models import Holiday
from tenants.fleet import (
    Outcome,
    SchemaReport,
    fleet_migrate,
    fleet_migration_state,
    schema_migrate,
)
from tenants.models import TEMPLATE_SCHEMA, Tenant
from tenants.services import schema_drop
from tenants.template import schema_clone_from_template
from tests.workers import session_database_url

ROOT = Path(__file__).resolve().parents[2]
DEMO = ["balangan", "dumai", "lebak"]
# The migration these tests take back out of a schema: nothing else depends on it.
UNAPPLIED = "core.0004_holiday"


@pytest.fixture(autouse=True)
def _english() -> Iterator[None]:
    with translation.override("en"):
        yield


@pytest.fixture
def committed_tenant(django_db_setup: None, django_db_blocker: Any) -> Iterator[Any]:
    """`committed_tenant("fleet_x", behind=True, broken=True)` commits a tenant
    cloned from the template; `behind` takes its last core migration (a leaf)
    back out, `broken` then puts a table in the way of migrating it forward again.
    The test runs with database access in autocommit, like the workers."""
    made: list[str] = []

    def make(schema: str, *, behind: bool = False, broken: bool = False) -> Tenant:
        with transaction.atomic():
            tenant = Tenant.objects.create(
                schema_name=schema, slug=schema.replace("_", "-"), name=f"Regency {schema}",
                region_code="73.09", time_zone="Asia/Makassar", status=Tenant.Status.ARCHIVED,
            )  # fmt: skip
            made.append(schema)
            schema_clone_from_template(schema)
        if behind or broken:
            call_command(
                "migrate_schemas", "core", "0003_audit_event_append_only",
                schema_name=schema, interactive=False, verbosity=0,
            )  # fmt: skip
        if broken:
            with connection.cursor() as cursor:
                cursor.execute(f"CREATE TABLE {schema}.core_holiday (id integer)")
        connection.set_schema_to_public()  # type: ignore[attr-defined]
        return tenant

    with django_db_blocker.unblock():
        try:
            yield make
        finally:
            connection.set_schema_to_public()  # type: ignore[attr-defined]
            for schema in made:
                schema_drop(schema)
                Tenant.objects.filter(schema_name=schema).delete()


def _by_schema(reports: list[SchemaReport]) -> dict[str, SchemaReport]:
    return {report.schema_name: report for report in reports}


def _applied(schema: str) -> set[str]:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT app || '.' || name FROM {schema}.django_migrations")
        return {name for (name,) in cursor.fetchall()}


@pytest.mark.django_db
def test_up_to_date_demo_regencies_have_nothing_to_do_and_the_callers_session_survives():
    with connection.cursor() as cursor:
        cursor.execute("CREATE TEMPORARY TABLE fleet_marker (id integer)")
    reports = fleet_migrate(schemas=[*DEMO, TEMPLATE_SCHEMA], processes=2)
    assert [(r.schema_name, r.outcome, r.applied) for r in reports] == [
        (schema, Outcome.NOTHING_TO_DO, ()) for schema in [*DEMO, TEMPLATE_SCHEMA]
    ]
    assert [r.tenant for r in reports] == ["Balangan", "Dumai", "Lebak", "Template"]
    # The workers forked from this process dropped, not closed, the session they
    # inherited: this one is still open, its temporary table and transaction intact.
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM fleet_marker")
        assert cursor.fetchone() == (0,)


def test_a_schema_missing_a_migration_is_migrated(committed_tenant):
    committed_tenant("fleet_behind", behind=True)
    assert UNAPPLIED not in _applied("fleet_behind")
    reports = _by_schema(fleet_migrate(schemas=["fleet_behind", "lebak"], processes=2))
    behind = reports["fleet_behind"]
    assert behind.outcome is Outcome.MIGRATED
    assert UNAPPLIED in behind.applied
    assert behind.tenant == "Regency fleet_behind"
    assert reports["lebak"].outcome is Outcome.NOTHING_TO_DO
    assert UNAPPLIED in _applied("fleet_behind")
    with schema_context("fleet_behind"):
        assert Holiday.objects.count() == 0  # the table is back


def test_a_broken_schema_fails_alone_and_is_named(committed_tenant):
    committed_tenant("fleet_broken", broken=True)
    committed_tenant("fleet_behind", behind=True)
    reports = _by_schema(
        fleet_migrate(schemas=["fleet_broken", "fleet_behind", *DEMO], processes=2)
    )
    broken = reports["fleet_broken"]
    assert broken.outcome is Outcome.FAILED
    assert broken.tenant == "Regency fleet_broken"
    assert "core_holiday" in broken.error
    assert UNAPPLIED not in broken.applied
    # The others went ahead: the behind one is migrated and serves queries.
    assert reports["fleet_behind"].outcome is Outcome.MIGRATED
    assert {reports[s].outcome for s in DEMO} == {Outcome.NOTHING_TO_DO}
    with schema_context("fleet_behind"):
        assert Holiday.objects.count() == 0
    # The broken schema stays as it was, still readable.
    assert UNAPPLIED not in _applied("fleet_broken")
    with schema_context("fleet_broken"):
        from accounts.models import User

        assert User.objects.count() == 0


def test_one_schema_can_be_migrated_in_this_process(committed_tenant):
    committed_tenant("fleet_behind", behind=True)
    report = schema_migrate("fleet_behind")
    assert report.outcome is Outcome.MIGRATED
    assert UNAPPLIED in report.applied
    assert schema_migrate("fleet_behind").outcome is Outcome.NOTHING_TO_DO


def test_fleet_state_lists_each_tenants_pending_migrations(committed_tenant):
    committed_tenant("fleet_behind", behind=True)
    state = {row["schema"]: row for row in fleet_migration_state()}
    assert state["fleet_behind"]["status"] == "pending"
    assert state["fleet_behind"]["pending"] == [UNAPPLIED]
    assert state["lebak"]["status"] == "current"
    assert state["lebak"]["pending"] == []
    assert state["lebak"]["applied"] == state["fleet_behind"]["applied"] + 1
    assert state[TEMPLATE_SCHEMA]["is_template"]
    assert fleet_migration_state()[0]["schema"] == TEMPLATE_SCHEMA


@pytest.mark.django_db
def test_a_tenant_without_schema_is_listed_but_not_migrated():
    Tenant.objects.create(
        schema_name="fleet_prospect", slug="fleet-prospect", name="Prospect",
        region_code="73.09", time_zone="Asia/Makassar",
    )  # fmt: skip
    state = {row["schema"]: row for row in fleet_migration_state()}
    assert state["fleet_prospect"]["status"] == "no schema"
    with pytest.raises(ValueError, match="fleet_prospect"):
        fleet_migrate(schemas=["lebak", "fleet_prospect"])


def _command(*args: str) -> subprocess.CompletedProcess[str]:
    env = {
        **os.environ,
        "DATABASE_URL": session_database_url(),
        "DJANGO_SETTINGS_MODULE": "config.settings",
    }
    return subprocess.run(
        [sys.executable, "manage.py", "fleet_migrate", *args],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=300, check=False,
    )  # fmt: skip


def _label(outcome: Outcome) -> str:
    # The command speaks the site's default language (Indonesian).
    with translation.override(settings.LANGUAGE_CODE):
        return outcome.label


def test_the_command_reports_every_schema_and_exits_non_zero_on_a_failure(committed_tenant):
    committed_tenant("fleet_broken", broken=True)
    committed_tenant("fleet_behind", behind=True)
    result = _command("--schema", "fleet_broken", "--schema", "fleet_behind", "--schema", "lebak")
    assert result.returncode == 1, result.stderr
    lines = result.stdout.splitlines()
    assert f"fleet_behind [Regency fleet_behind]: {_label(Outcome.MIGRATED)}" in lines
    assert f"    + {UNAPPLIED}" in lines
    assert f"fleet_broken [Regency fleet_broken]: {_label(Outcome.FAILED)}" in lines
    assert f"lebak [Lebak]: {_label(Outcome.NOTHING_TO_DO)}" in lines
    assert "core_holiday" in result.stdout  # the error, under its schema
    assert "Regency fleet_broken (fleet_broken)" in result.stderr
    assert "fleet_behind" not in result.stderr


def test_the_command_exits_zero_when_every_schema_is_current(django_db_setup: None):
    result = _command("--schema", "lebak", "--schema", "dumai")
    assert result.returncode == 0, result.stderr
    noop = _label(Outcome.NOTHING_TO_DO)
    assert result.stdout.splitlines()[:2] == [f"dumai [Dumai]: {noop}", f"lebak [Lebak]: {noop}"]
