"""Billing test helpers: regencies as bare Tenant rows (billing lives in the
public schema and never needs theirs), a published price book far in the future
(so the demo's own data never mixes in), and finance staff as actors."""

import datetime
import itertools

import pytest

from billing.models import PriceBookVersion
from billing.pricebook import (
    meter_price_set,
    module_price_set,
    price_book_version_create,
    price_book_version_publish,
)
from tenants.lifecycle import Actor
from tenants.models import Tenant

FINANCE = Actor(email="finance@sukowati.test", name="Sri Wahyuni")
YEAR = 2031  # after anything the demo seeds
_codes = itertools.count(1)


def bare_tenant(slug: str, *, time_zone: str = "Asia/Jakarta", status: str = "active") -> Tenant:
    """A regency row without a schema; its region code is unique and fake (the
    constraint allows one live instance per code)."""
    number = next(_codes)
    return Tenant.objects.create(
        slug=slug,
        schema_name=slug.replace("-", "_"),
        name=slug.title(),
        region_code=f"9{number // 100 % 10}.{number % 100:02d}",
        time_zone=time_zone,
        status=status,
    )


@pytest.fixture
def price_book(db: None) -> PriceBookVersion:
    """The prices of the worked examples (docs/decisions/billing.md)."""
    version = price_book_version_create(
        name=f"Tarif {YEAR}", effective_from=datetime.date(YEAR, 1, 1), actor=FINANCE
    )
    version.tax_rate_bp = 1100
    version.support_hour_rupiah = 350_000
    version.save()
    version.module_prices.all().delete()
    version.meter_prices.all().delete()
    module_price_set(
        version=version, module_code="permits", actor=FINANCE,
        installation_rupiah=50_000_000, monthly_rupiah=3_000_000,
        yearly_rupiah=30_000_000, included_support_hours=2,
    )  # fmt: skip
    module_price_set(
        version=version, module_code="ktp", actor=FINANCE,
        installation_rupiah=25_000_000, monthly_rupiah=2_000_000,
        yearly_rupiah=20_000_000, included_support_hours=1,
    )  # fmt: skip
    meter_price_set(version=version, meter="permits.issued", unit_rupiah=5_000, actor=FINANCE)
    meter_price_set(version=version, meter="ktp.printed", unit_rupiah=2_500, actor=FINANCE)
    return price_book_version_publish(version=version, actor=FINANCE)
