"""Sign-in with allauth: email and password, verification, reset, closed sign-up."""

import re

import pytest
from django.core import mail

from tests.accounts.helpers import PASSWORD, client_at, new_user, sign_in

pytestmark = pytest.mark.django_db


def test_verified_user_signs_in_with_email_and_password():
    user = new_user("lebak")
    client = client_at("lebak.localhost")
    response = sign_in(client, user.email)
    assert response.status_code == 302
    assert response["Location"] == "/"
    home = client.get("/")
    assert home.status_code == 200
    assert home.wsgi_request.user == user


def test_email_lookup_ignores_case():
    user = new_user("lebak")
    response = sign_in(client_at("lebak.localhost"), user.email.upper())
    assert response.status_code == 302


def test_wrong_password_is_refused_with_a_message():
    user = new_user("lebak")
    response = sign_in(client_at("lebak.localhost"), user.email, "not-the-password")
    assert response.status_code == 200
    assert "not correct" in response.content.decode()


def test_unverified_email_cannot_reach_the_site():
    user = new_user("dumai", verified=False)
    client = client_at("dumai.localhost")
    response = sign_in(client, user.email)
    assert response.status_code == 302
    assert "/accounts/confirm-email/" in response["Location"]
    assert not client.get("/").wsgi_request.user.is_authenticated
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == [user.email]


def test_anonymous_visitor_is_sent_to_sign_in():
    response = client_at("balangan.localhost").get("/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_public_sign_up_is_closed():
    client = client_at("lebak.localhost")
    response = client.post(
        "/accounts/signup/",
        {"email": "warga@example.test", "password1": PASSWORD, "password2": PASSWORD},
    )
    assert "closed" in response.content.decode().lower()
    from django_tenants.utils import schema_context

    from accounts.models import User

    with schema_context("lebak"):
        assert not User.objects.filter(email="warga@example.test").exists()


def test_password_reset_mails_a_link_to_the_same_regency_host():
    user = new_user("balangan")
    client = client_at("balangan.localhost")
    response = client.post("/accounts/password/reset/", {"email": user.email})
    assert response.status_code == 302
    assert len(mail.outbox) == 1
    link = re.search(r"http://[^\s]+/accounts/password/reset/key/[^\s]+", str(mail.outbox[0].body))
    assert link is not None
    assert link.group(0).startswith("http://balangan.localhost/")

    path = link.group(0).removeprefix("http://balangan.localhost")
    form_page = client.get(path, follow=True)
    new_password = "Kantor-baru-2026!"
    done = client.post(
        form_page.wsgi_request.path, {"password1": new_password, "password2": new_password}
    )
    assert done.status_code == 302
    assert sign_in(client_at("balangan.localhost"), user.email, new_password).status_code == 302


def test_password_reset_for_unknown_email_reveals_nothing():
    client = client_at("lebak.localhost")
    response = client.post("/accounts/password/reset/", {"email": "nobody@example.test"})
    assert response.status_code == 302  # same answer as for a real account
    assert len(mail.outbox) == 1  # allauth tells the address no account exists
    assert "reset/key" not in mail.outbox[0].body


def test_repeated_failed_sign_ins_are_rate_limited():
    user = new_user("lebak")
    client = client_at("lebak.localhost")
    for _ in range(5):
        sign_in(client, user.email, "wrong-password-1")
    response = sign_in(client, user.email)  # even the right password now
    assert response.status_code in (200, 429)
    assert "Too many failed login attempts" in response.content.decode()
