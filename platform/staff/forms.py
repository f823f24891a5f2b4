"""Forms of the staff people screens: the person form, the list's filters and
the export options."""

import re
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from organisation.models import Kecamatan, Position, WorkUnit
from staff.selectors import PersonStatus
from staff.services import nip_normalise

PHONE_PATTERN = re.compile(r"^\+?[0-9][0-9 ()-]{5,19}$")


def _styled(form: forms.Form) -> None:
    """Bootstrap classes on every widget, and aria-invalid where a field has errors."""
    for name, field in form.fields.items():
        widget = field.widget
        if isinstance(widget, forms.CheckboxInput):
            css = "form-check-input"
        elif isinstance(widget, forms.Select):
            css = "form-select"
        else:
            css = "form-control"
        if form.is_bound and name in form.errors:
            css += " is-invalid"
            widget.attrs["aria-invalid"] = "true"
        widget.attrs["class"] = css


class StaffForm(forms.Form):
    full_name = forms.CharField(label=_("Full name"), max_length=150)
    email = forms.EmailField(label=_("Email address"))
    nip = forms.CharField(
        label=_("NIP"),
        max_length=24,
        required=False,
        help_text=_(
            "18 digits, e.g. 19850317 201001 1 002 (spaces allowed). Leave empty for "
            "contract staff."
        ),
    )
    position = forms.ModelChoiceField(
        label=_("Position"), queryset=Position.objects.filter(is_active=True), required=False
    )
    work_unit = forms.ModelChoiceField(
        label=_("Work unit"), queryset=WorkUnit.objects.filter(is_active=True), required=False
    )
    kecamatan = forms.ModelChoiceField(
        label=_("Kecamatan"),
        queryset=Kecamatan.objects.all(),
        required=False,
        help_text=_("For kecamatan officers: the kecamatan whose items they handle."),
    )
    phone = forms.CharField(label=_("Phone"), max_length=20, required=False)
    send_invitation = forms.BooleanField(
        label=_("Send the invitation now"), required=False, initial=True
    )

    def __init__(self, *args: Any, creating: bool = True, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not creating:
            del self.fields["send_invitation"]
        self.fields["work_unit"].label_from_instance = lambda unit: f"{unit.code} · {unit.name}"  # type: ignore[attr-defined]
        self.fields["email"].widget.attrs["autocomplete"] = "off"
        self.fields["nip"].widget.attrs["inputmode"] = "numeric"
        _styled(self)

    def clean_nip(self) -> str:
        # nip_parse's own message says which part of the number is wrong.
        return nip_normalise(self.cleaned_data.get("nip") or "")

    def clean_email(self) -> str:
        return str(self.cleaned_data["email"]).strip().lower()

    def clean_phone(self) -> str:
        phone = str(self.cleaned_data.get("phone") or "").strip()
        if phone and not PHONE_PATTERN.match(phone):
            raise ValidationError(
                _("Enter a phone number, e.g. 0812 3456 7890 or +62 812 3456 7890.")
            )
        return phone

    def add_service_errors(self, error: ValidationError) -> None:
        """A service's ValidationError on this form: per field where it names one."""
        if hasattr(error, "error_dict"):
            for field, errors in error.error_dict.items():
                self.add_error(field if field in self.fields else None, errors)
        else:
            self.add_error(None, error)
        _styled(self)


class StaffFilterForm(forms.Form):
    STATUS_CHOICES = (
        ("", _("Everyone")),
        (PersonStatus.ACTIVE, _("Active")),
        (PersonStatus.INVITED, _("Invited, no password yet")),
        (PersonStatus.INACTIVE, _("Inactive")),
    )

    q = forms.CharField(label=_("Search"), required=False, max_length=100)
    work_unit = forms.ModelChoiceField(
        label=_("Work unit (with its sub-units)"),
        queryset=WorkUnit.objects.all(),
        required=False,
        empty_label=_("All work units"),
    )
    position = forms.ModelChoiceField(
        label=_("Position"),
        queryset=Position.objects.all(),
        required=False,
        empty_label=_("All positions"),
    )
    kecamatan = forms.ModelChoiceField(
        label=_("Kecamatan"),
        queryset=Kecamatan.objects.all(),
        required=False,
        empty_label=_("All kecamatan"),
    )
    status = forms.ChoiceField(label=_("Status"), choices=STATUS_CHOICES, required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["q"].widget.attrs["placeholder"] = _("Name, email or NIP")
        self.fields["work_unit"].label_from_instance = lambda unit: f"{unit.code} · {unit.name}"  # type: ignore[attr-defined]
        _styled(self)

    def filters(self) -> dict[str, Any]:
        """Keyword arguments for staff.selectors.staff_search; an invalid filter is ignored."""
        if not self.is_bound or not self.is_valid():
            return {}
        data = self.cleaned_data
        return {
            "query": data.get("q") or "",
            "work_unit": data.get("work_unit"),
            "position": data.get("position"),
            "kecamatan": data.get("kecamatan"),
            "status": data.get("status") or "",
        }


class StaffExportForm(forms.Form):
    FORMAT_CHOICES = (("csv", "CSV"), ("xlsx", "XLSX"))

    file_format = forms.ChoiceField(label=_("Format"), choices=FORMAT_CHOICES, initial="csv")
    include_nip = forms.BooleanField(
        label=_("Include full NIPs (recorded in the audit log)"), required=False
    )
