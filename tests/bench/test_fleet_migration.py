"""Seconds per tenant of a fleet migration that has nothing to do: 50 regencies
cloned from the template, then `fleet_migrate` over the whole fleet with 2 worker
processes. For reference, the same fleet through django-tenants' own
`migrate_schemas` (standard executor), which runs `migrate` in every schema.

Target on a 2-core machine: at most 0.1 s per tenant. Figures are printed, never
asserted. Run with `make bench`."""

import time
from collections.abc import Iterator

import pytest
from django.core.management import call_command

from core.db import tenant_connection
from tenants.fleet import Outcome, fleet_migrate, fleet_schemas
from tenants.models import Tenant
from tenants.services import schema_drop
from tenants.template import schema_clone_from_template

pytestmark = pytest.mark.bench

TENANTS = 50
PROCESSES = 2


@pytest.fixture
def fleet_of_50(bench_db: None) -> Iterator[list[str]]:
    made: list[str] = []
    try:
        for number in range(TENANTS):
            schema = f"bench_fleet_{number:02d}"
            Tenant.objects.create(
                schema_name=schema, slug=schema.replace("_", "-"), name=schema,
                region_code="73.09", time_zone="Asia/Makassar", status=Tenant.Status.ARCHIVED,
            )  # fmt: skip
            made.append(schema)
            schema_clone_from_template(schema)
        yield made
    finally:
        tenant_connection().set_schema_to_public()
        for schema in made:
            schema_drop(schema)
        Tenant.objects.filter(schema_name__in=made).delete()


def test_no_op_fleet_migration(fleet_of_50: list[str]) -> None:
    schemas = len(fleet_schemas())
    started = time.perf_counter()
    reports = fleet_migrate(processes=PROCESSES)
    fleet_seconds = time.perf_counter() - started
    assert {r.outcome for r in reports} == {Outcome.NOTHING_TO_DO}
    assert len(reports) == schemas
    in_workers = sum(r.seconds for r in reports)

    started = time.perf_counter()
    call_command("migrate_schemas", tenant=True, interactive=False, verbosity=0)
    stock_seconds = time.perf_counter() - started
    tenant_connection().set_schema_to_public()

    per_tenant = fleet_seconds / schemas
    print()
    print(f"no-op fleet migration, {schemas} schemas ({TENANTS} cloned), {PROCESSES} processes:")
    print(
        f"  fleet_migrate:           {fleet_seconds:.3f} s = {per_tenant:.4f} s/tenant "
        "(target <= 0.1)"
    )
    print(f"    per-schema work in the workers, summed: {in_workers / schemas:.4f} s/tenant")
    print(
        f"  migrate_schemas (stock): {stock_seconds:.3f} s = {stock_seconds / schemas:.4f} s/tenant"
    )
    print(f"  fleet_migrate is {stock_seconds / fleet_seconds:.1f}x faster")  # fmt: skip
