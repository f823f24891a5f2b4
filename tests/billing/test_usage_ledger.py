"""The usage ledger: append-only even to raw SQL, a repeated key counts once,
bad input refused with the ledger untouched, totals from SQL aggregation."""

import datetime
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import ValidationError
from django.db import DatabaseError, connection, transaction
from django.test.utils import CaptureQueriesContext
from django_tenants.utils import tenant_context

from billing.models import UsageEvent
from billing.selectors import usage_totals
from billing.usage import usage_record
from tests.billing.conftest import YEAR, bare_tenant

pytestmark = pytest.mark.django_db
WHEN = datetime.datetime(YEAR, 3, 10, 9, tzinfo=ZoneInfo("Asia/Jakarta"))


def test_a_usage_event_recorded_twice_counts_once():
    tenant = bare_tenant("twice")
    first = usage_record(
        tenant=tenant, meter="permits.issued", idempotency_key="twice:1", occurred_at=WHEN
    )
    again = usage_record(
        tenant=tenant, meter="permits.issued", idempotency_key="twice:1", occurred_at=WHEN
    )
    assert again.pk == first.pk
    march = (datetime.date(YEAR, 3, 1), datetime.date(YEAR, 3, 31))
    totals = usage_totals(first=march[0], last=march[1], tenant_ids=[tenant.pk])
    assert totals == {tenant.pk: {"permits.issued": 1}}


def test_a_module_records_usage_in_its_own_transaction_from_the_regency_schema(regencies):
    """Called from Lebak's schema, the event lands in the public ledger; if the
    module's action rolls back, so does its fee."""
    with tenant_context(regencies["lebak"]):
        with transaction.atomic():
            usage_record(meter="ktp.printed", idempotency_key="lebak:kept", occurred_at=WHEN)
        with pytest.raises(RuntimeError), transaction.atomic():
            usage_record(meter="ktp.printed", idempotency_key="lebak:lost", occurred_at=WHEN)
            raise RuntimeError("the module's action failed")
    assert UsageEvent.objects.filter(
        idempotency_key="lebak:kept", tenant=regencies["lebak"]
    ).exists()
    assert not UsageEvent.objects.filter(idempotency_key="lebak:lost").exists()


@pytest.mark.parametrize(
    ("meter", "quantity", "message"),
    [
        ("permits.issued", -1, "positive whole number"),
        ("permits.issued", 0, "positive whole number"),
        ("permits.issued", 1.5, "positive whole number"),
        ("permits.stolen", 1, "Unknown usage meter: permits.stolen"),
    ],
)
def test_bad_input_is_refused_and_the_ledger_untouched(meter, quantity, message):
    tenant = bare_tenant("bad-input")
    before = UsageEvent.objects.count()
    with pytest.raises(ValidationError, match=message):
        usage_record(
            tenant=tenant, meter=meter, quantity=quantity, idempotency_key="bad:1", occurred_at=WHEN
        )
    assert UsageEvent.objects.count() == before


@pytest.mark.parametrize(
    "statement",
    [
        "UPDATE billing_usageevent SET quantity = 100 WHERE id = %s",
        "DELETE FROM billing_usageevent WHERE id = %s",
        "TRUNCATE billing_usageevent CASCADE",
    ],
)
def test_the_ledger_is_append_only_even_to_raw_sql(statement):
    tenant = bare_tenant("append-only")
    event = usage_record(
        tenant=tenant, meter="permits.issued", quantity=2, idempotency_key="ao:1", occurred_at=WHEN
    )
    with (
        pytest.raises(DatabaseError, match="billing_usageevent is append-only"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        # Deferred foreign-key checks of this test's inserts would block TRUNCATE first.
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        cursor.execute(statement, [event.pk] if "%s" in statement else None)
    event.refresh_from_db()
    assert event.quantity == 2


def test_totals_come_from_one_grouped_query_per_time_zone():
    tenants = [bare_tenant(f"agg-{n}") for n in range(4)] + [
        bare_tenant("agg-wita", time_zone="Asia/Makassar")
    ]
    for number, tenant in enumerate(tenants):
        for index in range(number + 1):
            usage_record(
                tenant=tenant, meter="kantaya.letters", quantity=2,
                idempotency_key=f"{tenant.slug}:{index}", occurred_at=WHEN,
            )  # fmt: skip
    ids = [t.pk for t in tenants]
    with CaptureQueriesContext(connection) as queries:
        totals = usage_totals(
            first=datetime.date(YEAR, 3, 1), last=datetime.date(YEAR, 3, 31), tenant_ids=ids
        )
    assert totals == {t.pk: {"kantaya.letters": 2 * (n + 1)} for n, t in enumerate(tenants)}
    grouped = [q["sql"] for q in queries.captured_queries if "GROUP BY" in q["sql"]]
    assert len(grouped) == 2  # WIB and WITA, not one per regency
