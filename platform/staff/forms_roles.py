"""Forms of the roles screens: assigning a role with its scope, and the
overview's filters."""

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from core.modules import installed_modules, role_catalogue
from organisation.models import Kecamatan, WorkUnit
from staff.models import RoleAssignment
from staff.services_roles import PLATFORM_MODULE, REGENCY_ADMIN_ROLE

ROLE_SEPARATOR = ":"


class _Bootstrap:
    """Bootstrap's classes on every widget, and is-invalid where a field has errors."""

    fields: dict[str, forms.Field]

    def style(self) -> None:
        # `_errors`, not `errors`: reading `errors` would validate the form.
        errors = getattr(self, "_errors", None) or {}
        for name, field in self.fields.items():
            widget = field.widget
            if isinstance(widget, forms.RadioSelect):
                css = "form-check-input"
            elif isinstance(widget, forms.Select):
                css = "form-select"
            else:
                css = "form-control"
            if name in errors:
                css += " is-invalid"
                widget.attrs["aria-invalid"] = "true"
            widget.attrs["class"] = css

    def add_error(self, field: str | None, error: Any) -> None:
        super().add_error(field, error)  # type: ignore[misc]
        self.style()


class WorkUnitChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.code} · {obj.name}"


def role_choices(*, with_admin: bool = False) -> list[tuple[str, Any]]:
    """Roles grouped by module, as "<module>:<role>" values; a role that needs
    two-factor sign-in says so in its label."""
    groups: dict[str, tuple[Any, list[tuple[str, Any]]]] = {}
    if with_admin:
        groups[PLATFORM_MODULE] = (
            _("Platform"),
            [(f"{PLATFORM_MODULE}{ROLE_SEPARATOR}{REGENCY_ADMIN_ROLE}", _("Regency admin"))],
        )
    for module, role in role_catalogue():
        label: Any = role.label
        if role.requires_mfa:
            label = _("%(role)s (requires two-factor sign-in)") % {"role": role.label}
        groups.setdefault(module.code, (module.label_text, []))[1].append(
            (f"{module.code}{ROLE_SEPARATOR}{role.code}", label)
        )
    return [(str(label), choices) for label, choices in groups.values()]


class RoleAssignForm(_Bootstrap, forms.Form):
    role = forms.ChoiceField(label=_("Role"))
    scope = forms.ChoiceField(
        label=_("Where it applies"),
        choices=RoleAssignment.Scope.choices,
        initial=RoleAssignment.Scope.REGENCY,
        widget=forms.RadioSelect,
    )
    work_unit = WorkUnitChoiceField(
        label=_("Work unit"),
        queryset=WorkUnit.objects.none(),
        required=False,
        help_text=_("With “One work unit”: the unit and the units under it."),
    )
    kecamatan = forms.ModelChoiceField(
        label=_("Kecamatan"),
        queryset=Kecamatan.objects.none(),
        required=False,
        help_text=_("With “One kecamatan”."),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["role"].choices = [("", _("Choose a role")), *role_choices()]  # type: ignore[attr-defined]
        self.fields["work_unit"].queryset = WorkUnit.objects.filter(is_active=True)  # type: ignore[attr-defined]
        self.fields["kecamatan"].queryset = Kecamatan.objects.all()  # type: ignore[attr-defined]
        self.style()

    def clean(self) -> dict[str, Any]:
        cleaned: dict[str, Any] = super().clean() or {}
        scope = cleaned.get("scope")
        if scope == RoleAssignment.Scope.WORK_UNIT and not cleaned.get("work_unit"):
            self.add_error("work_unit", _("Choose the work unit this role covers."))
        if scope == RoleAssignment.Scope.KECAMATAN and not cleaned.get("kecamatan"):
            self.add_error("kecamatan", _("Choose the kecamatan this role covers."))
        self.style()  # errors of the fields themselves
        return cleaned

    def module_and_role(self) -> tuple[str, str]:
        module, _sep, role = str(self.cleaned_data["role"]).partition(ROLE_SEPARATOR)
        return module, role


class RoleFilterForm(_Bootstrap, forms.Form):
    module = forms.ChoiceField(label=_("Module"), required=False)
    role = forms.ChoiceField(label=_("Role"), required=False)
    work_unit = WorkUnitChoiceField(
        label=_("Work unit"),
        queryset=WorkUnit.objects.none(),
        required=False,
        empty_label=_("All work units"),
    )
    kecamatan = forms.ModelChoiceField(
        label=_("Kecamatan"),
        queryset=Kecamatan.objects.none(),
        required=False,
        empty_label=_("All kecamatan"),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["module"].choices = [  # type: ignore[attr-defined]
            ("", _("All modules")),
            (PLATFORM_MODULE, _("Platform")),
            *[(module.code, module.label_text) for module in installed_modules()],
        ]
        self.fields["role"].choices = [("", _("All roles")), *role_choices(with_admin=True)]  # type: ignore[attr-defined]
        self.fields["work_unit"].queryset = WorkUnit.objects.all()  # type: ignore[attr-defined]
        self.fields["kecamatan"].queryset = Kecamatan.objects.all()  # type: ignore[attr-defined]
        self.style()

    def filters(self) -> dict[str, Any]:
        """Keyword arguments for `role_overview`; nothing when the filter is invalid."""
        if not self.is_valid():
            return {}
        data = self.cleaned_data
        module, _sep, role = str(data.get("role") or "").partition(ROLE_SEPARATOR)
        chosen_module = data.get("module") or ""
        if role and chosen_module and module != chosen_module:
            role = ""  # a role of another module than the one chosen: the module wins
        return {
            "module": chosen_module or module,
            "role": role,
            "work_unit": data.get("work_unit"),
            "kecamatan": data.get("kecamatan"),
        }
