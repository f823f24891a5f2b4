"""The usage ledger: the one call modules make into billing.

`usage_record` is called by a module inside its own `transaction.atomic()`, from
the regency's schema: the ledger is in `public`, which is on every regency's
search path, so the action and its fee commit or roll back together. A repeated
idempotency key is a no-op, so a retried step counts once."""

import datetime

from django.core.exceptions import ValidationError
from django.db import connection
from django.utils import timezone
from django.utils.translation import gettext as _

from billing.models import SupportTime, UsageEvent
from core.modules import installed_modules
from tenants.models import Tenant


def known_meters() -> frozenset[str]:
    return frozenset(meter.code for module in installed_modules() for meter in module.meters)


def usage_record(
    *,
    meter: str,
    idempotency_key: str,
    quantity: int = 1,
    source: str = "",
    occurred_at: datetime.datetime | None = None,
    tenant: Tenant | None = None,
) -> UsageEvent:
    """Record `quantity` of `meter` for the current regency (or `tenant`); returns
    the event, the existing one when the key was recorded before."""
    tenant = tenant or _current_tenant()
    if meter not in known_meters():
        raise ValidationError(_("Unknown usage meter: %(meter)s.") % {"meter": meter})
    if isinstance(quantity, bool) or not isinstance(quantity, int) or quantity <= 0:
        raise ValidationError(_("A usage quantity must be a positive whole number."))
    if not idempotency_key.strip():
        raise ValidationError(_("A usage event needs an idempotency key."))
    event, _created = UsageEvent.objects.get_or_create(
        idempotency_key=idempotency_key,
        defaults={
            "tenant": tenant,
            "meter": meter,
            "quantity": quantity,
            "source": source,
            "occurred_at": occurred_at or timezone.now(),
        },
    )
    return event


def support_time_record(
    *,
    tenant: Tenant,
    engineer_email: str,
    minutes: int,
    idempotency_key: str,
    worked_on: datetime.date | None = None,
    description: str = "",
    source: str = "",
) -> SupportTime:
    """Record support time for billing; a repeated key is a no-op."""
    if isinstance(minutes, bool) or not isinstance(minutes, int) or minutes <= 0:
        raise ValidationError(_("Time spent must be a positive number of minutes."))
    entry, _created = SupportTime.objects.get_or_create(
        idempotency_key=idempotency_key,
        defaults={
            "tenant": tenant,
            "engineer_email": engineer_email,
            "minutes": minutes,
            "worked_on": worked_on or timezone.localdate(),
            "description": description[:300],
            "source": source,
        },
    )
    return entry


def _current_tenant() -> Tenant:
    tenant = getattr(connection, "tenant", None)
    if not isinstance(tenant, Tenant):
        raise ValidationError(_("Usage can only be recorded inside a regency."))
    return tenant
