"""Finance at work in the console: run, review, finalise, record a transfer,
issue a credit note, download the PDF; engineers log a visit with a receipt."""

import base64
import datetime
import re
import zlib

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from accounts.models import User
from billing.invoicing.pdf import invoice_pdf
from billing.models import BillingCustomer, Invoice, SiteVisit
from tests.billing.conftest import YEAR
from tests.billing.test_invoices import draft_for
from tests.console.conftest import console_client, staff_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def finance():
    return console_client(staff_user(User.PlatformRole.FINANCE))


def pdf_text(data: bytes) -> str:
    """The text drawn on the pages (content streams inflated)."""
    assert data.startswith(b"%PDF")
    chunks = []
    for match in re.finditer(rb"stream\r?\n(.*?)\r?\n?endstream", data, re.S):
        raw = match.group(1).strip()
        if raw.endswith(b"~>"):  # reportlab's ASCII85 layer over Flate
            raw = base64.a85decode(raw, adobe=True)
        try:
            chunks.append(zlib.decompress(raw).decode("latin-1"))
        except zlib.error:
            chunks.append(raw.decode("latin-1"))
    return "".join(re.findall(r"\((.*?)\) Tj", "".join(chunks)))


def test_the_run_button_queues_the_months_run(
    finance, monkeypatch, django_capture_on_commit_callbacks
):
    sent = []
    monkeypatch.setattr("billing.tasks.invoice_run_task.delay", lambda *args: sent.append(args))
    month = (timezone.localdate().replace(day=1) - datetime.timedelta(days=1)).replace(day=1)
    with django_capture_on_commit_callbacks(execute=True):
        response = finance.post("/billing/run/", {"month": month.isoformat()})
    assert response.status_code == 302
    assert len(sent) == 1
    assert sent[0][0] == month.isoformat() and sent[0][1].endswith("@sukowati.test")


def test_finance_reviews_finalises_and_records_a_partial_transfer(finance, price_book):
    invoice = draft_for("console-flow")
    page = finance.get(f"/billing/invoices/{invoice.pk}/").content.decode()
    assert "Rp 3.330.000" in page and 'data-testid="invoice-finalise"' in page

    response = finance.post(
        f"/billing/invoices/{invoice.pk}/draft/",
        {"draft-apbd_code": "5.1.02.01.01.0052", "draft-notes": ""},
    )
    assert response.status_code == 302
    assert finance.post(f"/billing/invoices/{invoice.pk}/finalise/").status_code == 302
    invoice.refresh_from_db()
    assert invoice.status == Invoice.Status.FINALISED and invoice.apbd_code == "5.1.02.01.01.0052"

    # More than the balance: refused next to the field, nothing recorded.
    too_much = finance.post(
        f"/billing/invoices/{invoice.pk}/payments/",
        {
            "payment-amount_rupiah": "3330001",
            "payment-received_on": timezone.localdate().isoformat(),
        },
    )
    assert too_much.status_code == 400
    assert "That is more than the balance of Rp 3.330.000." in too_much.content.decode()
    assert not invoice.payments.exists()

    finance.post(
        f"/billing/invoices/{invoice.pk}/payments/",
        {
            "payment-amount_rupiah": "1330000",
            "payment-received_on": timezone.localdate().isoformat(),
            "payment-reference": "BJTM-778",
        },
    )
    invoice.refresh_from_db()
    assert invoice.status == Invoice.Status.PARTIALLY_PAID and invoice.balance_rupiah == 2_000_000

    finance.post(
        f"/billing/invoices/{invoice.pk}/credit-notes/",
        {"credit-amount_rupiah": "2000000", "credit-reason": "Modul tidak tersedia 10 hari"},
    )
    invoice.refresh_from_db()
    assert invoice.status == Invoice.Status.PAID and invoice.balance_rupiah == 0


def test_editing_a_finalised_draft_is_refused_with_a_message(finance, price_book):
    invoice = draft_for("console-refused")
    finance.post(f"/billing/invoices/{invoice.pk}/finalise/")
    response = finance.post(
        f"/billing/invoices/{invoice.pk}/draft/", {"draft-apbd_code": "X", "draft-notes": ""}
    )
    assert response.status_code == 400
    assert "can no longer be changed; correct it with a credit note." in response.content.decode()


