"""Forms for the catalogue and the holiday calendar (regency admins, back office)."""

import json
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from modules.permits.catalogue.rules import STAFF_ROLES, STEPS, validate_entry
from modules.permits.models import ServiceType
from organisation.models import Kecamatan, WorkUnit

FEE_CHOICES = [
    ("free", gettext_lazy("Free")),
    ("fixed", gettext_lazy("Fixed amount")),
    ("per_unit", gettext_lazy("Per unit of a form field")),
]
STEP_LABELS = {
    "completeness": gettext_lazy("Completeness check"),
    "verification": gettext_lazy("Verification / field survey"),
    "recommendation": gettext_lazy("Recommendation"),
    "approval": gettext_lazy("Approval"),
}


def _styled(form: forms.Form) -> None:
    for field in form.fields.values():
        widget = field.widget
        if isinstance(widget, forms.CheckboxInput):
            widget.attrs.setdefault("class", "form-check-input")
        elif isinstance(widget, forms.SelectMultiple):
            widget.attrs.setdefault("class", "form-select")
            widget.attrs.setdefault("size", "6")
        elif isinstance(widget, forms.Select):
            widget.attrs.setdefault("class", "form-select")
        else:
            widget.attrs.setdefault("class", "form-control")


def requirements_format(items: list[dict[str, Any]]) -> str:
    return "\n".join(
        f"{item['code']} | {item['label']} | {'required' if item.get('required') else 'optional'}"
        for item in items
    )


def requirements_parse(text: str) -> list[dict[str, Any]]:
    items = []
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        parts = [part.strip() for part in line.split("|")]
        if len(parts) not in (2, 3) or not parts[0] or not parts[1]:
            raise ValidationError(
                _("Line %(line)s: write “code | label | required or optional”.") % {"line": number}
            )
        required = len(parts) == 2 or parts[2].lower() not in ("optional", "opsional", "no")
        items.append({"code": parts[0], "label": parts[1], "required": required})
    return items


