"""Forms of the organisation screens. They check the shape of the input; the
services check the rules (unique codes, no loops in the tree) and their
ValidationErrors are put back on the form next to their field."""

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from core.forms import BootstrapFormMixin
from core.tabular import MAX_UPLOAD_BYTES
from organisation.models import Kecamatan, Position, WorkUnit
from organisation.selectors import work_unit_choices
from organisation.services.common import org_code_normalise, org_code_problem

UPLOAD_SUFFIXES = (".csv", ".txt", ".xlsx", ".xlsm")


class CodeFieldMixin:
    """A code's structure is checked with the other fields, so every problem shows
    at once; uniqueness is the service's."""

    cleaned_data: dict[str, Any]

    def clean_code(self) -> str:
        code = org_code_normalise(self.cleaned_data["code"])
        problem = org_code_problem(code)
        if problem:
            raise ValidationError(problem)
        return code


class UnitChoiceField(forms.ModelChoiceField[WorkUnit]):
    def label_from_instance(self, obj: WorkUnit) -> str:
        label = f"{obj.code} — {obj.name}"
        return label if obj.is_active else f"{label} ({_('inactive')})"


class KecamatanChoiceField(forms.ModelChoiceField[Kecamatan]):
    def label_from_instance(self, obj: Kecamatan) -> str:
        return f"{obj.code} — {obj.name}"


class WorkUnitForm(CodeFieldMixin, BootstrapFormMixin, forms.Form):
    code = forms.CharField(
        label=_("Code"),
        max_length=40,
        help_text=_("Short and unique, e.g. DINKES or DPMPTSP-YAN. Letters are stored upper-case."),
    )
    name = forms.CharField(label=_("Name"), max_length=200)
    kind = forms.ChoiceField(label=_("Kind"), choices=WorkUnit.Kind.choices)
    parent = UnitChoiceField(
        label=_("Parent unit"),
        queryset=WorkUnit.objects.none(),
        required=False,
        empty_label=_("— none: a top-level unit —"),
    )
    kecamatan = KecamatanChoiceField(
        label=_("Kecamatan served"),
        queryset=Kecamatan.objects.none(),
        required=False,
        empty_label=_("— none —"),
        help_text=_("For a kecamatan or kelurahan office: the kecamatan it serves."),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        parent = self.fields["parent"]
        kecamatan = self.fields["kecamatan"]
        assert isinstance(parent, forms.ModelChoiceField)
        assert isinstance(kecamatan, forms.ModelChoiceField)
        parent.queryset = work_unit_choices()
        kecamatan.queryset = Kecamatan.objects.order_by("code")


class PositionForm(CodeFieldMixin, BootstrapFormMixin, forms.Form):
    code = forms.CharField(
        label=_("Code"),
        max_length=40,
        help_text=_("Short and unique, e.g. KABID. Letters are stored upper-case."),
    )
    name = forms.CharField(label=_("Name"), max_length=200)
    kind = forms.ChoiceField(label=_("Kind"), choices=Position.Kind.choices)


class AreaNameForm(BootstrapFormMixin, forms.Form):
    name = forms.CharField(label=_("Name"), max_length=120)


class DesaCreateForm(BootstrapFormMixin, forms.Form):
    code = forms.CharField(
        label=_("Code"),
        max_length=13,
        help_text=_(
            "NN.NN.NN.NNNN: this kecamatan's code, then four digits starting with 2 for a desa "
            "or 1 for a kelurahan."
        ),
    )
    name = forms.CharField(label=_("Name"), max_length=120)


class ImportUploadForm(BootstrapFormMixin, forms.Form):
    file = forms.FileField(
        label=_("Spreadsheet (CSV or XLSX)"),
        help_text=_(
            "Excel or LibreOffice: XLSX, or CSV in UTF-8 or Windows-1252, separated by commas "
            "or semicolons. The first row holds the column names."
        ),
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,.xlsx"}),
    )

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        if upload.size > MAX_UPLOAD_BYTES:
            raise ValidationError(
                _("The file is larger than %(size)d MB.")
                % {"size": MAX_UPLOAD_BYTES // 1024 // 1024}
            )
        if not upload.name.lower().endswith(UPLOAD_SUFFIXES):
            raise ValidationError(_("Upload a .csv or .xlsx file."))
        return upload
