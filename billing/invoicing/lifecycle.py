"""The invoice status machine, as one table of allowed moves and one function
that makes them. No other code changes `Invoice.status`.

    draft -> finalised -> partially_paid -> paid
      |          |
      |          +-> paid (settled at once, by payment or credit note)
      +-> void   +-> void (only while nothing is paid or credited)

A finalised invoice keeps its number whatever happens to it, so voiding one
leaves no gap in the numbering.
"""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from billing.models import Invoice, InvoiceTransition
from tenants.audit import platform_audit
from tenants.lifecycle import Actor

S = Invoice.Status

ALLOWED: dict[str, frozenset[str]] = {
    S.DRAFT: frozenset({S.FINALISED, S.VOID}),
    S.FINALISED: frozenset({S.PARTIALLY_PAID, S.PAID, S.VOID}),
    S.PARTIALLY_PAID: frozenset({S.PAID}),
    S.PAID: frozenset(),
    S.VOID: frozenset(),
}


class InvoiceRefused(ValidationError):
    """A change to an invoice that is not allowed, with a reason a person can act on."""


def invoice_label(invoice: Invoice) -> str:
    return invoice.number or _("the draft for %(name)s, %(month)s") % {
        "name": invoice.customer_name,
        "month": f"{invoice.period_start:%m/%Y}",
    }


def invoice_transition_refusal(*, invoice: Invoice, to_status: str) -> str | None:
    """Why the move is refused, or None when it is allowed."""
    current = invoice.status
    if to_status not in ALLOWED[current]:
        allowed = ", ".join(str(S(s).label) for s in sorted(ALLOWED[current]))
        return _("%(invoice)s is %(status)s; from there it can only become: %(allowed)s.") % {
            "invoice": invoice_label(invoice),
            "status": S(current).label,
            "allowed": allowed or _("nothing (this is final)"),
        }
    if to_status == S.VOID and (invoice.paid_rupiah or invoice.credited_rupiah):
        return _("%(invoice)s has payments or credit notes and cannot be voided.") % {
            "invoice": invoice_label(invoice)
        }
    return None


def invoice_transition(
    *, invoice: Invoice, to_status: str, actor: Actor, reason: str = ""
) -> InvoiceTransition:
    """Move an invoice to `to_status`, recording who, when and why.

    Callers that change amounts together with the status (finalising, paying)
    hold the invoice's row lock already; taking it again here is harmless."""
    with transaction.atomic():
        locked = Invoice.objects.select_for_update().get(pk=invoice.pk)
        refusal = invoice_transition_refusal(invoice=locked, to_status=to_status)
        if refusal is not None:
            raise InvoiceRefused(refusal)
        from_status = locked.status
        Invoice.objects.filter(pk=locked.pk).update(status=to_status)
        record = InvoiceTransition.objects.create(
            invoice=locked,
            from_status=from_status,
            to_status=to_status,
            actor_email=actor.email,
            actor_name=actor.name,
            reason=reason.strip(),
        )
        platform_audit(
            action="invoice.transition",
            actor_email=actor.email,
            actor_name=actor.name,
            target=locked.number or f"invoice:{locked.pk}",
            detail={"from": from_status, "to": to_status, "reason": reason.strip()},
        )
    invoice.status = to_status
    return record
