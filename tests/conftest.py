"""Fixtures shared by the whole suite.

The test database is created once per run with the three demo regencies
(`seed_demo`), committed, so that live servers and Celery workers started as
subprocesses see them too. Each test then runs inside a transaction that is
rolled back, and the connection is returned to the public schema."""

from collections.abc import Iterator
from typing import Any

import pytest
from django.core.management import call_command
from django.test import Client
from django.utils.functional import empty

from accounts.models import User
from core.db import tenant_connection
from tenants.models import Tenant
from tenants.routing import routing_forget_local

# Shared fixtures: a real Celery worker (celery_worker_session), moto's S3 (s3_endpoint).
pytest_plugins = ["tests.workers", "tests.s3", "tests.stripe_double"]

DEMO_PASSWORD = "Sukowati-demo-2026"
ROOT = "localhost"


@pytest.fixture(scope="session", autouse=True)
def _static_files_from_the_apps() -> None:
    """Serve static files straight from the apps, as a fresh checkout does: a
    manifest left in var/static by `make run` must not make a newly added file
    unresolvable in tests."""
    from django.conf import settings
    from django.contrib.staticfiles.storage import staticfiles_storage
    from django.core.files.storage import storages

    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    storages._storages.pop("staticfiles", None)  # type: ignore[attr-defined]
    staticfiles_storage._wrapped = empty  # type: ignore[attr-defined]


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup: None, django_db_blocker: Any) -> None:
    with django_db_blocker.unblock():
        call_command("seed_demo", verbosity=0)
        tenant_connection().set_schema_to_public()


@pytest.fixture(autouse=True)
def _public_schema_after_test() -> Iterator[None]:
    yield
    tenant_connection().set_schema_to_public()
    # Rolled-back transactions send no invalidation: forget routes they cached.
    routing_forget_local()


@pytest.fixture
def regencies(db: None) -> dict[str, Tenant]:
    return {t.slug: t for t in Tenant.objects.filter(slug__in=["lebak", "balangan", "dumai"])}


def host_of(slug: str | None) -> str:
    return ROOT if slug is None else f"{slug}.{ROOT}"


@pytest.fixture
def client_for() -> Any:
    """`client_for("lebak")` is a test client whose requests go to lebak.localhost;
    `client_for(None)` goes to the console at the root domain."""

    def make(slug: str | None) -> Client:
        return Client(HTTP_HOST=host_of(slug))

    return make


def admin_email(slug: str) -> str:
    return f"admin@{slug}.test"


def user_in(slug: str | None, email: str) -> User:
    from django_tenants.utils import schema_context

    with schema_context(slug or "public"):
        return User.objects.get(email=email)
