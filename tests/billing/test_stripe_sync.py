"""Finalised invoices pushed to Stripe through the official SDK, against the
local double that answers with Stripe's published objects: customer, invoice,
items, finalize, each with a stable idempotency key, and nothing done twice."""

import pytest
import stripe
from django.utils import timezone
from stripe._invoice_item_service import InvoiceItemService
from stripe._invoice_service import InvoiceService

from billing import stripe_sync
from billing.invoicing.services import invoice_finalise, invoice_void, payment_record
from billing.models import StripeInvoiceSync
from billing.stripe_client import rupiah_to_stripe
from billing.stripe_sync import (
    stripe_invoice_push,
    stripe_invoice_push_pending_task,
    stripe_invoice_push_task,
    stripe_sync_status,
)
from tests.billing.conftest import FINANCE
from tests.billing.stripe_helpers import draft_invoice, finalised_invoice

pytestmark = pytest.mark.django_db


def push(invoice) -> StripeInvoiceSync:
    sync = stripe_invoice_push(invoice_id=invoice.pk)
    assert sync is not None
    return sync


def _keys(double, path):
    return [call.idempotency_key for call in double.calls("POST", path)]


def test_a_finalised_invoice_is_pushed_with_stable_idempotency_keys(price_book, stripe_double):
    invoice = finalised_invoice("push-a")
    lines = list(invoice.lines.order_by("position"))

    sync = push(invoice)

    assert _keys(stripe_double, "/v1/customers") == [f"sukowati-customer-{invoice.tenant_id}"]
    [created] = stripe_double.calls("POST", "/v1/invoices")[:1]
    assert created.idempotency_key == f"sukowati-invoice-{invoice.pk}"
    assert created.params["currency"] == ["idr"]
    assert created.params["collection_method"] == ["send_invoice"]
    assert created.params["pending_invoice_items_behavior"] == ["exclude"]
    assert created.params["metadata[sukowati_invoice]"] == [str(invoice.pk)]
    assert created.params["metadata[number]"] == [invoice.number]

    items = stripe_double.calls("POST", "/v1/invoiceitems")
    assert [i.idempotency_key for i in items] == [
        *(f"sukowati-invoiceitem-{line.pk}" for line in lines),
        f"sukowati-invoiceitem-tax-{invoice.pk}",
    ]
    # Rp 1 = 100 at the Stripe boundary; PPN is its own item, so the totals agree.
    assert [int(i.params["amount"][0]) for i in items] == [
        *(rupiah_to_stripe(line.amount_rupiah) for line in lines),
        rupiah_to_stripe(330_000),
    ]
    assert {i.params["invoice"][0] for i in items} == {sync.stripe_invoice_id}
    assert {i.params["currency"][0] for i in items} == {"idr"}

    [finalize] = stripe_double.calls("POST", f"/v1/invoices/{sync.stripe_invoice_id}/finalize")
    assert finalize.idempotency_key == f"sukowati-invoice-finalize-{invoice.pk}"

    in_stripe = stripe_double.objects[sync.stripe_invoice_id]
    assert in_stripe["status"] == "open"
    assert in_stripe["amount_due"] == rupiah_to_stripe(3_330_000)
    invoice.refresh_from_db()
    assert invoice.stripe_invoice_id == sync.stripe_invoice_id
    assert sync.state == StripeInvoiceSync.State.OPEN
    assert sync.hosted_invoice_url.startswith("https://")
    assert sync.is_pushed and sync.last_error == ""


def test_pushing_again_calls_stripe_no_more(price_book, stripe_double):
    invoice = finalised_invoice("push-again")
    push(invoice)
    calls = len(stripe_double.requests)
    assert push(invoice).is_pushed
    assert len(stripe_double.requests) == calls


def test_a_push_that_fails_halfway_is_retried_without_creating_anything_twice(
    price_book, stripe_double, monkeypatch
):
    invoice = finalised_invoice("push-crash")
    original = InvoiceItemService.create
    seen = []

    def fail_on_the_second_item(self, *args, **kwargs):
        seen.append(kwargs["options"]["idempotency_key"])
        if len(seen) == 2:
            raise stripe.APIConnectionError("network down")
        return original(self, *args, **kwargs)

    monkeypatch.setattr(InvoiceItemService, "create", fail_on_the_second_item)
    with pytest.raises(stripe.APIConnectionError):
        push(invoice)
    failed = StripeInvoiceSync.objects.get(invoice=invoice)
    assert failed.push_attempts == 1 and "network down" in failed.last_error
    assert not failed.is_pushed

    sync = push(invoice)
    # Stripe acted once per key: the retry's repeated requests were replayed.
    kinds = [obj["object"] for obj in stripe_double.objects.values()]
    assert kinds.count("customer") == 1
    assert kinds.count("invoice") == 1
    assert kinds.count("invoiceitem") == invoice.lines.count() + 1
    assert stripe_double.objects[sync.stripe_invoice_id]["amount_due"] == 333_000_000
    assert sync.is_pushed and sync.last_error == "" and sync.push_attempts == 2


