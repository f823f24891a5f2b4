"""Users live per schema: an account of one regency exists nowhere else."""

import pytest
from django_tenants.utils import schema_context

from accounts.models import User
from tests.accounts.helpers import client_at, new_user, sign_in

pytestmark = pytest.mark.django_db


def test_lebak_account_cannot_sign_in_at_dumai():
    user = new_user("lebak")
    assert sign_in(client_at("lebak.localhost"), user.email).status_code == 302
    client = client_at("dumai.localhost")
    response = sign_in(client, user.email)
    assert response.status_code == 200
    assert not client.get("/").wsgi_request.user.is_authenticated


def test_lebak_account_cannot_sign_in_at_the_console():
    user = new_user("lebak")
    client = client_at("localhost")
    response = sign_in(client, user.email)
    assert response.status_code == 200
    assert not client.get("/accounts/login/").wsgi_request.user.is_authenticated


def test_lebak_session_cookie_means_nothing_at_dumai():
    user = new_user("lebak")
    lebak = client_at("lebak.localhost")
    sign_in(lebak, user.email)
    session_id = lebak.cookies["sessionid"].value
    dumai = client_at("dumai.localhost")
    dumai.cookies["sessionid"] = session_id
    assert not dumai.get("/accounts/login/").wsgi_request.user.is_authenticated
    assert dumai.get("/").status_code == 302


def test_session_cookie_is_host_only():
    user = new_user("lebak")
    client = client_at("lebak.localhost")
    sign_in(client, user.email)
    assert client.cookies["sessionid"]["domain"] == ""


def test_same_email_in_two_regencies_is_two_separate_accounts():
    email = "kepala.dinas@example.test"
    lebak_user = new_user("lebak", email=email)
    dumai_user = new_user("dumai", email=email)
    with schema_context("lebak"):
        assert User.objects.get(email=email).pk == lebak_user.pk
    with schema_context("dumai"):
        assert User.objects.get(email=email).pk == dumai_user.pk
    with schema_context("public"):
        assert not User.objects.filter(email=email).exists()


def test_row_created_in_lebak_is_invisible_from_balangan():
    user = new_user("lebak")
    with schema_context("balangan"):
        assert not User.objects.filter(email=user.email).exists()
    with schema_context("lebak"):
        assert User.objects.filter(email=user.email).exists()
