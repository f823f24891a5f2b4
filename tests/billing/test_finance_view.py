"""The finance view: receivables and ageing, revenue per regency, module and
month, cost recovered against cost recorded, recurring revenue; the figures
worked out by hand, the charts drawn, exports audited, and finance only."""

import datetime
import io

import pytest
from django.urls import URLPattern, reverse
from django.utils import timezone
from openpyxl import load_workbook

from accounts.models import User
from billing import finance
from billing.invoicing.run import invoice_run
from billing.invoicing.services import credit_note_issue, invoice_finalise, payment_record
from billing.models import Invoice, SiteVisit, StripeInvoiceSync, Subscription, SupportTime
from console.urls_finance import urlpatterns
from core.models import AuditEvent
from tests.accounts.helpers import client_at
from tests.billing.conftest import FINANCE, YEAR, bare_tenant
from tests.billing.stripe_helpers import OCTOBER, draft_invoice, finalised_invoice
from tests.console.conftest import console_client, staff_user

pytestmark = pytest.mark.django_db
NOVEMBER = datetime.date(YEAR, 11, 1)
RANGE = {"start": f"{YEAR}-09", "end": f"{YEAR}-12"}


@pytest.fixture
def finance_client():
    return console_client(staff_user(User.PlatformRole.FINANCE))


def _days(invoice: Invoice, days: int) -> datetime.date:
    assert invoice.issued_on is not None
    return invoice.issued_on + datetime.timedelta(days=days)


def _ageing_of(slug: str, today: datetime.date) -> finance.AgeingRow:
    [row] = [r for r in finance.ageing_by_regency(today=today) if r.regency.slug == slug]
    return row


@pytest.mark.parametrize(
    ("age", "bucket"), [(0, 0), (30, 0), (31, 1), (60, 1), (61, 2), (90, 2), (91, 3), (400, 3)]
)
def test_receivables_are_aged_by_days_since_issue(price_book, age, bucket):
    invoice = finalised_invoice(f"age-{age}")
    row = _ageing_of(f"age-{age}", _days(invoice, age))
    expected = [0, 0, 0, 0]
    expected[bucket] = 3_330_000
    assert list(row.buckets) == expected
    # Due 30 days after issue: overdue from day 31.
    assert row.overdue == (3_330_000 if age > 30 else 0)
    [receivable] = [
        r for r in finance.receivables_open(today=_days(invoice, age)) if r.invoice == invoice
    ]
    assert receivable.bucket == finance.BUCKETS[bucket]
    assert receivable.age_days == age


def test_the_balance_is_what_is_aged_and_settled_invoices_drop_out(price_book):
    partly = finalised_invoice("age-partly")
    payment_record(
        invoice=partly, amount_rupiah=1_000_000, received_on=timezone.localdate(), actor=FINANCE
    )
    credit_note_issue(invoice=partly, amount_rupiah=330_000, reason="Koreksi", actor=FINANCE)
    settled = finalised_invoice("age-settled")
    payment_record(
        invoice=settled, amount_rupiah=settled.total_rupiah, received_on=timezone.localdate(),
        actor=FINANCE,
    )  # fmt: skip
    draft_invoice("age-draft")
    today = _days(partly, 5)
    assert _ageing_of("age-partly", today).total == 2_000_000
    slugs = {row.regency.slug for row in finance.ageing_by_regency(today=today)}
    assert not {"age-settled", "age-draft"} & slugs


