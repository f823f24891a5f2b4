"""The base UI: vendored assets, the regency's name and logo, a menu of entitled
modules only, and allauth's pages inside the product's layout."""

import re
from dataclasses import dataclass

import pytest
from django.contrib.staticfiles import finders

from core.modules import MenuEntry
from tenants.models import Entitlement
from tests.accounts.helpers import sign_in_as
from tests.conftest import admin_email

pytestmark = pytest.mark.django_db

VENDORED = (
    "vendor/bootstrap/bootstrap.min.css",
    "vendor/bootstrap/bootstrap.bundle.min.js",
    "vendor/htmx/htmx.min.js",
)


def signed_in(client_for, slug):
    return sign_in_as(client_for(slug), slug, admin_email(slug))


@pytest.mark.parametrize("path", VENDORED)
def test_vendored_assets_are_shipped_with_the_project(path):
    assert finders.find(path) is not None


def test_pages_load_css_and_scripts_from_our_own_static_files_never_a_cdn(client_for):
    html = client_for("lebak").get("/accounts/login/").content.decode()
    for path in VENDORED:
        assert f'"/static/{path}"' in html
    assert "https://" not in html
    assert "//cdn" not in html


def test_sign_in_page_shows_the_regency_name_and_its_logo(client_for):
    html = client_for("lebak").get("/accounts/login/").content.decode()
    assert 'data-testid="regency-name">Lebak<' in html
    assert 'src="/branding/logo"' in html


def test_console_sign_in_page_shows_the_platform_instead_of_a_regency(client_for):
    html = client_for(None).get("/accounts/login/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Sukowati" in html
    assert "Platform console" in html
    assert "Lebak" not in html


def test_sign_in_page_offers_password_reset_but_no_public_sign_up(client_for):
    html = client_for("lebak").get("/accounts/login/").content.decode()
    assert "/accounts/password/reset/" in html
    assert "/accounts/signup/" not in html


def test_sign_in_form_uses_bootstrap_markup(client_for):
    html = client_for("lebak").get("/accounts/login/").content.decode()
    assert 'class="form-control' in html
    assert 'class="btn btn-primary' in html


def test_refused_sign_in_shows_the_reason_in_an_alert(client_for):
    response = client_for("lebak").post(
        "/accounts/login/", {"login": admin_email("lebak"), "password": "wrong-password-1"}
    )
    assert response.status_code == 200
    assert 'data-testid="form-errors"' in response.content.decode()


def test_remember_me_checkbox_is_sent_as_a_checkbox_not_a_value(client_for):
    html = client_for("lebak").get("/accounts/login/").content.decode()
    checkbox = re.search(r'<input[^>]*name="remember"[^>]*>', html)
    assert checkbox is not None
    assert 'type="checkbox"' in checkbox.group()
    # A value attribute would be posted as "True"/"False"; Django reads "False" as unchecked.
    assert "value=" not in checkbox.group()


def test_signed_in_home_shows_the_user_and_a_sign_out_button(client_for):
    html = signed_in(client_for, "lebak").get("/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Welcome to Lebak" in html
    assert "Siti Rahmawati" in html
    assert 'data-testid="sign-out"' in html
    assert 'data-testid="lang-en"' in html
    assert 'data-testid="lang-id"' in html


@dataclass(frozen=True)
class FakeModule:
    code: str
    label_text: str
    menu: tuple[MenuEntry, ...] = ()
    has_urls: bool = True


def test_navigation_shows_only_the_modules_the_regency_is_entitled_to(
    client_for, regencies, monkeypatch
):
    # The demo regencies are entitled to permits only.
    modules = [FakeModule("ktp", "KTP service"), FakeModule("kantaya", "Kantaya office")]
    monkeypatch.setattr("core.context_processors.installed_modules", lambda: modules)
    Entitlement.objects.create(tenant=regencies["lebak"], module_code="ktp")

    lebak = signed_in(client_for, "lebak").get("/").content.decode()
    dumai = signed_in(client_for, "dumai").get("/").content.decode()

    assert 'data-module="ktp"' in lebak
    assert 'data-module="kantaya"' not in lebak
    assert 'data-module="ktp"' not in dumai


def test_home_without_modules_explains_how_services_are_enabled(client_for, regencies):
    Entitlement.objects.filter(tenant=regencies["balangan"]).delete()
    html = signed_in(client_for, "balangan").get("/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert 'data-testid="no-modules"' in html


@pytest.mark.parametrize(
    "path", ["/accounts/2fa/", "/accounts/password/change/", "/accounts/email/"]
)
def test_account_pages_render_in_the_product_layout(client_for, path):
    response = signed_in(client_for, "lebak").get(path)
    assert response.status_code == 200
    html = response.content.decode()
    assert "sk-navbar" in html
    assert "list-group-item" in html


def test_password_reset_page_renders_in_the_entrance_layout(client_for):
    html = client_for("dumai").get("/accounts/password/reset/").content.decode()
    assert "sk-entrance" in html
    assert 'data-testid="entrance-regency">Dumai<' in html
    assert 'class="form-control' in html


def test_console_lists_regencies_for_platform_staff(client_for):
    from django_tenants.utils import schema_context

    from accounts.models import User

    client = client_for(None)
    # The console requires TOTP (signing in with the code: tests/console); the
    # session is made directly so the demo engineer's one-time code stays unused.
    with schema_context("public"):
        client.force_login(User.objects.get(email="engineer@sukowati.test"))
    html = client.get("/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert 'data-testid="tenant-table"' in html
    for name in ("Lebak", "Balangan", "Dumai"):
        assert name in html


def test_unknown_host_page_does_not_ask_the_unknown_host_for_a_logo(client):
    html = client.get("/", HTTP_HOST="maros.localhost").content.decode()
    assert "/branding/logo" not in html
    assert "/static/core/sukowati-emblem.svg" in html


def test_module_menu_shows_each_person_only_the_entries_their_roles_open(
    client_for, regencies, monkeypatch
):
    from django_tenants.utils import schema_context

    from staff.models import RoleAssignment
    from tests.accounts.helpers import new_user

    menu = (
        MenuEntry(label="Apply here", url_name="apply"),
        MenuEntry(label="Officer inbox", url_name="inbox", roles=("officer",)),
        MenuEntry(label="Figures", url_name="figures", roles=("officer",), admins=True),
    )
    modules = [FakeModule("ktp", "KTP service", menu=menu)]
    monkeypatch.setattr("core.context_processors.installed_modules", lambda: modules)
    Entitlement.objects.create(tenant=regencies["lebak"], module_code="ktp")
    citizen, officer = new_user("lebak"), new_user("lebak")
    with schema_context("lebak"):
        RoleAssignment.objects.create(user=officer, module="ktp", role="officer", scope="regency")

    def menu_of(email: str) -> str:
        return sign_in_as(client_for("lebak"), "lebak", email).get("/").content.decode()

    as_citizen, as_officer = menu_of(citizen.email), menu_of(officer.email)
    as_admin = signed_in(client_for, "lebak").get("/").content.decode()
    assert "Apply here" in as_citizen and "Officer inbox" not in as_citizen
    assert "Figures" not in as_citizen
    assert "Officer inbox" in as_officer and "Figures" in as_officer
    assert "Figures" in as_admin and "Officer inbox" not in as_admin
