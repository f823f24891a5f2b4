"""Creating a regency: validated up front, all or nothing."""

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.utils import translation
from django_tenants.utils import schema_exists

from core.db import tenant_connection
from tenants.models import Domain, Tenant
from tenants.services import tenant_create

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english():
    """Messages are asserted in English; Indonesian is covered by the i18n tests."""
    with translation.override("en"):
        yield


def _errors(excinfo: pytest.ExceptionInfo[ValidationError]) -> dict[str, list[str]]:
    return excinfo.value.message_dict


def _schemas() -> set[str]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT nspname FROM pg_namespace")
        return {row[0] for row in cursor.fetchall()}


@pytest.fixture
def nothing_created():
    """Call it after a refused creation: no new schema, tenant row or domain."""
    schemas, tenants, domains = _schemas(), Tenant.objects.count(), Domain.objects.count()

    def check() -> bool:
        return (
            _schemas() == schemas
            and Tenant.objects.count() == tenants
            and Domain.objects.count() == domains
        )

    return check


def test_creates_schema_domain_and_reference_facts():
    tenant = tenant_create(slug="maros", region_code="73.09")
    assert tenant.name == "Maros"
    assert tenant.province == "Sulawesi Selatan"
    assert tenant.time_zone == "Asia/Makassar"
    assert schema_exists("maros")
    assert list(tenant.domains.values_list("domain", "is_primary")) == [("maros.localhost", True)]
    assert tenant_connection().schema_name == "public"


@pytest.mark.parametrize(
    ("slug", "message"),
    [
        ("Bone", "lowercase"),
        ("bo", "3 to 30"),
        ("bone-", "hyphen"),
        ("pg-bone", "PostgreSQL"),
        ("public", "reserved"),
        ("www", "reserved"),
        ("bone;drop", "lowercase"),
    ],
)
def test_invalid_or_reserved_slug_is_refused_with_a_reason(slug, message, nothing_created):
    with pytest.raises(ValidationError) as excinfo:
        tenant_create(slug=slug, region_code="73.08")
    assert message in " ".join(_errors(excinfo)["slug"])
    assert nothing_created()


def test_duplicate_slug_is_refused():
    with pytest.raises(ValidationError) as excinfo:
        tenant_create(slug="lebak", region_code="73.08")
    assert "already exists" in _errors(excinfo)["slug"][0]


@pytest.mark.parametrize(
    ("code", "message"),
    [("36", "NN.NN"), ("36.02.01", "NN.NN"), ("99.99", "not a regency"), ("abc", "NN.NN")],
)
def test_region_code_must_be_a_regency_in_the_national_list(code, message, nothing_created):
    with pytest.raises(ValidationError) as excinfo:
        tenant_create(slug="pasaman", region_code=code)
    assert message in _errors(excinfo)["region_code"][0]
    assert nothing_created()


def test_region_already_served_is_refused(nothing_created):
    with pytest.raises(ValidationError) as excinfo:
        tenant_create(slug="lebak-dua", region_code="36.02")
    assert "Lebak" in _errors(excinfo)["region_code"][0]
    assert nothing_created()


@pytest.mark.parametrize(
    ("domain", "message"),
    [
        ("pacitan.localhost:8000", "port"),
        ("https://pacitan.localhost", "port"),
        ("Pacitan.Localhost", "lowercase"),
        ("pacitan..localhost", "not a valid host name"),
        ("lebak.localhost", "already belongs to Lebak"),
        ("localhost", "root domain"),
    ],
)
def test_bad_domain_is_refused_and_nothing_is_created(domain, message, nothing_created):
    with pytest.raises(ValidationError) as excinfo:
        tenant_create(slug="pacitan", region_code="35.01", domains=[domain])
    assert message in " ".join(_errors(excinfo)["domain"])
    assert nothing_created()


def test_existing_schema_of_the_same_name_is_refused():
    with connection.cursor() as cursor:
        cursor.execute("CREATE SCHEMA bone")
    with pytest.raises(ValidationError) as excinfo:
        tenant_create(slug="bone", region_code="73.08")
    assert "already exists" in _errors(excinfo)["slug"][0]
    assert not Tenant.objects.filter(slug="bone").exists()


def test_failure_after_the_schema_was_created_rolls_everything_back(monkeypatch, nothing_created):
    def broken_domain_create(**kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(Domain.objects, "create", broken_domain_create)
    with pytest.raises(RuntimeError):
        tenant_create(slug="pasaman", region_code="13.08")
    assert nothing_created()
