"""A regency sees only its own invoices: another regency's invoice ids and PDF
downloads answer 404, drafts are never shown, and only the regency's admins get
in. Receipts and invoice runs stay on the platform side."""

import datetime

import pytest
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django_tenants.utils import schema_context

from accounts.models import User
from billing.expenses import site_visit_receipt_add, site_visit_save
from billing.invoicing.run import invoice_run
from billing.invoicing.services import invoice_finalise
from billing.models import Invoice, Subscription
from core.models import AuditEvent
from tenants.lifecycle import Actor, tenant_transition
from tenants.models import Tenant
from tests.accounts.helpers import client_at, new_user
from tests.billing.conftest import FINANCE, YEAR, price_book  # noqa: F401 - the fixture

pytestmark = pytest.mark.django_db
MONTH = datetime.date(YEAR, 10, 1)


@pytest.fixture
def invoices(regencies, price_book):  # noqa: F811
    """{slug: (finalised invoice, draft invoice of the next month)} for Lebak and Dumai."""
    made = {}
    for slug in ("lebak", "dumai"):
        tenant = regencies[slug]
        Subscription.objects.filter(tenant=tenant).delete()
        Subscription.objects.create(
            tenant=tenant, module_code="permits", starts_on=datetime.date(YEAR, 1, 1),
            charge_installation=False,
        )  # fmt: skip
        invoice_run(period_start=MONTH, actor=FINANCE, tenant_ids=[tenant.pk])
        invoice_run(period_start=datetime.date(YEAR, 11, 1), actor=FINANCE, tenant_ids=[tenant.pk])
        issued = invoice_finalise(
            invoice=Invoice.objects.get(tenant=tenant, period_start=MONTH), actor=FINANCE
        )
        draft = Invoice.objects.get(tenant=tenant, period_start=datetime.date(YEAR, 11, 1))
        made[slug] = (issued, draft)
    return made


def lebak_admin():
    """A client signed in as a Lebak admin with an authenticator (admins must
    have one; signing in with it is tested elsewhere)."""
    user = new_user("lebak")
    client = client_at("lebak.localhost")
    with schema_context("lebak"):
        User.objects.filter(pk=user.pk).update(is_regency_admin=True)
        admin = User.objects.get(pk=user.pk)
        TOTP.activate(admin, generate_totp_secret())
        client.force_login(admin)
    return client


def test_lebak_admin_gets_404_for_dumais_invoice_and_pdf(invoices):
    client = lebak_admin()
    dumai_issued, dumai_draft = invoices["dumai"]
    for invoice in (dumai_issued, dumai_draft):
        assert client.get(f"/billing/{invoice.pk}/").status_code == 404
        assert client.get(f"/billing/{invoice.pk}/pdf/").status_code == 404


def test_lebak_admin_sees_and_downloads_only_lebaks_issued_invoices(invoices):
    client = lebak_admin()
    lebak_issued, lebak_draft = invoices["lebak"]
    page = client.get("/billing/").content.decode()
    assert lebak_issued.number in page
    assert invoices["dumai"][0].number not in page
    assert f"/billing/{lebak_draft.pk}/" not in page
    assert client.get(f"/billing/{lebak_draft.pk}/").status_code == 404  # drafts stay with finance
    assert client.get(f"/billing/{lebak_issued.pk}/").status_code == 200
    pdf = client.get(f"/billing/{lebak_issued.pk}/pdf/")
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    with schema_context("lebak"):
        assert AuditEvent.objects.filter(
            action="invoice.downloaded", target=lebak_issued.number
        ).exists()


def test_regency_staff_who_are_not_admins_are_refused(invoices):
    user = new_user("lebak")
    client = client_at("lebak.localhost")
    with schema_context("lebak"):
        client.force_login(user)
    lebak_issued, _draft = invoices["lebak"]
    assert client.get("/billing/").status_code == 403
    assert client.get(f"/billing/{lebak_issued.pk}/pdf/").status_code == 403


def test_a_suspended_regencys_admin_still_reaches_its_invoices(invoices, regencies):
    tenant_transition(
        tenant=regencies["lebak"], to_status=Tenant.Status.SUSPENDED,
        actor=Actor(email="engineer@sukowati.test"), reason="Tagihan belum dibayar",
    )  # fmt: skip
    client = lebak_admin()
    lebak_issued, _draft = invoices["lebak"]
    assert client.get("/billing/").status_code == 200
    assert client.get(f"/billing/{lebak_issued.pk}/pdf/").status_code == 200
    staff = new_user("lebak")
    other = client_at("lebak.localhost")
    with schema_context("lebak"):
        other.force_login(staff)
    assert other.get("/billing/").status_code == 503


def test_receipts_are_stored_under_the_platform_and_not_served_to_regencies(regencies):
    visit = site_visit_save(
        actor=FINANCE,
        tenant=regencies["lebak"],
        purpose="Instalasi",
        starts_on=datetime.date(YEAR, 1, 5),
        ends_on=datetime.date(YEAR, 1, 6),
        people="Budi",
        transport_rupiah=1,
        lodging_rupiah=0,
        per_diem_rupiah=0,
    )
    receipt = site_visit_receipt_add(
        visit=visit, file=SimpleUploadedFile("bon.pdf", b"%PDF-1.4"), description="", actor=FINANCE
    )
    name = receipt.file.name or ""
    assert default_storage.path(name).split("/media/")[-1].startswith("public/")
    assert "lebak" not in name
    client = lebak_admin()
    assert client.get(f"/billing/site-visits/{visit.pk}/receipts/{receipt.pk}/").status_code == 404
