"""The console's forms. They check the shape of the input; the services check
everything else, and their ValidationErrors are put back on the form with
`core.forms.errors_onto_form`, so the engineer sees every problem next to its field."""

from datetime import datetime, time, timedelta
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.forms import BootstrapFormMixin
from tenants.regions import regency_get
from tenants.services import validate_new_domain
from tenants.support_access import MAX_HOURS

MAX_REFERENCE_CSV_BYTES = 2 * 1024 * 1024
# Spreadsheets exported on Indonesian office PCs come as UTF-8 (with a BOM, from
# Excel's "CSV UTF-8") or as Windows-1252.
CSV_ENCODINGS = ("utf-8-sig", "cp1252")


class ProspectForm(BootstrapFormMixin, forms.Form):
    slug = forms.CharField(
        label=_("Slug"),
        max_length=30,
        help_text=_("Lower-case letters, digits and hyphens; it names the schema and the domain."),
    )
    region_code = forms.CharField(
        label=_("Kemendagri region code"),
        max_length=5,
        help_text=_("The regency's or city's code in the national list, e.g. 73.09."),
    )
    name = forms.CharField(
        label=_("Name"),
        max_length=120,
        required=False,
        help_text=_("Leave empty to use the regency's name from the national list."),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["region_code"].widget.attrs["list"] = "regency-codes"

    def clean_slug(self) -> str:
        return str(self.cleaned_data["slug"]).strip().lower()

    def clean_region_code(self) -> str:
        return str(self.cleaned_data["region_code"]).strip()

    def regency_name(self) -> str:
        """The name of the entered code, shown next to the field."""
        code = self.data.get("region_code", "") if self.is_bound else ""
        regency = regency_get(str(code).strip()) if code else None
        return regency.name if regency else ""


class ProvisionForm(BootstrapFormMixin, forms.Form):
    admin_email = forms.EmailField(label=_("Regency admin's email"))
    admin_name = forms.CharField(label=_("Regency admin's name"), max_length=150)
    domains = forms.CharField(
        label=_("Domains"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("One per line, the primary first. Empty: <slug>.<root domain>."),
    )
    reference_csv = forms.FileField(
        label=_("Local changes to the reference data (CSV)"),
        required=False,
        help_text=_("Optional: kecamatan and desa added or renamed since the national list."),
    )

    def clean_domains(self) -> list[str]:
        lines = str(self.cleaned_data.get("domains") or "").splitlines()
        hosts = list(dict.fromkeys(line.strip().lower() for line in lines if line.strip()))
        # The service checks them again; checking here too shows these errors
        # together with the other fields' rather than after they are fixed.
        problems: list[str] = []
        for host in hosts:
            try:
                validate_new_domain(host)
            except ValidationError as exc:
                problems.extend(exc.messages)
        if problems:
            raise ValidationError(problems)
        return hosts

    def clean_reference_csv(self) -> str:
        upload = self.cleaned_data.get("reference_csv")
        if not upload:
            return ""
        if upload.size > MAX_REFERENCE_CSV_BYTES:
            raise ValidationError(
                _("The file is larger than %(size)d MB."),
                params={"size": MAX_REFERENCE_CSV_BYTES // (1024 * 1024)},
            )
        content = upload.read()
        for encoding in CSV_ENCODINGS:
            try:
                return str(content.decode(encoding))
            except UnicodeDecodeError:
                continue
        raise ValidationError(_("The file is not readable text; save it as CSV UTF-8."))


class DomainAddForm(BootstrapFormMixin, forms.Form):
    domain = forms.CharField(label=_("Domain"), max_length=253)
    is_primary = forms.BooleanField(label=_("Make it the primary domain"), required=False)

    def clean_domain(self) -> str:
        return str(self.cleaned_data["domain"]).strip().lower()


class TransitionForm(BootstrapFormMixin, forms.Form):
    reason = forms.CharField(
        label=_("Reason"),
        max_length=500,
        help_text=_("Kept in the regency's lifecycle history."),
    )


class DeleteForm(BootstrapFormMixin, forms.Form):
    confirmation = forms.CharField(
        label=_("Type the slug to confirm"),
        max_length=30,
    )
    reason = forms.CharField(label=_("Reason"), max_length=500, required=False)


class RestoreForm(BootstrapFormMixin, forms.Form):
    slug = forms.CharField(
        label=_("New slug"),
        max_length=30,
        help_text=_("The restored copy is a new regency, suspended and without domains."),
    )

    def clean_slug(self) -> str:
        return str(self.cleaned_data["slug"]).strip().lower()


class SupportGrantForm(BootstrapFormMixin, forms.Form):
    reason = forms.CharField(
        label=_("Reason"),
        max_length=500,
        help_text=_("The regency's admins see it, and can end the access at any time."),
    )
    hours = forms.IntegerField(label=_("Hours"), min_value=1, max_value=MAX_HOURS, initial=2)


class AuditFilterForm(BootstrapFormMixin, forms.Form):
    actor = forms.CharField(label=_("Actor"), required=False, max_length=150)
    action = forms.CharField(label=_("Action"), required=False, max_length=80)
    target = forms.CharField(label=_("Target"), required=False, max_length=200)
    date_from = forms.DateField(
        label=_("From"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    date_until = forms.DateField(
        label=_("Until"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )

    def __init__(self, *args: Any, actions: list[str] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["action"].widget.attrs["list"] = "audit-actions"
        self.actions = actions or []

    def clean(self) -> dict[str, Any]:
        cleaned: dict[str, Any] = super().clean() or {}
        start, end = cleaned.get("date_from"), cleaned.get("date_until")
        if start and end and end < start:
            self.add_error("date_until", _("The end date is before the start date."))
        return cleaned

    def filters(self) -> dict[str, Any]:
        """Keyword arguments for `platform_audit_events`; dates are whole days in
        the console's time zone, `until` included."""
        if not self.is_valid():
            return {}
        data = self.cleaned_data
        zone = timezone.get_current_timezone()
        start = data.get("date_from")
        end = data.get("date_until")
        return {
            "actor": data.get("actor", "").strip(),
            "action": data.get("action", "").strip(),
            "target": data.get("target", "").strip(),
            "date_from": datetime.combine(start, time.min, tzinfo=zone) if start else None,
            "date_until": (
                datetime.combine(end + timedelta(days=1), time.min, tzinfo=zone) if end else None
            ),
        }
