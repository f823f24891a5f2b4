"""The regency admin's people screens: the staff list (search, filters, export),
one person (full NIP, audited), create and edit, invitations, offboarding."""

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import TemplateView

from accounts.models import User
from accounts.views import RegencyAdminRequiredMixin
from core.audit import audit_record
from core.tabular import table_export
from staff.forms import StaffExportForm, StaffFilterForm, StaffForm
from staff.models import StaffProfile
from staff.selectors import (
    appointment_date,
    invitation_latest,
    nip_facts,
    nip_grouped,
    person_rows,
    person_status,
    person_status_label,
    profile_of,
    staff_active_count,
    staff_export_columns,
    staff_export_rows,
    staff_person,
    staff_search,
)
from staff.services import (
    Actor,
    staff_create,
    staff_deactivate,
    staff_invitation_revoke,
    staff_invite,
    staff_reactivate,
    staff_update,
)

PAGE_SIZE = 25


def actor_of(request: HttpRequest) -> Actor:
    user = request.user
    assert isinstance(user, User)  # RegencyAdminRequiredMixin signed them in
    return Actor(email=user.email, name=user.full_name)


def person_or_404(pk: int) -> User:
    """A person of this regency (the current schema); a pk from another regency's
    schema is simply not found here."""
    person = staff_person(pk)
    if person is None:
        raise Http404(_("There is no such person in this regency."))
    return person


def invitation_host(request: HttpRequest) -> str:
    return request.get_host()


class StaffListView(RegencyAdminRequiredMixin, TemplateView):
    template_name = "staff/people_list.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        form = StaffFilterForm(self.request.GET or None)
        people = staff_search(**form.filters())
        page = Paginator(people, PAGE_SIZE).get_page(self.request.GET.get("page"))
        query = self.request.GET.copy()
        query.pop("page", None)
        return {
            **super().get_context_data(**kwargs),
            "form": form,
            "export_form": StaffExportForm(),
            "page": page,
            "rows": person_rows(page.object_list),
            "total": page.paginator.count,
            "seats": staff_active_count(),
            "query": query.urlencode(),
            "filter_items": [(k, v) for k, v in query.items() if k in form.fields],
        }


class StaffExportView(RegencyAdminRequiredMixin, View):
    """The filtered list as CSV or XLSX. NIPs are masked unless the admin asks for
    them, which is recorded as a view of personal data; every export is audited."""

    def get(self, request: HttpRequest) -> HttpResponse:
        filters = StaffFilterForm(request.GET or None).filters()
        options = StaffExportForm(request.GET or None)
        file_format, include_nip = "csv", False
        if options.is_valid():
            file_format = options.cleaned_data["file_format"]
            include_nip = bool(options.cleaned_data["include_nip"])
        people = staff_search(**filters)
        count = people.count()
        actor = actor_of(request)
        audit_record(
            action="export",
            actor_email=actor.email,
            actor_name=actor.name,
            target="staff",
            detail={"format": file_format, "rows": count, "include_nip": include_nip},
            request=request,
        )
        if include_nip:
            audit_record(
                action="personal_data.viewed",
                actor_email=actor.email,
                actor_name=actor.name,
                target="staff",
                detail={"fields": ["nip"], "rows": count, "via": "export"},
                request=request,
            )
        stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
        return table_export(
            rows=staff_export_rows(people, include_nip=include_nip),
            columns=staff_export_columns(include_nip=include_nip),
            file_format=file_format,
            filename=f"staff-{stamp}",
        )


def detail_context(request: HttpRequest, person: User) -> dict[str, Any]:
    profile = profile_of(person)
    facts = nip_facts(profile.nip) if profile else None
    invitation = invitation_latest(person)
    status = person_status(person)
    return {
        "person": person,
        "profile": profile,
        "nip": nip_grouped(profile.nip) if profile else "",
        "facts": facts,
        "appointed": appointment_date(facts) if facts else None,
        "invitation": invitation,
        "status": status,
        "status_label": person_status_label(status),
        "is_self": person.pk == request.user.pk,
        "roles": list(
            person.role_assignments.select_related("work_unit", "kecamatan").order_by(
                "module", "role"
            )
        ),
    }