def test_the_pdf_is_an_indonesian_invoice_from_sragen_to_the_regency(finance, price_book):
    invoice = draft_for("pdf-lebak")
    BillingCustomer.objects.create(
        tenant=invoice.tenant, name="Pemerintah Kabupaten Lebak", email="k@lebak.test"
    )
    finance.post(
        f"/billing/invoices/{invoice.pk}/draft/",
        {"draft-apbd_code": "5.1.02.01", "draft-notes": ""},
    )
    finance.post(f"/billing/invoices/{invoice.pk}/finalise/")
    invoice.refresh_from_db()

    response = finance.get(f"/billing/invoices/{invoice.pk}/pdf/")

    assert response["Content-Type"] == "application/pdf"
    text = pdf_text(response.content)
    for expected in (
        "PEMERINTAH KABUPATEN SRAGEN",
        "TAGIHAN",
        invoice.number,
        "Kode anggaran \\(APBD\\):",  # parentheses are escaped in PDF strings
        "5.1.02.01",
        "Jatuh tempo",
        "Rp 3.000.000",
        "PPN 11% x Rp 3.000.000",
        "Rp 330.000",
        "Rp 3.330.000",
        "Sisa yang harus dibayar",
        f"Oktober {YEAR}",
    ):
        assert expected in text, expected


def test_an_engineer_logs_a_visit_with_a_receipt_and_finance_approves_it(finance, regencies):
    engineer = console_client(staff_user(User.PlatformRole.ENGINEER))
    response = engineer.post(
        "/billing/site-visits/new/",
        {
            "tenant": regencies["dumai"].pk, "purpose": "Pendampingan go-live perizinan",
            "starts_on": "2031-02-02", "ends_on": "2031-02-01", "people": "Budi Santoso",
            "transport_rupiah": "2500000", "lodging_rupiah": "1200000", "per_diem_rupiah": "900000",
        },
    )  # fmt: skip
    assert response.status_code == 400  # the last day before the first
    assert "The last day cannot be before the first day." in response.content.decode()
    response = engineer.post(
        "/billing/site-visits/new/",
        {
            "tenant": regencies["dumai"].pk, "purpose": "Pendampingan go-live perizinan",
            "starts_on": "2031-02-02", "ends_on": "2031-02-04", "people": "Budi Santoso",
            "transport_rupiah": "2500000", "lodging_rupiah": "1200000", "per_diem_rupiah": "900000",
        },
    )  # fmt: skip
    visit = SiteVisit.objects.get(purpose="Pendampingan go-live perizinan")
    assert response["Location"] == f"/billing/site-visits/{visit.pk}/"

    refused = engineer.post(f"/billing/site-visits/{visit.pk}/move/submitted/")
    assert refused.status_code == 400
    assert "Attach the receipts before submitting the visit." in refused.content.decode()

    bad = engineer.post(
        f"/billing/site-visits/{visit.pk}/receipts/",
        {"receipt-file": SimpleUploadedFile("tiket.exe", b"MZ"), "receipt-description": ""},
    )
    assert "Upload a PDF, JPEG or PNG file." in bad.content.decode()
    engineer.post(
        f"/billing/site-visits/{visit.pk}/receipts/",
        {
            "receipt-file": SimpleUploadedFile("tiket.pdf", b"%PDF-1.4 x"),
            "receipt-description": "Tiket",
        },
    )
    receipt = visit.receipts.get()
    download = finance.get(f"/billing/site-visits/{visit.pk}/receipts/{receipt.pk}/")
    assert b"".join(download.streaming_content) == b"%PDF-1.4 x"

    engineer.post(f"/billing/site-visits/{visit.pk}/move/submitted/")
    finance.post(f"/billing/site-visits/{visit.pk}/move/approved/")
    visit.refresh_from_db()
    assert visit.status == SiteVisit.Status.APPROVED
    assert [t.to_status for t in visit.transitions.order_by("pk")] == ["submitted", "approved"]
    listed = finance.get("/billing/site-visits/?status=approved").content.decode()
    assert "Pendampingan go-live perizinan" in listed
    assert engineer.get("/billing/site-visits/new/").status_code == 200


def test_pdf_helper_renders_a_draft_too(price_book):
    assert "DRAF" in pdf_text(invoice_pdf(draft_for("pdf-draft")))


