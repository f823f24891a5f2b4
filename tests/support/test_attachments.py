"""Attachments are accepted by their content and size; refused ones save
nothing. Accepted ones are kept under support's own fixed prefix."""

import io
import zipfile
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from django.core.files.storage import storages
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils.translation import override

from support.attachments import attachment_check
from support.models import Ticket, TicketAttachment
from support.storage import SupportFileSystemStorage, support_storage
from tests.support.conftest import PDF_BYTES, open_ticket, pdf, regency_client

pytestmark = pytest.mark.django_db

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32
JPEG = b"\xff\xd8\xff\xe0" + b"\x00" * 32
EXE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff" + b"\x00" * 64


def office(kind: str) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("xl/workbook.xml" if kind == "xlsx" else "word/document.xml", "<x/>")
    return buffer.getvalue()


def upload(name: str, content: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content)


@pytest.mark.parametrize(
    ("name", "content", "content_type"),
    [
        ("laporan.pdf", PDF_BYTES, "application/pdf"),
        ("layar.png", PNG, "image/png"),
        ("foto.JPG", JPEG, "image/jpeg"),
        ("catatan.txt", "Galat pukul 09.15 — printer mati".encode(), "text/plain"),
        ("data.csv", b"nik;nama\n3602;Siti\n", "text/csv"),
        (
            "rekap.xlsx",
            office("xlsx"),
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        ),
        (
            "surat.docx",
            office("docx"),
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        ),
    ],
)
def test_accepted_types(name, content, content_type):
    checked = attachment_check(upload(name, content))
    assert (checked.content_type, checked.size) == (content_type, len(content))


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("laporan.pdf", EXE, "not a file type we accept"),  # a program renamed
        ("setup.exe", EXE, "not a file type we accept"),
        ("laporan.pdf.exe", PDF_BYTES, "does not match its content"),  # a PDF, named as a program
        ("gambar.png", PDF_BYTES, "does not match its content"),
        ("rekap.xlsx", b"PK\x03\x04not really a zip", "not a file type we accept"),
        ("arsip.zip", office("xlsx"), "does not match its content"),
        ("kosong.txt", b"", "is empty"),
        ("script.txt", b"echo \x00\x01\x02", "not a file type we accept"),
    ],
)
def test_disguised_or_unknown_files_are_refused(name, content, message):
    with override("en"), pytest.raises(ValidationError, match=message):
        attachment_check(upload(name, content))


def test_a_file_over_the_limit_is_refused_before_it_is_read(settings):
    settings.SUPPORT_ATTACHMENT_MAX_BYTES = 1024
    big = upload("besar.pdf", PDF_BYTES + b"0" * 2048)
    with override("en"), pytest.raises(ValidationError, match="larger than"):
        attachment_check(big)


def test_a_huge_upload_through_the_form_saves_nothing(lebak_staff, settings):
    settings.SUPPORT_ATTACHMENT_MAX_BYTES = 4096
    files_before = _stored_files()
    response = regency_client("lebak", lebak_staff).post(
        "/help/tickets/new/",
        {
            "subject": "Lampiran besar",
            "category": "incident",
            "priority": "normal",
            "module": "platform",
            "body": "Lihat lampiran.",
            "attachments": [pdf("kecil.pdf"), upload("besar.pdf", PDF_BYTES + b"0" * 8192)],
        },
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert "besar.pdf is larger than" in html
    assert 'value="Lampiran besar"' in html  # the form keeps what was typed
    assert not Ticket.objects.filter(subject="Lampiran besar").exists()
    assert _stored_files() == files_before


def test_a_disguised_program_in_a_reply_saves_nothing(ticket, lebak_staff):
    messages = ticket.messages.count()
    response = regency_client("lebak", lebak_staff).post(
        f"/help/tickets/{ticket.pk}/reply/",
        {"body": "Ini berkasnya", "attachments": [upload("laporan.pdf", EXE)]},
    )
    assert response.status_code == 400
    assert "laporan.pdf is not a file type we accept" in response.content.decode()
    assert ticket.messages.count() == messages
    assert not TicketAttachment.objects.filter(ticket=ticket).exists()


def test_too_many_files_are_refused(ticket, lebak_staff, settings):
    settings.SUPPORT_ATTACHMENTS_PER_MESSAGE = 2
    response = regency_client("lebak", lebak_staff).post(
        f"/help/tickets/{ticket.pk}/reply/",
        {"body": "Tiga berkas", "attachments": [pdf("a.pdf"), pdf("b.pdf"), pdf("c.pdf")]},
    )
    assert response.status_code == 400
    assert "at most 2 files" in response.content.decode()


def test_files_are_kept_under_the_public_prefix_by_regency_and_ticket(regencies, lebak_staff):
    ticket = open_ticket(regencies["lebak"], lebak_staff, uploads=(pdf("surat dinas.pdf"),))
    attachment = ticket.attachments.get()
    assert attachment.stored_name.startswith(f"support/lebak/{ticket.pk}/")
    assert attachment.stored_name.endswith("/surat_dinas.pdf")
    storage = support_storage()
    assert isinstance(storage, SupportFileSystemStorage)
    on_disk = Path(storage.base_location) / "public" / attachment.stored_name
    assert on_disk.read_bytes() == PDF_BYTES


def _stored_files() -> set[str]:
    root = Path(getattr(storages["default"], "base_location", "")) / "public" / "support"
    return {str(p) for p in root.rglob("*") if p.is_file()} if root.exists() else set()
