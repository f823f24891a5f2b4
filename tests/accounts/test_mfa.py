"""TOTP multi-factor sign-in with recovery codes."""

import pytest
from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes
from allauth.mfa.totp.internal.auth import (
    TOTP,
    format_hotp_value,
    generate_totp_secret,
    hotp_value,
    yield_hotp_counters_from_time,
)
from django_tenants.utils import schema_context

from tests.accounts.helpers import client_at, new_user, sign_in

pytestmark = pytest.mark.django_db


def _user_with_totp(schema: str):
    user = new_user(schema)
    secret = generate_totp_secret()
    with schema_context(schema):
        TOTP.activate(user, secret)
        codes = RecoveryCodes.activate(user).get_unused_codes()
    return user, secret, codes


def _current_code(secret: str) -> str:
    counter = next(iter(yield_hotp_counters_from_time()))
    return format_hotp_value(hotp_value(secret, counter))


def test_password_alone_does_not_sign_in_a_user_with_totp():
    user, _secret, _codes = _user_with_totp("lebak")
    client = client_at("lebak.localhost")
    response = sign_in(client, user.email)
    assert response.status_code == 302
    assert response["Location"] == "/accounts/2fa/authenticate/"
    assert not client.get("/").wsgi_request.user.is_authenticated


def test_valid_totp_code_completes_sign_in():
    user, secret, _codes = _user_with_totp("lebak")
    client = client_at("lebak.localhost")
    sign_in(client, user.email)
    response = client.post("/accounts/2fa/authenticate/", {"code": _current_code(secret)})
    assert response.status_code == 302
    assert client.get("/").wsgi_request.user == user


def test_wrong_totp_code_is_refused():
    user, secret, _codes = _user_with_totp("dumai")
    client = client_at("dumai.localhost")
    sign_in(client, user.email)
    wrong = "000000" if _current_code(secret) != "000000" else "111111"
    response = client.post("/accounts/2fa/authenticate/", {"code": wrong})
    assert response.status_code == 200
    assert not client.get("/").wsgi_request.user.is_authenticated


def test_recovery_code_signs_in_once_only():
    user, _secret, codes = _user_with_totp("balangan")
    first = client_at("balangan.localhost")
    sign_in(first, user.email)
    assert first.post("/accounts/2fa/authenticate/", {"code": codes[0]}).status_code == 302
    second = client_at("balangan.localhost")
    sign_in(second, user.email)
    assert second.post("/accounts/2fa/authenticate/", {"code": codes[0]}).status_code == 200
    assert not second.get("/").wsgi_request.user.is_authenticated
