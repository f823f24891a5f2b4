from django.db import models
from django.utils.translation import gettext_lazy as _

from tenants.models import Tenant


class BillingCustomer(models.Model):
    """The regency as Sragen's customer; mirrored in Stripe when Stripe is configured."""

    tenant = models.OneToOneField(Tenant, on_delete=models.PROTECT, related_name="billing_customer")
    name = models.CharField(_("name"), max_length=200)
    email = models.EmailField(_("billing email"))
    stripe_customer_id = models.CharField(max_length=64, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return self.name
