"""Stripe's webhook: signatures verified with the SDK, every event stored once,
replays and duplicates acting once, any order of the same events ending in the
same state, and bad input refused with a clear message and nothing stored."""

import datetime
import itertools
import json
import time

import pytest
from django.utils import timezone, translation

from billing.dunning import billing_policy_update, dunning_run
from billing.invoicing.services import payment_record
from billing.models import (
    BillingSuspension,
    Invoice,
    Payment,
    StripeEvent,
    StripeInvoiceSync,
    UsageEvent,
)
from core.models import AuditEvent
from tenants.models import Tenant
from tests.accounts.helpers import client_at
from tests.billing.conftest import FINANCE
from tests.billing.stripe_helpers import (
    SECRET,
    WEBHOOK,
    deliver,
    finalised_invoice,
    invoice_event,
    pushed_invoice,
    signature,
)
from tests.stripe_double import FIXTURES

pytestmark = pytest.mark.django_db
S = StripeInvoiceSync.State
T0 = 1_900_000_000  # Stripe's `created` of the first event of a story


@pytest.fixture
def webhook(settings):
    settings.STRIPE_WEBHOOK_SECRET = SECRET
    settings.STRIPE_WEBHOOK_TOLERANCE = 300
    return client_at("localhost")


def paid(event_id: str, stripe_id: str, created: int = T0 + 40, **kwargs):
    return invoice_event(
        event_id, "invoice.paid", stripe_id=stripe_id, status="paid", created=created, **kwargs
    )


def failed(event_id: str, stripe_id: str, created: int = T0 + 20, attempts: int = 1):
    return invoice_event(
        event_id,
        "invoice.payment_failed",
        stripe_id=stripe_id,
        status="open",
        created=created,
        attempt_count=attempts,
    )


def ledgers() -> tuple[int, int, int]:
    """Stripe events, payments and usage events stored (the demo's included)."""
    return StripeEvent.objects.count(), Payment.objects.count(), UsageEvent.objects.count()


def test_a_paid_event_records_the_payment_and_settles_the_invoice(price_book, webhook):
    invoice = pushed_invoice("hook-paid", "in_hook_paid")
    response = deliver(webhook, paid("evt_paid_1", "in_hook_paid"))
    assert response.status_code == 200
    assert response.json() == {
        "received": True,
        "duplicate": False,
        "event": "evt_paid_1",
        "outcome": "applied",
    }
    invoice.refresh_from_db()
    assert invoice.status == Invoice.Status.PAID
    [payment] = invoice.payments.all()
    assert (payment.method, payment.amount_rupiah) == (Payment.Method.STRIPE, 3_330_000)
    assert payment.idempotency_key == "stripe-invoice-paid-in_hook_paid"
    stored = StripeEvent.objects.get(event_id="evt_paid_1")
    assert (stored.type, stored.invoice, stored.object_id) == (
        "invoice.paid",
        invoice,
        "in_hook_paid",
    )
    assert stored.payload["data"]["object"]["id"] == "in_hook_paid"
    assert StripeInvoiceSync.objects.get(invoice=invoice).state == S.PAID


def test_the_payment_reference_is_stripes_payment_when_the_event_names_it(price_book, webhook):
    invoice = pushed_invoice("hook-ref", "in_hook_ref")
    event = paid("evt_ref", "in_hook_ref")
    event["data"]["object"]["payments"] = {
        "object": "list",
        "data": [
            {
                **FIXTURES["invoice_payment"],
                "payment": {"type": "payment_intent", "payment_intent": "pi_123"},
            }
        ],
    }
    assert deliver(webhook, event).status_code == 200
    assert invoice.payments.get().reference == "pi_123"


def test_an_invoice_is_found_by_the_metadata_the_push_set(price_book, webhook):
    invoice = finalised_invoice("hook-meta")  # the push's own write not seen yet
    deliver(webhook, paid("evt_meta", "in_hook_meta", local_invoice=invoice))
    invoice.refresh_from_db()
    assert invoice.status == Invoice.Status.PAID
    assert StripeInvoiceSync.objects.get(invoice=invoice).stripe_invoice_id == "in_hook_meta"


@pytest.mark.parametrize(
    "header",
    [
        "t=1,v1=deadbeef",
        "garbage",
        "",
        "v1=abc",
    ],
)
def test_a_bad_signature_gets_400_and_stores_nothing(price_book, webhook, header):
    invoice = pushed_invoice("hook-badsig", "in_hook_badsig")
    before = ledgers()
    with translation.override("en"):
        response = deliver(webhook, paid("evt_bad", "in_hook_badsig"), header=header)
    assert response.status_code == 400
    assert "Stripe-Signature" in response.json()["error"]
    assert ledgers() == before
    invoice.refresh_from_db()
    assert invoice.status == Invoice.Status.FINALISED


def test_a_body_signed_with_another_secret_or_changed_after_signing_is_refused(price_book, webhook):
    pushed_invoice("hook-forged", "in_hook_forged")
    before = ledgers()
    body = json.dumps(paid("evt_forged", "in_hook_forged")).encode()
    assert deliver(webhook, body, header=signature(body, secret="whsec_other")).status_code == 400
    tampered = body.replace(b"333000000", b"999000000")
    assert deliver(webhook, tampered, header=signature(body)).status_code == 400
    assert ledgers() == before