def test_revenue_per_regency_module_and_month_excludes_ppn_drafts_and_void(price_book):
    tenant = bare_tenant("rev-a")
    Subscription.objects.create(
        tenant=tenant, module_code="permits", starts_on=datetime.date(YEAR, 10, 17),
        charge_installation=True,
    )  # fmt: skip
    Subscription.objects.create(
        tenant=tenant, module_code="ktp", starts_on=datetime.date(YEAR, 1, 1),
        charge_installation=False,
    )  # fmt: skip
    for month in (OCTOBER, NOVEMBER):
        invoice_run(period_start=month, actor=FINANCE, tenant_ids=[tenant.pk])
    october = Invoice.objects.get(tenant=tenant, period_start=OCTOBER)
    invoice_finalise(invoice=october, actor=FINANCE)  # November stays a draft
    # By hand: permits installation 50.000.000 + 3.000.000 x 15/31 = 1.451.613 (half up),
    # ktp 2.000.000 for the whole month; PPN excluded.
    rows = [
        r for r in finance.revenue_rows(first=OCTOBER, last=NOVEMBER) if r.regency.slug == "rev-a"
    ]
    assert {(r.month, r.module, r.amount) for r in rows} == {
        (OCTOBER, "permits", 51_451_613),
        (OCTOBER, "ktp", 2_000_000),
    }
    months = finance.revenue_by_month(rows, [OCTOBER, NOVEMBER])
    assert months == [(OCTOBER, 53_451_613), (NOVEMBER, 0)]


def test_a_credit_note_lowers_revenue_by_its_share_excluding_ppn(price_book):
    invoice = finalised_invoice("rev-credit")
    credit_note_issue(invoice=invoice, amount_rupiah=1_110_000, reason="Koreksi", actor=FINANCE)
    rows = [
        r
        for r in finance.revenue_rows(first=OCTOBER, last=OCTOBER)
        if r.regency.slug == "rev-credit"
    ]
    # 1.110.000 x 3.000.000 / 3.330.000 = 1.000.000 excluding PPN.
    assert {(r.module, r.amount) for r in rows} == {
        ("permits", 3_000_000),
        (finance.CREDIT_NOTES, -1_000_000),
    }
    assert dict(finance.revenue_by_module(rows))[finance.module_label(finance.CREDIT_NOTES)] == (
        -1_000_000
    )


def test_cost_recovered_against_cost_recorded(price_book):
    tenant = bare_tenant("cost-a")
    Subscription.objects.create(
        tenant=tenant, module_code="permits", starts_on=datetime.date(YEAR, 1, 1),
        charge_installation=False,
    )  # fmt: skip
    SiteVisit.objects.create(
        tenant=tenant, purpose="Pelatihan", starts_on=datetime.date(YEAR, 10, 6),
        ends_on=datetime.date(YEAR, 10, 8), people="Tim Sragen", transport_rupiah=4_000_000,
        lodging_rupiah=1_500_000, per_diem_rupiah=900_000, status=SiteVisit.Status.APPROVED,
    )  # fmt: skip
    SiteVisit.objects.create(
        tenant=tenant, purpose="Belum disetujui", starts_on=datetime.date(YEAR, 10, 20),
        ends_on=datetime.date(YEAR, 10, 20), people="Tim", transport_rupiah=999_000,
        status=SiteVisit.Status.SUBMITTED,
    )  # fmt: skip
    for n, minutes in enumerate((120, 60)):
        SupportTime.objects.create(
            tenant=tenant, engineer_email="engineer@sukowati.test", minutes=minutes,
            worked_on=datetime.date(YEAR, 10, 10 + n), idempotency_key=f"cost-a-{n}",
        )  # fmt: skip
    invoice_run(period_start=OCTOBER, actor=FINANCE, tenant_ids=[tenant.pk])
    invoice_finalise(
        invoice=Invoice.objects.get(tenant=tenant, period_start=OCTOBER), actor=FINANCE
    )

    [row] = [
        r for r in finance.cost_rows(first=OCTOBER, last=OCTOBER) if r.regency.slug == "cost-a"
    ]
    # Recorded: the approved visit 6.400.000; 3 hours of support at 350.000 = 1.050.000.
    # Recovered: the visit at cost; support beyond the 2 included hours, 1 hour = 350.000.
    assert (row.visits_recorded, row.support_recorded) == (6_400_000, 1_050_000)
    assert (row.visits_recovered, row.support_recovered) == (6_400_000, 350_000)
    assert (row.recorded, row.recovered) == (7_450_000, 6_750_000)


