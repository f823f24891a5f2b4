"""Certificates: gapless numbers, the PDF with the regency's letterhead stored
under its prefix, the signed QR token that the public page accepts when genuine
and rejects when tampered with, and who may download the PDF."""

import datetime
import re
from pathlib import Path

import pytest
from django.core import signing
from django.db import transaction
from django.utils import timezone, translation

from accounts.services import user_create
from core.models import AuditEvent
from modules.permits.certificates import (
    TOKEN_SALT,
    certificate_facts,
    certificate_issue,
    certificate_render,
    certificate_token,
    certificate_verify,
)
from modules.permits.models import Certificate
from modules.permits.pdf import certificate_pdf_bytes, qr_matrix
from tests.accounts.helpers import client_at
from tests.permits.helpers_public import (
    ADDRESS,
    EMAIL,
    NIK,
    PHONE,
    S,
    application_make,
    in_regency,
    permits_entitle,
    service_make,
    staff_with_role,
)

NUMBER_RE = re.compile(r"^IZN/(\d{4})/(\d{6})$")


@pytest.fixture(autouse=True)
def _entitled(regencies):
    permits_entitle()


@pytest.fixture
def media(settings, tmp_path: Path) -> Path:
    """Files go to a fresh folder (still under each regency's prefix)."""
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def issued(slug: str = "lebak", *, business: bool = False, **values):
    with in_regency(slug):
        approver = staff_with_role("approver", full_name="Hendra Gunawan")
        application = application_make(
            service=service_make(is_business=business, **values),
            status=S.APPROVAL,
            business_name="CV Maju Jaya" if business else "",
        )
        certificate = certificate_issue(application=application, actor=approver)
    return application, certificate


# --- issuing ---------------------------------------------------------------------


def test_numbers_are_gapless_per_year_and_a_rolled_back_issue_gives_its_back():
    _, first = issued()
    with in_regency("lebak"):
        approver = staff_with_role("approver")
        application = application_make(service=service_make(), status=S.APPROVAL)
        with pytest.raises(RuntimeError), transaction.atomic():
            certificate_issue(application=application, actor=approver)
            raise RuntimeError("the issuing step failed after the certificate")
        assert not Certificate.objects.filter(application=application).exists()
    _, second = issued()
    first_match, second_match = NUMBER_RE.match(first.number), NUMBER_RE.match(second.number)
    assert first_match and second_match
    year, number = first_match.groups()
    assert second_match.groups() == (year, f"{int(number) + 1:06d}")
    assert int(year) == timezone.localdate().year


def test_certificate_records_issuer_validity_and_audit():
    application, certificate = issued(validity_months=12)
    issued_on = timezone.localtime(certificate.issued_at).date()
    assert certificate.issued_by_name == "Hendra Gunawan"
    assert certificate.valid_until is not None
    assert (certificate.valid_until - issued_on).days in range(365, 367)
    with in_regency("lebak"):
        assert AuditEvent.objects.filter(
            action="permits.certificate.issued", target=application.number
        ).exists()


def test_service_without_expiry_gives_no_valid_until():
    _, certificate = issued(validity_months=0)
    assert certificate.valid_until is None


def test_pdf_render_is_queued_when_the_issue_commits(
    monkeypatch, django_capture_on_commit_callbacks
):
    queued: list[int] = []
    monkeypatch.setattr("modules.permits.certificates.certificate_render_task.delay", queued.append)
    with django_capture_on_commit_callbacks(execute=True):
        _, certificate = issued()
    assert queued == [certificate.pk]


# --- the PDF ---------------------------------------------------------------------


def test_pdf_is_stored_under_the_regencys_prefix(media):
    _, certificate = issued()
    with in_regency("lebak"):
        rendered = certificate_render(certificate_id=certificate.pk)
        assert rendered is not None and rendered.pdf
        name = rendered.pdf.name
        assert name
        with rendered.pdf.open("rb") as handle:
            assert handle.read(5) == b"%PDF-"
    assert name.startswith("permits/certificates/")
    assert (media / "lebak" / name).is_file()
    assert not (media / "dumai").exists()


def test_pdf_carries_the_letterhead_number_holder_and_a_qr_code():
    _application, certificate = issued(business=True, name="Izin Usaha Perdagangan")
    with in_regency("lebak"), translation.override("en"):
        facts = certificate_facts(certificate)
        data = certificate_pdf_bytes(facts=facts, compress=False)
    text = data.decode("latin-1")
    assert "GOVERNMENT OF KABUPATEN LEBAK" in text
    assert "Province of Banten" in text
    assert certificate.number in text
    assert "IZIN USAHA PERDAGANGAN" in text
    assert "CV Maju Jaya" in text and "Siti Rahmawati" in text
    assert NIK not in text and EMAIL not in text and PHONE not in text
    # The QR code is drawn as squares: as many as the code for the URL has dark modules.
    dark = sum(cell for row in qr_matrix(facts.verify_url) for cell in row)
    assert text.count(" re") >= dark
    assert facts.verify_url.startswith("http://lebak.localhost/permits/public/verify/")


# --- verification ----------------------------------------------------------------


def verify_page(token: str, slug: str = "lebak"):
    return client_at(f"{slug}.localhost").get(f"/permits/public/verify/{token}/")


