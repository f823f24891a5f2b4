"""The finance view and Stripe's webhook live on the root domain only: no
regency host serves them, a Stripe event settles only the invoice Stripe
knows, and finance's exports carry sums per regency, never personal data."""

import datetime

import pytest
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
from django_tenants.utils import schema_context

from accounts.models import User
from billing.models import Invoice, SiteVisit, StripeEvent, SupportTime
from tests.accounts.helpers import client_at, new_user
from tests.billing.conftest import YEAR, price_book  # noqa: F401 - the fixture
from tests.billing.stripe_helpers import (
    SECRET,
    deliver,
    finalised_invoice,
    invoice_event,
    pushed_invoice,
)
from tests.console.conftest import console_client, staff_user

# The price book the invoices are drawn up from (imported above as a fixture).
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("price_book")]
FINANCE_PAGES = (
    "/finance/",
    "/finance/receivables/",
    "/finance/export/revenue/csv/",
    "/finance/export/receivables/xlsx/",
)
REPORTS = ("receivables", "ageing", "revenue", "cost-recovery", "recurring")


@pytest.fixture
def webhook_secret(settings):
    settings.STRIPE_WEBHOOK_SECRET = SECRET


def regency_admin_client(slug: str):
    user = new_user(slug)
    client = client_at(f"{slug}.localhost")
    with schema_context(slug):
        User.objects.filter(pk=user.pk).update(is_regency_admin=True)
        admin = User.objects.get(pk=user.pk)
        TOTP.activate(admin, generate_totp_secret())
        client.force_login(admin)
    return client


@pytest.mark.parametrize("slug", ["lebak", "balangan", "dumai"])
def test_no_regency_host_serves_the_finance_view_or_the_webhook(regencies, webhook_secret, slug):
    invoice = pushed_invoice(f"iso-host-{slug}", f"in_iso_host_{slug}")
    events = StripeEvent.objects.count()
    for client in (client_at(f"{slug}.localhost"), regency_admin_client(slug)):
        for page in FINANCE_PAGES:
            assert client.get(page).status_code == 404, (slug, page)
        paid = invoice_event(
            f"evt_iso_{slug}", "invoice.paid", stripe_id=invoice.stripe_invoice_id,
            status="paid", created=1_900_000_000,
        )  # fmt: skip
        assert deliver(client, paid).status_code == 404
    assert StripeEvent.objects.count() == events
    invoice.refresh_from_db()
    assert invoice.status == Invoice.Status.FINALISED


def test_a_stripe_event_settles_only_the_invoice_stripe_knows(webhook_secret):
    lebak_like = pushed_invoice("iso-pay-a", "in_iso_pay_a")
    dumai_like = pushed_invoice("iso-pay-b", "in_iso_pay_b")
    # The metadata names the other regency's invoice; Stripe's own id decides.
    event = invoice_event(
        "evt_iso_pay", "invoice.paid", stripe_id="in_iso_pay_a", status="paid",
        created=1_900_000_000, local_invoice=dumai_like,
    )  # fmt: skip
    assert deliver(client_at("localhost"), event).status_code == 200
    lebak_like.refresh_from_db()
    dumai_like.refresh_from_db()
    assert lebak_like.status == Invoice.Status.PAID
    assert dumai_like.status == Invoice.Status.FINALISED
    assert dumai_like.payments.count() == 0


def test_finance_exports_carry_no_personal_data():
    invoice = finalised_invoice("iso-export")
    tenant = invoice.tenant
    SiteVisit.objects.create(
        tenant=tenant, purpose="Pelatihan", starts_on=datetime.date(YEAR, 10, 6),
        ends_on=datetime.date(YEAR, 10, 7), people="Budi Santoso NIP 198001012006041001",
        transport_rupiah=1_000_000, status=SiteVisit.Status.APPROVED,
        submitted_by_email="teknisi.rahasia@sukowati.test",
    )  # fmt: skip
    SupportTime.objects.create(
        tenant=tenant, engineer_email="teknisi.rahasia@sukowati.test", minutes=300,
        worked_on=datetime.date(YEAR, 10, 9), description="Telepon Ibu Sari 081234567890",
        idempotency_key="iso-export-1",
    )  # fmt: skip
    finance = console_client(staff_user(User.PlatformRole.FINANCE))
    query = {"start": f"{YEAR}-09", "end": f"{YEAR}-11"}
    for report in REPORTS:
        body = finance.get(f"/finance/export/{report}/csv/", query).content.decode("utf-8-sig")
        for secret in ("Budi", "198001012006041001", "rahasia", "Sari", "081234567890", "@"):
            assert secret not in body, (report, secret)
    overview = finance.get("/finance/", query).content.decode()
    assert "Budi" not in overview and "teknisi.rahasia" not in overview
