"""The monthly run: a month's invoice equals the total worked out by hand, and
running the month again changes nothing that is issued and duplicates nothing."""

import datetime
from zoneinfo import ZoneInfo

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from billing.expenses import site_visit_receipt_add, site_visit_save, site_visit_transition
from billing.invoicing.run import invoice_run
from billing.invoicing.services import invoice_finalise
from billing.models import Invoice, SiteVisit, Subscription
from billing.usage import support_time_record, usage_record
from tests.billing.conftest import FINANCE, YEAR, bare_tenant

pytestmark = pytest.mark.django_db

WIB = ZoneInfo("Asia/Jakarta")
OCTOBER = datetime.date(YEAR, 10, 1)


def at(day: int, hour: int = 10, minute: int = 0, month: int = 10) -> datetime.datetime:
    return datetime.datetime(YEAR, month, day, hour, minute, tzinfo=WIB)


def _october_of(tenant) -> None:
    """The known set of events of the worked example."""
    Subscription.objects.create(
        tenant=tenant, module_code="permits", starts_on=datetime.date(YEAR, 1, 1),
        charge_installation=False,
    )  # fmt: skip
    Subscription.objects.create(
        tenant=tenant, module_code="ktp", starts_on=datetime.date(YEAR, 10, 10)
    )
    for key, quantity, when in (
        ("p1", 3, at(2)),
        ("p2", 4, at(15)),
        ("p3", 5, at(31, 23, 30)),  # 23:30 WIB on the 31st: still October in Lebak's zone
        ("p-before", 9, at(30, 23, 59, month=9)),  # September
        ("p-after", 9, at(1, 0, 10, month=11)),  # 00:10 WIB on 1 November
    ):
        usage_record(
            tenant=tenant, meter="permits.issued", quantity=quantity,
            idempotency_key=f"{tenant.slug}:{key}", occurred_at=when,
        )  # fmt: skip
    # Recorded twice (a retried action): counts once.
    for _attempt in range(2):
        usage_record(
            tenant=tenant, meter="ktp.printed", quantity=7,
            idempotency_key=f"{tenant.slug}:k1", occurred_at=at(20),
        )  # fmt: skip
    support_time_record(
        tenant=tenant, engineer_email="engineer@sukowati.test", minutes=150,
        idempotency_key=f"{tenant.slug}:s1", worked_on=datetime.date(YEAR, 10, 5),
    )  # fmt: skip
    support_time_record(
        tenant=tenant, engineer_email="engineer@sukowati.test", minutes=100,
        idempotency_key=f"{tenant.slug}:s2", worked_on=datetime.date(YEAR, 10, 28),
    )  # fmt: skip
    visit = site_visit_save(
        actor=FINANCE, tenant=tenant, purpose="Pelatihan operator KTP",
        starts_on=datetime.date(YEAR, 10, 12), ends_on=datetime.date(YEAR, 10, 14),
        people="Budi Santoso, Wahyu Hidayat", transport_rupiah=1_250_000,
        lodging_rupiah=900_000, per_diem_rupiah=450_000,
    )  # fmt: skip
    site_visit_receipt_add(
        visit=visit, file=SimpleUploadedFile("tiket.pdf", b"%PDF-1.4 tiket"),
        description="Tiket", actor=FINANCE,
    )  # fmt: skip
    site_visit_transition(visit=visit, to_status=SiteVisit.Status.SUBMITTED, actor=FINANCE)
    site_visit_transition(visit=visit, to_status=SiteVisit.Status.APPROVED, actor=FINANCE)


def test_a_months_invoice_equals_the_total_worked_out_by_hand(price_book):
    tenant = bare_tenant("hand-lebak")
    _october_of(tenant)

    invoice_run(period_start=OCTOBER, actor=FINANCE)

    invoice = Invoice.objects.get(tenant=tenant, period_start=OCTOBER)
    # By hand, October (31 days), prices from the `price_book` fixture:
    #   ktp installation (starts 10 October):               25.000.000
    #   ktp monthly, 10..31 October = 22 of 31 days:
    #       2.000.000 x 22 / 31 = 1.419.354,84 -> half up:   1.419.355
    #   permits monthly, whole month (installed before):     3.000.000
    #   ktp.printed 7 (recorded twice, counted once) x 2.500:    17.500
    #   permits.issued 3 + 4 + 5 = 12 (not the 9 of 30 Sept, not the 9 of
    #       1 Nov 00:10 WIB) x 5.000:                            60.000
    #   support 150 + 100 = 250 min; included 2 h (permits) + 1 h (ktp)
    #       = 180 min; beyond: 70 min x 350.000 / 60
    #       = 408.333,33 -> half up:                            408.333
    #   taxable subtotal                                     29.905.188
    #   site visit at cost, no PPN: 1.250.000 + 900.000 + 450.000
    #                                                         2.600.000
    #   subtotal                                             32.505.188
    #   PPN 11% of 29.905.188 = 3.289.570,68 -> half up:      3.289.571
    #   total                                                35.794.759
    assert [line.amount_rupiah for line in invoice.lines.all()] == [
        25_000_000, 1_419_355, 3_000_000, 17_500, 60_000, 408_333, 1_250_000, 900_000, 450_000,
    ]  # fmt: skip
    assert invoice.taxable_rupiah == 29_905_188
    assert invoice.subtotal_rupiah == 32_505_188
    assert invoice.tax_rupiah == 3_289_571
    assert invoice.total_rupiah == 35_794_759
    assert invoice.status == Invoice.Status.DRAFT
    assert invoice.customer_name == "Pemerintah Hand-Lebak"


