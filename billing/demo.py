"""Demo billing: a price book, subscriptions and five months of usage, support
time, site visits, invoices and payments for Lebak, Balangan and Dumai, with
some invoices overdue, so finance's pages show real content after `make run`.

Idempotent: once the demo price book exists, a second run does nothing. The
history is laid out relative to today: the five months before this one, the
oldest four invoiced, the last one left as a draft for finance to review.
Unpaid invoices are at most about two months overdue and the demo's grace
period is 90 days, so dunning never suspends a demo regency."""

import datetime

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.utils import timezone

from billing.dunning import billing_policy_update
from billing.expenses import site_visit_receipt_add, site_visit_save, site_visit_transition
from billing.invoicing.run import invoice_run
from billing.invoicing.services import (
    credit_note_issue,
    invoice_finalise,
    payment_record,
)
from billing.models import (
    BillingCustomer,
    Invoice,
    PriceBookVersion,
    SiteVisit,
    Subscription,
    SupportTime,
    UsageEvent,
)
from billing.money import month_bounds
from billing.pricebook import (
    meter_price_set,
    module_price_set,
    price_book_version_create,
    price_book_version_publish,
)
from billing.subscriptions import subscription_create
from tenants.lifecycle import Actor
from tenants.models import Tenant

DEMO_BOOK = "Tarif layanan Sukowati (demo)"
FINANCE = Actor(email="keuangan@sukowati.test", name="Sri Wahyuni")
ENGINEER = Actor(email="engineer@sukowati.test", name="Budi Santoso")

MODULE_PRICES = {
    # installation, per month, per year, support hours included per month
    "permits": (50_000_000, 4_500_000, 48_000_000, 4),
    "ktp": (35_000_000, 3_000_000, 32_000_000, 3),
    "kantaya": (25_000_000, 2_500_000, 27_000_000, 2),
}
METER_PRICES = {"permits.issued": 7_500, "ktp.printed": 3_000, "kantaya.letters": 500}
CUSTOMERS = {
    "lebak": ("5.1.02.02.01.0026", "Jl. Abdi Negara No. 1, Rangkasbitung, Lebak, Banten"),
    "balangan": ("5.1.02.02.01.0031", "Jl. A. Yani Km 1, Paringin, Balangan, Kalimantan Selatan"),
    "dumai": ("5.1.02.02.01.0019", "Jl. Tuanku Tambusai, Dumai, Riau"),
}
# Permit certificates issued per month, oldest first.
PERMITS_ISSUED = {
    "lebak": (96, 131, 142, 158, 173),
    "balangan": (41, 47, 52, 49, 60),
    "dumai": (120, 128, 117, 139, 151),
}
SUPPORT_MINUTES = {  # (day of month, minutes) per month, the same each month
    "lebak": ((4, 90), (12, 120), (21, 75)),
    "balangan": ((8, 60),),
    "dumai": ((3, 180), (10, 150), (17, 120), (24, 90)),
}


def demo_billing_seed(*, today: datetime.date | None = None) -> int:
    """Seed the demo's billing history; returns how many invoices it drew up
    (0 when it was seeded before)."""
    if PriceBookVersion.objects.filter(name=DEMO_BOOK).exists():
        return 0
    today = today or timezone.localdate()
    months = _months_before(today, 5)
    tenants = {t.slug: t for t in Tenant.objects.filter(slug__in=CUSTOMERS)}
    if not tenants:
        return 0
    with transaction.atomic():
        _price_book(months[0] - datetime.timedelta(days=31))
        billing_policy_update(
            actor=FINANCE, payment_terms_days=30, reminder_days=[7, 14, 30, 60],
            suspend_after_days=90, bank_name="Bank Jateng Cabang Sragen",
            bank_account_number="2-004-01234-5", bank_account_name="RKUD Kabupaten Sragen",
        )  # fmt: skip
        for slug, tenant in tenants.items():
            apbd, address = CUSTOMERS[slug]
            BillingCustomer.objects.update_or_create(
                tenant=tenant,
                defaults={"apbd_code": apbd, "address": address, "email": f"admin@{slug}.test"},
                create_defaults={
                    "apbd_code": apbd, "address": address, "email": f"admin@{slug}.test",
                    "name": f"Pemerintah {tenant.name}",
                },
            )  # fmt: skip
            _subscriptions(tenant, slug, months)
            _usage(tenant, slug, months)
            _support(tenant, slug, months)
        _site_visits(tenants, months)
        return _invoices(tenants, months, today)


