"""Seconds to give a new regency its schema: by replaying the template's dump
(`schema_clone_from_template`, what provisioning does) against running every
migration into an empty schema (`CREATE SCHEMA` + `migrate_schemas`), measured
in one run in alternating rounds.

Targets on a 2-core machine: clone at least 5x faster, clone median at most 2 s.
Figures are printed, never asserted. Run with `make bench`."""

import statistics
import time
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from django.core.management import call_command
from django.db import connection

from core.db import tenant_connection
from tenants.models import Tenant
from tenants.services import schema_drop
from tenants.template import schema_clone_from_template

pytestmark = pytest.mark.bench

ROUNDS = 5


@pytest.fixture
def scratch_tenants(bench_db: None) -> Iterator[Callable[[str], str]]:
    """`make(schema)` adds a tenant row (migrate_schemas migrates tenants' schemas)
    without a schema; every row and schema made is removed at the end."""
    made: list[str] = []

    def make(schema: str) -> str:
        Tenant.objects.create(
            schema_name=schema, slug=schema.replace("_", "-"), name=schema,
            region_code="73.09", time_zone="Asia/Makassar", status=Tenant.Status.ARCHIVED,
        )  # fmt: skip
        made.append(schema)
        return schema

    try:
        yield make
    finally:
        tenant_connection().set_schema_to_public()
        for schema in made:
            schema_drop(schema)
        Tenant.objects.filter(schema_name__in=made).delete()


def _by_clone(schema: str) -> None:
    schema_clone_from_template(schema)


def _by_migrations(schema: str) -> None:
    with connection.cursor() as cursor:
        cursor.execute(f"CREATE SCHEMA {schema}")
    call_command("migrate_schemas", schema_name=schema, interactive=False, verbosity=0)
    tenant_connection().set_schema_to_public()


def _timed(create: Callable[[str], None], schema: str) -> float:
    started = time.perf_counter()
    create(schema)
    return time.perf_counter() - started


def test_clone_against_migrations(scratch_tenants: Any) -> None:
    # Untimed warm-up: the template dump is taken and cached, modules imported.
    _by_clone(scratch_tenants("bench_clone_warm"))
    _by_migrations(scratch_tenants("bench_migrate_warm"))
    clone, migrate = [], []
    for round_ in range(ROUNDS):
        clone.append(_timed(_by_clone, scratch_tenants(f"bench_clone_{round_}")))
        migrate.append(_timed(_by_migrations, scratch_tenants(f"bench_migrate_{round_}")))
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM bench_clone_0.django_migrations")
        (migrations,) = cursor.fetchone()
    clone_median, migrate_median = statistics.median(clone), statistics.median(migrate)
    print()
    print(f"provisioning one tenant, {ROUNDS} alternating rounds, {migrations} migrations:")
    print(
        f"  clone from template:  median {clone_median:.3f} s  "
        f"(min {min(clone):.3f}, max {max(clone):.3f})"
    )
    print(
        f"  run all migrations:   median {migrate_median:.3f} s  "
        f"(min {min(migrate):.3f}, max {max(migrate):.3f})"
    )
    print(f"  clone is {migrate_median / clone_median:.1f}x faster "
          "(target >= 5x, clone median <= 2 s)")  # fmt: skip
