"""The tree of work units: list, create, edit, deactivate, delete."""

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import FormView, TemplateView

from core.forms import errors_onto_form
from organisation.forms import WorkUnitForm
from organisation.models import WorkUnit
from organisation.selectors import work_unit_staff_count, work_unit_tree
from organisation.services import (
    work_unit_create,
    work_unit_delete,
    work_unit_delete_problem,
    work_unit_set_active,
    work_unit_update,
)
from organisation.views.common import OrganisationAdminMixin, actor_of


class WorkUnitListView(OrganisationAdminMixin, TemplateView):
    template_name = "organisation/work_unit_list.html"
    section = "work_units"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        tree = work_unit_tree()
        return {
            **super().get_context_data(**kwargs),
            "tree": tree,
            "unit_count": sum(1 + node.units_below for node in tree),
        }


class WorkUnitCreateView(OrganisationAdminMixin, FormView[WorkUnitForm]):
    template_name = "organisation/work_unit_form.html"
    form_class = WorkUnitForm
    section = "work_units"

    def get_initial(self) -> dict[str, Any]:
        # "Add a sub-unit" on the tree passes the parent.
        parent = self.request.GET.get("parent", "")
        return {"parent": parent} if parent.isdigit() else {}

    def form_valid(self, form: WorkUnitForm) -> HttpResponse:
        try:
            unit = work_unit_create(
                actor=actor_of(self.request), request=self.request, **form.cleaned_data
            )
        except ValidationError as exc:
            errors_onto_form(form, exc)
            return self.form_invalid(form)
        messages.success(self.request, _("Work unit %(name)s created.") % {"name": unit.name})
        return redirect(f"{reverse('organisation_work_units')}#unit-{unit.pk}")


class WorkUnitEditView(OrganisationAdminMixin, FormView[WorkUnitForm]):
    template_name = "organisation/work_unit_form.html"
    form_class = WorkUnitForm
    section = "work_units"

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> Any:
        self.unit = get_object_or_404(
            WorkUnit.objects.select_related("parent", "kecamatan"), pk=kwargs["pk"]
        )
        return super().dispatch(request, *args, **kwargs)

    def get_initial(self) -> dict[str, Any]:
        unit = self.unit
        return {
            "code": unit.code,
            "name": unit.name,
            "kind": unit.kind,
            "parent": unit.parent_id,
            "kecamatan": unit.kecamatan_id,
        }

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return {
            **super().get_context_data(**kwargs),
            "unit": self.unit,
            "staff_count": work_unit_staff_count(self.unit),
            "children": self.unit.children.order_by("code"),
            "delete_problem": work_unit_delete_problem(self.unit),
        }

    def form_valid(self, form: WorkUnitForm) -> HttpResponse:
        try:
            unit = work_unit_update(
                unit=self.unit,
                actor=actor_of(self.request),
                request=self.request,
                **form.cleaned_data,
            )
        except ValidationError as exc:
            self.unit.refresh_from_db()
            errors_onto_form(form, exc)
            return self.form_invalid(form)
        messages.success(self.request, _("Work unit %(name)s saved.") % {"name": unit.name})
        return redirect(f"{reverse('organisation_work_units')}#unit-{unit.pk}")


class WorkUnitSetActiveView(OrganisationAdminMixin, View):
    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        unit = get_object_or_404(WorkUnit, pk=pk)
        active = request.POST.get("active") == "1"
        work_unit_set_active(unit=unit, active=active, actor=actor_of(request), request=request)
        if active:
            messages.success(request, _("%(name)s is active again.") % {"name": unit.name})
        else:
            messages.success(
                request,
                _("%(name)s is deactivated. Its staff and its history are kept.")
                % {"name": unit.name},
            )
        return redirect("organisation_work_unit_edit", pk=unit.pk)


class WorkUnitDeleteView(OrganisationAdminMixin, View):
    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        unit = get_object_or_404(WorkUnit, pk=pk)
        name = unit.name
        try:
            work_unit_delete(unit=unit, actor=actor_of(request), request=request)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
            return redirect("organisation_work_unit_edit", pk=pk)
        messages.success(request, _("Work unit %(name)s deleted.") % {"name": name})
        return redirect("organisation_work_units")
