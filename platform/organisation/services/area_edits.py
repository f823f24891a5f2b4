"""A regency's own changes to its areas: renaming a kecamatan or desa, adding a
desa/kelurahan the national list does not have yet (a pemekaran). Each is
marked `is_local_change`, so a later reload of the reference keeps it."""

from typing import TypeVar

from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpRequest
from django.utils.translation import gettext as _

from organisation.models import Desa, Kecamatan, desa_kind
from organisation.services.areas import DESA_RE
from organisation.services.common import Actor, organisation_audit


def _name_clean(name: str) -> str:
    name = name.strip()
    if not name:
        raise ValidationError({"name": _("Enter a name.")})
    return name


Area = TypeVar("Area", Kecamatan, Desa)


def _area_rename(
    *, area: Area, name: str, action: str, actor: Actor, request: HttpRequest | None
) -> Area:
    name = _name_clean(name)
    if name == area.name:
        return area
    before = area.name
    with transaction.atomic():
        area.name = name
        area.is_local_change = True
        area.full_clean()
        area.save()
        organisation_audit(
            action=action,
            actor=actor,
            target=area.code,
            detail={"from": before, "to": name},
            request=request,
        )
    return area


def kecamatan_rename(
    *, kecamatan: Kecamatan, name: str, actor: Actor, request: HttpRequest | None = None
) -> Kecamatan:
    return _area_rename(
        area=kecamatan, name=name, action="kecamatan.renamed", actor=actor, request=request
    )


def desa_rename(*, desa: Desa, name: str, actor: Actor, request: HttpRequest | None = None) -> Desa:
    return _area_rename(area=desa, name=name, action="desa.renamed", actor=actor, request=request)


def desa_create(
    *,
    kecamatan: Kecamatan,
    code: str,
    name: str,
    actor: Actor,
    request: HttpRequest | None = None,
) -> Desa:
    """A desa/kelurahan under `kecamatan`. Its code is the kecamatan's code and a
    four-digit number: first digit 2 for a desa, 1 for a kelurahan."""
    code = code.strip()
    errors: dict[str, str] = {}
    if not DESA_RE.match(code):
        errors["code"] = _(
            "Enter a code of the form NN.NN.NN.NNNN whose last part starts with 2 (desa) "
            "or 1 (kelurahan)."
        )
    elif not code.startswith(f"{kecamatan.code}."):
        errors["code"] = _("The code must start with this kecamatan's code, %(code)s.") % {
            "code": kecamatan.code
        }
    elif Desa.objects.filter(code=code).exists():
        errors["code"] = _("A desa or kelurahan with the code %(code)s already exists.") % {
            "code": code
        }
    try:
        name = _name_clean(name)
    except ValidationError as exc:
        errors.update({k: v[0] for k, v in exc.message_dict.items()})
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        desa = Desa(
            code=code,
            name=name,
            kind=desa_kind(code),
            kecamatan=kecamatan,
            is_local_change=True,
        )
        desa.full_clean()
        desa.save()
        organisation_audit(
            action="desa.created",
            actor=actor,
            target=code,
            detail={"name": name, "kecamatan": kecamatan.code},
            request=request,
        )
    return desa
