"""Who reaches the console's billing pages. Every URL in console.urls_billing is
walked from the URLconf itself, so a page added later cannot escape these tests.

Decision (docs/decisions/billing.md): finance staff reach every billing page;
engineers reach only the expense pages (log visits and support time) and get 403
on the rest; regency users never reach the console."""

import datetime

import pytest
from django.urls import URLPattern, reverse
from django.urls.converters import IntConverter

from accounts.models import User
from console.urls_billing import STAFF_URL_NAMES, urlpatterns
from tests.accounts.helpers import client_at, sign_in
from tests.conftest import DEMO_PASSWORD, admin_email
from tests.console.conftest import console_client, staff_user

pytestmark = pytest.mark.django_db

SAMPLE = {"to_status": "approved", "code": "permits"}


def every_billing_url() -> list[tuple[str, str]]:
    urls = []
    for pattern in urlpatterns:
        assert isinstance(pattern, URLPattern) and pattern.name
        kwargs = {
            name: 999_999 if isinstance(conv, IntConverter) else SAMPLE.get(name, "x")
            for name, conv in pattern.pattern.converters.items()
        }
        urls.append(
            (
                pattern.name,
                reverse(pattern.name, kwargs=kwargs or None, urlconf="config.urls_public"),
            )
        )
    return urls


URLS = every_billing_url()
FINANCE_ONLY = [(n, p) for n, p in URLS if n not in STAFF_URL_NAMES]
STAFF = [(n, p) for n, p in URLS if n in STAFF_URL_NAMES]


def _statuses(client, urls, method="get"):
    return {name: getattr(client, method)(path).status_code for name, path in urls}


def test_the_walk_covers_every_billing_page():
    assert len(URLS) == len(urlpatterns) > 20
    assert all(path.startswith("/billing/") for _name, path in URLS)
    assert {name for name, _path in URLS} >= STAFF_URL_NAMES


def test_anonymous_visitors_are_sent_to_sign_in():
    client = client_at("localhost")
    for name, path in URLS:
        response = client.get(path)
        assert response.status_code == 302 and response["Location"].startswith(
            "/accounts/login/"
        ), name


def test_public_users_without_a_platform_role_get_403_everywhere():
    client = console_client(staff_user(User.PlatformRole.NONE))
    for method in ("get", "post"):
        assert set(_statuses(client, URLS, method).values()) == {403}


def test_engineers_get_403_on_finance_pages_but_reach_the_expense_pages():
    client = console_client(staff_user(User.PlatformRole.ENGINEER))
    for method in ("get", "post"):
        assert set(_statuses(client, FINANCE_ONLY, method).values()) == {403}
    reached = _statuses(client, STAFF)
    assert 403 not in reached.values() and 302 not in reached.values(), reached


def test_engineers_cannot_approve_a_visit(regencies):
    from billing.expenses import site_visit_save
    from tenants.lifecycle import Actor

    visit = site_visit_save(
        actor=Actor(email="e@sukowati.test"), tenant=regencies["lebak"], purpose="Instalasi",
        starts_on=datetime.date(2031, 1, 5), ends_on=datetime.date(2031, 1, 6), people="Budi",
        transport_rupiah=0, lodging_rupiah=0, per_diem_rupiah=0,
    )  # fmt: skip
    client = console_client(staff_user(User.PlatformRole.ENGINEER))
    assert client.post(f"/billing/site-visits/{visit.pk}/move/submitted/").status_code == 302
    assert client.post(f"/billing/site-visits/{visit.pk}/move/approved/").status_code == 403
    visit.refresh_from_db()
    assert visit.status == "submitted"


def test_finance_staff_reach_every_billing_page():
    client = console_client(staff_user(User.PlatformRole.FINANCE))
    reached = _statuses(client, URLS)
    # 404 for the made-up ids, 405 for POST-only actions: never turned away.
    assert not {403, 302} & set(reached.values()), reached
    assert reached["billing_home"] == 200


def test_finance_staff_without_mfa_are_sent_to_set_it_up():
    client = console_client(staff_user(User.PlatformRole.FINANCE, mfa=False))
    response = client.get("/billing/")
    assert response.status_code == 302 and response["Location"] == reverse("mfa_activate_totp")


def test_a_regency_admin_session_does_not_reach_the_console_billing():
    client = client_at("lebak.localhost")
    assert sign_in(client, admin_email("lebak"), DEMO_PASSWORD).status_code == 302
    client.defaults["HTTP_HOST"] = "localhost"
    for name, path in URLS:
        response = client.get(path)
        assert response.status_code == 302 and response["Location"].startswith(
            "/accounts/login/"
        ), name


def test_the_console_nav_shows_billing_to_finance_and_expenses_to_engineers():
    finance = (
        console_client(staff_user(User.PlatformRole.FINANCE)).get("/billing/").content.decode()
    )
    assert 'data-testid="nav-billing"' in finance
    engineer = console_client(staff_user(User.PlatformRole.ENGINEER)).get("/").content.decode()
    assert 'data-testid="nav-billing"' not in engineer
    assert 'data-testid="nav-expenses"' in engineer