def test_running_the_month_again_does_not_duplicate_drafts(price_book):
    tenant = bare_tenant("rerun")
    _october_of(tenant)
    first = invoice_run(period_start=OCTOBER, actor=FINANCE)
    invoice = Invoice.objects.get(tenant=tenant, period_start=OCTOBER)
    line_ids = set(invoice.lines.values_list("pk", flat=True))
    usage_record(
        tenant=tenant, meter="permits.issued", quantity=2,
        idempotency_key="rerun:late", occurred_at=at(25),
    )  # fmt: skip

    second = invoice_run(period_start=OCTOBER, actor=FINANCE)

    assert invoice.pk in first.drafted and invoice.pk in second.redrafted
    assert Invoice.objects.filter(tenant=tenant, period_start=OCTOBER).count() == 1
    invoice.refresh_from_db()
    assert not line_ids & set(invoice.lines.values_list("pk", flat=True))  # lines replaced
    assert invoice.lines.get(meter="permits.issued").quantity == 14
    # The approved visit stays on this month's draft, once.
    assert invoice.lines.filter(kind="expense").count() == 3


def test_a_rerun_leaves_an_issued_invoice_alone(price_book):
    tenant = bare_tenant("issued")
    _october_of(tenant)
    invoice_run(period_start=OCTOBER, actor=FINANCE)
    invoice = invoice_finalise(
        invoice=Invoice.objects.get(tenant=tenant, period_start=OCTOBER), actor=FINANCE
    )
    usage_record(
        tenant=tenant, meter="permits.issued", quantity=2,
        idempotency_key="issued:late", occurred_at=at(25),
    )  # fmt: skip

    report = invoice_run(period_start=OCTOBER, actor=FINANCE)

    assert invoice.pk in report.skipped_issued
    assert Invoice.objects.filter(tenant=tenant, period_start=OCTOBER).count() == 1
    invoice.refresh_from_db()
    assert invoice.total_rupiah == 35_794_759


def test_an_approved_visit_is_billed_once(price_book):
    tenant = bare_tenant("visit-once")
    _october_of(tenant)
    invoice_run(period_start=OCTOBER, actor=FINANCE)
    invoice_finalise(
        invoice=Invoice.objects.get(tenant=tenant, period_start=OCTOBER), actor=FINANCE
    )

    invoice_run(period_start=datetime.date(YEAR, 11, 1), actor=FINANCE)

    november = Invoice.objects.get(tenant=tenant, period_start=datetime.date(YEAR, 11, 1))
    assert not november.lines.filter(kind="expense").exists()


def test_the_month_follows_the_regencys_time_zone(price_book):
    """The same instant is October in a WIB regency and November in a WITA one."""
    wib = bare_tenant("zone-wib")
    wita = bare_tenant("zone-wita", time_zone="Asia/Makassar")
    instant = datetime.datetime(YEAR, 10, 31, 16, 30, tzinfo=datetime.UTC)  # 23:30 WIB, 00:30 WITA
    for tenant in (wib, wita):
        usage_record(
            tenant=tenant, meter="permits.issued", quantity=1,
            idempotency_key=f"{tenant.slug}:edge", occurred_at=instant,
        )  # fmt: skip

    invoice_run(period_start=OCTOBER, actor=FINANCE)

    assert Invoice.objects.filter(tenant=wib, period_start=OCTOBER).exists()
    assert not Invoice.objects.filter(tenant=wita, period_start=OCTOBER).exists()


def test_a_draft_with_nothing_left_to_bill_is_removed(price_book):
    tenant = bare_tenant("emptied")
    sub = Subscription.objects.create(
        tenant=tenant, module_code="permits", starts_on=datetime.date(YEAR, 10, 1)
    )
    invoice_run(period_start=OCTOBER, actor=FINANCE)
    assert Invoice.objects.filter(tenant=tenant).exists()
    sub.delete()  # entered by mistake

    report = invoice_run(period_start=OCTOBER, actor=FINANCE)

    assert report.removed_empty >= 1
    assert not Invoice.objects.filter(tenant=tenant).exists()
