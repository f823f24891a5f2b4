"""The apply form (built from the service's catalogue entry) and the office's forms."""

import datetime
import re
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from modules.permits.documents import CheckedUpload, upload_check, upload_max_bytes
from modules.permits.models import ServiceType
from organisation.models import Desa, Kecamatan

SUBMISSION_KEY_RE = re.compile(r"^[A-Za-z0-9_-]{32,64}$")
PHONE_RE = re.compile(r"^\+?[0-9 ()-]{6,20}$")
FIELD_PREFIX = "f_"
DOC_PREFIX = "doc_"
ACCEPT = "application/pdf,image/png,image/jpeg,.pdf,.png,.jpg,.jpeg"


def nik_validate(value: str) -> None:
    """A NIK: 16 digits — province, regency, kecamatan (6), birth date DDMMYY (women
    add 40 to the day), and a 4-digit serial that is never 0000."""
    if not re.fullmatch(r"\d{16}", value):
        raise ValidationError(_("A NIK has exactly 16 digits."), code="length")
    if not 11 <= int(value[0:2]) <= 96:
        raise ValidationError(
            _("A NIK starts with a province code; %(code)s is not one.") % {"code": value[0:2]},
            code="province",
        )
    day, month = int(value[6:8]), int(value[8:10])
    if day > 40:
        day -= 40
    if not (1 <= day <= 31 and 1 <= month <= 12):
        raise ValidationError(
            _("Digits 7 to 12 of a NIK are the birth date (DDMMYY); %(part)s is not a date.")
            % {"part": value[6:12]},
            code="birth_date",
        )
    if value[12:] == "0000":
        raise ValidationError(_("The last four digits of a NIK are never 0000."), code="serial")


def _input(widget: forms.Widget) -> forms.Widget:
    css = "form-select" if isinstance(widget, forms.Select) else "form-control"
    if isinstance(widget, forms.CheckboxInput):
        css = "form-check-input"
    widget.attrs.setdefault("class", css)
    return widget


