"""The console is for Sragen's platform engineers only, each with two-factor
authentication. Every console URL is checked, walked from the URLconf itself,
so a URL added later cannot escape these tests."""

import pytest
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
from django.urls import URLPattern, reverse
from django.urls.converters import IntConverter
from django_tenants.utils import schema_context

from accounts.models import User
from console.urls import urlpatterns
from tenants.management.commands.demo_totp import totp_code
from tests.accounts.helpers import PASSWORD, client_at, new_user, sign_in, sign_in_as
from tests.conftest import admin_email
from tests.console.conftest import console_client, staff_user

pytestmark = pytest.mark.django_db

SAMPLE_KWARGS = {"slug": "lebak", "to_status": "suspended", "code": "sample"}


def _sample(name: str, converter: object) -> object:
    return 1 if isinstance(converter, IntConverter) else SAMPLE_KWARGS.get(name, "x")


def every_console_url() -> list[tuple[str, str]]:
    """(url name, a concrete path) for every pattern in console.urls."""
    urls = []
    for pattern in urlpatterns:
        assert isinstance(pattern, URLPattern), "console.urls should stay flat"
        assert pattern.name, f"{pattern.pattern} needs a name"
        kwargs = {
            name: _sample(name, converter) for name, converter in pattern.pattern.converters.items()
        }
        path = reverse(pattern.name, kwargs=kwargs or None, urlconf="config.urls_public")
        urls.append((pattern.name, path))
    return urls


CONSOLE_URLS = every_console_url()
ENGINEER_ONLY = [(name, path) for name, path in CONSOLE_URLS if name != "home"]


def test_the_walk_covers_the_console():
    names = {name for name, _path in CONSOLE_URLS}
    assert {"home", "console_tenant_detail", "console_audit_csv", "console_fleet"} <= names
    assert len(CONSOLE_URLS) == len(urlpatterns)


def _answers(client, urls, method="get"):
    """{url name: (status, redirect target)} for each URL."""
    result = {}
    for name, path in urls:
        response = getattr(client, method)(path)
        result[name] = (response.status_code, response.get("Location", "").split("?")[0])
    return result


def _all(urls, status, location=""):
    return {name: (status, location) for name, _path in urls}


def test_anonymous_visitor_is_sent_to_sign_in():
    client = client_at("localhost")
    for method in ("get", "post"):
        assert _answers(client, CONSOLE_URLS, method) == _all(CONSOLE_URLS, 302, "/accounts/login/")


def test_public_user_without_platform_role_gets_403_on_every_url():
    client = console_client(staff_user(User.PlatformRole.NONE))
    for method in ("get", "post"):
        assert _answers(client, CONSOLE_URLS, method) == _all(CONSOLE_URLS, 403)


def test_non_engineer_without_mfa_gets_403_not_an_mfa_prompt():
    client = console_client(staff_user(User.PlatformRole.NONE, mfa=False))
    assert _answers(client, CONSOLE_URLS) == _all(CONSOLE_URLS, 403)


def test_finance_staff_get_403_everywhere_but_the_list():
    client = console_client(staff_user(User.PlatformRole.FINANCE))
    for method in ("get", "post"):
        assert _answers(client, ENGINEER_ONLY, method) == _all(ENGINEER_ONLY, 403)


def test_finance_staff_see_the_list_without_engineers_buttons():
    response = console_client(staff_user(User.PlatformRole.FINANCE)).get("/")
    assert response.status_code == 200
    html = response.content.decode()
    assert 'data-testid="tenant-table"' in html
    assert 'data-testid="new-prospect"' not in html
    assert "/tenants/lebak/" not in html


def test_a_lebak_admin_session_does_not_exist_on_the_console_host():
    client = client_at("lebak.localhost")
    sign_in_as(client, "lebak", admin_email("lebak"))
    assert client.get("/").wsgi_request.user.is_authenticated
    # The same cookie jar, at the console: the session lives in Lebak's schema only.
    client.defaults["HTTP_HOST"] = "localhost"
    for method in ("get", "post"):
        assert _answers(client, CONSOLE_URLS, method) == _all(CONSOLE_URLS, 302, "/accounts/login/")


def test_engineer_without_mfa_is_sent_to_set_up_totp_from_every_url():
    client = console_client(staff_user(mfa=False))
    assert _answers(client, CONSOLE_URLS) == _all(CONSOLE_URLS, 302, reverse("mfa_activate_totp"))


def test_the_mfa_redirect_says_why():
    client = console_client(staff_user(mfa=False))
    page = client.get("/", follow=True)
    assert "Set up two-factor authentication before you use the platform console." in (
        page.content.decode()
    )


def test_engineer_with_mfa_reaches_the_console(console):
    assert console.get("/").status_code == 200


def test_engineer_signs_in_with_password_and_totp_code():
    user = new_user("public", email="ops-totp@sukowati.test")
    with schema_context("public"):
        User.objects.filter(pk=user.pk).update(platform_role=User.PlatformRole.ENGINEER)
        secret = generate_totp_secret()
        TOTP.activate(user, secret)
    client = client_at("localhost")
    response = sign_in(client, user.email, PASSWORD)
    assert response["Location"] == "/accounts/2fa/authenticate/"
    assert client.get("/").status_code == 302  # not signed in before the code
    response = client.post("/accounts/2fa/authenticate/", {"code": totp_code(secret)})
    if response.status_code == 200:  # the 30-second step turned just then: the next code
        response = client.post("/accounts/2fa/authenticate/", {"code": totp_code(secret)})
    assert response.status_code == 302
    page = client.get("/")
    assert page.status_code == 200
    assert 'data-testid="tenant-table"' in page.content.decode()