def test_recurring_revenue_counts_active_subscriptions_at_the_prices_in_force(price_book):
    tenant = bare_tenant("mrr-a")
    Subscription.objects.create(
        tenant=tenant, module_code="permits", starts_on=datetime.date(YEAR, 3, 1)
    )
    Subscription.objects.create(
        tenant=tenant, module_code="ktp", plan=Subscription.Plan.YEARLY,
        starts_on=datetime.date(YEAR, 5, 15), ends_on=datetime.date(YEAR, 9, 30),
    )  # fmt: skip
    on = datetime.date(YEAR, 6, 1)
    rows = [r for r in finance.recurring_rows(on=on) if r.regency.slug == "mrr-a"]
    # permits monthly 3.000.000; ktp yearly 20.000.000 / 12 = 1.666.667 (half up).
    assert sorted((r.module, r.mrr) for r in rows) == [("ktp", 1_666_667), ("permits", 3_000_000)]
    later = [
        r
        for r in finance.recurring_rows(on=datetime.date(YEAR, 10, 1))
        if r.regency.slug == "mrr-a"
    ]
    assert [(r.module, r.mrr) for r in later] == [("permits", 3_000_000)]
    # The trend includes every regency's subscriptions; this one's show as the change.
    months = [datetime.date(YEAR, m, 1) for m in (2, 6, 10, 12)]
    trend = dict(finance.mrr_by_month(months=months, today=datetime.date(YEAR, 11, 20)))
    february = trend[datetime.date(YEAR, 2, 1)]
    assert february is not None
    assert trend[datetime.date(YEAR, 6, 1)] == february + 4_666_667
    assert trend[datetime.date(YEAR, 10, 1)] == february + 3_000_000
    assert trend[datetime.date(YEAR, 12, 1)] is None  # still to come


def test_the_overview_draws_the_charts_with_their_tables(price_book, finance_client):
    finalised_invoice("view-a")
    page = finance_client.get("/finance/", RANGE)
    assert page.status_code == 200
    html = page.content.decode()
    for chart in ("ageing", "revenue", "cost", "mrr"):
        assert f'data-testid="chart-{chart}"' in html
        assert f'aria-labelledby="{chart}-title"' in html
    for table in ("ageing-table", "revenue-months-table", "cost-table", "mrr-months-table"):
        assert f'data-testid="{table}"' in html
    assert "<script" not in html.split('data-testid="finance-summary"')[1]
    assert "View-A" in html and "Rp 3.000.000" in html
    assert "Stripe sync off" in html


