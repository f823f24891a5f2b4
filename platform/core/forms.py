"""What every screen's forms share. Forms check the shape of the input; the services
check everything else, and their ValidationErrors are put back on the form with
`errors_onto_form`, so the user sees every problem next to its field."""

from typing import Any

from django import forms
from django.core.exceptions import ValidationError


def errors_onto_form(form: forms.BaseForm, error: ValidationError) -> None:
    """Attach a service's ValidationError to the form: per field where the form
    has that field, otherwise as a non-field error."""
    if hasattr(error, "error_dict"):
        for field, messages in error.message_dict.items():
            form.add_error(field if field in form.fields else None, messages)
    else:
        form.add_error(None, error.messages)


class BootstrapFormMixin:
    """Bootstrap classes on every widget, `is-invalid` on fields with errors."""

    fields: dict[str, forms.Field]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            widget = field.widget
            css = "form-check-input" if isinstance(widget, forms.CheckboxInput) else "form-control"
            if isinstance(widget, forms.Select):
                css = "form-select"
            widget.attrs["class"] = f"{widget.attrs.get('class', '')} {css}".strip()

    def add_error(self, field: str | None, error: Any) -> None:
        super().add_error(field, error)  # type: ignore[misc]
        # Django's own field validation reports through here too.
        if field and field in self.fields:
            widget = self.fields[field].widget
            if "is-invalid" not in widget.attrs.get("class", ""):
                widget.attrs["class"] = f"{widget.attrs.get('class', '')} is-invalid".strip()
            widget.attrs["aria-invalid"] = "true"
