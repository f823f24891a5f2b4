"""A regency's service catalogue and Sragen's master catalogue it is seeded from.

`sragen_master.json` (shipped with the code, with a `version`) is Sragen's
catalogue. `catalogue_sync` upserts it into the current regency's schema: new
master entries are added; an entry linked to the master (`master_code`) gets every
master field updated except those the regency overrode (`overridden_fields`), so an
update of the master reaches every regency without erasing what it changed.
Regency-only settings (which kecamatan a delegated service goes to, whether it is
offered) are never touched by the master."""

import json
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from core.audit import audit_record
from modules.permits.catalogue.rules import validate_entry
from modules.permits.models import ServiceType
from organisation.models import WorkUnit

MASTER_PATH = Path(__file__).with_name("sragen_master.json")

# The fields an update of the master carries (and a regency may override).
MASTER_FIELDS: tuple[str, ...] = (
    "name",
    "kind",
    "category",
    "description",
    "requirements",
    "form_fields",
    "legal_days",
    "target_days",
    "fee_rule",
    "step_roles",
    "is_business",
    "validity_months",
    "delegated_to_kecamatan",
    "handling_unit",
)


@dataclass(frozen=True)
class Master:
    version: int
    entries: dict[str, dict[str, Any]]


@dataclass
class SyncResult:
    version: int
    created: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)


def master_parse(data: dict[str, Any]) -> Master:
    version = data.get("version")
    if not isinstance(version, int) or version < 1:
        raise ValidationError(_("The master catalogue has no valid version number."))
    entries: dict[str, dict[str, Any]] = {}
    for entry in data.get("services", []):
        code = entry.get("code")
        if not code or code in entries:
            raise ValidationError(_("The master catalogue has a missing or repeated code."))
        try:
            validate_entry(entry)
        except ValidationError as error:
            raise ValidationError(f"{code}: {'; '.join(error.messages)}") from error
        entries[code] = entry
    return Master(version=version, entries=entries)


@cache
def master_read() -> Master:
    """Sragen's master catalogue as shipped with this release."""
    return master_parse(json.loads(MASTER_PATH.read_text(encoding="utf-8")))


def _unit_by_code(code: str | None, units: dict[str, WorkUnit]) -> WorkUnit | None:
    return units.get(code) if code else None


def master_values(entry: dict[str, Any], units: dict[str, WorkUnit]) -> dict[str, Any]:
    """A master entry as model field values. A handling unit is named by its code;
    a regency without a unit of that code keeps the one it has."""
    values = {
        name: entry[name] for name in MASTER_FIELDS if name in entry and name != "handling_unit"
    }
    unit = _unit_by_code(entry.get("handling_unit_code"), units)
    if unit is not None:
        values["handling_unit"] = unit
    return values


def _current(service: ServiceType, name: str) -> Any:
    if name == "handling_unit":
        return service.handling_unit_id
    return getattr(service, name)


def _comparable(name: str, value: Any) -> Any:
    if name == "handling_unit":
        return value.pk if isinstance(value, WorkUnit) else value
    return value


@transaction.atomic
def catalogue_sync(*, master: Master | None = None) -> SyncResult:
    """Upsert the master into the current regency's catalogue (idempotent)."""
    master = master or master_read()
    result = SyncResult(version=master.version)
    units = {unit.code: unit for unit in WorkUnit.objects.filter(is_active=True)}
    existing = {
        service.master_code: service
        for service in ServiceType.objects.select_for_update().exclude(master_code="")
    }
    taken_codes = set(ServiceType.objects.values_list("code", flat=True))
    for code, entry in master.entries.items():
        values = master_values(entry, units)
        service = existing.get(code)
        if service is None:
            service = ServiceType(
                code=_free_code(code, taken_codes),
                master_code=code,
                master_version=master.version,
                **values,
            )
            service.full_clean()
            service.save()
            taken_codes.add(service.code)
            result.created.append(code)
            continue
        changed = False
        for name, value in values.items():
            if name in service.overridden_fields:
                continue
            if _current(service, name) != _comparable(name, value):
                setattr(service, name, value)
                changed = True
        if service.master_version != master.version:
            service.master_version = master.version
            changed = True
        if changed:
            service.full_clean()
            service.save()
            result.updated.append(code)
        else:
            result.unchanged.append(code)
    return result