def test_genuine_certificate_is_confirmed_with_no_personal_data():
    application, certificate = issued(business=True, name="Izin Usaha Perdagangan")
    with in_regency("lebak"):
        token = certificate_token(certificate)
    response = verify_page(token)
    assert response.status_code == 200
    html = response.content.decode()
    assert 'data-genuine="1" data-valid="1"' in html
    assert "Genuine and valid" in html
    assert certificate.number in html
    assert "CV Maju Jaya" in html  # a business's certificate shows the business
    assert "Kabupaten Lebak" in html and "Izin Usaha Perdagangan" in html
    for private in (NIK, EMAIL, PHONE, ADDRESS, "Siti Rahmawati", application.number):
        assert private not in html


def test_token_in_the_qr_code_opens_the_verification_page():
    _, certificate = issued()
    with in_regency("lebak"):
        url = certificate_facts(certificate).verify_url
    path = url.removeprefix("http://lebak.localhost")
    assert 'data-genuine="1"' in client_at("lebak.localhost").get(path).content.decode()


def _tamper(token: str) -> list[str]:
    payload, stamp, signature = token.rsplit(":", 2)
    flip = {"A": "B", "B": "A"}
    return [
        # A character of the payload changed.
        payload[:-3]
        + ("x" if payload[-3] != "x" else "y")
        + payload[-2:]
        + f":{stamp}:{signature}",
        # The signature changed.
        f"{payload}:{stamp}:{signature[:-1]}{flip.get(signature[-1], 'A')}",
        # The signature dropped.
        payload,
        "not-a-token",
    ]


def test_tampered_tokens_are_rejected_with_a_clear_page():
    _, certificate = issued()
    with in_regency("lebak"):
        token = certificate_token(certificate)
    for forged in _tamper(token):
        response = verify_page(forged)
        assert response.status_code == 404, forged
        html = response.content.decode()
        assert 'data-genuine="0"' in html and "Not genuine" in html
        assert certificate.number not in html


def test_token_signed_with_another_key_or_for_another_certificate_is_rejected():
    _, certificate = issued()
    with in_regency("lebak"):
        payload = signing.loads(certificate_token(certificate), salt=TOKEN_SALT)
    other_key = signing.dumps(payload, key="not-our-secret-key-" * 3, salt=TOKEN_SALT)
    schema, _number, application_id, _issued = payload
    other_number = signing.dumps(
        [schema, "IZN/1999/000001", application_id, _issued], salt=TOKEN_SALT
    )
    other_date = signing.dumps([schema, _number, application_id, "1999-01-01"], salt=TOKEN_SALT)
    other_shape = signing.dumps({"n": _number, "a": application_id}, salt=TOKEN_SALT)
    other_salt = signing.dumps(payload, salt="something.else")
    for token in (other_key, other_number, other_date, other_salt, other_shape):
        assert 'data-genuine="0"' in verify_page(token).content.decode()


def test_revoked_and_expired_certificates_are_genuine_but_not_valid():
    _, revoked = issued()
    _, expired = issued()
    with in_regency("lebak"):
        Certificate.objects.filter(pk=revoked.pk).update(revoked_at=timezone.now())
        Certificate.objects.filter(pk=expired.pk).update(
            valid_until=timezone.localdate() - datetime.timedelta(days=1)
        )
        revoked_token, expired_token = certificate_token(revoked), certificate_token(expired)
        assert not certificate_verify(revoked_token).valid
        assert certificate_verify(revoked_token).genuine
    assert "Genuine, but revoked" in verify_page(revoked_token).content.decode()
    assert "Genuine, but expired" in verify_page(expired_token).content.decode()


# --- the certificate page and PDF download ---------------------------------------


def _signed_in(user):
    client = client_at("lebak.localhost")
    with in_regency("lebak"):
        client.force_login(user)
    return client


def test_applicant_and_handling_staff_download_the_pdf_others_do_not(media):
    with in_regency("lebak"):
        applicant = user_create(
            email="pemohon@example.test", full_name="Siti Rahmawati", password="x-Pass-2026!"
        )
        approver = staff_with_role("approver")
        application = application_make(
            service=service_make(), status=S.APPROVAL, applicant_user=applicant
        )
        certificate = certificate_issue(application=application, actor=approver)
        front_office = staff_with_role("front_office")
        stranger = user_create(email="lain@example.test", full_name="Orang Lain", password="x")
    url = f"/permits/public/certificate/{application.tracking_code}/pdf/"

    for user in (applicant, front_office):
        response = _signed_in(user).get(url)
        assert response.status_code == 200
        assert response["Content-Type"] == "application/pdf"
        assert b"".join(response.streaming_content).startswith(b"%PDF-")
    assert _signed_in(stranger).get(url).status_code == 404
    anonymous = client_at("lebak.localhost").get(url)
    assert anonymous.status_code == 302 and "/accounts/login/" in anonymous["Location"]
    with in_regency("lebak"):
        downloads = AuditEvent.objects.filter(
            action="permits.certificate.downloaded", target=application.number
        )
        # Staff downloads are audited; the holder's own are not.
        assert list(downloads.values_list("actor_email", flat=True)) == [front_office.email]
        assert Certificate.objects.get(pk=certificate.pk).pdf


def test_certificate_page_links_to_the_verification_page():
    with in_regency("lebak"):
        staff = staff_with_role("back_office")
    application, certificate = issued()
    html = (
        _signed_in(staff)
        .get(f"/permits/public/certificate/{application.tracking_code}/")
        .content.decode()
    )
    assert certificate.number in html
    assert 'data-testid="certificate-qr"' in html
    link = re.search(
        r'href="(/permits/public/verify/[^"]+)" data-testid="certificate-verify"', html
    )
    assert link is not None
    assert 'data-genuine="1"' in _signed_in(staff).get(link.group(1)).content.decode()