def test_the_last_twelve_months_are_shown_unless_asked_otherwise(finance_client):
    html = finance_client.get("/finance/").content.decode()
    today = timezone.localdate()
    months_since_year_zero = today.year * 12 + today.month - 1 - 11  # eleven months back
    first = datetime.date(months_since_year_zero // 12, months_since_year_zero % 12 + 1, 1)
    assert f'value="{today:%Y-%m}"' in html and f'value="{first:%Y-%m}"' in html
    assert f"{first:%m/%Y} to {today:%m/%Y}" in html


def test_bad_months_are_refused_on_their_field(finance_client):
    html = finance_client.get("/finance/", {"start": "2031-13", "end": "x"}).content.decode()
    assert html.count('data-testid="field-error"') == 2
    assert "Enter a month as YYYY-MM" in html
    html = finance_client.get("/finance/", {"start": "2031-06", "end": "2031-01"}).content.decode()
    assert "The last month cannot be before the first." in html
    html = finance_client.get("/finance/", {"start": "2020-01", "end": "2031-01"}).content.decode()
    assert "at most 36 months" in html


def test_the_receivables_page_lists_open_invoices_and_stripe_trouble(price_book, finance_client):
    invoice = finalised_invoice("view-recv")
    StripeInvoiceSync.objects.create(
        invoice=invoice, stripe_invoice_id="in_view", state=StripeInvoiceSync.State.PAYMENT_FAILED
    )
    html = finance_client.get("/finance/receivables/").content.decode()
    assert invoice.number in html
    assert "Payment failed" in html


def test_exports_are_audited_and_hold_the_figures(price_book, finance_client):
    invoice = finalised_invoice("export-a")
    response = finance_client.get("/finance/export/revenue/csv/", RANGE)
    assert response.status_code == 200
    text = response.content.decode("utf-8-sig")
    assert "Revenue excl. PPN (Rp)" in text.splitlines()[0]
    assert f"{YEAR}-10,export-a,Export-A,permits," in text and ",3000000" in text
    event = AuditEvent.objects.get(action="finance.export", target="revenue")
    assert event.detail == {
        "format": "csv",
        "from": f"{YEAR}-09",
        "to": f"{YEAR}-12",
        "rows": event.detail["rows"],
    }
    assert event.actor_email.endswith("@sukowati.test")

    book = load_workbook(
        io.BytesIO(finance_client.get("/finance/export/receivables/xlsx/").content)
    )
    sheet = book.active
    assert sheet is not None
    rows = list(sheet.iter_rows(values_only=True))
    mine = [row for row in rows if row[0] == invoice.number]
    assert mine and mine[0][9] == 3_330_000
    assert AuditEvent.objects.filter(action="finance.export", target="receivables").exists()


def test_exported_cells_cannot_run_as_formulas(price_book, finance_client):
    invoice = finalised_invoice("export-formula")
    invoice.tenant.name = '=HYPERLINK("http://evil.test")'
    invoice.tenant.save(update_fields=["name"])
    text = finance_client.get("/finance/export/ageing/csv/").content.decode("utf-8-sig")
    assert "\n=HYPERLINK" not in text and ",=HYPERLINK" not in text
    assert "'=HYPERLINK" in text


def test_every_report_exports_in_both_formats_and_unknown_ones_are_404(finance_client):
    for report in ("receivables", "ageing", "revenue", "cost-recovery", "recurring"):
        for file_format in ("csv", "xlsx"):
            assert finance_client.get(f"/finance/export/{report}/{file_format}/").status_code == 200
    assert finance_client.get("/finance/export/salaries/csv/").status_code == 404
    assert finance_client.get("/finance/export/revenue/pdf/").status_code == 404
    bad = finance_client.get("/finance/export/revenue/csv/", {"start": "nope"})
    assert bad.status_code == 302 and bad["Location"].startswith("/finance/?")


def _every_finance_url() -> list[str]:
    urls = []
    for pattern in urlpatterns:
        assert isinstance(pattern, URLPattern)
        kwargs = {"report": "revenue", "file_format": "csv"} if pattern.pattern.converters else None
        urls.append(reverse(pattern.name, kwargs=kwargs, urlconf="config.urls_public"))
    return urls


def test_finance_only_engineers_get_403_and_strangers_sign_in(finance_client):
    urls = _every_finance_url()
    assert len(urls) == len(urlpatterns) == 3
    engineer = console_client(staff_user(User.PlatformRole.ENGINEER))
    nobody = console_client(staff_user(User.PlatformRole.NONE))
    no_mfa = console_client(staff_user(User.PlatformRole.FINANCE, mfa=False))
    anonymous = client_at("localhost")
    for url in urls:
        assert finance_client.get(url).status_code == 200, url
        assert engineer.get(url).status_code == 403, url
        assert nobody.get(url).status_code == 403, url
        assert no_mfa.get(url)["Location"].startswith("/accounts/2fa/"), url
        response = anonymous.get(url)
        assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")


def test_the_console_menu_shows_finance_to_finance_staff_only(finance_client):
    assert 'data-testid="nav-finance"' in finance_client.get("/finance/").content.decode()
    engineer = console_client(staff_user(User.PlatformRole.ENGINEER))
    assert 'data-testid="nav-finance"' not in engineer.get("/").content.decode()
