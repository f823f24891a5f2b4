"""Writes on invoices: the API the console, the Stripe sync and dunning call.

    invoice_draft_update   APBD code and notes of a draft
    invoice_redraft        re-run one regency's month (drafts only)
    invoice_finalise       number it, date it, freeze it
    invoice_void           withdraw a draft, or an issued invoice nothing was paid on
    credit_note_issue      an audited correction that lowers the balance
    payment_record         money received (partial payments allowed)
    invoice_mark_paid      the whole balance received at once (e.g. from Stripe)

Each locks the invoice row, checks, writes, audits, and records status moves
through `invoice_transition`."""

import datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from billing.dunning import billing_policy, billing_suspension_lift_if_settled
from billing.invoicing.lifecycle import (
    InvoiceRefused,
    invoice_label,
    invoice_transition,
    invoice_transition_refusal,
)
from billing.invoicing.numbering import CREDIT_NOTE_SERIES, INVOICE_SERIES, number_next
from billing.invoicing.run import RunReport, invoice_run
from billing.models import CreditNote, Invoice, Payment
from billing.money import percent_of, rupiah
from billing.signals import invoice_finalised, invoice_settled
from tenants.audit import platform_audit
from tenants.lifecycle import Actor

S = Invoice.Status


def _refuse_unless_draft(invoice: Invoice) -> None:
    if invoice.status != S.DRAFT:
        raise InvoiceRefused(
            _(
                "%(invoice)s is %(status)s and can no longer be changed; "
                "correct it with a credit note."
            )
            % {"invoice": invoice_label(invoice), "status": S(invoice.status).label}
        )


def invoice_draft_update(
    *, invoice: Invoice, actor: Actor, apbd_code: str, notes: str = ""
) -> Invoice:
    with transaction.atomic():
        locked = Invoice.objects.select_for_update().get(pk=invoice.pk)
        _refuse_unless_draft(locked)
        locked.apbd_code = apbd_code.strip()
        locked.notes = notes.strip()
        locked.full_clean()
        locked.save(update_fields=["apbd_code", "notes", "updated_at"])
        platform_audit(
            action="invoice.draft_update",
            actor_email=actor.email,
            actor_name=actor.name,
            target=f"invoice:{locked.pk}",
            detail={"apbd_code": locked.apbd_code},
        )
    return locked


def invoice_redraft(*, invoice: Invoice, actor: Actor) -> RunReport:
    """Draw the draft up again from today's ledger (e.g. after an expense was approved)."""
    _refuse_unless_draft(invoice)
    return invoice_run(
        period_start=invoice.period_start, actor=actor, tenant_ids=[invoice.tenant_id]
    )


def invoice_finalise(
    *, invoice: Invoice, actor: Actor, issued_on: datetime.date | None = None
) -> Invoice:
    """Give the draft the next number of the year, its issue and due dates, and
    freeze it. The number is taken in this transaction: if anything below fails,
    the number goes back and the next invoice gets it (no gaps).

    `issued_on` (default today) back-dates an invoice issued on paper before it
    was entered here, or the demo's history; numbers stay in issue order only if
    such invoices are entered oldest first."""
    with transaction.atomic():
        locked = Invoice.objects.select_for_update().get(pk=invoice.pk)
        refusal = invoice_transition_refusal(invoice=locked, to_status=S.FINALISED)
        if refusal is not None:
            raise InvoiceRefused(refusal)
        if not locked.lines.exists():
            raise InvoiceRefused(_("An invoice without lines cannot be finalised."))
        today = issued_on or timezone.localdate()
        if today > timezone.localdate():
            raise InvoiceRefused(_("An invoice cannot be issued in the future."))
        number = number_next(series=INVOICE_SERIES, year=today.year)
        Invoice.objects.filter(pk=locked.pk).update(
            number=number,
            issued_on=today,
            due_on=today + datetime.timedelta(days=billing_policy().payment_terms_days),
            finalised_at=timezone.now(),
            finalised_by_email=actor.email,
        )
        invoice_transition(
            invoice=locked,
            to_status=S.FINALISED,
            actor=actor,
            reason=_("Finalised as %(number)s.") % {"number": number},
        )
        invoice_id = locked.pk
        transaction.on_commit(lambda: invoice_finalised.send(sender=Invoice, invoice_id=invoice_id))
    invoice.refresh_from_db()
    return invoice


def invoice_void(*, invoice: Invoice, actor: Actor, reason: str) -> Invoice:
    """Withdraw a draft or an issued invoice nothing was paid or credited on. An
    issued invoice keeps its number (the numbering stays without gaps)."""
    if not reason.strip():
        raise InvoiceRefused(_("Give a reason: it is kept in the invoice's history."))
    with transaction.atomic():
        invoice_transition(invoice=invoice, to_status=S.VOID, actor=actor, reason=reason)
        billing_suspension_lift_if_settled(tenant=invoice.tenant)
    invoice.refresh_from_db()
    return invoice


def _settle_if_cleared(locked: Invoice, actor: Actor, reason: str) -> None:
    """After money or credit: paid when nothing is left, partially paid when
    money was received; then lift a dunning suspension if nothing else is overdue."""
    locked.refresh_from_db()
    target: str
    if locked.balance_rupiah == 0:
        target = S.PAID
    elif locked.paid_rupiah > 0:
        target = S.PARTIALLY_PAID
    else:
        target = locked.status
    if target != locked.status:
        invoice_transition(invoice=locked, to_status=target, actor=actor, reason=reason)
    if target == S.PAID:
        invoice_id = locked.pk
        transaction.on_commit(lambda: invoice_settled.send(sender=Invoice, invoice_id=invoice_id))
    billing_suspension_lift_if_settled(tenant=locked.tenant)


