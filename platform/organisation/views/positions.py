"""Positions (jabatan): list, create, edit, deactivate, delete when unused."""

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import FormView, TemplateView

from core.forms import errors_onto_form
from organisation.forms import PositionForm
from organisation.models import Position
from organisation.selectors import position_list
from organisation.services import (
    position_create,
    position_delete,
    position_set_active,
    position_update,
)
from organisation.views.common import OrganisationAdminMixin, actor_of


class PositionListView(OrganisationAdminMixin, TemplateView):
    template_name = "organisation/position_list.html"
    section = "positions"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return {**super().get_context_data(**kwargs), "positions": position_list()}


class PositionCreateView(OrganisationAdminMixin, FormView[PositionForm]):
    template_name = "organisation/position_form.html"
    form_class = PositionForm
    section = "positions"

    def form_valid(self, form: PositionForm) -> HttpResponse:
        try:
            position = position_create(
                actor=actor_of(self.request), request=self.request, **form.cleaned_data
            )
        except ValidationError as exc:
            errors_onto_form(form, exc)
            return self.form_invalid(form)
        messages.success(self.request, _("Position %(name)s created.") % {"name": position.name})
        return redirect("organisation_positions")


class PositionEditView(OrganisationAdminMixin, FormView[PositionForm]):
    template_name = "organisation/position_form.html"
    form_class = PositionForm
    section = "positions"

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> Any:
        self.position = get_object_or_404(position_list(), pk=kwargs["pk"])
        return super().dispatch(request, *args, **kwargs)

    def get_initial(self) -> dict[str, Any]:
        return {"code": self.position.code, "name": self.position.name, "kind": self.position.kind}

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return {**super().get_context_data(**kwargs), "position": self.position}

    def form_valid(self, form: PositionForm) -> HttpResponse:
        try:
            position = position_update(
                position=self.position,
                actor=actor_of(self.request),
                request=self.request,
                **form.cleaned_data,
            )
        except ValidationError as exc:
            self.position.refresh_from_db()
            errors_onto_form(form, exc)
            return self.form_invalid(form)
        messages.success(self.request, _("Position %(name)s saved.") % {"name": position.name})
        return redirect("organisation_positions")


class PositionSetActiveView(OrganisationAdminMixin, View):
    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        position = get_object_or_404(Position, pk=pk)
        active = request.POST.get("active") == "1"
        position_set_active(
            position=position, active=active, actor=actor_of(request), request=request
        )
        if active:
            messages.success(request, _("%(name)s is active again.") % {"name": position.name})
        else:
            messages.success(
                request,
                _("%(name)s is deactivated. Staff who hold it keep it.") % {"name": position.name},
            )
        return redirect("organisation_position_edit", pk=position.pk)


class PositionDeleteView(OrganisationAdminMixin, View):
    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        position = get_object_or_404(Position, pk=pk)
        name = position.name
        try:
            position_delete(position=position, actor=actor_of(request), request=request)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
            return redirect("organisation_position_edit", pk=pk)
        messages.success(request, _("Position %(name)s deleted.") % {"name": name})
        return redirect("organisation_positions")