def test_what_was_paid_or_credited_before_the_push_is_deducted_in_stripe(price_book, stripe_double):
    invoice = finalised_invoice("push-partial")
    payment_record(
        invoice=invoice, amount_rupiah=330_000, received_on=timezone.localdate(), actor=FINANCE
    )
    sync = push(invoice)
    [settled] = [
        call
        for call in stripe_double.calls("POST", "/v1/invoiceitems")
        if call.idempotency_key == f"sukowati-invoiceitem-settled-{invoice.pk}"
    ]
    assert settled.params["amount"] == [str(-rupiah_to_stripe(330_000))]
    assert stripe_double.objects[sync.stripe_invoice_id]["amount_due"] == rupiah_to_stripe(
        3_000_000
    )


def test_drafts_void_and_settled_invoices_are_not_pushed(price_book, stripe_double):
    voided = invoice_void(invoice=finalised_invoice("push-void"), actor=FINANCE, reason="Salah")
    paid = finalised_invoice("push-paid")
    payment_record(
        invoice=paid,
        amount_rupiah=paid.total_rupiah,
        received_on=timezone.localdate(),
        actor=FINANCE,
    )
    for invoice in (voided, paid):
        assert stripe_invoice_push(invoice_id=invoice.pk) is None
    assert stripe_double.requests == []


def test_without_a_secret_key_billing_stays_offline_and_reports_sync_off(
    price_book, settings, monkeypatch, django_capture_on_commit_callbacks
):
    settings.STRIPE_SECRET_KEY = None
    settings.STRIPE_ENABLED = False
    settings.STRIPE_WEBHOOK_SECRET = "whsec_x"
    queued = []
    monkeypatch.setattr(stripe_invoice_push_task, "delay", lambda *args: queued.append(args))
    invoice = finalised_invoice("push-off")
    assert stripe_invoice_push(invoice_id=invoice.pk) is None
    assert stripe_invoice_push_pending_task() == 0
    assert stripe_sync_status() == {"pushing": False, "webhooks": False}
    assert queued == []
    assert not StripeInvoiceSync.objects.filter(invoice=invoice).exists()


def test_finalising_queues_the_push_once_the_transaction_commits(
    price_book, stripe_double, monkeypatch, django_capture_on_commit_callbacks
):
    invoice = draft_invoice("push-queue")
    queued = []
    monkeypatch.setattr(stripe_invoice_push_task, "delay", lambda *args: queued.append(args))
    with django_capture_on_commit_callbacks(execute=True):
        invoice_finalise(invoice=invoice, actor=FINANCE)
        assert queued == []  # not before the commit
    assert queued == [(invoice.pk,)]


def test_the_sweep_queues_only_invoices_stripe_does_not_have(
    price_book, stripe_double, monkeypatch
):
    pushed = finalised_invoice("sweep-pushed")
    waiting = finalised_invoice("sweep-waiting")
    push(pushed)
    queued = []
    monkeypatch.setattr(stripe_invoice_push_task, "delay", lambda *args: queued.append(args))
    stripe_invoice_push_pending_task()
    assert (waiting.pk,) in queued
    assert (pushed.pk,) not in queued


def test_a_refusal_by_stripe_is_kept_for_finance_and_not_retried(
    price_book, stripe_double, monkeypatch
):
    invoice = finalised_invoice("push-refused")

    def refuse(self, *args, **kwargs):
        raise stripe.InvalidRequestError("Due date must be in the future.", param="due_date")

    monkeypatch.setattr(InvoiceService, "create", refuse)
    assert stripe_invoice_push_task.apply(args=(invoice.pk,)).get() == "refused"
    sync = StripeInvoiceSync.objects.get(invoice=invoice)
    assert "Due date must be in the future." in sync.last_error
    assert list(stripe_sync.invoices_awaiting_push().filter(pk=invoice.pk)) == [invoice]