def _months_before(today: datetime.date, count: int) -> list[datetime.date]:
    first = today.replace(day=1)
    months = []
    for _index in range(count):
        first = (first - datetime.timedelta(days=1)).replace(day=1)
        months.append(first)
    return list(reversed(months))


def _price_book(effective_from: datetime.date) -> None:
    version = price_book_version_create(
        name=DEMO_BOOK, effective_from=effective_from.replace(day=1), actor=FINANCE
    )
    version.tax_rate_bp = 1100
    version.support_hour_rupiah = 350_000
    version.notes = "Biaya pemulihan layanan, ditetapkan bersama Bagian Keuangan Setda Sragen."
    version.save()
    for code, (installation, monthly, yearly, hours) in MODULE_PRICES.items():
        module_price_set(
            version=version, module_code=code, actor=FINANCE, installation_rupiah=installation,
            monthly_rupiah=monthly, yearly_rupiah=yearly, included_support_hours=hours,
        )  # fmt: skip
    for meter, price in METER_PRICES.items():
        meter_price_set(version=version, meter=meter, unit_rupiah=price, actor=FINANCE)
    price_book_version_publish(version=version, actor=FINANCE)


def _subscriptions(tenant: Tenant, slug: str, months: list[datetime.date]) -> None:
    """Permits for all three (their entitlement is enabled by the demo seed),
    back-dated to the start of the demo history; Balangan pays yearly."""
    plan = Subscription.Plan.YEARLY if slug == "balangan" else Subscription.Plan.MONTHLY
    starts_on = months[0].replace(day=1 if slug != "lebak" else 10)
    current = Subscription.objects.filter(
        tenant=tenant, module_code="permits", ends_on__isnull=True
    ).first()
    if current is not None:
        # Opened "today" when the demo enabled the module: the demo's regencies
        # have used it for months.
        Subscription.objects.filter(pk=current.pk).update(
            starts_on=starts_on, plan=plan, charge_installation=True
        )
    else:
        subscription_create(
            tenant=tenant, module_code="permits", starts_on=starts_on, actor=FINANCE, plan=plan
        )


def _usage(tenant: Tenant, slug: str, months: list[datetime.date]) -> None:
    events = []
    for month, count in zip(months, PERMITS_ISSUED[slug], strict=True):
        _first, last = month_bounds(month)
        for number in range(count):
            day = 1 + number * (last.day - 1) // max(count, 1)
            events.append(
                UsageEvent(
                    tenant=tenant,
                    meter="permits.issued",
                    quantity=1,
                    occurred_at=datetime.datetime.combine(
                        month.replace(day=day),
                        datetime.time(9 + number % 7, 15),
                        tzinfo=timezone.get_current_timezone(),
                    ),
                    idempotency_key=f"demo:{slug}:{month:%Y-%m}:{number}",
                    source=f"permits:demo/{month:%Y%m}/{number:04d}",
                )
            )
    UsageEvent.objects.bulk_create(events, ignore_conflicts=True)


def _support(tenant: Tenant, slug: str, months: list[datetime.date]) -> None:
    SupportTime.objects.bulk_create(
        [
            SupportTime(
                tenant=tenant,
                engineer_email=ENGINEER.email,
                minutes=minutes,
                worked_on=month.replace(day=day),
                description="Pendampingan operator melalui telepon dan sesi jarak jauh",
                source="demo",
                idempotency_key=f"demo:{slug}:{month:%Y-%m}:support:{day}",
            )
            for month in months
            for day, minutes in SUPPORT_MINUTES[slug]
        ],
        ignore_conflicts=True,
    )


