"""The office: inboxes, an application's page (documents, timeline, comments, the
moves the signed-in person may make) and document downloads."""

from typing import Any

from django.contrib import messages
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views import View

from accounts.models import User
from core.audit import audit_record
from modules.permits.forms import CommentForm, InboxFilterForm, MoveForm
from modules.permits.models import Application
from modules.permits.selectors import (
    InboxFilter,
    application_clock,
    application_timeline,
    inbox_page,
    inbox_statuses,
    role_scopes,
)
from modules.permits.services import (
    application_assign,
    application_comment_add,
    assignees_for,
    personal_data_viewed,
    staff_may_act,
    staff_may_see,
)
from modules.permits.views_common import PermitStaffRequiredMixin, staff_user
from modules.permits.workflow import S, TransitionRefused, application_transition, moves_available


class InboxView(PermitStaffRequiredMixin, View):
    def get(self, request: HttpRequest) -> HttpResponse:
        user = staff_user(request)
        form = InboxFilterForm(request.GET or None, statuses=inbox_statuses())
        filters = InboxFilter()
        if form.is_valid():
            data = form.cleaned_data
            filters = InboxFilter(
                service_id=data["service"].pk if data.get("service") else None,
                status=data.get("status") or "",
                overdue=bool(data.get("overdue")),
                mine=bool(data.get("mine")),
                number=data.get("q") or "",
            )
        page_raw = request.GET.get("page", "1")
        scopes = role_scopes(user)
        page = inbox_page(
            user, filters, page=int(page_raw) if page_raw.isdigit() else 1, scopes=scopes
        )
        query = request.GET.copy()
        query.pop("page", None)
        return render(
            request,
            "permits/office_inbox.html",
            {
                "form": form,
                "page": page,
                "roles": list(scopes),
                "query": query.urlencode(),
            },
        )


def _visible_application(request: HttpRequest, pk: int) -> Application:
    """The application if the signed-in person handles it; 404 otherwise (an
    officer of another kecamatan learns nothing, not even that it exists)."""
    application = get_object_or_404(
        Application.objects.select_related(
            "service", "kecamatan", "desa", "handling_unit", "assigned_to", "applicant_user"
        ),
        pk=pk,
    )
    if not staff_may_see(application, staff_user(request)):
        raise Http404
    return application


class ApplicationDetailView(PermitStaffRequiredMixin, View):
    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        user = staff_user(request)
        application = _visible_application(request, pk)
        personal_data_viewed(application=application, viewer=user, request=request)
        return render(request, "permits/office_application.html", detail_context(application, user))


def detail_context(application: Application, user: User) -> dict[str, Any]:
    timeline = application_timeline(application)
    returned_at = next((t.at for t in reversed(timeline) if t.to_status == S.RETURNED), None)
    may_act = staff_may_act(application, user)
    certificate = (
        getattr(application, "certificate", None)
        if application.status
        in (
            S.ISSUED,
            S.COMPLETED,
        )
        else None
    )
    return {
        "application": application,
        "documents": list(application.documents.order_by("uploaded_at", "pk")),
        "timeline": timeline,
        "comments": list(application.comments.order_by("created_at", "pk")),
        "moves": moves_available(application, user),
        "may_act": may_act,
        "assignees": assignees_for(application) if may_act else [],
        "clock": application_clock(application, returned_at=returned_at),
        "comment_form": CommentForm(),
        "certificate": certificate,
        "requirements": {item["code"]: item["label"] for item in application.service.requirements},
        "answers": answers(application),
    }


def answers(application: Application) -> list[tuple[str, Any]]:
    """The service's own answers as (label, value), in the catalogue's order (the
    JSON column does not keep it); answers to fields since removed come last."""
    data = dict(application.form_data or {})
    rows = [
        (spec["label"], data.pop(spec["name"]))
        for spec in application.service.form_fields
        if spec["name"] in data
    ]
    return rows + sorted(data.items())


class ApplicationMoveView(PermitStaffRequiredMixin, View):
    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        application = _visible_application(request, pk)
        form = MoveForm(request.POST)
        if not form.is_valid():
            messages.error(request, _("Choose an action."))
            return redirect("permits:office_application", pk=pk)
        try:
            application_transition(
                application=application,
                to_status=form.cleaned_data["to_status"],
                actor=staff_user(request),
                reason=form.cleaned_data.get("reason") or "",
                request=request,
            )
        except TransitionRefused as refused:
            messages.error(request, refused.message)
            return redirect("permits:office_application", pk=pk)
        messages.success(
            request,
            _("%(number)s is now: %(status)s.")
            % {"number": application.number, "status": application.get_status_display()},
        )
        return redirect("permits:office_application", pk=pk)


class ApplicationAssignView(PermitStaffRequiredMixin, View):
    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        application = _visible_application(request, pk)
        raw = request.POST.get("assignee", "")
        assignee = User.objects.filter(pk=int(raw)).first() if raw.isdigit() else None
        if raw and assignee is None:
            messages.error(request, _("Choose a person."))
            return redirect("permits:office_application", pk=pk)
        try:
            application_assign(
                application=application,
                assignee=assignee,
                actor=staff_user(request),
                request=request,
            )
        except TransitionRefused as refused:
            messages.error(request, refused.message)
        else:
            messages.success(request, _("Assignment saved."))
        return redirect("permits:office_application", pk=pk)


class ApplicationCommentView(PermitStaffRequiredMixin, View):
    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        application = _visible_application(request, pk)
        form = CommentForm(request.POST)
        if form.is_valid():
            application_comment_add(
                application=application,
                author=staff_user(request),
                body=form.cleaned_data["body"],
                request=request,
            )
            messages.success(request, _("Comment added."))
        else:
            messages.error(request, _("Write a comment first."))
        return redirect("permits:office_application", pk=pk)


class DocumentDownloadView(PermitStaffRequiredMixin, View):
    """A document, to the handling staff only; always as a download with its
    checked type, so a browser never renders it as a page of this site."""

    def get(self, request: HttpRequest, pk: int, document_pk: int) -> FileResponse:
        application = _visible_application(request, pk)
        document = get_object_or_404(application.documents, pk=document_pk)
        user = staff_user(request)
        audit_record(
            action="personal_data.viewed",
            actor_email=user.email,
            actor_name=user.full_name,
            target=application.number,
            detail={"module": "permits", "document": document.pk},
            request=request,
        )
        response = FileResponse(
            document.file.open("rb"),
            as_attachment=True,
            filename=document.original_name or f"document-{document.pk}",
            content_type=document.content_type,
        )
        response["X-Content-Type-Options"] = "nosniff"
        response["Cache-Control"] = "private, no-store"
        return response