def _lock_open(invoice: Invoice, what: str) -> Invoice:
    locked = Invoice.objects.select_for_update().get(pk=invoice.pk)
    if locked.status not in Invoice.OPEN_STATUSES:
        raise InvoiceRefused(
            _("%(invoice)s is %(status)s: %(what)s only on a finalised invoice with a balance.")
            % {"invoice": invoice_label(locked), "status": S(locked.status).label, "what": what}
        )
    return locked


def _refuse_amount(amount: int, balance: int) -> None:
    if amount <= 0:
        raise ValidationError({"amount_rupiah": _("Enter a positive amount of rupiah.")})
    if amount > balance:
        raise ValidationError(
            {
                "amount_rupiah": _("That is more than the balance of %(balance)s.")
                % {"balance": rupiah(balance)}
            }
        )


def credit_note_issue(
    *, invoice: Invoice, amount_rupiah: int, reason: str, actor: Actor
) -> CreditNote:
    """Lower what the regency owes on an issued invoice, with a numbered,
    audited credit note (the invoice itself never changes)."""
    if not reason.strip():
        raise ValidationError({"reason": _("Say why: the reason is printed on the credit note.")})
    with transaction.atomic():
        locked = _lock_open(invoice, _("credit notes are issued"))
        _refuse_amount(amount_rupiah, locked.balance_rupiah)
        today = timezone.localdate()
        note = CreditNote(
            invoice=locked,
            number=number_next(series=CREDIT_NOTE_SERIES, year=today.year),
            amount_rupiah=amount_rupiah,
            reason=reason.strip(),
            issued_on=today,
            created_by_email=actor.email,
            created_by_name=actor.name,
        )
        note.full_clean()
        note.save()
        Invoice.objects.filter(pk=locked.pk).update(
            credited_rupiah=F("credited_rupiah") + amount_rupiah
        )
        platform_audit(
            action="credit_note.issue",
            actor_email=actor.email,
            actor_name=actor.name,
            target=locked.number,
            detail={"credit_note": note.number, "amount": amount_rupiah, "reason": note.reason},
        )
        _settle_if_cleared(
            locked, actor, _("Settled by credit note %(number)s.") % {"number": note.number}
        )
    invoice.refresh_from_db()
    return note


def payment_record(
    *,
    invoice: Invoice,
    amount_rupiah: int,
    received_on: datetime.date,
    actor: Actor,
    method: str = Payment.Method.BANK_TRANSFER,
    reference: str = "",
    idempotency_key: str | None = None,
) -> Payment:
    """Money received against an issued invoice; partial payments are allowed,
    more than the balance is refused. With an `idempotency_key`, recording the
    same payment again returns the first one and changes nothing."""
    if idempotency_key:
        existing = Payment.objects.filter(idempotency_key=idempotency_key).first()
        if existing is not None:
            return existing
    if received_on > timezone.localdate():
        raise ValidationError({"received_on": _("A payment cannot be received in the future.")})
    with transaction.atomic():
        locked = _lock_open(invoice, _("payments are recorded"))
        _refuse_amount(amount_rupiah, locked.balance_rupiah)
        payment = Payment(
            invoice=locked,
            amount_rupiah=amount_rupiah,
            received_on=received_on,
            method=method,
            reference=reference.strip(),
            idempotency_key=idempotency_key or None,
            recorded_by_email=actor.email,
            recorded_by_name=actor.name,
        )
        payment.full_clean()
        payment.save()
        Invoice.objects.filter(pk=locked.pk).update(paid_rupiah=F("paid_rupiah") + amount_rupiah)
        platform_audit(
            action="payment.record",
            actor_email=actor.email,
            actor_name=actor.name,
            target=locked.number,
            detail={
                "amount": amount_rupiah,
                "method": method,
                "reference": payment.reference,
                "received_on": received_on.isoformat(),
            },
        )
        _settle_if_cleared(
            locked, actor, _("Payment of %(amount)s received.") % {"amount": rupiah(amount_rupiah)}
        )
    invoice.refresh_from_db()
    return payment


def invoice_mark_paid(
    *,
    invoice: Invoice,
    actor: Actor,
    received_on: datetime.date | None = None,
    method: str = Payment.Method.STRIPE,
    reference: str = "",
    idempotency_key: str | None = None,
) -> Payment | None:
    """Record the whole balance as received (a Stripe invoice paid in full).
    Returns None when nothing is left to pay."""
    invoice.refresh_from_db()
    if invoice.status == S.PAID:
        return None
    return payment_record(
        invoice=invoice,
        amount_rupiah=invoice.balance_rupiah,
        received_on=received_on or timezone.localdate(),
        actor=actor,
        method=method,
        reference=reference,
        idempotency_key=idempotency_key,
    )


def invoice_totals(invoice: Invoice) -> dict[str, Any]:
    """The figures every rendering of an invoice shows."""
    return {
        "subtotal": invoice.subtotal_rupiah,
        "taxable": invoice.taxable_rupiah,
        "tax_rate_percent": percent_of(invoice.tax_rate_bp),
        "tax": invoice.tax_rupiah,
        "total": invoice.total_rupiah,
        "credited": invoice.credited_rupiah,
        "paid": invoice.paid_rupiah,
        "balance": invoice.balance_rupiah,
    }
