"""The shapes of a catalogue entry's structured fields, and what they compute.

Requirements, form fields, the fee rule and the roles per step are JSON in the
database; every write (the master file, an admin's edit) is checked here first,
so the apply form and the workflow can trust them."""

import re
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

FIELD_TYPES = ("text", "textarea", "int", "date", "choice", "bool")
FEE_KINDS = ("free", "fixed", "per_unit")
# The workflow steps a service may give to a role of its own choosing.
STEPS = ("completeness", "verification", "recommendation", "approval")
STAFF_ROLES = ("front_office", "back_office", "technical_team", "approver")
NAME_RE = re.compile(r"^[a-z][a-z0-9_]{0,39}$")
# Names the apply form uses for its own fields; a service's field must not shadow one.
RESERVED_NAMES = frozenset(
    {
        "applicant_name",
        "applicant_nik",
        "applicant_email",
        "applicant_phone",
        "applicant_address",
        "business_name",
        "investment_rupiah",
        "workforce",
        "kecamatan",
        "desa",
        "submission_key",
    }
)


def validate_requirements(value: Any) -> None:
    if not isinstance(value, list):
        raise ValidationError(_("Requirements must be a list."))
    seen: set[str] = set()
    for item in value:
        if not isinstance(item, dict) or not isinstance(item.get("label"), str):
            raise ValidationError(_("Each requirement needs a code and a label."))
        code = item.get("code")
        if not isinstance(code, str) or not NAME_RE.match(code):
            raise ValidationError(
                _("Requirement code %(code)s must be lowercase letters, digits and _.")
                % {"code": code}
            )
        if code in seen:
            raise ValidationError(_("Requirement code %(code)s is repeated.") % {"code": code})
        seen.add(code)


def validate_form_fields(value: Any) -> None:
    if not isinstance(value, list):
        raise ValidationError(_("Form fields must be a list."))
    seen: set[str] = set()
    for item in value:
        if not isinstance(item, dict) or not isinstance(item.get("label"), str):
            raise ValidationError(_("Each form field needs a name, a label and a type."))
        name = item.get("name")
        if not isinstance(name, str) or not NAME_RE.match(name) or name in RESERVED_NAMES:
            raise ValidationError(_("Form field name %(name)s is not allowed.") % {"name": name})
        if name in seen:
            raise ValidationError(_("Form field %(name)s is repeated.") % {"name": name})
        seen.add(name)
        if item.get("type") not in FIELD_TYPES:
            raise ValidationError(_("Form field %(name)s has an unknown type.") % {"name": name})
        if item["type"] == "choice" and not (
            isinstance(item.get("options"), list) and item["options"]
        ):
            raise ValidationError(_("Choice field %(name)s needs options.") % {"name": name})


def _whole(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and value >= 0


def validate_fee_rule(value: Any, *, form_fields: list[dict[str, Any]] | None = None) -> None:
    if value in ({}, None):
        return
    if not isinstance(value, dict) or value.get("kind") not in FEE_KINDS:
        raise ValidationError(_("The fee rule must be free, fixed or per unit."))
    kind = value["kind"]
    if kind == "fixed" and not _whole(value.get("amount")):
        raise ValidationError(_("A fixed fee needs an amount in whole rupiah."))
    if kind == "per_unit":
        if not (_whole(value.get("rate")) and _whole(value.get("minimum", 0))):
            raise ValidationError(_("A fee per unit needs a rate (and minimum) in whole rupiah."))
        names = {f["name"] for f in form_fields or [] if f.get("type") == "int"}
        if form_fields is not None and value.get("field") not in names:
            raise ValidationError(
                _("A fee per unit must name one of the service's whole-number form fields.")
            )


def validate_step_roles(value: Any) -> None:
    if not isinstance(value, dict):
        raise ValidationError(_("Roles per step must be a mapping."))
    for step, role in value.items():
        if step not in STEPS or role not in STAFF_ROLES:
            raise ValidationError(
                _("Unknown step or role: %(step)s → %(role)s.") % {"step": step, "role": role}
            )


def validate_entry(values: dict[str, Any]) -> None:
    """Check a catalogue entry's structured fields; raises with every problem."""
    errors: dict[str, list[str]] = {}
    checks = (
        ("requirements", validate_requirements),
        ("form_fields", validate_form_fields),
        ("step_roles", validate_step_roles),
    )
    for name, check in checks:
        if name in values:
            try:
                check(values[name])
            except ValidationError as error:
                errors[name] = error.messages
    if "fee_rule" in values:
        try:
            fields = values.get("form_fields")
            validate_fee_rule(
                values["fee_rule"], form_fields=fields if "form_fields" not in errors else None
            )
        except ValidationError as error:
            errors["fee_rule"] = error.messages
    legal, target = values.get("legal_days"), values.get("target_days")
    if isinstance(legal, int) and isinstance(target, int) and target > legal:
        errors["target_days"] = [_("The internal target cannot be longer than the legal deadline.")]
    if isinstance(legal, int) and legal < 1:
        errors["legal_days"] = [_("The legal deadline is at least one working day.")]
    if errors:
        raise ValidationError(errors)


def fee_compute(rule: dict[str, Any], form_data: dict[str, Any]) -> int:
    """The fee (retribusi) in whole rupiah for an application's answers."""
    kind = (rule or {}).get("kind", "free")
    if kind == "fixed":
        return int(rule["amount"])
    if kind == "per_unit":
        try:
            units = int(form_data.get(rule["field"]) or 0)
        except (TypeError, ValueError):
            units = 0
        return max(int(rule["rate"]) * max(units, 0), int(rule.get("minimum", 0)))
    return 0


def fee_describe(rule: dict[str, Any]) -> str:
    """A short human description of a fee rule, for lists."""
    kind = (rule or {}).get("kind", "free")
    if kind == "fixed":
        return _("Rp %(amount)s") % {"amount": f"{int(rule['amount']):,}".replace(",", ".")}
    if kind == "per_unit":
        return _("Rp %(rate)s per %(unit)s (minimum Rp %(minimum)s)") % {
            "rate": f"{int(rule['rate']):,}".replace(",", "."),
            "unit": rule.get("unit") or rule.get("field"),
            "minimum": f"{int(rule.get('minimum', 0)):,}".replace(",", "."),
        }
    return _("Free")


def step_role(step_roles: dict[str, str], step: str, default: tuple[str, ...]) -> tuple[str, ...]:
    role = (step_roles or {}).get(step)
    return (role,) if role else default