def _free_code(code: str, taken: set[str]) -> str:
    """The master's code, unless the regency already used it for its own service."""
    candidate, n = code, 2
    while candidate in taken:
        candidate = f"{code}-{n}"[:60]
        n += 1
    return candidate


def service_type_update(
    *, service: ServiceType, changes: dict[str, Any], actor_email: str, actor_name: str = ""
) -> list[str]:
    """Apply an admin's edit; a changed master field of a master-linked entry is
    recorded as overridden. Returns the names of the fields that changed."""
    changed: list[str] = []
    with transaction.atomic():
        for name, value in changes.items():
            if name == "delegated_kecamatan":
                continue
            if _current(service, name) != _comparable(name, value):
                setattr(service, name, value)
                changed.append(name)
                if (
                    service.master_code
                    and name in MASTER_FIELDS
                    and name not in service.overridden_fields
                ):
                    service.overridden_fields = [*service.overridden_fields, name]
        validate_entry({name: getattr(service, name) for name in MASTER_FIELDS})
        service.full_clean()
        service.save()
        if "delegated_kecamatan" in changes:
            before = set(service.delegated_kecamatan.values_list("pk", flat=True))
            after = {k.pk for k in changes["delegated_kecamatan"]}
            if before != after:
                service.delegated_kecamatan.set(changes["delegated_kecamatan"])
                changed.append("delegated_kecamatan")
        if changed:
            audit_record(
                action="permits.service.update",
                actor_email=actor_email,
                actor_name=actor_name,
                target=service.code,
                detail={"fields": changed},
            )
    return changed


def service_type_revert(
    *,
    service: ServiceType,
    fields: list[str] | None,
    actor_email: str,
    actor_name: str = "",
    master: Master | None = None,
) -> list[str]:
    """Give overridden fields (all when `fields` is None) their master value again."""
    master = master or master_read()
    entry = master.entries.get(service.master_code)
    if entry is None:
        raise ValidationError(_("This service is not in Sragen's master catalogue."))
    names = list(service.overridden_fields) if fields is None else fields
    unknown = [name for name in names if name not in MASTER_FIELDS]
    if unknown:
        raise ValidationError(_("Unknown field: %(name)s.") % {"name": ", ".join(unknown)})
    units = {unit.code: unit for unit in WorkUnit.objects.filter(is_active=True)}
    values = master_values(entry, units)
    with transaction.atomic():
        for name in names:
            if name in values:
                setattr(service, name, values[name])
        service.overridden_fields = [n for n in service.overridden_fields if n not in names]
        service.full_clean()
        service.save()
        audit_record(
            action="permits.service.revert",
            actor_email=actor_email,
            actor_name=actor_name,
            target=service.code,
            detail={"fields": names},
        )
    return names


def service_type_create(
    *, values: dict[str, Any], actor_email: str, actor_name: str = ""
) -> ServiceType:
    """A regency's own service (not linked to the master)."""
    kecamatan = values.pop("delegated_kecamatan", None)
    validate_entry(values)
    service = ServiceType(**values)
    service.full_clean()
    with transaction.atomic():
        service.save()
        if kecamatan:
            service.delegated_kecamatan.set(kecamatan)
        audit_record(
            action="permits.service.create",
            actor_email=actor_email,
            actor_name=actor_name,
            target=service.code,
        )
    return service


def service_type_active_set(
    *, service: ServiceType, active: bool, actor_email: str, actor_name: str = ""
) -> None:
    if service.is_active == active:
        return
    with transaction.atomic():
        service.is_active = active
        service.save(update_fields=["is_active"])
        audit_record(
            action="permits.service.activate" if active else "permits.service.deactivate",
            actor_email=actor_email,
            actor_name=actor_name,
            target=service.code,
        )