def test_finance_pages_show_the_demo_history(finance, regencies):
    from billing.demo import DEMO_BOOK
    from billing.models import PriceBookVersion, SupportTime, UsageEvent

    issued = Invoice.objects.filter(tenant=regencies["lebak"]).exclude(number="").first()
    assert issued is not None
    home = finance.get("/billing/").content.decode()
    assert issued.number in home and "Regencies owe Rp " in home
    overdue = finance.get("/billing/?status=overdue").content.decode()
    assert issued.number not in overdue  # Lebak pays on time in the demo
    detail = finance.get(f"/billing/invoices/{issued.pk}/").content.decode()
    assert issued.number in detail and 'data-testid="invoice-lines"' in detail

    book = PriceBookVersion.objects.get(name=DEMO_BOOK)
    assert DEMO_BOOK in finance.get("/billing/price-book/").content.decode()
    version = finance.get(f"/billing/price-book/{book.pk}/").content.decode()
    assert "Rp 50.000.000" in version and 'data-testid="price-book-publish"' not in version

    assert "Lebak" in finance.get("/billing/subscriptions/").content.decode()
    month = UsageEvent.objects.filter(tenant=regencies["lebak"]).earliest("occurred_at").occurred_at
    first = timezone.localtime(month).date().replace(day=1)
    usage = finance.get(f"/billing/usage/?month={first.isoformat()}").content.decode()
    assert "permits.issued" in usage and "Lebak" in usage

    entry = SupportTime.objects.filter(tenant=regencies["dumai"]).latest("worked_on")
    page = finance.get(f"/billing/support-time/?month={entry.worked_on.replace(day=1)}")
    assert entry.description in page.content.decode()


def test_a_new_price_book_version_is_drafted_edited_and_published(finance):
    from billing.models import PriceBookVersion

    response = finance.post(
        "/billing/price-book/", {"name": "Tarif 2032", "effective_from": "2032-01-01"}
    )
    version = PriceBookVersion.objects.get(name="Tarif 2032")
    assert response["Location"] == f"/billing/price-book/{version.pk}/"
    assert version.module_prices.exists()  # copied from the latest published version
    refused = finance.post(
        f"/billing/price-book/{version.pk}/modules/permits/",
        {
            "module_permits-installation_rupiah": "-1",
            "module_permits-monthly_rupiah": "5000000",
            "module_permits-yearly_rupiah": "0",
            "module_permits-included_support_hours": "4",
        },
    )
    assert refused.status_code == 400 and 'data-testid="field-error"' in refused.content.decode()
    finance.post(
        f"/billing/price-book/{version.pk}/modules/permits/",
        {
            "module_permits-installation_rupiah": "55000000",
            "module_permits-monthly_rupiah": "5000000",
            "module_permits-yearly_rupiah": "0",
            "module_permits-included_support_hours": "4",
        },
    )
    assert version.module_prices.get(module_code="permits").monthly_rupiah == 5_000_000
    finance.post(f"/billing/price-book/{version.pk}/publish/")
    version.refresh_from_db()
    assert version.is_published
    page = finance.get(f"/billing/price-book/{version.pk}/").content.decode()
    assert "Rp 55.000.000" in page and 'data-testid="version-form"' not in page


def test_finance_sets_the_dunning_policy_and_excludes_support_time(finance, regencies):
    from billing.dunning import billing_policy
    from billing.models import SupportTime

    bad = finance.post(
        "/billing/policy/",
        {"payment_terms_days": "30", "reminder_days": "7, soon", "suspend_after_days": "60"},
    )
    assert bad.status_code == 400
    assert "Enter whole numbers of days, 1 or more." in bad.content.decode()
    finance.post(
        "/billing/policy/",
        {"payment_terms_days": "21", "reminder_days": "3; 10", "suspend_after_days": "45"},
    )
    policy = billing_policy()
    assert (policy.payment_terms_days, policy.reminder_days, policy.suspend_after_days) == (
        21, [3, 10], 45,
    )  # fmt: skip

    engineer = console_client(staff_user(User.PlatformRole.ENGINEER))
    engineer.post(
        "/billing/support-time/",
        {
            "log-tenant": regencies["balangan"].pk,
            "log-worked_on": timezone.localdate().isoformat(),
            "log-minutes": "45",
            "log-description": "Reset kata sandi admin",
        },
    )
    entry = SupportTime.objects.get(description="Reset kata sandi admin")
    assert entry.engineer_email.endswith("@sukowati.test") and entry.minutes == 45
    assert engineer.post(f"/billing/support-time/{entry.pk}/exclude/").status_code == 403
    finance.post(
        f"/billing/support-time/{entry.pk}/exclude/", {"exclude-reason": "Kesalahan Sragen"}
    )
    entry.refresh_from_db()
    assert entry.excluded_at is not None and entry.exclusion_reason == "Kesalahan Sragen"
