"""A regency's own changes to its areas: renaming a kecamatan or desa, adding a
desa/kelurahan the national list does not have yet (a pemekaran). Each is
marked `is_local_change`, so a later reload of the reference keeps it."""

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


def kecamatan_rename(
    *, kecamatan: Kecamatan, name: str, actor: Actor, request: HttpRequest | None = None
) -> Kecamatan:
    name = _name_clean(name)
    if name == kecamatan.name:
        return kecamatan
    before = kecamatan.name
    with transaction.atomic():
        kecamatan.name = name
        kecamatan.is_local_change = True
        kecamatan.full_clean()
        kecamatan.save()
        organisation_audit(
            action="kecamatan.renamed",
            actor=actor,
            target=kecamatan.code,
            detail={"from": before, "to": name},
            request=request,
        )
    return kecamatan


def desa_rename(*, desa: Desa, name: str, actor: Actor, request: HttpRequest | None = None) -> Desa:
    name = _name_clean(name)
    if name == desa.name:
        return desa
    before = desa.name
    with transaction.atomic():
        desa.name = name
        desa.is_local_change = True
        desa.full_clean()
        desa.save()
        organisation_audit(
            action="desa.renamed",
            actor=actor,
            target=desa.code,
            detail={"from": before, "to": name},
            request=request,
        )
    return desa


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
