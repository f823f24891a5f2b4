"""Uploads: type judged by content (an executable renamed .pdf is refused), size
limit, nothing stored when any file fails, downloads only for handling staff."""

import hashlib
import uuid

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation
from django_tenants.utils import schema_context

from core.models import AuditEvent
from modules.permits.documents import upload_check
from modules.permits.models import Application, ApplicationDocument
from tests.accounts.helpers import client_at
from tests.permits.support import (
    ELF,
    EXE,
    JPEG,
    NIK,
    PDF,
    PNG,
    form_key,
    pdf,
    service_new,
    signed_in,
    staff,
    streamed,
    submit,
    unit_new,
)
from tests.permits.test_apply import guest_client

pytestmark = pytest.mark.django_db


def upload(name: str, content: bytes, content_type: str = "application/pdf"):
    return SimpleUploadedFile(name, content, content_type=content_type)


@pytest.mark.parametrize(
    ("content", "mime"),
    [(PDF, "application/pdf"), (PNG, "image/png"), (JPEG, "image/jpeg")],
)
def test_documents_are_typed_by_their_content(content, mime):
    checked = upload_check(upload("scan.pdf", content), requirement="ktp")
    assert checked.content_type == mime
    assert checked.sha256 == hashlib.sha256(content).hexdigest()


@pytest.mark.parametrize("content", [EXE, ELF, b"#!/bin/sh\nrm -rf /\n"])
def test_a_program_renamed_pdf_is_refused_as_a_program(content):
    with translation.override("en"), pytest.raises(ValidationError) as refused:
        upload_check(upload("izin.pdf", content), requirement="ktp")
    assert refused.value.code == "executable"
    assert "is a program, not a document" in refused.value.messages[0]


def test_other_content_is_refused_whatever_its_name():
    with pytest.raises(ValidationError) as refused:
        upload_check(upload("ktp.pdf", b"<html><script>x</script></html>"), requirement="ktp")
    assert refused.value.code == "type"


def test_an_oversized_file_is_refused_with_the_limit(settings):
    settings.PERMITS_MAX_UPLOAD_BYTES = 1024
    with translation.override("en"), pytest.raises(ValidationError) as refused:
        upload_check(upload("big.pdf", PDF + b"0" * 2000), requirement="ktp")
    assert refused.value.code == "too_large"
    assert "at most 1.0\xa0KB" in refused.value.messages[0]


def test_an_empty_file_is_refused():
    with pytest.raises(ValidationError):
        upload_check(upload("empty.pdf", b""), requirement="ktp")


@pytest.fixture
def service(lebak):
    with schema_context("lebak"):
        return service_new(
            requirements=[
                {"code": "ktp", "label": "KTP", "required": True},
                {"code": "foto", "label": "Foto lokasi", "required": True},
            ]
        )


def apply_post(client, service, **files):
    from organisation.models import Kecamatan

    page = client.get(f"/permits/apply/{service.code}/").content.decode()
    key = form_key(page)
    with schema_context("lebak"):
        kecamatan = Kecamatan.objects.order_by("code").first()
        assert kecamatan is not None
    return client.post(
        f"/permits/apply/{service.code}/",
        {
            "submission_key": key,
            "applicant_name": "Siti",
            "applicant_nik": NIK,
            "applicant_address": "Jl. Multatuli",
            "kecamatan": kecamatan.pk,
            **files,
        },
    )


def stored_files(root) -> list:
    return [p for p in root.rglob("*") if p.is_file() and "permits" in p.parts]


def test_a_disguised_program_among_good_files_stores_nothing(service, media_root):
    client = guest_client(f"g-{uuid.uuid4().hex[:6]}@contoh.test")
    response = apply_post(client, service, doc_ktp=pdf(), doc_foto=upload("foto.pdf", EXE))
    assert response.status_code == 400
    page = response.content.decode()
    assert "is a program, not a document" in page
    assert 'data-field="doc_foto"' in page
    with schema_context("lebak"):
        assert not Application.objects.filter(service=service).exists()
        assert not ApplicationDocument.objects.filter(application__service=service).exists()
    assert stored_files(media_root) == []


def test_an_oversized_upload_is_refused_on_the_form(service, media_root, settings):
    settings.PERMITS_MAX_UPLOAD_BYTES = 100
    client = guest_client(f"g-{uuid.uuid4().hex[:6]}@contoh.test")
    response = apply_post(
        client, service, doc_ktp=pdf(), doc_foto=upload("foto.png", PNG + b"0" * 200, "image/png")
    )
    assert response.status_code == 400
    assert "each file may be at most" in response.content.decode()
    assert stored_files(media_root) == []


def test_good_files_are_stored_under_the_regency_with_random_names(service, media_root):
    client = guest_client(f"g-{uuid.uuid4().hex[:6]}@contoh.test")
    response = apply_post(
        client,
        service,
        doc_ktp=pdf("KTP <b>Siti.pdf"),
        doc_foto=upload("foto.pdf", JPEG, "application/pdf"),
    )
    assert response.status_code == 302
    with schema_context("lebak"):
        documents = {
            d.requirement: d
            for d in ApplicationDocument.objects.filter(application__service=service)
        }
    assert documents["ktp"].original_name == "KTP <b>Siti.pdf"
    assert documents["foto"].content_type == "image/jpeg"
    assert str(documents["foto"].file.name).endswith(".jpg")
    assert "Siti" not in str(documents["ktp"].file.name)
    files = stored_files(media_root)
    assert len(files) == 2
    assert all(path.relative_to(media_root).parts[0] == "lebak" for path in files)


def test_handling_staff_download_a_document_and_the_view_is_audited(service, media_root):
    with schema_context("lebak"):
        application = submit(service)
        document = application.documents.get(requirement="ktp")
        clerk = staff("front_office", unit=service.handling_unit)
    response = signed_in("lebak", clerk).get(
        f"/permits/office/a/{application.pk}/documents/{document.pk}/"
    )
    assert response.status_code == 200
    assert streamed(response) == PDF
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("attachment")
    assert response["X-Content-Type-Options"] == "nosniff"
    with schema_context("lebak"):
        assert AuditEvent.objects.filter(
            action="personal_data.viewed", actor_email=clerk.email, target=application.number
        ).exists()


def test_staff_outside_the_applications_scope_cannot_download(service, media_root):
    with schema_context("lebak"):
        application = submit(service)
        document = application.documents.get(requirement="ktp")
        elsewhere = staff("front_office", unit=unit_new())
    url = f"/permits/office/a/{application.pk}/documents/{document.pk}/"
    assert signed_in("lebak", elsewhere).get(url).status_code == 404
    anonymous = client_at("lebak.localhost").get(url)
    assert anonymous.status_code == 302
    assert "/accounts/login/" in anonymous["Location"]


def test_a_document_of_another_application_is_not_reachable_through_this_one(service, media_root):
    with schema_context("lebak"):
        mine, other = submit(service), submit(service)
        clerk = staff("front_office", unit=service.handling_unit)
        foreign = other.documents.get(requirement="ktp")
    response = signed_in("lebak", clerk).get(f"/permits/office/a/{mine.pk}/documents/{foreign.pk}/")
    assert response.status_code == 404