class StaffDetailView(RegencyAdminRequiredMixin, TemplateView):
    template_name = "staff/people_detail.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        person = person_or_404(self.kwargs["pk"])
        context = detail_context(self.request, person)
        if context["profile"] is not None and context["profile"].nip:
            actor = actor_of(self.request)
            audit_record(
                action="personal_data.viewed",
                actor_email=actor.email,
                actor_name=actor.name,
                target=person.email,
                detail={"fields": ["nip"]},
                request=self.request,
            )
        return {**super().get_context_data(**kwargs), **context}


class StaffCreateView(RegencyAdminRequiredMixin, View):
    template_name = "staff/people_form.html"

    def get(self, request: HttpRequest) -> HttpResponse:
        return render(request, self.template_name, {"form": StaffForm(), "creating": True})

    def post(self, request: HttpRequest) -> HttpResponse:
        form = StaffForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            actor = actor_of(request)
            try:
                person = staff_create(
                    email=data["email"],
                    full_name=data["full_name"],
                    actor=actor,
                    nip=data["nip"],
                    position=data["position"],
                    work_unit=data["work_unit"],
                    kecamatan=data["kecamatan"],
                    phone=data["phone"],
                )
            except ValidationError as error:
                form.add_service_errors(error)
            else:
                if data["send_invitation"]:
                    staff_invite(user=person, host=invitation_host(request), actor=actor)
                    messages.success(
                        request,
                        _("%(name)s was added and an invitation is on its way to %(email)s.")
                        % {"name": person.full_name, "email": person.email},
                    )
                else:
                    messages.success(
                        request,
                        _("%(name)s was added. Send the invitation when you are ready.")
                        % {"name": person.full_name},
                    )
                return redirect("staff_detail", pk=person.pk)
        return render(request, self.template_name, {"form": form, "creating": True}, status=400)


class StaffUpdateView(RegencyAdminRequiredMixin, View):
    template_name = "staff/people_form.html"

    def _initial(self, person: User) -> dict[str, Any]:
        profile = profile_of(person) or StaffProfile(user=person)
        return {
            "full_name": person.full_name,
            "email": person.email,
            "nip": nip_grouped(profile.nip),
            "position": profile.position_id,
            "work_unit": profile.work_unit_id,
            "kecamatan": profile.kecamatan_id,
            "phone": profile.phone,
        }

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        person = person_or_404(pk)
        form = StaffForm(initial=self._initial(person), creating=False)
        return render(
            request, self.template_name, {"form": form, "creating": False, "person": person}
        )

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        person = person_or_404(pk)
        form = StaffForm(request.POST, creating=False)
        if form.is_valid():
            data = form.cleaned_data
            try:
                staff_update(
                    user=person,
                    actor=actor_of(request),
                    email=data["email"],
                    full_name=data["full_name"],
                    nip=data["nip"],
                    position=data["position"],
                    work_unit=data["work_unit"],
                    kecamatan=data["kecamatan"],
                    phone=data["phone"],
                )
            except ValidationError as error:
                form.add_service_errors(error)
            else:
                messages.success(
                    request, _("The details of %(name)s were saved.") % {"name": person}
                )
                return redirect("staff_detail", pk=person.pk)
        return render(
            request,
            self.template_name,
            {"form": form, "creating": False, "person": person},
            status=400,
        )


class _PersonActionView(RegencyAdminRequiredMixin, View):
    """A POST button on the person page: run the action, say how it went, go back."""

    def act(self, request: HttpRequest, person: User) -> str:
        raise NotImplementedError

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        person = person_or_404(pk)
        try:
            message = self.act(request, person)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, message)
        return redirect("staff_detail", pk=person.pk)


class StaffInviteView(_PersonActionView):
    def act(self, request: HttpRequest, person: User) -> str:
        staff_invite(user=person, host=invitation_host(request), actor=actor_of(request))
        return _("An invitation is on its way to %(email)s.") % {"email": person.email}


class StaffInvitationRevokeView(_PersonActionView):
    def act(self, request: HttpRequest, person: User) -> str:
        staff_invitation_revoke(user=person, actor=actor_of(request))
        return _("The invitation of %(name)s was revoked: its link no longer works.") % {
            "name": person
        }


class StaffDeactivateView(_PersonActionView):
    def act(self, request: HttpRequest, person: User) -> str:
        staff_deactivate(user=person, actor=actor_of(request))
        return _("%(name)s was deactivated and signed out everywhere.") % {"name": person}


class StaffReactivateView(_PersonActionView):
    def act(self, request: HttpRequest, person: User) -> str:
        staff_reactivate(user=person, actor=actor_of(request))
        return _("%(name)s can sign in again.") % {"name": person}
