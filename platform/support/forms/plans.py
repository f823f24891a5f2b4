"""Forms of the service-level screens in the console: a plan with its targets,
a regency's plan, the desk's holidays."""

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from core.forms import BootstrapFormMixin
from support.models import Holiday, Priority, SupportPlan
from support.services.plans import (
    MAX_TARGET_MINUTES,
    target_field,
    targets_validate,
)
from support.sla import Targets
from tenants.models import Tenant

CLOCKS = (
    ("first_response", _("First response")),
    ("resolution", _("Resolution")),
)


def _minutes_field(label: str) -> forms.IntegerField:
    return forms.IntegerField(
        label=label,
        min_value=1,
        max_value=MAX_TARGET_MINUTES,
        error_messages={
            "required": _("Give the target in business minutes."),
            "invalid": _("Give a whole number of business minutes."),
            "min_value": _("Give at least one business minute."),
            "max_value": _("At most %(limit_value)s business minutes (a year of working days)."),
        },
        widget=forms.NumberInput(attrs={"min": 1, "step": 1, "inputmode": "numeric"}),
    )


class PlanForm(BootstrapFormMixin, forms.Form):
    """A plan's name and its two targets per priority, in business minutes."""

    name = forms.CharField(label=_("Name"), max_length=80)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for priority, priority_label in Priority.choices:
            for clock, clock_label in CLOCKS:
                field = _minutes_field(f"{priority_label}: {clock_label}")
                field.widget.attrs["class"] = "form-control"
                self.fields[target_field(priority, clock)] = field

    @staticmethod
    def initial_for(name: str, targets: dict[str, Targets]) -> dict[str, Any]:
        initial: dict[str, Any] = {"name": name}
        for priority, target in targets.items():
            initial[target_field(priority, "first_response")] = target.first_response_minutes
            initial[target_field(priority, "resolution")] = target.resolution_minutes
        return initial

    def rows(self) -> list[tuple[str, forms.BoundField, forms.BoundField]]:
        """(priority label, first-response field, resolution field) per priority."""
        return [
            (
                str(label),
                self[target_field(priority, "first_response")],
                self[target_field(priority, "resolution")],
            )
            for priority, label in Priority.choices
        ]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        # Only when every number arrived; the fields already said what was wrong.
        if not any(target_field(p, c) in self.errors for p in Priority.values for c, _l in CLOCKS):
            try:
                targets_validate(self.targets())
            except forms.ValidationError as exc:
                for field, messages in exc.message_dict.items():
                    self.add_error(field, messages)
        return data

    def targets(self) -> dict[str, Targets]:
        data = self.cleaned_data
        return {
            priority: Targets(
                data[target_field(priority, "first_response")],
                data[target_field(priority, "resolution")],
            )
            for priority in Priority.values
        }


class PlanAssignForm(BootstrapFormMixin, forms.Form):
    """On a plan's page: give a regency this plan."""

    tenant = forms.ModelChoiceField(
        label=_("Regency"),
        queryset=Tenant.objects.none(),
        to_field_name="slug",
        empty_label=_("Choose a regency"),
        error_messages={"invalid_choice": _("Choose a regency from the list.")},
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["tenant"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = Tenant.objects.regencies().order_by("name")


class TenantPlanForm(BootstrapFormMixin, forms.Form):
    """On a regency's page: the plan it has."""

    plan = forms.ModelChoiceField(
        label=_("Plan"),
        queryset=SupportPlan.objects.all(),
        empty_label=None,
        error_messages={"invalid_choice": _("Choose a plan from the list.")},
    )


class HolidayForm(BootstrapFormMixin, forms.Form):
    date = forms.DateField(
        label=_("Date"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={
            "required": _("Give the date."),
            "invalid": _("Give a date such as 2027-08-17."),
        },
    )
    name = forms.CharField(
        label=_("Name"),
        max_length=120,
        error_messages={"required": _("Name the holiday.")},
    )
    kind = forms.ChoiceField(
        label=_("Kind"), choices=Holiday.Kind.choices, initial=Holiday.Kind.NATIONAL
    )