class ApplyForm(forms.Form):
    """The applicant's data, where, the business, the service's own fields and one
    upload per requirement. `checked_uploads` holds the files once the form is valid:
    every file is checked before any is stored."""

    submission_key = forms.CharField(widget=forms.HiddenInput)
    applicant_name = forms.CharField(label=gettext_lazy("Full name"), max_length=150)
    applicant_nik = forms.CharField(
        label=gettext_lazy("NIK"),
        max_length=16,
        min_length=16,
        validators=[nik_validate],
        help_text=gettext_lazy("The 16-digit number on the applicant's KTP."),
    )
    applicant_email = forms.EmailField(label=gettext_lazy("Email"), required=False)
    applicant_phone = forms.CharField(
        label=gettext_lazy("Phone (optional)"),
        max_length=20,
        required=False,
        help_text=gettext_lazy("For the office to call you; it is not verified."),
    )
    applicant_address = forms.CharField(
        label=gettext_lazy("Address"), widget=forms.Textarea(attrs={"rows": 2}), max_length=500
    )
    kecamatan = forms.ModelChoiceField(
        label=gettext_lazy("Kecamatan"), queryset=Kecamatan.objects.order_by("name")
    )
    desa = forms.ModelChoiceField(
        label=gettext_lazy("Desa / kelurahan"), queryset=Desa.objects.none(), required=False
    )

    def __init__(
        self,
        *args: Any,
        service: ServiceType,
        email_required: bool,
        email_fixed: str = "",
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.service = service
        self.checked_uploads: list[CheckedUpload] = []
        email = self.fields["applicant_email"]
        email.required = email_required
        if email_fixed:
            email.initial = email_fixed
            email.disabled = True
            email.help_text = _("Verified; the confirmation and updates go here.")
        kecamatan_id = self.data.get("kecamatan") or self.initial.get("kecamatan")
        if kecamatan_id and str(kecamatan_id).isdigit():
            self.fields["desa"].queryset = Desa.objects.filter(  # type: ignore[attr-defined]
                kecamatan_id=int(kecamatan_id)
            ).order_by("name")
        self.fields["kecamatan"].widget.attrs.update(
            {"hx-get": "desa/", "hx-target": "#id_desa", "hx-trigger": "change"}
        )
        if service.is_business:
            self.fields["business_name"] = forms.CharField(
                label=_("Business name"), max_length=200, required=True
            )
            self.fields["investment_rupiah"] = forms.IntegerField(
                label=_("Investment value (Rp)"), min_value=0, max_value=10**15
            )
            self.fields["workforce"] = forms.IntegerField(
                label=_("Workforce (people)"), min_value=0, max_value=1_000_000
            )
        for spec in service.form_fields:
            self.fields[FIELD_PREFIX + spec["name"]] = service_field(spec)
        limit = upload_max_bytes() // (1024 * 1024)
        for item in service.requirements:
            self.fields[DOC_PREFIX + item["code"]] = forms.FileField(
                label=item["label"],
                required=bool(item.get("required")),
                help_text=_("PDF, PNG or JPEG, at most %(mb)s MB.") % {"mb": limit},
                widget=forms.ClearableFileInput(attrs={"accept": ACCEPT}),
            )
        for field in self.fields.values():
            _input(field.widget)

    def clean_submission_key(self) -> str:
        key = str(self.cleaned_data["submission_key"])
        if not SUBMISSION_KEY_RE.match(key):
            raise ValidationError(_("This form has expired; open it again."))
        return key

    def clean_applicant_phone(self) -> str:
        phone = str(self.cleaned_data.get("applicant_phone") or "").strip()
        if phone and not PHONE_RE.match(phone):
            raise ValidationError(_("Enter a phone number with digits only (and a leading +)."))
        return phone

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        kecamatan, desa = cleaned.get("kecamatan"), cleaned.get("desa")
        if kecamatan and desa and desa.kecamatan_id != kecamatan.pk:
            self.add_error("desa", _("This desa is not in the chosen kecamatan."))
        for item in self.service.requirements:
            name = DOC_PREFIX + item["code"]
            upload = cleaned.get(name)
            if not upload:
                continue
            try:
                self.checked_uploads.append(upload_check(upload, requirement=item["code"]))
            except ValidationError as error:
                self.add_error(name, error)
        return cleaned

    def field_groups(self) -> dict[str, list[forms.BoundField]]:
        """The bound fields in the template's sections."""
        groups: dict[str, list[forms.BoundField]] = {
            "applicant": [],
            "business": [],
            "service": [],
            "documents": [],
        }
        for name in self.fields:
            if name == "submission_key":
                continue
            if name.startswith(FIELD_PREFIX):
                groups["service"].append(self[name])
            elif name.startswith(DOC_PREFIX):
                groups["documents"].append(self[name])
            elif name in ("business_name", "investment_rupiah", "workforce"):
                groups["business"].append(self[name])
            else:
                groups["applicant"].append(self[name])
        return groups

    def form_data(self) -> dict[str, Any]:
        """The service's own answers, as JSON (dates as ISO strings)."""
        data: dict[str, Any] = {}
        for spec in self.service.form_fields:
            value = self.cleaned_data.get(FIELD_PREFIX + spec["name"])
            if isinstance(value, datetime.date):
                value = value.isoformat()
            data[spec["name"]] = value
        return data


def service_field(spec: dict[str, Any]) -> forms.Field:
    """A form field for one of a service's `form_fields` entries."""
    kind, label, required = spec["type"], spec["label"], bool(spec.get("required", True))
    if kind == "int":
        return forms.IntegerField(
            label=label,
            required=required,
            min_value=spec.get("min", 0),
            max_value=spec.get("max", 10**12),
        )
    if kind == "date":
        return forms.DateField(
            label=label, required=required, widget=forms.DateInput(attrs={"type": "date"})
        )
    if kind == "choice":
        options = [("", "—")] + [(option, option) for option in spec["options"]]
        return forms.ChoiceField(label=label, required=required, choices=options)
    if kind == "bool":
        return forms.BooleanField(label=label, required=False)
    if kind == "textarea":
        return forms.CharField(
            label=label,
            required=required,
            max_length=2000,
            widget=forms.Textarea(attrs={"rows": 3}),
        )
    return forms.CharField(label=label, required=required, max_length=300)


class GuestEmailForm(forms.Form):
    email = forms.EmailField(
        label=gettext_lazy("Your email address"),
        widget=forms.EmailInput(attrs={"class": "form-control", "autocomplete": "email"}),
    )


class GuestCodeForm(forms.Form):
    code = forms.CharField(
        label=gettext_lazy("The 6-digit code we emailed you"),
        max_length=6,
        min_length=6,
        widget=forms.TextInput(
            attrs={
                "class": "form-control font-monospace",
                "inputmode": "numeric",
                "autocomplete": "one-time-code",
                "pattern": "[0-9]{6}",
            }
        ),
    )

    def clean_code(self) -> str:
        code = str(self.cleaned_data["code"]).strip()
        if not code.isdigit():
            raise ValidationError(_("The code is 6 digits."))
        return code


class ResubmitForm(forms.Form):
    """A revision: a note and new files for any of the requirements."""

    note = forms.CharField(
        label=gettext_lazy("What you changed"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3, "class": "form-control"}),
    )

    def __init__(self, *args: Any, service: ServiceType, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.service = service
        self.checked_uploads: list[CheckedUpload] = []
        for item in service.requirements:
            self.fields[DOC_PREFIX + item["code"]] = forms.FileField(
                label=item["label"],
                required=False,
                widget=forms.ClearableFileInput(attrs={"accept": ACCEPT, "class": "form-control"}),
            )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        for item in self.service.requirements:
            name = DOC_PREFIX + item["code"]
            upload = cleaned.get(name)
            if upload:
                try:
                    self.checked_uploads.append(upload_check(upload, requirement=item["code"]))
                except ValidationError as error:
                    self.add_error(name, error)
        return cleaned

    def document_fields(self) -> list[forms.BoundField]:
        return [self[name] for name in self.fields if name.startswith(DOC_PREFIX)]


class MoveForm(forms.Form):
    to_status = forms.CharField(max_length=16)
    reason = forms.CharField(required=False, max_length=4000)


class CommentForm(forms.Form):
    body = forms.CharField(
        label=gettext_lazy("Comment"),
        max_length=4000,
        widget=forms.Textarea(
            attrs={"rows": 2, "class": "form-control", "aria-label": gettext_lazy("Comment")}
        ),
    )


class InboxFilterForm(forms.Form):
    service = forms.ModelChoiceField(
        label=gettext_lazy("Service"),
        queryset=ServiceType.objects.order_by("name"),
        required=False,
        empty_label=gettext_lazy("All services"),
        widget=forms.Select(attrs={"class": "form-select form-select-sm"}),
    )
    status = forms.ChoiceField(
        label=gettext_lazy("Step"),
        required=False,
        widget=forms.Select(attrs={"class": "form-select form-select-sm"}),
    )
    overdue = forms.BooleanField(
        label=gettext_lazy("Overdue only"),
        required=False,
        widget=forms.CheckboxInput(attrs={"class": "form-check-input"}),
    )
    mine = forms.BooleanField(
        label=gettext_lazy("Assigned to me"),
        required=False,
        widget=forms.CheckboxInput(attrs={"class": "form-check-input"}),
    )
    q = forms.CharField(
        label=gettext_lazy("Number"),
        required=False,
        max_length=30,
        widget=forms.TextInput(attrs={"class": "form-control form-control-sm"}),
    )

    def __init__(self, *args: Any, statuses: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["status"].choices = [("", _("All my steps")), *statuses]  # type: ignore[attr-defined]
