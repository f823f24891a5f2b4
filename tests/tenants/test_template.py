"""The template schema and clones of it."""

import pytest
from django.core.management import call_command
from django.db import connection
from django_tenants.utils import schema_context, schema_exists

from core.db import tenant_connection
from tenants.models import TEMPLATE_SCHEMA, Tenant
from tenants.template import schema_clone_from_template, template_pending_migrations
from tests.tenants.catalog import schema_catalog

pytestmark = pytest.mark.django_db


def _migrate_fresh(schema: str) -> None:
    with connection.cursor() as cursor:
        cursor.execute(f"CREATE SCHEMA {schema}")
    call_command("migrate_schemas", schema_name=schema, interactive=False, verbosity=0)
    tenant_connection().set_schema_to_public()


@pytest.fixture
def fresh_tenant_row():
    """migrate_schemas only migrates schemas that have a tenant row."""

    def make(schema: str) -> Tenant:
        return Tenant.objects.create(
            schema_name=schema,
            slug=schema,
            name=schema,
            region_code="73.09",
            time_zone="Asia/Makassar",
            status=Tenant.Status.PROSPECT,
        )

    return make


def test_template_exists_and_is_fully_migrated():
    template = Tenant.objects.get(schema_name=TEMPLATE_SCHEMA)
    assert template.is_template
    assert schema_exists(TEMPLATE_SCHEMA)
    assert not template_pending_migrations()


def test_template_is_not_a_regency():
    assert not Tenant.objects.regencies().filter(schema_name=TEMPLATE_SCHEMA).exists()


def test_cloned_catalog_equals_a_freshly_migrated_one(fresh_tenant_row):
    schema_clone_from_template("cloned_maros")
    fresh_tenant_row("migrated_maros")
    _migrate_fresh("migrated_maros")
    cloned, migrated = schema_catalog("cloned_maros"), schema_catalog("migrated_maros")
    assert cloned["columns"], "the catalog query found nothing"
    for part in cloned:
        assert cloned[part] == migrated[part], part


def test_clone_carries_content_types_permissions_and_migration_records(fresh_tenant_row):
    schema_clone_from_template("cloned_bone")
    fresh_tenant_row("migrated_bone")
    _migrate_fresh("migrated_bone")
    with connection.cursor() as cursor:
        for table in ("django_migrations", "django_content_type", "auth_permission"):
            cursor.execute(f"SELECT count(*) FROM cloned_bone.{table}")
            cloned = cursor.fetchone()
            cursor.execute(f"SELECT count(*) FROM migrated_bone.{table}")
            assert cloned == cursor.fetchone(), table
            assert cloned[0] > 0


def test_clone_has_its_own_sequences(regencies):
    schema_clone_from_template("cloned_pasaman")
    from accounts.models import User

    with schema_context("cloned_pasaman"):
        first = User.objects.create_user("a@example.test", "x-Password-9", full_name="A")
    with schema_context("lebak"):
        other = User.objects.create_user("a@example.test", "x-Password-9", full_name="A")
    with schema_context("cloned_pasaman"):
        second = User.objects.create_user("b@example.test", "x-Password-9", full_name="B")
    # The clone's identity sequence is its own: Lebak's insert did not advance it.
    assert first.pk == 1
    assert second.pk == 2
    assert other.pk > 1  # Lebak already had its admin


def test_clone_into_an_unsafe_name_is_refused():
    for name in ("Public", "x;drop", TEMPLATE_SCHEMA, "1abc"):
        with pytest.raises(ValueError, match="Refusing"):
            schema_clone_from_template(name)
