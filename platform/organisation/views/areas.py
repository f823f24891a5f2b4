"""Kecamatan and desa/kelurahan: the national list as loaded at provisioning,
with the regency's own changes (names, new desa)."""

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _
from django.views.generic import FormView, TemplateView

from core.forms import errors_onto_form
from organisation.forms import AreaNameForm, DesaCreateForm
from organisation.models import Desa, Kecamatan
from organisation.selectors import kecamatan_desa, kecamatan_list
from organisation.services import desa_create, desa_rename, kecamatan_rename
from organisation.views.common import OrganisationAdminMixin, actor_of


class KecamatanListView(OrganisationAdminMixin, TemplateView):
    template_name = "organisation/kecamatan_list.html"
    section = "areas"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return {**super().get_context_data(**kwargs), "kecamatan_list": kecamatan_list()}


class KecamatanDetailView(OrganisationAdminMixin, FormView[DesaCreateForm]):
    """A kecamatan's desa/kelurahan, and the form to add one."""

    template_name = "organisation/kecamatan_detail.html"
    form_class = DesaCreateForm
    section = "areas"

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> Any:
        self.kecamatan = get_object_or_404(Kecamatan, pk=kwargs["pk"])
        return super().dispatch(request, *args, **kwargs)

    def get_initial(self) -> dict[str, Any]:
        return {"code": f"{self.kecamatan.code}."}

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return {
            **super().get_context_data(**kwargs),
            "kecamatan": self.kecamatan,
            "desa_list": kecamatan_desa(self.kecamatan),
            "offices": self.kecamatan.work_units.order_by("code"),
        }

    def form_valid(self, form: DesaCreateForm) -> HttpResponse:
        try:
            desa = desa_create(
                kecamatan=self.kecamatan,
                actor=actor_of(self.request),
                request=self.request,
                **form.cleaned_data,
            )
        except ValidationError as exc:
            errors_onto_form(form, exc)
            return self.form_invalid(form)
        messages.success(
            self.request,
            _("%(kind)s %(name)s added.") % {"kind": desa.get_kind_display(), "name": desa.name},
        )
        return redirect("organisation_kecamatan", pk=self.kecamatan.pk)


class KecamatanEditView(OrganisationAdminMixin, FormView[AreaNameForm]):
    template_name = "organisation/area_form.html"
    form_class = AreaNameForm
    section = "areas"

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> Any:
        self.kecamatan = get_object_or_404(Kecamatan, pk=kwargs["pk"])
        return super().dispatch(request, *args, **kwargs)

    def get_initial(self) -> dict[str, Any]:
        return {"name": self.kecamatan.name}

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return {
            **super().get_context_data(**kwargs),
            "area": self.kecamatan,
            "kind_label": _("Kecamatan"),
            "kecamatan": self.kecamatan,
        }

    def form_valid(self, form: AreaNameForm) -> HttpResponse:
        try:
            kecamatan_rename(
                kecamatan=self.kecamatan,
                name=form.cleaned_data["name"],
                actor=actor_of(self.request),
                request=self.request,
            )
        except ValidationError as exc:
            errors_onto_form(form, exc)
            return self.form_invalid(form)
        messages.success(self.request, _("Kecamatan renamed."))
        return redirect("organisation_kecamatan", pk=self.kecamatan.pk)


class DesaEditView(OrganisationAdminMixin, FormView[AreaNameForm]):
    template_name = "organisation/area_form.html"
    form_class = AreaNameForm
    section = "areas"

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> Any:
        self.desa = get_object_or_404(Desa.objects.select_related("kecamatan"), pk=kwargs["pk"])
        return super().dispatch(request, *args, **kwargs)

    def get_initial(self) -> dict[str, Any]:
        return {"name": self.desa.name}

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return {
            **super().get_context_data(**kwargs),
            "area": self.desa,
            "kind_label": self.desa.get_kind_display(),
            "kecamatan": self.desa.kecamatan,
        }

    def form_valid(self, form: AreaNameForm) -> HttpResponse:
        try:
            desa_rename(
                desa=self.desa,
                name=form.cleaned_data["name"],
                actor=actor_of(self.request),
                request=self.request,
            )
        except ValidationError as exc:
            errors_onto_form(form, exc)
            return self.form_invalid(form)
        messages.success(
            self.request, _("%(kind)s renamed.") % {"kind": self.desa.get_kind_display()}
        )
        return redirect("organisation_kecamatan", pk=self.desa.kecamatan_id)
