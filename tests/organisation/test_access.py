"""Only the regency's admin reaches the organisation screens."""

import pytest
from django_tenants.utils import schema_context

from organisation.models import Kecamatan, Position, WorkUnit
from tests.accounts.helpers import client_at

pytestmark = pytest.mark.django_db


def organisation_urls(slug: str) -> list[str]:
    with schema_context(slug):
        unit = WorkUnit.objects.earliest("pk")
        position = Position.objects.earliest("pk")
        kecamatan = Kecamatan.objects.earliest("pk")
        desa = kecamatan.desa.earliest("pk")
    return [
        "/organisation/",
        "/organisation/work-units/",
        "/organisation/work-units/new/",
        f"/organisation/work-units/{unit.pk}/",
        "/organisation/positions/",
        "/organisation/positions/new/",
        f"/organisation/positions/{position.pk}/",
        "/organisation/kecamatan/",
        f"/organisation/kecamatan/{kecamatan.pk}/",
        f"/organisation/kecamatan/{kecamatan.pk}/edit/",
        f"/organisation/desa/{desa.pk}/edit/",
        "/organisation/work-units/import/",
        "/organisation/positions/import/",
        "/organisation/areas/import/",
        "/organisation/work-units/export/csv/",
        "/organisation/positions/export/xlsx/",
        "/organisation/areas/export/csv/",
        "/organisation/work-units/template/",
    ]


def test_every_screen_opens_for_the_regency_admin(admin_client):
    client = admin_client("lebak")
    for url in organisation_urls("lebak"):
        assert client.get(url).status_code == 200, url


def test_staff_without_the_admin_role_get_403_everywhere(staff_client):
    client = staff_client("lebak")
    for url in organisation_urls("lebak"):
        assert client.get(url).status_code == 403, url
    with schema_context("lebak"):
        unit = WorkUnit.objects.get(code="SETDA")
    assert (
        client.post(f"/organisation/work-units/{unit.pk}/active/", {"active": "0"}).status_code
        == 403
    )
    with schema_context("lebak"):
        assert WorkUnit.objects.get(code="SETDA").is_active


def test_signed_out_visitors_are_sent_to_sign_in():
    response = client_at("lebak.localhost").get("/organisation/work-units/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_the_admin_menu_links_the_organisation(admin_client):
    html = admin_client("lebak").get("/").content.decode()
    assert 'href="/organisation/"' in html