def test_a_stale_timestamp_is_rejected_as_a_replay(price_book, webhook):
    pushed_invoice("hook-stale", "in_hook_stale")
    before = ledgers()
    body = json.dumps(paid("evt_stale", "in_hook_stale")).encode()
    old = signature(body, timestamp=int(time.time()) - 301)
    response = deliver(webhook, body, header=old)
    assert response.status_code == 400
    assert "too old" in response.json()["error"]
    assert ledgers() == before
    fresh = signature(body, timestamp=int(time.time()) - 200)
    assert deliver(webhook, body, header=fresh).status_code == 200


@pytest.mark.parametrize(
    ("body", "message"),
    [
        (b"{not json", "not valid JSON"),
        (b"\xff\xfe\x00", "not UTF-8"),
        (b"[1, 2, 3]", "not a JSON object"),
        (b'{"id": "evt_1", "type": "invoice.paid"}', "not a Stripe event"),
        (
            b'{"object": "event", "type": "invoice.paid", "created": 1, "data": {"object": {}}}',
            '"id"',
        ),
        (b'{"object": "event", "id": "evt_1", "created": 1, "data": {"object": {}}}', '"type"'),
        (
            b'{"object": "event", "id": "evt_1", "type": "x", "created": "now", '
            b'"data": {"object": {}}}',
            '"created"',
        ),
        (
            b'{"object": "event", "id": "evt_1", "type": "x", "created": 99999999999999, '
            b'"data": {"object": {}}}',
            '"created"',
        ),
        (
            b'{"object": "event", "id": "evt_1", "type": "x", "created": 1, "data": []}',
            "data.object",
        ),
    ],
)
def test_malformed_bodies_are_refused_with_a_clear_message_and_the_ledger_untouched(
    price_book, webhook, body, message
):
    pushed_invoice("hook-malformed", "in_hook_malformed")
    before = ledgers()
    response = webhook.post(
        WEBHOOK,
        data=body,
        content_type="application/json",
        HTTP_STRIPE_SIGNATURE=signature(body),
    )
    assert response.status_code == 400
    assert message in response.json()["error"]
    assert ledgers() == before


def test_a_duplicate_delivery_acts_once(price_book, webhook):
    invoice = pushed_invoice("hook-dup", "in_hook_dup")
    event = paid("evt_dup", "in_hook_dup")
    first, second = deliver(webhook, event), deliver(webhook, event)
    assert (first.status_code, second.status_code) == (200, 200)
    assert (first.json()["duplicate"], second.json()["duplicate"]) == (False, True)
    assert StripeEvent.objects.filter(event_id="evt_dup").count() == 1
    assert invoice.payments.count() == 1
    # Stripe also sends invoice.payment_succeeded for the same payment: still one payment.
    succeeded = invoice_event(
        "evt_dup_succeeded", "invoice.payment_succeeded", stripe_id="in_hook_dup",
        status="paid", created=T0 + 41,
    )  # fmt: skip
    assert deliver(webhook, succeeded).status_code == 200
    assert invoice.payments.count() == 1
    assert AuditEvent.objects.filter(action="payment.record", target=invoice.number).count() == 1


STORY_WITH_PAYMENT = [
    ("invoice.finalized", "open", T0),
    ("invoice.payment_failed", "open", T0 + 10),
    ("invoice.payment_failed", "open", T0 + 20),
    ("invoice.paid", "paid", T0 + 30),
    ("invoice.payment_succeeded", "paid", T0 + 30),
]
STORY_WITHOUT_PAYMENT = [
    ("invoice.finalized", "open", T0),
    ("invoice.payment_failed", "open", T0 + 10),
    ("invoice.updated", "open", T0 + 20),
    ("invoice.sent", "open", T0 + 5),
]


