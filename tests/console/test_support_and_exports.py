"""Support access from the console (a grant, then a one-time link to the
regency's own host) and exports (taken, downloaded, restored)."""

import gzip
import io
import tarfile

import pytest
from django.core.files.storage import default_storage
from django_tenants.utils import schema_context

from accounts.models import User
from core.models import AuditEvent
from tenants.lifecycle import Actor
from tenants.models import SupportAccessGrant, Tenant, TenantExport
from tests.accounts.helpers import client_at
from tests.console.conftest import console_client, console_url, staff_user

pytestmark = pytest.mark.django_db


def _grant(console, slug="lebak", **data):
    payload = {"support-reason": "Tiket #42: laporan kosong", "support-hours": "2", **data}
    return console.post(console_url("console_support_grant", slug=slug), payload)


def test_engineer_requests_a_grant_and_sees_enter(console, engineer, regencies):
    assert _grant(console).status_code == 302
    grant = SupportAccessGrant.objects.get(tenant=regencies["lebak"])
    assert (grant.engineer_email, grant.reason) == (engineer.email, "Tiket #42: laporan kosong")
    html = console.get(console_url("console_tenant_detail", slug="lebak")).content.decode()
    assert 'data-testid="support-enter"' in html


def test_grant_errors_are_shown_next_to_the_fields(console, regencies):
    response = _grant(console, **{"support-reason": "", "support-hours": "500"})
    html = response.content.decode()
    assert "This field is required." in html
    assert "Ensure this value is less than or equal to 72." in html
    assert not SupportAccessGrant.objects.exists()


def test_enter_redirects_to_the_regency_host_with_a_working_token(console, regencies):
    _grant(console)
    grant = SupportAccessGrant.objects.get(tenant=regencies["lebak"])
    response = console.post(
        console_url("console_support_enter", slug="lebak", grant_id=grant.pk), SERVER_PORT="8000"
    )
    assert response.status_code == 302
    prefix = "http://lebak.localhost:8000/support-access/enter/"
    assert response["Location"].startswith(prefix)
    token = response["Location"].removeprefix(prefix).rstrip("/")
    # The link signs the engineer in at Lebak, as a support user of Lebak's own.
    regency = client_at("lebak.localhost")
    assert regency.get(f"/support-access/enter/{token}/").status_code == 302
    user = regency.get("/").wsgi_request.user
    assert isinstance(user, User)
    assert user.is_support_agent


def test_enter_leaves_out_the_default_port(console, regencies):
    _grant(console)
    grant = SupportAccessGrant.objects.get(tenant=regencies["lebak"])
    response = console.post(
        console_url("console_support_enter", slug="lebak", grant_id=grant.pk), SERVER_PORT="80"
    )
    assert response["Location"].startswith("http://lebak.localhost/support-access/enter/")


def test_another_engineers_grant_cannot_be_entered(console, regencies):
    other = console_client(staff_user())
    _grant(other)
    grant = SupportAccessGrant.objects.get(tenant=regencies["lebak"])
    html = console.get(console_url("console_tenant_detail", slug="lebak")).content.decode()
    assert 'data-testid="support-enter"' not in html
    page = console.post(
        console_url("console_support_enter", slug="lebak", grant_id=grant.pk), follow=True
    ).content.decode()
    assert "This grant belongs to another engineer." in page
    grant.refresh_from_db()
    assert grant.entry_nonce == ""


# --- exports ------------------------------------------------------------------------


@pytest.fixture
def export(regencies):
    from tenants.exports import tenant_export

    made = tenant_export(tenant=regencies["dumai"], actor=Actor(email="engineer@sukowati.test"))
    yield made
    with schema_context("public"):
        default_storage.delete(made.path)


def test_export_now_takes_an_export(console, regencies):
    response = console.post(console_url("console_export", slug="balangan"), follow=True)
    made = TenantExport.objects.get(tenant=regencies["balangan"])
    try:
        assert f"Export #{made.pk} is ready" in response.content.decode()
        assert AuditEvent.objects.filter(action="tenant.export", target="balangan").exists()
    finally:
        with schema_context("public"):
            default_storage.delete(made.path)


def test_download_streams_the_archive(console, export):
    response = console.get(
        console_url("console_export_download", slug="dumai", export_id=export.pk)
    )
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment;")
    content = b"".join(response.streaming_content)
    with tarfile.open(fileobj=io.BytesIO(content), mode="r:gz") as archive:
        assert "manifest.json" in archive.getnames()
    assert gzip.decompress(content)  # a whole gzip stream


def test_an_export_is_only_downloadable_under_its_own_regency(console, export):
    response = console.get(
        console_url("console_export_download", slug="lebak", export_id=export.pk)
    )
    assert response.status_code == 404


def test_restore_refuses_a_taken_slug_in_the_form(console, export):
    response = console.post(
        console_url("console_restore", slug="dumai", export_id=export.pk),
        {f"restore_{export.pk}-slug": "lebak"},
    )
    assert response.status_code == 200
    assert "A regency with the slug &#x27;lebak&#x27; already exists." in (
        response.content.decode()
    )


def test_restore_makes_a_new_suspended_regency(console, export):
    response = console.post(
        console_url("console_restore", slug="dumai", export_id=export.pk),
        {f"restore_{export.pk}-slug": "dumai-pulih"},
    )
    assert response.status_code == 302
    assert response["Location"] == console_url("console_tenant_detail", slug="dumai-pulih")
    restored = Tenant.objects.get(slug="dumai-pulih")
    assert restored.status == Tenant.Status.SUSPENDED
    with schema_context("dumai-pulih".replace("-", "_")):
        assert User.objects.filter(email="admin@dumai.test").exists()
