"""The roles screens, for regency admins: who holds which role over which scope,
and one person's roles with a form to give another and buttons to take one away."""

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import TemplateView

from accounts.models import User
from accounts.views import RegencyAdminRequiredMixin
from core.modules import module_by_code, role_lookup
from staff.forms_roles import RoleAssignForm, RoleFilterForm
from staff.models import RoleAssignment
from staff.selectors_roles import person_assignments, regency_admins, role_overview
from staff.services import Actor
from staff.services_roles import (
    regency_admin_grant,
    regency_admin_revoke,
    role_assign,
    role_revoke,
)


def _actor(request: HttpRequest) -> Actor:
    user = request.user
    assert isinstance(user, User)  # RegencyAdminRequiredMixin signed them in
    return Actor(email=user.email, name=user.get_full_name())


def _person(user_pk: int) -> User:
    """A person of this regency (Sragen's support users are not the regency's to
    manage). The lookup runs in the request's schema: another regency's user ids
    are simply not found."""
    return get_object_or_404(User, pk=user_pk, is_support_agent=False)


class RoleOverviewView(RegencyAdminRequiredMixin, TemplateView):
    template_name = "staff/role_overview.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        form = RoleFilterForm(self.request.GET or None)
        filters = form.filters()
        groups = role_overview(**filters)
        by_place = filters.get("work_unit") is not None or filters.get("kecamatan") is not None
        if by_place:
            # Filtering by a place asks who works there: roles nobody holds there are noise.
            groups = [group for group in groups if group.holder_count]
        return {
            **super().get_context_data(**kwargs),
            "form": form,
            "groups": groups,
            "filtered": bool(self.request.GET),
        }


class PersonRolesView(RegencyAdminRequiredMixin, View):
    template_name = "staff/role_person.html"

    def get(self, request: HttpRequest, user_pk: int) -> HttpResponse:
        return self._page(request, _person(user_pk), RoleAssignForm())

    def post(self, request: HttpRequest, user_pk: int) -> HttpResponse:
        person = _person(user_pk)
        form = RoleAssignForm(request.POST)
        if form.is_valid():
            module, role = form.module_and_role()
            try:
                role_assign(
                    user=person,
                    module=module,
                    role=role,
                    scope=form.cleaned_data["scope"],
                    work_unit=form.cleaned_data.get("work_unit"),
                    kecamatan=form.cleaned_data.get("kecamatan"),
                    actor=_actor(request),
                )
            except ValidationError as exc:
                form.add_error(None, exc)
            else:
                declared = role_lookup(module, role)
                messages.success(
                    request,
                    _("%(person)s is now %(role)s.")
                    % {"person": person, "role": declared.label if declared else role},
                )
                return redirect("role_person", user_pk=person.pk)
        return self._page(request, person, form, status=400)

    def _page(
        self, request: HttpRequest, person: User, form: RoleAssignForm, status: int = 200
    ) -> HttpResponse:
        assignments = []
        for assignment in person_assignments(person):
            declared = role_lookup(assignment.module, assignment.role)
            module = module_by_code(assignment.module)
            assignments.append(
                {
                    "assignment": assignment,
                    "module_label": module.label_text if module else assignment.module,
                    "role_label": declared.label if declared else assignment.role,
                    "requires_mfa": bool(declared and declared.requires_mfa),
                }
            )
        admins = regency_admins()
        context = {
            "person": person,
            "profile": getattr(person, "staff_profile", None),
            "assignments": assignments,
            "form": form,
            "is_self": person.pk == request.user.pk,
            "last_admin": person.is_regency_admin
            and not admins.filter(is_active=True).exclude(pk=person.pk).exists(),
        }
        return render(request, self.template_name, context, status=status)


class RoleRevokeView(RegencyAdminRequiredMixin, View):
    def post(self, request: HttpRequest, user_pk: int, assignment_pk: int) -> HttpResponse:
        person = _person(user_pk)
        assignment = get_object_or_404(RoleAssignment, pk=assignment_pk, user=person)
        role_revoke(assignment=assignment, actor=_actor(request))
        declared = role_lookup(assignment.module, assignment.role)
        messages.success(
            request,
            _("%(person)s no longer holds %(role)s.")
            % {"person": person, "role": declared.label if declared else assignment.role},
        )
        return redirect("role_person", user_pk=person.pk)


class RegencyAdminGrantView(RegencyAdminRequiredMixin, View):
    def post(self, request: HttpRequest, user_pk: int) -> HttpResponse:
        person = _person(user_pk)
        try:
            regency_admin_grant(user=person, actor=_actor(request))
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(
                request,
                _("%(person)s is now a regency admin, and must turn on two-factor sign-in.")
                % {"person": person},
            )
        return redirect("role_person", user_pk=person.pk)


class RegencyAdminRevokeView(RegencyAdminRequiredMixin, View):
    def post(self, request: HttpRequest, user_pk: int) -> HttpResponse:
        person = _person(user_pk)
        try:
            regency_admin_revoke(user=person, actor=_actor(request))
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(
                request, _("%(person)s is no longer a regency admin.") % {"person": person}
            )
        return redirect("role_person", user_pk=person.pk)
