"""Shared fixtures of the staff tests: the demo admins (who have the demo TOTP
authenticator, so the MFA policy lets them through), clients signed in as
them, a plain staff member, and Celery tasks recorded instead of published."""

from collections.abc import Iterator

import pytest
from django.test import Client
from django_tenants.utils import schema_context

from accounts.models import User
from tests.accounts.helpers import client_at
from tests.conftest import admin_email
from tests.staff.helpers_people import admin_create, person_create, signed_in


def demo_admin(slug: str) -> User:
    with schema_context(slug):
        return User.objects.get(email=admin_email(slug))


@pytest.fixture
def lebak_admin(db: None) -> User:
    return demo_admin("lebak")


@pytest.fixture
def admin_client(lebak_admin: User) -> Client:
    """Lebak's demo admin, signed in at lebak.localhost, in English."""
    return signed_in("lebak", lebak_admin)


@pytest.fixture
def second_admin_client(db: None) -> Client:
    """Another Lebak admin (with an authenticator), signed in."""
    return signed_in("lebak", admin_create("lebak"))


@pytest.fixture
def staff_user(db: None) -> User:
    """A Lebak staff member who has set a password and holds no role."""
    return person_create("lebak", password=True)


@pytest.fixture
def staff_client(staff_user: User) -> Client:
    return signed_in("lebak", staff_user)


@pytest.fixture
def anonymous_client() -> Client:
    return client_at("lebak.localhost")


@pytest.fixture
def sent_invitations(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[tuple]]:
    """invitation_send_task.delay runs the task at once, in this process and this
    schema, and records its arguments: no worker, nothing left in a broker."""
    from staff.tasks import invitation_send_task

    calls: list[tuple] = []

    def run(*args: object) -> None:
        calls.append(args)
        invitation_send_task.apply(args=args).get()

    monkeypatch.setattr(invitation_send_task, "delay", run)
    yield calls
