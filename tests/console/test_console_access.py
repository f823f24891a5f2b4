"""The console at the root domain is for Sragen's platform staff only."""

import pytest
from django_tenants.utils import schema_context

from accounts.services import user_create
from tests.accounts.helpers import PASSWORD, client_at, sign_in

pytestmark = pytest.mark.django_db


def test_anonymous_visitor_is_sent_to_sign_in():
    response = client_at("localhost").get("/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_public_user_without_platform_role_gets_403():
    with schema_context("public"):
        user = user_create(
            email="tamu@example.test", full_name="Tamu", password=PASSWORD, email_verified=True
        )
    client = client_at("localhost")
    sign_in(client, user.email)
    assert client.get("/").status_code == 403


def test_platform_engineer_sees_every_regency():
    client = client_at("localhost")
    assert sign_in(client, "engineer@sukowati.test", "Sukowati-demo-2026").status_code == 302
    page = client.get("/")
    assert page.status_code == 200
    for name in ("Lebak", "Balangan", "Dumai"):
        assert name in page.content.decode()
