"""Finalising, numbering, credit notes, payments, and the guards that keep an
issued invoice (and a published price book) as it was issued."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import DatabaseError, connection, transaction
from django.utils import timezone

from billing.invoicing import services
from billing.invoicing.run import invoice_run
from billing.invoicing.services import (
    credit_note_issue,
    invoice_draft_update,
    invoice_finalise,
    invoice_mark_paid,
    invoice_void,
    payment_record,
)
from billing.models import (
    CreditNote,
    Invoice,
    InvoiceLine,
    ModulePrice,
    NumberSequence,
    Payment,
    PriceBookVersion,
    Subscription,
)
from billing.pricebook import module_price_set
from core.models import AuditEvent
from tests.billing.conftest import FINANCE, YEAR, bare_tenant

pytestmark = pytest.mark.django_db
OCTOBER = datetime.date(YEAR, 10, 1)


def draft_for(slug: str) -> Invoice:
    """A draft of 3.000.000 + 11% PPN = 3.330.000 (permits, whole October)."""
    tenant = bare_tenant(slug)
    Subscription.objects.create(
        tenant=tenant, module_code="permits", starts_on=datetime.date(YEAR, 1, 1),
        charge_installation=False,
    )  # fmt: skip
    invoice_run(period_start=OCTOBER, actor=FINANCE, tenant_ids=[tenant.pk])
    invoice = Invoice.objects.get(tenant=tenant, period_start=OCTOBER)
    assert invoice.total_rupiah == 3_330_000
    return invoice


def _year_counter() -> int:
    row = NumberSequence.objects.filter(series="INV", year=timezone.localdate().year).first()
    return row.last_number if row else 0


def test_finalising_numbers_dates_and_freezes_the_invoice(price_book):
    invoice = invoice_finalise(invoice=draft_for("fin-a"), actor=FINANCE)
    year = timezone.localdate().year
    assert invoice.status == Invoice.Status.FINALISED
    assert invoice.number == f"INV/{year}/{_year_counter():05d}"
    assert invoice.issued_on == timezone.localdate()
    assert invoice.due_on == invoice.issued_on + datetime.timedelta(days=30)
    assert invoice.transitions.get().to_status == Invoice.Status.FINALISED


def test_edits_to_a_finalised_invoice_are_refused_with_a_clear_message(price_book):
    invoice = invoice_finalise(invoice=draft_for("fin-edit"), actor=FINANCE)
    with pytest.raises(
        ValidationError, match="can no longer be changed; correct it with a credit note"
    ):
        invoice_draft_update(invoice=invoice, actor=FINANCE, apbd_code="5.1.02")
    with pytest.raises(ValidationError, match="can no longer be changed"):
        services.invoice_redraft(invoice=invoice, actor=FINANCE)


@pytest.mark.parametrize(
    "statement",
    [
        "UPDATE billing_invoice SET total_rupiah = 1 WHERE id = %s",
        "UPDATE billing_invoice SET number = 'INV/1999/00001' WHERE id = %s",
        "UPDATE billing_invoice SET status = 'draft' WHERE id = %s",
        "DELETE FROM billing_invoice WHERE id = %s",
        "UPDATE billing_invoiceline SET amount_rupiah = 1 WHERE invoice_id = %s",
        "DELETE FROM billing_invoiceline WHERE invoice_id = %s",
    ],
)
def test_the_database_refuses_edits_to_a_finalised_invoice(price_book, statement):
    invoice = invoice_finalise(invoice=draft_for("fin-db"), actor=FINANCE)
    with (
        pytest.raises(DatabaseError, match="is finalised"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute(statement, [invoice.pk])
    invoice.refresh_from_db()
    assert invoice.total_rupiah == 3_330_000
    assert invoice.lines.count() == 1


def test_a_line_cannot_be_added_to_a_finalised_invoice(price_book):
    invoice = invoice_finalise(invoice=draft_for("fin-line"), actor=FINANCE)
    with pytest.raises(DatabaseError, match="is finalised"), transaction.atomic():
        InvoiceLine.objects.create(
            invoice=invoice, position=9, kind="usage", description="extra", quantity=1,
            unit="x", unit_price_rupiah=1, amount_rupiah=1,
        )  # fmt: skip


def test_numbers_have_no_gaps_even_when_a_finalisation_fails_midway(price_book, monkeypatch):
    first = invoice_finalise(invoice=draft_for("gap-a"), actor=FINANCE)
    failing = draft_for("gap-b")
    taken = _year_counter()

    def audit_fails(**kwargs):
        raise RuntimeError("audit storage unavailable")

    # The number is taken, then the transition's audit row fails: all rolls back.
    monkeypatch.setattr("billing.invoicing.lifecycle.platform_audit", audit_fails)
    with pytest.raises(RuntimeError):
        invoice_finalise(invoice=failing, actor=FINANCE)
    monkeypatch.undo()

    failing.refresh_from_db()
    assert failing.status == Invoice.Status.DRAFT and failing.number == ""
    assert _year_counter() == taken
    third = invoice_finalise(invoice=draft_for("gap-c"), actor=FINANCE)
    second = invoice_finalise(invoice=failing, actor=FINANCE)
    numbers = [int(i.number.rsplit("/", 1)[1]) for i in (first, third, second)]
    assert numbers == [numbers[0], numbers[0] + 1, numbers[0] + 2]


def test_a_credit_note_is_numbered_audited_and_lowers_the_balance(price_book):
    invoice = invoice_finalise(invoice=draft_for("credit"), actor=FINANCE)
    note = credit_note_issue(
        invoice=invoice, amount_rupiah=330_000, reason="Salah hitung pemakaian", actor=FINANCE
    )
    invoice.refresh_from_db()
    assert note.number.startswith(f"CN/{timezone.localdate().year}/")
    assert invoice.balance_rupiah == 3_000_000
    assert invoice.status == Invoice.Status.FINALISED
    assert invoice.total_rupiah == 3_330_000  # the invoice itself never changes
    audit = AuditEvent.objects.filter(action="credit_note.issue", target=invoice.number).get()
    assert audit.detail["amount"] == 330_000 and audit.actor_email == FINANCE.email
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        CreditNote.objects.filter(pk=note.pk).update(amount_rupiah=1)


def test_a_credit_note_cannot_exceed_the_balance_or_touch_a_draft(price_book):
    draft = draft_for("credit-bad")
    with pytest.raises(ValidationError, match="only on a finalised invoice"):
        credit_note_issue(invoice=draft, amount_rupiah=1, reason="x", actor=FINANCE)
    invoice = invoice_finalise(invoice=draft, actor=FINANCE)
    with pytest.raises(ValidationError, match=r"more than the balance of Rp 3\.330\.000"):
        credit_note_issue(invoice=invoice, amount_rupiah=3_330_001, reason="x", actor=FINANCE)
    assert not invoice.credit_notes.exists()


def test_partial_payments_then_paid_in_full(price_book):
    invoice = invoice_finalise(invoice=draft_for("partial"), actor=FINANCE)
    today = timezone.localdate()
    payment_record(
        invoice=invoice, amount_rupiah=1_000_000, received_on=today, actor=FINANCE,
        reference="BPD-001",
    )  # fmt: skip
    assert invoice.status == Invoice.Status.PARTIALLY_PAID
    assert invoice.balance_rupiah == 2_330_000
    payment_record(invoice=invoice, amount_rupiah=2_000_000, received_on=today, actor=FINANCE)
    assert invoice.status == Invoice.Status.PARTIALLY_PAID
    assert invoice.balance_rupiah == 330_000
    with pytest.raises(ValidationError, match=r"more than the balance of Rp 330\.000"):
        payment_record(invoice=invoice, amount_rupiah=330_001, received_on=today, actor=FINANCE)
    payment_record(invoice=invoice, amount_rupiah=330_000, received_on=today, actor=FINANCE)
    assert invoice.status == Invoice.Status.PAID
    assert invoice.balance_rupiah == 0
    assert [t.to_status for t in invoice.transitions.order_by("pk")] == [
        "finalised", "partially_paid", "paid",
    ]  # fmt: skip
    with pytest.raises(ValidationError, match="only on a finalised invoice with a balance"):
        payment_record(invoice=invoice, amount_rupiah=1, received_on=today, actor=FINANCE)


def test_a_payment_with_the_same_idempotency_key_is_recorded_once(price_book):
    invoice = invoice_finalise(invoice=draft_for("idem-pay"), actor=FINANCE)
    today = timezone.localdate()
    first = payment_record(
        invoice=invoice, amount_rupiah=1_000_000, received_on=today, actor=FINANCE,
        idempotency_key="evt_1",
    )  # fmt: skip
    again = payment_record(
        invoice=invoice, amount_rupiah=1_000_000, received_on=today, actor=FINANCE,
        idempotency_key="evt_1",
    )  # fmt: skip
    assert again.pk == first.pk
    assert Payment.objects.filter(invoice=invoice).count() == 1
    assert invoice.balance_rupiah == 2_330_000
    paid = invoice_mark_paid(invoice=invoice, actor=FINANCE, idempotency_key="evt_2")
    assert paid is not None and paid.amount_rupiah == 2_330_000
    assert invoice_mark_paid(invoice=invoice, actor=FINANCE, idempotency_key="evt_3") is None
    invoice.refresh_from_db()
    assert invoice.status == Invoice.Status.PAID


def test_voiding_keeps_the_number_and_refuses_once_money_came_in(price_book):
    invoice = invoice_finalise(invoice=draft_for("void"), actor=FINANCE)
    number = invoice.number
    invoice_void(invoice=invoice, actor=FINANCE, reason="Diterbitkan ganda")
    assert invoice.status == Invoice.Status.VOID and invoice.number == number
    paid = invoice_finalise(invoice=draft_for("void-paid"), actor=FINANCE)
    payment_record(invoice=paid, amount_rupiah=1, received_on=timezone.localdate(), actor=FINANCE)
    with pytest.raises(ValidationError):
        invoice_void(invoice=paid, actor=FINANCE, reason="x")


def test_a_published_price_book_never_changes(price_book):
    with pytest.raises(ValidationError, match="is published and can no longer change"):
        module_price_set(
            version=price_book, module_code="permits", actor=FINANCE, installation_rupiah=1,
            monthly_rupiah=1, yearly_rupiah=1, included_support_hours=0,
        )  # fmt: skip
    with pytest.raises(DatabaseError, match="published"), transaction.atomic():
        ModulePrice.objects.filter(version=price_book).update(monthly_rupiah=1)
    with pytest.raises(DatabaseError, match="published"), transaction.atomic():
        PriceBookVersion.objects.filter(pk=price_book.pk).update(tax_rate_bp=1200)
    assert (
        ModulePrice.objects.get(version=price_book, module_code="permits").monthly_rupiah
        == 3_000_000
    )


def test_a_new_price_book_version_does_not_alter_an_issued_invoice(price_book):
    from billing.pricebook import price_book_version_create, price_book_version_publish

    invoice = invoice_finalise(invoice=draft_for("new-book"), actor=FINANCE)
    newer = price_book_version_create(
        name="Tarif baru", effective_from=datetime.date(YEAR, 10, 1), actor=FINANCE
    )
    module_price_set(
        version=newer, module_code="permits", actor=FINANCE, installation_rupiah=0,
        monthly_rupiah=9_000_000, yearly_rupiah=0, included_support_hours=0,
    )  # fmt: skip
    price_book_version_publish(version=newer, actor=FINANCE)

    invoice_run(period_start=OCTOBER, actor=FINANCE, tenant_ids=[invoice.tenant_id])

    invoice.refresh_from_db()
    assert invoice.total_rupiah == 3_330_000
    assert invoice.lines.get().amount_rupiah == 3_000_000
