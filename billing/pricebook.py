"""The versioned price book: drafts are edited, published versions are frozen.

A change of price is a new version (a copy of the latest, edited, then
published); invoices copy their amounts into their lines, so no change to the
book ever alters an issued invoice."""

import datetime
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from billing.models import MeterPrice, ModulePrice, PriceBookVersion
from billing.usage import known_meters
from core.modules import module_codes
from tenants.audit import platform_audit
from tenants.lifecycle import Actor


@dataclass(frozen=True)
class Prices:
    """One version's prices, loaded once for a whole invoice run."""

    version: PriceBookVersion
    modules: dict[str, ModulePrice]
    meters: dict[str, int]


def price_book_for_period(period_start: datetime.date) -> PriceBookVersion | None:
    """The published version in force on the first day of the month."""
    return (
        PriceBookVersion.objects.filter(
            status=PriceBookVersion.Status.PUBLISHED, effective_from__lte=period_start
        )
        .order_by("-effective_from", "-id")
        .first()
    )


def prices_load(version: PriceBookVersion) -> Prices:
    return Prices(
        version=version,
        modules={p.module_code: p for p in version.module_prices.all()},
        meters={p.meter: p.unit_rupiah for p in version.meter_prices.all()},
    )


def _refuse_published(version: PriceBookVersion) -> None:
    if version.is_published:
        raise ValidationError(
            _(
                "%(name)s is published and can no longer change; create a new version "
                "for new prices."
            )
            % {"name": version.name}
        )


def price_book_version_create(
    *,
    name: str,
    effective_from: datetime.date,
    actor: Actor,
    copy_from: PriceBookVersion | None = None,
) -> PriceBookVersion:
    """A new draft version, starting from `copy_from`'s prices (or the latest
    published version's) so that only what changes needs entering."""
    source = (
        copy_from
        or PriceBookVersion.objects.filter(status=PriceBookVersion.Status.PUBLISHED).first()
    )
    version = PriceBookVersion(
        name=name.strip(),
        effective_from=effective_from,
        created_by_email=actor.email,
        tax_rate_bp=source.tax_rate_bp if source else 1100,
        support_hour_rupiah=source.support_hour_rupiah if source else 0,
    )
    version.full_clean()
    with transaction.atomic():
        version.save()
        if source is not None:
            ModulePrice.objects.bulk_create(
                ModulePrice(
                    version=version,
                    module_code=p.module_code,
                    installation_rupiah=p.installation_rupiah,
                    monthly_rupiah=p.monthly_rupiah,
                    yearly_rupiah=p.yearly_rupiah,
                    included_support_hours=p.included_support_hours,
                )
                for p in source.module_prices.all()
            )
            MeterPrice.objects.bulk_create(
                MeterPrice(version=version, meter=p.meter, unit_rupiah=p.unit_rupiah)
                for p in source.meter_prices.all()
            )
        platform_audit(
            action="price_book.create",
            actor_email=actor.email,
            actor_name=actor.name,
            target=version.name,
            detail={
                "effective_from": effective_from.isoformat(),
                "copied_from": source and source.pk,
            },
        )
    return version


def price_book_version_update(
    *,
    version: PriceBookVersion,
    actor: Actor,
    name: str,
    effective_from: datetime.date,
    tax_rate_bp: int,
    support_hour_rupiah: int,
    notes: str = "",
) -> PriceBookVersion:
    _refuse_published(version)
    version.name = name.strip()
    version.effective_from = effective_from
    version.tax_rate_bp = tax_rate_bp
    version.support_hour_rupiah = support_hour_rupiah
    version.notes = notes
    version.full_clean()
    with transaction.atomic():
        version.save()
        platform_audit(
            action="price_book.update",
            actor_email=actor.email,
            actor_name=actor.name,
            target=version.name,
            detail={"tax_rate_bp": tax_rate_bp, "support_hour_rupiah": support_hour_rupiah},
        )
    return version


def module_price_set(
    *,
    version: PriceBookVersion,
    module_code: str,
    actor: Actor,
    installation_rupiah: int,
    monthly_rupiah: int,
    yearly_rupiah: int,
    included_support_hours: int,
) -> ModulePrice:
    _refuse_published(version)
    if module_code not in module_codes():
        raise ValidationError(
            {"module_code": _("There is no module '%(code)s'.") % {"code": module_code}}
        )
    with transaction.atomic():
        price, _created = ModulePrice.objects.update_or_create(
            version=version,
            module_code=module_code,
            defaults={
                "installation_rupiah": installation_rupiah,
                "monthly_rupiah": monthly_rupiah,
                "yearly_rupiah": yearly_rupiah,
                "included_support_hours": included_support_hours,
            },
        )
        platform_audit(
            action="price_book.module_price",
            actor_email=actor.email,
            actor_name=actor.name,
            target=version.name,
            detail={
                "module": module_code,
                "installation": installation_rupiah,
                "monthly": monthly_rupiah,
                "yearly": yearly_rupiah,
                "support_hours": included_support_hours,
            },
        )
    return price


def meter_price_set(
    *, version: PriceBookVersion, meter: str, unit_rupiah: int, actor: Actor
) -> MeterPrice:
    _refuse_published(version)
    if meter not in known_meters():
        raise ValidationError({"meter": _("Unknown usage meter: %(meter)s.") % {"meter": meter}})
    with transaction.atomic():
        price, _created = MeterPrice.objects.update_or_create(
            version=version, meter=meter, defaults={"unit_rupiah": unit_rupiah}
        )
        platform_audit(
            action="price_book.meter_price",
            actor_email=actor.email,
            actor_name=actor.name,
            target=version.name,
            detail={"meter": meter, "unit": unit_rupiah},
        )
    return price


def price_book_version_publish(*, version: PriceBookVersion, actor: Actor) -> PriceBookVersion:
    """Freeze a draft: from now on invoices may use it and nothing may change it."""
    with transaction.atomic():
        locked = PriceBookVersion.objects.select_for_update().get(pk=version.pk)
        _refuse_published(locked)
        clash = PriceBookVersion.objects.filter(
            status=PriceBookVersion.Status.PUBLISHED, effective_from=locked.effective_from
        ).first()
        if clash is not None:
            raise ValidationError(
                {
                    "effective_from": _(
                        "%(name)s already takes effect on that day; choose another day."
                    )
                    % {"name": clash.name}
                }
            )
        locked.status = PriceBookVersion.Status.PUBLISHED
        locked.published_at = timezone.now()
        locked.published_by_email = actor.email
        locked.save(update_fields=["status", "published_at", "published_by_email"])
        platform_audit(
            action="price_book.publish",
            actor_email=actor.email,
            actor_name=actor.name,
            target=locked.name,
            detail={"effective_from": locked.effective_from.isoformat()},
        )
    return locked
