"""Billing's signals, and its receivers for the entitlement changes it follows.

`invoice_finalised` and `invoice_settled` are sent after the transaction that
finalised or settled an invoice commits, with `invoice_id`: the Stripe sync and
notifications hang off them without the invoice services knowing about them."""

from typing import Any

from django.db.models.signals import post_delete, post_save
from django.dispatch import Signal, receiver

from billing.seats import tenant_local_date
from billing.subscriptions import subscription_follow_entitlement
from tenants.lifecycle import Actor
from tenants.models import Entitlement

invoice_finalised = Signal()
invoice_settled = Signal()

ENTITLEMENTS = Actor(email="", name="Sukowati (module entitlements)")


@receiver(post_save, sender=Entitlement)
def _entitlement_enabled(instance: Entitlement, created: bool, **kwargs: Any) -> None:
    if created and not kwargs.get("raw"):
        _follow(instance, enabled=True)


@receiver(post_delete, sender=Entitlement)
def _entitlement_disabled(instance: Entitlement, **kwargs: Any) -> None:
    _follow(instance, enabled=False)


def _follow(entitlement: Entitlement, *, enabled: bool) -> None:
    tenant = entitlement.tenant
    if tenant.is_template:
        return
    subscription_follow_entitlement(
        tenant=tenant,
        module_code=entitlement.module_code,
        enabled=enabled,
        on=tenant_local_date(tenant),
        actor=ENTITLEMENTS,
    )
