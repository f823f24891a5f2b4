"""The regency the current schema belongs to, and its clock (its zone is
core.workdays.regency_zone, re-exported here).

Requests run with the regency's zone activated by the routing middleware, but
services, tasks and the demo seed also run outside a request: they ask here, so a
date printed on a certificate or a month on a dashboard is the regency's own."""

import calendar
import datetime

from django.utils import timezone

from core.db import tenant_connection
from core.workdays import regency_zone
from tenants.models import Tenant
from tenants.regions import regency_get

__all__ = [
    "months_add",
    "regency_current",
    "regency_full_name",
    "regency_localdate",
    "regency_month_start",
    "regency_zone",
]


def regency_current() -> Tenant | None:
    tenant = getattr(tenant_connection(), "tenant", None)
    return tenant if isinstance(tenant, Tenant) else None


def regency_localdate(value: datetime.datetime | None = None) -> datetime.date:
    return timezone.localtime(value or timezone.now(), regency_zone()).date()


def regency_month_start(day: datetime.date) -> datetime.datetime:
    """Midnight starting `day`'s month, in the regency's zone."""
    return datetime.datetime(day.year, day.month, 1, tzinfo=regency_zone())


def regency_full_name(tenant: Tenant) -> str:
    """`Kabupaten Lebak`, `Kota Dumai`: the name a letterhead carries."""
    regency = regency_get(tenant.region_code) if tenant.region_code else None
    return regency.name if regency else tenant.name


def months_add(day: datetime.date, months: int) -> datetime.date:
    """The same day `months` later, clamped to the month's end (31 Jan + 1 = 28/29 Feb)."""
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    last = calendar.monthrange(year, month + 1)[1]
    return datetime.date(year, month + 1, min(day.day, last))
