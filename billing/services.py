"""Writes on billing records (public schema)."""

from django.db import transaction

from billing.models import BillingCustomer
from billing.stripe_client import stripe_client, stripe_enabled
from tenants.models import Tenant
from tenants.regions import regency_get


def customer_name_for(tenant: Tenant) -> str:
    """The regency's government as the customer: `Pemerintah Kabupaten Lebak`,
    `Pemerintah Kota Dumai`."""
    regency = regency_get(tenant.region_code)
    return f"Pemerintah {regency.name if regency else tenant.name}"


def billing_customer_ensure(*, tenant: Tenant, email: str) -> BillingCustomer:
    """The tenant's billing customer, created once; in Stripe too when configured.

    The Stripe call carries an idempotency key derived from the tenant, so a retried
    provisioning step never creates a second Stripe customer."""
    with transaction.atomic():
        customer, _ = BillingCustomer.objects.get_or_create(
            tenant=tenant, defaults={"name": customer_name_for(tenant), "email": email}
        )
    if stripe_enabled() and not customer.stripe_customer_id:
        created = stripe_client().v1.customers.create(
            params={
                "name": customer.name,
                "email": customer.email,
                "metadata": {"tenant": tenant.slug, "region_code": tenant.region_code},
            },
            options={"idempotency_key": f"sukowati-customer-{tenant.pk}"},
        )
        customer.stripe_customer_id = created.id
        customer.save(update_fields=["stripe_customer_id"])
    return customer


def billing_customer_remove(*, tenant: Tenant) -> None:
    """Undo `billing_customer_ensure` for a cancelled provisioning."""
    customer = BillingCustomer.objects.filter(tenant=tenant).first()
    if customer is None:
        return
    if stripe_enabled() and customer.stripe_customer_id:
        stripe_client().v1.customers.delete(customer.stripe_customer_id)
    customer.delete()
