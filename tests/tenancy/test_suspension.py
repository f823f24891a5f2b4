"""A suspended regency: staff cannot act, admins still reach billing and support,
data is untouched."""

import pytest
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
from django.http import HttpResponse
from django.urls import include, path
from django_tenants.utils import schema_context

from accounts.models import User
from config.urls_common import common_patterns
from core.views import RegencyHomeView
from tenants.lifecycle import Actor, tenant_transition
from tenants.models import Tenant
from tests.accounts.helpers import client_at, new_user, sign_in, sign_in_as

pytestmark = pytest.mark.django_db
ENGINEER = Actor(email="engineer@sukowati.test")


def _ok(request):
    return HttpResponse(f"{request.method} ok")


urlpatterns = [
    *common_patterns,
    path("", RegencyHomeView.as_view(), name="home"),
    path("billing/", include(([path("", _ok, name="invoices")], "billing"))),
    path("support/", include(([path("", _ok, name="tickets")], "support"))),
    path("work/", include(([path("", _ok, name="inbox")], "work"))),
]


@pytest.fixture
def suspended_lebak(regencies, settings):
    settings.ROOT_URLCONF = __name__
    tenant_transition(
        tenant=regencies["lebak"],
        to_status=Tenant.Status.SUSPENDED,
        actor=ENGINEER,
        reason="Tagihan belum dibayar",
    )
    return regencies["lebak"]


def _signed_in(admin: bool):
    user = new_user("lebak")
    client = client_at("lebak.localhost")
    if admin:
        with schema_context("lebak"):
            User.objects.filter(pk=user.pk).update(is_regency_admin=True)
            # Admins must have two-factor sign-in (accounts.middleware.MfaRequiredMiddleware).
            TOTP.activate(user, generate_totp_secret())
        return sign_in_as(client, "lebak", user.email)
    assert sign_in(client, user.email).status_code == 302
    return client


def test_staff_cannot_act_while_suspended(suspended_lebak):
    client = _signed_in(admin=False)
    for path_ in ("/", "/work/", "/billing/"):
        assert client.get(path_).status_code == 503, path_
    assert client.post("/work/").status_code == 503


def test_admin_still_reaches_billing_support_and_home(suspended_lebak):
    client = _signed_in(admin=True)
    assert client.get("/billing/").content == b"GET ok"
    assert client.post("/support/").content == b"POST ok"
    home = client.get("/")
    assert home.status_code == 200
    assert b'data-testid="suspended-notice"' in home.content
    assert client.get("/work/").status_code == 503


def test_sign_in_page_stays_open_while_suspended(suspended_lebak):
    assert client_at("lebak.localhost").get("/accounts/login/").status_code == 200


def test_suspension_leaves_data_untouched_and_reactivation_restores_service(suspended_lebak):
    with schema_context("lebak"):
        users = User.objects.count()
    tenant_transition(
        tenant=suspended_lebak, to_status=Tenant.Status.ACTIVE, actor=ENGINEER, reason="Lunas"
    )
    with schema_context("lebak"):
        assert User.objects.count() == users
    client = _signed_in(admin=False)
    assert client.get("/work/").content == b"GET ok"
