"""The regency audit log's filter."""

from datetime import datetime, time, timedelta, tzinfo
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from core.audit_actions import action_label


class AuditFilterForm(forms.Form):
    action = forms.ChoiceField(label=_("Action"), required=False)
    actor = forms.CharField(
        label=_("Actor (email or name contains)"), required=False, max_length=150
    )
    target = forms.CharField(label=_("Target contains"), required=False, max_length=200)
    date_from = forms.DateField(
        label=_("From"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    date_until = forms.DateField(
        label=_("Until"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )

    def __init__(self, *args: Any, actions: list[str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choices = sorted(((code, action_label(code)) for code in actions), key=lambda c: c[1])
        self.fields["action"].choices = [  # type: ignore[attr-defined]
            ("", _("All actions")),
            *[(code, label if label == code else f"{label} ({code})") for code, label in choices],
        ]
        for name, field in self.fields.items():
            css = "form-select" if isinstance(field.widget, forms.Select) else "form-control"
            if self.is_bound and name in self.errors:
                css += " is-invalid"
            field.widget.attrs["class"] = css

    def clean(self) -> dict[str, Any]:
        cleaned: dict[str, Any] = super().clean() or {}
        start, end = cleaned.get("date_from"), cleaned.get("date_until")
        if start and end and end < start:
            self.add_error("date_until", _("The end date is before the start date."))
            self.fields["date_until"].widget.attrs["class"] = "form-control is-invalid"
        return cleaned

    def filters(self, zone: tzinfo) -> dict[str, Any]:
        """Keyword arguments for `audit_events`: the dates are whole days in `zone`
        (the regency's), the last one included. Nothing when the form is invalid."""
        if not self.is_bound or not self.is_valid():
            return {}
        data = self.cleaned_data
        start, end = data.get("date_from"), data.get("date_until")
        return {
            "action": data.get("action") or "",
            "actor": (data.get("actor") or "").strip(),
            "target": (data.get("target") or "").strip(),
            "start": datetime.combine(start, time.min, tzinfo=zone) if start else None,
            "end": datetime.combine(end + timedelta(days=1), time.min, tzinfo=zone)
            if end
            else None,
        }