def _site_visits(tenants: dict[str, Tenant], months: list[datetime.date]) -> None:
    """An approved visit to Lebak (billed at cost), one to Dumai awaiting
    approval, one to Balangan still a draft."""
    plans = (
        (
            "lebak",
            months[1],
            "Instalasi dan pelatihan operator perizinan",
            SiteVisit.Status.APPROVED,
        ),
        ("dumai", months[4], "Pendampingan go-live layanan perizinan", SiteVisit.Status.SUBMITTED),
        (
            "balangan",
            months[4],
            "Survei kesiapan jaringan kantor kecamatan",
            SiteVisit.Status.DRAFT,
        ),
    )
    for slug, month, purpose, status in plans:
        if slug not in tenants:
            continue
        visit = site_visit_save(
            actor=ENGINEER, tenant=tenants[slug], purpose=purpose,
            starts_on=month.replace(day=13), ends_on=month.replace(day=15),
            people="Budi Santoso, Wahyu Hidayat", transport_rupiah=4_350_000,
            lodging_rupiah=1_650_000, per_diem_rupiah=1_080_000,
        )  # fmt: skip
        receipt = SimpleUploadedFile("tiket-pesawat.pdf", b"%PDF-1.4\n% demo receipt\n")
        site_visit_receipt_add(
            visit=visit, file=receipt, description="Tiket pesawat pulang-pergi", actor=ENGINEER
        )
        if status != SiteVisit.Status.DRAFT:
            site_visit_transition(visit=visit, to_status=SiteVisit.Status.SUBMITTED, actor=ENGINEER)
        if status == SiteVisit.Status.APPROVED:
            site_visit_transition(visit=visit, to_status=status, actor=FINANCE)


def _invoices(tenants: dict[str, Tenant], months: list[datetime.date], today: datetime.date) -> int:
    """Each month drawn up in turn; all but the last finalised on the 3rd of the
    next month; payments as each regency's treasury would make them."""
    ids = [t.pk for t in tenants.values()]
    drawn = 0
    for index, month in enumerate(months):
        report = invoice_run(period_start=month, actor=FINANCE, tenant_ids=ids)
        drawn += len(report.drafted)
        if index == len(months) - 1:
            break  # the last month stays a draft for finance to review
        issued_on = min(month_bounds(month)[1] + datetime.timedelta(days=3), today)
        for invoice in Invoice.objects.filter(pk__in=report.drafted).select_related("tenant"):
            invoice = invoice_finalise(invoice=invoice, actor=FINANCE, issued_on=issued_on)
            _pay(invoice, index, len(months), today)
    return drawn


def _pay(invoice: Invoice, index: int, count: int, today: datetime.date) -> None:
    slug = invoice.tenant.slug
    assert invoice.issued_on is not None
    paid_on = min(invoice.issued_on + datetime.timedelta(days=21), today)
    reference = f"SP2D/{slug.upper()}/{invoice.issued_on:%Y%m}"
    last_issued = index == count - 2
    if slug == "lebak":
        payment_record(
            invoice=invoice, amount_rupiah=invoice.balance_rupiah, received_on=paid_on,
            actor=FINANCE, reference=reference,
        )  # fmt: skip
    elif slug == "balangan":
        share = invoice.balance_rupiah if not last_issued else invoice.balance_rupiah // 2
        payment_record(
            invoice=invoice, amount_rupiah=share, received_on=paid_on, actor=FINANCE,
            reference=reference,
        )  # fmt: skip
    elif slug == "dumai":
        if index == 1:
            credit_note_issue(
                invoice=invoice, amount_rupiah=1_500_000,
                reason="Layanan perizinan tidak tersedia 10 hari karena pemeliharaan jaringan",
                actor=FINANCE,
            )  # fmt: skip
        if index < count - 3:
            payment_record(
                invoice=invoice, amount_rupiah=invoice.balance_rupiah, received_on=paid_on,
                actor=FINANCE, reference=reference,
            )  # fmt: skip