class ServiceTypeForm(forms.Form):
    code = forms.SlugField(label=gettext_lazy("Code"), max_length=60)
    name = forms.CharField(label=gettext_lazy("Official name"), max_length=200)
    kind = forms.ChoiceField(label=gettext_lazy("Kind"), choices=ServiceType.Kind.choices)
    category = forms.CharField(label=gettext_lazy("Category"), max_length=80, required=False)
    description = forms.CharField(
        label=gettext_lazy("Description"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    requirements = forms.CharField(
        label=gettext_lazy("Requirements checklist"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 5, "class": "form-control font-monospace"}),
        help_text=gettext_lazy("One per line: code | label | required or optional."),
    )
    form_fields = forms.CharField(
        label=gettext_lazy("Form fields (JSON)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 5, "class": "form-control font-monospace"}),
        help_text=gettext_lazy(
            'A list such as [{"name": "floor_area_m2", "label": "Floor area (m²)", '
            '"type": "int", "required": true}]; types: text, textarea, int, date, choice, bool.'
        ),
    )
    legal_days = forms.IntegerField(
        label=gettext_lazy("Legal deadline (working days)"), min_value=1, max_value=365
    )
    target_days = forms.IntegerField(
        label=gettext_lazy("Internal target (working days)"), min_value=1, max_value=365
    )
    fee_kind = forms.ChoiceField(label=gettext_lazy("Fee (retribusi)"), choices=FEE_CHOICES)
    fee_amount = forms.IntegerField(
        label=gettext_lazy("Fixed amount (Rp)"), min_value=0, required=False
    )
    fee_field = forms.CharField(
        label=gettext_lazy("Per unit of field"), max_length=40, required=False
    )
    fee_rate = forms.IntegerField(
        label=gettext_lazy("Rate per unit (Rp)"), min_value=0, required=False
    )
    fee_minimum = forms.IntegerField(
        label=gettext_lazy("Minimum (Rp)"), min_value=0, required=False
    )
    fee_unit = forms.CharField(label=gettext_lazy("Unit name"), max_length=20, required=False)
    is_business = forms.BooleanField(label=gettext_lazy("For businesses"), required=False)
    validity_months = forms.IntegerField(
        label=gettext_lazy("Validity (months, 0 = no expiry)"), min_value=0, max_value=600
    )
    delegated_to_kecamatan = forms.BooleanField(
        label=gettext_lazy("Delegated to kecamatan offices"), required=False
    )
    delegated_kecamatan = forms.ModelMultipleChoiceField(
        label=gettext_lazy("Only these kecamatan (none chosen = all)"),
        queryset=Kecamatan.objects.order_by("name"),
        required=False,
    )
    handling_unit = forms.ModelChoiceField(
        label=gettext_lazy("Handling work unit"),
        queryset=WorkUnit.objects.filter(is_active=True).order_by("name"),
        required=False,
    )

    def __init__(self, *args: Any, creating: bool, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        role_choices = [("", _("Default"))] + [(role, role) for role in STAFF_ROLES]
        for step in STEPS:
            self.fields[f"step_{step}"] = forms.ChoiceField(
                label=STEP_LABELS[step], choices=role_choices, required=False
            )
        if not creating:
            self.fields["code"].disabled = True
        _styled(self)

    @classmethod
    def initial_for(cls, service: ServiceType) -> dict[str, Any]:
        fee = service.fee_rule or {"kind": "free"}
        initial: dict[str, Any] = {
            "code": service.code,
            "name": service.name,
            "kind": service.kind,
            "category": service.category,
            "description": service.description,
            "requirements": requirements_format(service.requirements),
            "form_fields": json.dumps(service.form_fields, ensure_ascii=False, indent=1),
            "legal_days": service.legal_days,
            "target_days": service.target_days,
            "fee_kind": fee.get("kind", "free"),
            "fee_amount": fee.get("amount"),
            "fee_field": fee.get("field", ""),
            "fee_rate": fee.get("rate"),
            "fee_minimum": fee.get("minimum"),
            "fee_unit": fee.get("unit", ""),
            "is_business": service.is_business,
            "validity_months": service.validity_months,
            "delegated_to_kecamatan": service.delegated_to_kecamatan,
            "delegated_kecamatan": list(service.delegated_kecamatan.all()),
            "handling_unit": service.handling_unit,
        }
        for step in STEPS:
            initial[f"step_{step}"] = (service.step_roles or {}).get(step, "")
        return initial

    def clean_requirements(self) -> list[dict[str, Any]]:
        return requirements_parse(self.cleaned_data.get("requirements") or "")

    def clean_form_fields(self) -> list[dict[str, Any]]:
        text = (self.cleaned_data.get("form_fields") or "").strip()
        if not text:
            return []
        try:
            value = json.loads(text)
        except json.JSONDecodeError as error:
            raise ValidationError(
                _("This is not valid JSON (line %(line)s).") % {"line": error.lineno}
            ) from None
        if not isinstance(value, list):
            raise ValidationError(_("Form fields must be a list."))
        return value

    def values(self) -> dict[str, Any]:
        """The model field values the form describes."""
        data = self.cleaned_data
        kind = data["fee_kind"]
        fee: dict[str, Any] = {"kind": kind}
        if kind == "fixed":
            fee["amount"] = data.get("fee_amount") or 0
        elif kind == "per_unit":
            fee.update(
                field=data.get("fee_field") or "",
                rate=data.get("fee_rate") or 0,
                minimum=data.get("fee_minimum") or 0,
            )
            if data.get("fee_unit"):
                fee["unit"] = data["fee_unit"]
        return {
            "name": data["name"],
            "kind": data["kind"],
            "category": data.get("category") or "",
            "description": data.get("description") or "",
            "requirements": data["requirements"],
            "form_fields": data["form_fields"],
            "legal_days": data["legal_days"],
            "target_days": data["target_days"],
            "fee_rule": fee,
            "step_roles": {s: data[f"step_{s}"] for s in STEPS if data.get(f"step_{s}")},
            "is_business": bool(data.get("is_business")),
            "validity_months": data["validity_months"],
            "delegated_to_kecamatan": bool(data.get("delegated_to_kecamatan")),
            "handling_unit": data.get("handling_unit"),
            "delegated_kecamatan": list(data.get("delegated_kecamatan") or []),
        }

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if self.errors:
            return cleaned
        try:
            validate_entry(self.values())
        except ValidationError as error:
            for name, problems in error.message_dict.items():
                target = {"fee_rule": "fee_kind"}.get(name, name)
                for problem in problems:
                    self.add_error(target if target in self.fields else None, problem)
        return cleaned


class HolidayForm(forms.Form):
    date = forms.DateField(
        label=gettext_lazy("Date"),
        widget=forms.DateInput(attrs={"type": "date", "class": "form-control"}),
    )
    name = forms.CharField(
        label=gettext_lazy("Name"),
        max_length=150,
        widget=forms.TextInput(attrs={"class": "form-control"}),
    )
