"""The MFA policy: regency admins and holders of roles that require it use the
site only with a TOTP authenticator; until then every page but allauth's own
sends them to set one up."""

import pytest
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
from django.test import RequestFactory
from django_tenants.utils import schema_context

from accounts.middleware import mfa_setup_pending
from accounts.models import User
from staff.models import RoleAssignment
from tests.accounts.helpers import PASSWORD, client_at, sign_in
from tests.staff.helpers_people import admin_create, person_create, signed_in

pytestmark = pytest.mark.django_db

ACTIVATE = "/accounts/2fa/totp/activate/"


def _grant(user: User, module: str, role: str) -> None:
    with schema_context("lebak"):
        RoleAssignment.objects.create(user=user, module=module, role=role, scope="regency")


@pytest.mark.parametrize("path", ["/", "/staff/", "/audit/", "/permits/", "/no-such-page/"])
def test_admin_without_totp_is_sent_to_set_it_up_from_every_page(path):
    client = signed_in("lebak", admin_create(totp=False))

    response = client.get(path)

    assert response.status_code == 302
    assert response["Location"] == ACTIVATE


def test_the_redirect_says_why():
    client = signed_in("lebak", admin_create(totp=False))
    response = client.get("/staff/", follow=True)
    messages = [str(m) for m in response.context["messages"]]
    assert any("requires two-factor sign-in" in m for m in messages)


@pytest.mark.parametrize(
    "path", ["/accounts/2fa/", ACTIVATE, "/accounts/password/change/", "/static/core/confirm.js"]
)
def test_setup_pages_stay_open_to_an_admin_without_totp(path):
    client = signed_in("lebak", admin_create(totp=False))
    response = client.get(path)
    assert response.get("Location") != ACTIVATE


def test_language_switch_and_sign_out_stay_open():
    client = signed_in("lebak", admin_create(totp=False))
    assert client.post("/i18n/setlang/", {"language": "id", "next": "/"})["Location"] == "/"
    assert client.post("/accounts/logout/")["Location"] != ACTIVATE


def test_admin_with_totp_uses_the_site():
    client = signed_in("lebak", admin_create(totp=True))
    assert client.get("/staff/").status_code == 200


def test_demo_admins_have_the_demo_authenticator_and_are_let_through(admin_client):
    assert admin_client.get("/staff/").status_code == 200
    with schema_context("lebak"):
        assert Authenticator.objects.filter(
            user__email="admin@lebak.test", type=Authenticator.Type.TOTP
        ).exists()


@pytest.mark.parametrize(
    ("module", "role", "required"),
    [
        ("permits", "approver", True),
        ("ktp", "supervisor", True),
        ("kantaya", "unit_admin", True),
        ("permits", "front_office", False),
        ("ktp", "operator", False),
    ],
)
def test_holders_of_roles_requiring_mfa_must_set_it_up(module, role, required):
    person = person_create(password=True)
    _grant(person, module, role)

    response = signed_in("lebak", person).get("/")

    if required:
        assert response["Location"] == ACTIVATE
    else:
        assert response.status_code == 200


def test_a_role_taken_away_stops_the_requirement_at_the_next_request():
    person = person_create(password=True)
    _grant(person, "permits", "approver")
    client = signed_in("lebak", person)
    assert client.get("/").status_code == 302
    with schema_context("lebak"):
        RoleAssignment.objects.filter(user=person).delete()
    assert client.get("/").status_code == 200


def test_setting_up_totp_lets_the_admin_in():
    admin = admin_create(totp=False)
    client = signed_in("lebak", admin)
    assert client.get("/staff/").status_code == 302
    with schema_context("lebak"):
        TOTP.activate(admin, generate_totp_secret())
    assert client.get("/staff/").status_code == 200


def test_invited_admin_sets_a_password_then_must_set_up_totp():
    """Accepting an invitation as an admin: sign in with the new password, and the
    first page is the authenticator set-up."""
    admin = admin_create(totp=False)
    client = client_at("lebak.localhost")
    assert sign_in(client, admin.email, PASSWORD).status_code == 302
    response = client.get("/")
    assert response["Location"] == ACTIVATE
    page = client.get(ACTIVATE, follow=True)
    assert page.status_code == 200


def test_support_agents_are_exempt(regencies):
    """Sragen engineers enter through a grant after the console's own MFA."""
    with schema_context("lebak"):
        agent = User.objects.create(
            email="support-agent-x@sukowati.test",
            full_name="Budi Santoso",
            is_regency_admin=True,
            is_support_agent=True,
        )
    request = RequestFactory().get("/staff/")
    request.user = agent
    request.tenant = regencies["lebak"]
    assert mfa_setup_pending(request) is False
    request = RequestFactory().get("/staff/")
    with schema_context("lebak"):
        request.user = User.objects.create(
            email="plain-admin-x@lebak.test", full_name="Ratna", is_regency_admin=True
        )
        request.tenant = regencies["lebak"]
        assert mfa_setup_pending(request) is True


def test_console_is_left_to_its_own_rule(regencies):
    with schema_context("public"):
        user = User.objects.create(email="someone-x@sukowati.test", full_name="Andi")
        request = RequestFactory().get("/")
        request.user = user
        request.tenant = type("Public", (), {"schema_name": "public"})()
        assert mfa_setup_pending(request) is False
