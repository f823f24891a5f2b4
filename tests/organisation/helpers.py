"""Organisation test fixtures, shared with tests/tenancy: a regency's admin
signed in (with an authenticator, as regency admins are required to have one),
or ordinary staff; uploads a test leaves behind are removed."""

from collections.abc import Callable, Iterator

import pytest
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
from django.core.files.storage import default_storage
from django.test import Client
from django_tenants.utils import schema_context

from accounts.models import User
from organisation.tables import IMPORT_DIR
from tests.accounts.helpers import client_at, new_user
from tests.conftest import admin_email, host_of


def signed_in(slug: str, user: User) -> Client:
    """An English client at the regency's host with `user`'s session. The session
    is made directly, in the regency's schema, so no sign-in code is spent."""
    client = client_at(host_of(slug))
    with schema_context(slug):
        client.force_login(user)
    return client


@pytest.fixture
def admin_client(db: None) -> Callable[[str], Client]:
    """`admin_client("lebak")`: a client signed in as Lebak's demo admin."""

    def make(slug: str) -> Client:
        with schema_context(slug):
            user = User.objects.get(email=admin_email(slug))
            if not Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists():
                TOTP.activate(user, generate_totp_secret())
        return signed_in(slug, user)

    return make


@pytest.fixture
def staff_client(db: None) -> Callable[[str], Client]:
    """A client signed in as an ordinary (non-admin) member of staff."""

    def make(slug: str) -> Client:
        return signed_in(slug, new_user(slug))

    return make


def _stored_uploads() -> set[tuple[str, str]]:
    found = set()
    for slug in ("lebak", "balangan", "dumai"):
        with schema_context(slug):
            if default_storage.exists(IMPORT_DIR):
                found |= {(slug, name) for name in default_storage.listdir(IMPORT_DIR)[1]}
    return found


@pytest.fixture(autouse=True)
def uploads_removed() -> Iterator[None]:
    """Uploads a test left waiting are removed: rolling back the database does
    not remove files."""
    before = _stored_uploads()
    yield
    for slug, name in _stored_uploads() - before:
        with schema_context(slug):
            default_storage.delete(f"{IMPORT_DIR}/{name}")
