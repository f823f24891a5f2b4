"""The permit service's public pages, certificates, files, exports, lookup limits
and PDF task stay within their regency: what Lebak issued is unknown at Dumai."""

import csv
import io
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection
from django_tenants.utils import schema_context

from modules.permits.certificates import (
    certificate_issue,
    certificate_render,
    certificate_render_task,
    certificate_token,
)
from modules.permits.models import Certificate
from tests.accounts.helpers import client_at, random_ip
from tests.permits.helpers_public import (
    S,
    application_make,
    in_regency,
    permits_entitle,
    service_make,
    staff_with_role,
)
from tests.workers import Worker, outside_test_transaction, wait_for


@pytest.fixture(autouse=True)
def _entitled(regencies):
    permits_entitle()


def lebak_certificate(**values):
    with in_regency("lebak"):
        approver = staff_with_role("approver")
        application = application_make(
            service=service_make(name="Izin Khusus Lebak"), status=S.APPROVAL, **values
        )
        certificate = certificate_issue(application=application, actor=approver)
        token = certificate_token(certificate)
    return application, certificate, token


def test_lebak_tracking_code_is_not_found_at_dumai():
    with in_regency("lebak"):
        application = application_make(service=service_make(), status=S.VERIFICATION)
    code = application.tracking_code
    assert (
        client_at("lebak.localhost").get("/permits/public/track/", {"code": code}).status_code
        == 200
    )
    at_dumai = client_at("dumai.localhost").get("/permits/public/track/", {"code": code})
    assert at_dumai.status_code == 404
    html = at_dumai.content.decode()
    assert 'data-testid="track-not-found"' in html and application.number not in html
    assert client_at("dumai.localhost").get(f"/permits/public/survey/{code}/").status_code == 404


def test_lebak_certificate_token_fails_verification_at_dumai():
    _, certificate, token = lebak_certificate()
    assert (
        'data-genuine="1"'
        in client_at("lebak.localhost").get(f"/permits/public/verify/{token}/").content.decode()
    )
    # Even where Dumai has a certificate with the same number and application id.
    with in_regency("dumai"):
        twin_app = application_make(service=service_make(), status=S.COMPLETED)
        Certificate.objects.create(
            application=twin_app,
            number=certificate.number,
            issued_at=certificate.issued_at,
            issued_by_email="x@dumai.test",
            issued_by_name="X",
        )
    response = client_at("dumai.localhost").get(f"/permits/public/verify/{token}/")
    assert response.status_code == 404
    html = response.content.decode()
    assert 'data-genuine="0"' in html and certificate.number not in html


def test_lebak_certificate_page_and_pdf_are_not_reachable_from_dumai():
    application, _, _ = lebak_certificate()
    with in_regency("dumai"):
        dumai_staff = staff_with_role("back_office")
    client = client_at("dumai.localhost")
    with schema_context("dumai"):
        client.force_login(dumai_staff)
    for path in ("", "pdf/"):
        url = f"/permits/public/certificate/{application.tracking_code}/{path}"
        assert client.get(url).status_code == 404


def test_certificate_pdf_is_stored_under_the_regencys_prefix(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    _, certificate, _ = lebak_certificate()
    with in_regency("lebak"):
        rendered = certificate_render(certificate_id=certificate.pk)
        assert rendered is not None
        name = rendered.pdf.name
        assert name
    assert (tmp_path / "lebak" / name).is_file()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["lebak"]
    with in_regency("dumai"):
        from django.core.files.storage import default_storage

        assert not default_storage.exists(name)


def test_dashboard_export_has_only_the_regencys_own_rows():
    with in_regency("lebak"):
        application_make(service=service_make(name="Layanan Milik Lebak"))
        lebak_staff = staff_with_role("back_office")
    with in_regency("dumai"):
        application_make(service=service_make(name="Layanan Milik Dumai"))
    client = client_at("lebak.localhost")
    with schema_context("lebak"):
        client.force_login(lebak_staff)
    response = client.get("/permits/reports/export.csv")
    assert response.status_code == 200
    services = {row[2] for row in csv.reader(io.StringIO(response.content.decode("utf-8-sig")))}
    assert "Layanan Milik Lebak" in services
    assert "Layanan Milik Dumai" not in services
    # Dumai's staff have no key to Lebak's dashboard either.
    with in_regency("dumai"):
        dumai_staff = staff_with_role("back_office")
    other = client_at("lebak.localhost")
    with schema_context("dumai"):
        other.force_login(dumai_staff)
    assert other.get("/permits/reports/").status_code != 200


def test_lookup_limit_of_one_regency_does_not_spill_into_another():
    address = random_ip()

    def client(slug):
        from django.test import Client

        return Client(HTTP_HOST=f"{slug}.localhost", REMOTE_ADDR=address)

    lebak = client("lebak")
    for attempt in range(settings.PERMITS_LOOKUPS_PER_MINUTE):
        lebak.get("/permits/public/track/", {"code": f"NOPE{attempt:08d}"})
    assert lebak.get("/permits/public/track/", {"code": "NOPE99999999"}).status_code == 429
    assert (
        client("dumai").get("/permits/public/track/", {"code": "NOPE99999999"}).status_code == 404
    )


@pytest.mark.worker
def test_pdf_task_queued_in_lebak_renders_lebaks_certificate_only(celery_worker_session: Worker):
    """On a real worker, against the demo certificates the session committed: the
    id exists in both regencies, only Lebak's gets its PDF."""
    with schema_context("lebak"):
        pk = Certificate.objects.filter(pdf="").order_by("pk").values_list("pk", flat=True).first()
    assert pk is not None
    with schema_context("dumai"):
        assert Certificate.objects.filter(pk=pk, pdf="").exists()
    table = connection.ops.quote_name(Certificate._meta.db_table)
    try:
        with schema_context("lebak"):
            certificate_render_task.delay(pk)

        def rendered():
            with schema_context("lebak"):
                return Certificate.objects.filter(pk=pk).exclude(pdf="").first()

        certificate = wait_for(rendered, worker=celery_worker_session)
        assert certificate.pdf.name.startswith("permits/certificates/")
        media = Path(settings.MEDIA_ROOT)
        assert (media / "lebak" / certificate.pdf.name).is_file()
        with schema_context("dumai"):
            assert Certificate.objects.get(pk=pk).pdf == ""
        assert not (media / "dumai" / certificate.pdf.name).exists()
    finally:
        with outside_test_transaction() as cursor:
            cursor.execute(f'SELECT pdf FROM "lebak".{table} WHERE id = %s', [pk])
            (name,) = cursor.fetchone()
            cursor.execute(f"UPDATE \"lebak\".{table} SET pdf = '' WHERE id = %s", [pk])
        if name:
            (Path(settings.MEDIA_ROOT) / "lebak" / name).unlink(missing_ok=True)
