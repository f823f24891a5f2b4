"""`seed_demo` gives a newcomer three regencies and a console account, idempotently."""

import pytest
from django.core.management import call_command
from django_tenants.utils import schema_context

from accounts.models import User
from tenants.models import Domain, Tenant

pytestmark = pytest.mark.django_db

EXPECTED = {
    "lebak": ("Lebak", "36.02", "Banten", "Asia/Jakarta"),
    "balangan": ("Balangan", "63.11", "Kalimantan Selatan", "Asia/Makassar"),
    "dumai": ("Dumai", "14.72", "Riau", "Asia/Jakarta"),
}


def test_demo_regencies_carry_their_official_facts():
    for slug, (name, code, province, zone) in EXPECTED.items():
        tenant = Tenant.objects.get(slug=slug)
        assert (tenant.name, tenant.region_code, tenant.province, tenant.time_zone) == (
            name,
            code,
            province,
            zone,
        )
        assert tenant.status == Tenant.Status.ACTIVE
        assert tenant.domains.get(is_primary=True).domain == f"{slug}.localhost"


def test_each_regency_has_its_admin_and_the_console_its_engineer():
    with schema_context("public"):
        assert User.objects.get(email="engineer@sukowati.test").platform_role == "engineer"
    for slug in EXPECTED:
        with schema_context(slug):
            admins = User.objects.filter(is_regency_admin=True)
            assert list(admins.values_list("email", flat=True)) == [f"admin@{slug}.test"]


def test_second_run_creates_nothing():
    counts = (Tenant.objects.count(), Domain.objects.count())
    users = {}
    for schema in ["public", *EXPECTED]:
        with schema_context(schema):
            users[schema] = User.objects.count()
    call_command("seed_demo", verbosity=0)
    assert (Tenant.objects.count(), Domain.objects.count()) == counts
    for schema, count in users.items():
        with schema_context(schema):
            assert User.objects.count() == count
