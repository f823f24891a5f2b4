"""Seconds for the monthly invoice run: 500 regencies with 1,000,000 usage events
in the month, against 50 regencies with 100,000; and the ratio of the two.

Target: a ratio of at most 12 for ten times the data (close to linear). The run
reads its inputs with set-based queries (usage is one GROUP BY per time zone),
so neither figure may hide a query per regency. Figures are printed, never
asserted. Run with `make bench`.

The regencies are bare Tenant rows (billing never needs their schemas), the
events are loaded with COPY, and everything is removed afterwards; the usage
ledger refuses DELETE, so the clean-up lifts its trigger for the one statement,
inside a transaction, as only its owner can."""

import datetime
import time
from collections.abc import Iterator

import pytest
from django.db import connection, transaction
from django.utils import timezone

from billing.invoicing.run import invoice_run
from billing.models import Invoice, InvoiceLine, InvoiceRun, Subscription, UsageEvent
from billing.pricebook import price_book_for_period
from tenants.lifecycle import Actor
from tenants.models import Tenant

pytestmark = pytest.mark.bench

MONTH = datetime.date(2040, 3, 1)
EVENTS_PER_TENANT = 2_000
METERS = ("permits.issued", "ktp.printed", "kantaya.letters")
FINANCE = Actor(email="bench@sukowati.test", name="Bench")


def _regencies(count: int) -> list[Tenant]:
    """`count` active regencies without schemas, each subscribed to permits and
    with EVENTS_PER_TENANT usage events spread over the month."""
    tenants = Tenant.objects.bulk_create(
        Tenant(
            schema_name=f"bench_inv_{n:04d}",
            slug=f"bench-inv-{n:04d}",
            name=f"Bench {n:04d}",
            region_code=f"{80 + n // 100}.{n % 100:02d}",
            province="Bench",
            time_zone=("Asia/Jakarta", "Asia/Makassar", "Asia/Jayapura")[n % 3],
            status=Tenant.Status.ACTIVE,
        )
        for n in range(count)
    )
    Subscription.objects.bulk_create(
        Subscription(tenant=t, module_code="permits", starts_on=datetime.date(2040, 1, 1))
        for t in tenants
    )
    start = datetime.datetime(2040, 3, 1, 12, tzinfo=datetime.UTC)
    spread = 29 * 24 * 3600  # inside the month in every zone
    now = timezone.now()
    with (
        connection.cursor() as cursor,
        cursor.cursor.copy(
            "COPY billing_usageevent (tenant_id, meter, quantity, occurred_at, idempotency_key, "
            "source, recorded_at) FROM STDIN"
        ) as copy,
    ):
        for tenant in tenants:
            for index in range(EVENTS_PER_TENANT):
                copy.write_row(
                    (
                        tenant.pk,
                        METERS[index % 3],
                        1 + index % 4,
                        start + datetime.timedelta(seconds=index * spread // EVENTS_PER_TENANT),
                        f"bench:{tenant.pk}:{index}",
                        "bench",
                        now,
                    )
                )
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE billing_usageevent")
    return tenants


def _remove(tenants: list[Tenant]) -> None:
    ids = [t.pk for t in tenants]
    InvoiceLine.objects.filter(invoice__tenant_id__in=ids).delete()
    Invoice.objects.filter(tenant_id__in=ids).delete()
    Subscription.objects.filter(tenant_id__in=ids).delete()
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(
            "ALTER TABLE billing_usageevent DISABLE TRIGGER billing_usageevent_no_update_delete"
        )
        UsageEvent.objects.filter(tenant_id__in=ids).delete()
        cursor.execute(
            "ALTER TABLE billing_usageevent ENABLE TRIGGER billing_usageevent_no_update_delete"
        )
    Tenant.objects.filter(pk__in=ids).delete()


@pytest.fixture
def regencies(bench_db: None) -> Iterator[object]:
    made: list[list[Tenant]] = []

    def make(count: int) -> list[Tenant]:
        made.append(_regencies(count))
        return made[-1]

    try:
        yield make
    finally:
        for tenants in made:
            _remove(tenants)
        InvoiceRun.objects.filter(period_start=MONTH).delete()


def _timed_run() -> float:
    started = time.perf_counter()
    invoice_run(period_start=MONTH, actor=FINANCE)
    return time.perf_counter() - started


def test_invoice_run_scales_linearly(regencies) -> None:
    assert price_book_for_period(MONTH) is not None, "the demo's price book covers 2040"
    results = {}
    for count in (50, 500):
        tenants = regencies(count)
        seconds = _timed_run()
        again = _timed_run()  # the same month again: drafts replaced, none added
        drafts = Invoice.objects.filter(tenant__in=tenants, period_start=MONTH).count()
        assert drafts == count
        results[count] = (seconds, again)
        _remove(tenants)  # before the next size, so the runs see only their own data
    small, large = results[50][0], results[500][0]
    print()
    print(f"invoice run, {EVENTS_PER_TENANT:,} usage events per regency:")
    print(f"  50 regencies,    100,000 events: {small:.3f} s (re-run {results[50][1]:.3f} s)")
    print(f"  500 regencies, 1,000,000 events: {large:.3f} s (re-run {results[500][1]:.3f} s)")
    print(f"  ratio 500/50: {large / small:.2f} (target <= 12)")