def _permutations(story, count=8):
    """The story in order, reversed, and a spread of other orders (deterministic)."""
    orders = list(itertools.permutations(range(len(story))))
    picked = [orders[0], orders[-1], *orders[1 : -1 : max(1, len(orders) // count)]]
    return [[story[i] for i in order] for order in picked[:count]]


def _play(client, slug, order):
    stripe_id = f"in_{slug.replace('-', '_')}"
    invoice = pushed_invoice(slug, stripe_id)
    for index, (event_type, status, created) in enumerate(order):
        event_id = f"evt_{slug}_{event_type}_{created}"
        event = invoice_event(
            event_id, event_type, stripe_id=stripe_id, status=status, created=created,
            attempt_count=index + 1,
        )  # fmt: skip
        assert deliver(client, event).status_code == 200
    invoice.refresh_from_db()
    sync = StripeInvoiceSync.objects.get(invoice=invoice)
    return invoice, sync


def test_a_shuffled_sequence_with_a_payment_always_ends_paid_once(price_book, webhook):
    ends = set()
    for n, order in enumerate(_permutations(STORY_WITH_PAYMENT)):
        invoice, sync = _play(webhook, f"shuffle-paid-{n}", order)
        ends.add((invoice.status, invoice.payments.count(), invoice.balance_rupiah, sync.state))
    assert ends == {(Invoice.Status.PAID, 1, 0, S.PAID)}


def test_a_shuffled_sequence_without_a_payment_always_ends_failed(price_book, webhook):
    ends = set()
    for n, order in enumerate(_permutations(STORY_WITHOUT_PAYMENT)):
        invoice, sync = _play(webhook, f"shuffle-failed-{n}", order)
        ends.add((invoice.status, invoice.payments.count(), sync.state, sync.state_since))
    [(status, payments, state, since)] = ends
    assert (status, payments, state) == (Invoice.Status.FINALISED, 0, S.PAYMENT_FAILED)
    assert since.timestamp() == T0 + 10  # the failure, whatever came after it


def test_a_failure_reported_after_the_payment_does_not_unpay_the_invoice(price_book, webhook):
    invoice = pushed_invoice("hook-late-fail", "in_hook_late_fail")
    deliver(webhook, paid("evt_lf_paid", "in_hook_late_fail", created=T0 + 10))
    deliver(webhook, failed("evt_lf_failed", "in_hook_late_fail", created=T0 + 99))
    invoice.refresh_from_db()
    assert invoice.status == Invoice.Status.PAID
    assert StripeInvoiceSync.objects.get(invoice=invoice).state == S.PAID


def test_a_failed_payment_is_marked_and_audited_then_a_payment_clears_it(price_book, webhook):
    invoice = pushed_invoice("hook-fail", "in_hook_fail")
    deliver(webhook, failed("evt_f1", "in_hook_fail", attempts=2))
    sync = StripeInvoiceSync.objects.get(invoice=invoice)
    assert sync.state == S.PAYMENT_FAILED
    assert "attempt 2" in sync.failure_message
    assert AuditEvent.objects.filter(
        action="invoice.stripe_payment_failed", target=invoice.number
    ).exists()
    deliver(webhook, paid("evt_f2", "in_hook_fail"))
    sync.refresh_from_db()
    invoice.refresh_from_db()
    assert (sync.state, invoice.status) == (S.PAID, Invoice.Status.PAID)


def test_paid_in_stripe_after_a_bank_transfer_settled_it_is_flagged_not_paid_twice(
    price_book, webhook
):
    invoice = pushed_invoice("hook-twice", "in_hook_twice")
    payment_record(
        invoice=invoice, amount_rupiah=invoice.total_rupiah, received_on=timezone.localdate(),
        actor=FINANCE,
    )  # fmt: skip
    response = deliver(webhook, paid("evt_twice", "in_hook_twice"))
    assert response.json()["outcome"] == "conflict"
    assert invoice.payments.count() == 1
    stored = StripeEvent.objects.get(event_id="evt_twice")
    assert stored.outcome == StripeEvent.Outcome.CONFLICT
    assert "Stripe collected Rp 3.330.000" in stored.note
    assert AuditEvent.objects.filter(
        action="invoice.stripe_conflict", target=invoice.number
    ).exists()


def test_a_stripe_payment_lifts_a_dunning_suspension(price_book, webhook, monkeypatch):
    billing_policy_update(
        actor=FINANCE, payment_terms_days=30, reminder_days=[7], suspend_after_days=45
    )
    invoice = pushed_invoice("hook-dunned", "in_hook_dunned")
    assert invoice.due_on is not None
    today = invoice.due_on + datetime.timedelta(days=50)
    monkeypatch.setattr(timezone, "localdate", lambda *args, **kwargs: today)
    dunning_run()
    invoice.tenant.refresh_from_db()
    assert invoice.tenant.status == Tenant.Status.SUSPENDED

    assert deliver(webhook, paid("evt_dunned", "in_hook_dunned")).status_code == 200
    invoice.tenant.refresh_from_db()
    assert invoice.tenant.status == Tenant.Status.ACTIVE
    assert BillingSuspension.objects.get(tenant=invoice.tenant).lifted_at is not None


def test_events_sukowati_does_not_follow_are_stored_once_and_ignored(price_book, webhook):
    events, payments, _usage = ledgers()
    published = FIXTURES["event"]  # Stripe's published example: plan.created
    response = deliver(webhook, published)
    assert response.status_code == 200 and response.json()["outcome"] == "ignored"
    unknown = paid("evt_unknown", "in_nobody_has_this")
    assert deliver(webhook, unknown).json()["outcome"] == "ignored"
    assert ledgers()[:2] == (events + 2, payments)


def test_without_a_webhook_secret_the_endpoint_refuses_and_stores_nothing(
    price_book, webhook, settings
):
    settings.STRIPE_WEBHOOK_SECRET = None
    before = ledgers()
    response = deliver(webhook, paid("evt_nosecret", "in_x"))
    assert response.status_code == 503
    assert "STRIPE_WEBHOOK_SECRET" in response.json()["error"]
    assert ledgers() == before


def test_only_post_is_answered(webhook):
    assert webhook.get(WEBHOOK).status_code == 405
