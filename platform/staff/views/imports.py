"""Staff-list import screens, for regency admins: upload a list, read its dry run
(every row's problems), import it, watch a big one's progress.

Imports are looked up in the request's schema only: another regency's import ids
do not exist here and answer 404."""

from typing import Any

from django import forms
from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _
from django.views import View

from accounts.models import User
from accounts.views import RegencyAdminRequiredMixin
from core.audit import audit_record
from core.tabular import MAX_UPLOAD_BYTES, TableError, table_export
from staff.import_checks import TEMPLATE_COLUMNS, column_label
from staff.imports import (
    PROBLEM_EXPORT_COLUMNS,
    RUNNING,
    STAFF_IMPORT_ASYNC_ROWS,
    ImportRefused,
    staff_import_commit_start,
    staff_import_problem_rows,
    staff_import_progress,
    staff_import_start,
)
from staff.models import StaffImport
from staff.services import Actor

PROBLEMS_SHOWN = 500
IMPORTS_LISTED = 50
EXPORT_FORMATS = ("csv", "xlsx")


class StaffImportUploadForm(forms.Form):
    file = forms.FileField(
        label=gettext_lazy("Staff list (CSV or XLSX)"),
        widget=forms.ClearableFileInput(
            attrs={"class": "form-control", "accept": ".csv,.xlsx,text/csv"}
        ),
    )
    send_invitations = forms.BooleanField(
        label=gettext_lazy("Email each new person an invitation to set their password"),
        required=False,
        initial=True,
        widget=forms.CheckboxInput(attrs={"class": "form-check-input"}),
    )

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        if upload.size > MAX_UPLOAD_BYTES:
            raise forms.ValidationError(
                _("The file is larger than %(size)d MB.")
                % {"size": MAX_UPLOAD_BYTES // 1024 // 1024}
            )
        return upload


def _actor(request: HttpRequest) -> Actor:
    user = request.user
    assert isinstance(user, User)  # RegencyAdminRequiredMixin signed them in
    return Actor(email=user.email, name=user.get_full_name())


def _import_or_404(pk: int) -> StaffImport:
    return get_object_or_404(StaffImport, pk=pk)


def _format_or_404(file_format: str) -> str:
    if file_format not in EXPORT_FORMATS:
        raise Http404
    return file_format


class StaffImportListView(RegencyAdminRequiredMixin, View):
    """Past imports, and the form to upload a new list."""

    template_name = "staff/import_list.html"

    def get(self, request: HttpRequest) -> HttpResponse:
        return self._page(request, StaffImportUploadForm())

    def post(self, request: HttpRequest) -> HttpResponse:
        form = StaffImportUploadForm(request.POST, request.FILES)
        if form.is_valid():
            try:
                staff_import = staff_import_start(
                    upload=form.cleaned_data["file"],
                    send_invitations=form.cleaned_data["send_invitations"],
                    actor=_actor(request),
                    language=get_language() or "id",
                    host=request.get_host(),
                )
            except TableError as exc:
                form.add_error("file", str(exc))
            else:
                return redirect("staff_import_detail", pk=staff_import.pk)
        return self._page(request, form, status=400)

    def _page(self, request: HttpRequest, form: StaffImportUploadForm, status: int = 200) -> Any:
        imports = StaffImport.objects.order_by("-created_at")[:IMPORTS_LISTED]
        context = {
            "form": form,
            "imports": imports,
            "columns": [(column, column_label(column)) for column in TEMPLATE_COLUMNS],
            "async_rows": STAFF_IMPORT_ASYNC_ROWS,
        }
        return render(request, self.template_name, context, status=status)


class StaffImportDetailView(RegencyAdminRequiredMixin, View):
    """The dry run's result (or the import's), with the Import button when the
    list has no problems."""

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        staff_import = _import_or_404(pk)
        problems = staff_import.problems
        problem_rows = {problem["row"] for problem in problems}
        previous = (
            StaffImport.objects.filter(sha256=staff_import.sha256, status=StaffImport.Status.DONE)
            .exclude(pk=staff_import.pk)
            .order_by("-finished_at")
            .first()
        )
        if staff_import.preview:
            # The preview shows NIPs and contact details of the people listed.
            audit_record(
                action="personal_data.viewed",
                actor_email=request.user.email,  # type: ignore[union-attr]
                actor_name=request.user.get_full_name(),  # type: ignore[union-attr]
                target=f"staff_import:{staff_import.pk}",
                detail={"view": "staff_import_preview", "rows": len(staff_import.preview)},
                request=request,
            )
        context = {
            "staff_import": staff_import,
            "running": staff_import.status in RUNNING,
            "processed": staff_import_progress(staff_import),
            "problems": [
                {**problem, "label": column_label(problem["column"]) if problem["column"] else ""}
                for problem in problems[:PROBLEMS_SHOWN]
            ],
            "problems_hidden": max(0, len(problems) - PROBLEMS_SHOWN),
            "problem_row_count": len(problem_rows),
            "columns": [column_label(column) for column in TEMPLATE_COLUMNS],
            "can_commit": (
                staff_import.status == StaffImport.Status.CHECKED
                and not problems
                and staff_import.to_create_count > 0
            ),
            "previous": previous,
        }
        return render(request, "staff/import_detail.html", context)


class StaffImportProgressView(RegencyAdminRequiredMixin, View):
    """The progress bar htmx polls every second while the import is checked or
    written. Once it has finished, the page reloads (HX-Refresh) to show the result."""

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        staff_import = _import_or_404(pk)
        running = staff_import.status in RUNNING
        response = render(
            request,
            "staff/import_progress.html",
            {
                "staff_import": staff_import,
                "running": running,
                "processed": staff_import_progress(staff_import),
            },
        )
        if request.headers.get("HX-Request") and not running:
            response["HX-Refresh"] = "true"
        return response


class StaffImportCommitView(RegencyAdminRequiredMixin, View):
    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        staff_import = _import_or_404(pk)
        try:
            staff_import = staff_import_commit_start(
                staff_import=staff_import, actor=_actor(request)
            )
        except ImportRefused as exc:
            messages.error(request, str(exc))
        else:
            if staff_import.status == StaffImport.Status.DONE:
                messages.success(
                    request,
                    _("%(created)d people imported; %(unchanged)d were already here.")
                    % {
                        "created": staff_import.created_count,
                        "unchanged": staff_import.unchanged_count,
                    },
                )
            elif staff_import.status == StaffImport.Status.IMPORTING:
                messages.info(request, _("The import has started; this page shows its progress."))
        return redirect("staff_import_detail", pk=staff_import.pk)


class StaffImportTemplateView(RegencyAdminRequiredMixin, View):
    """An empty staff list with the expected columns."""

    def get(self, request: HttpRequest, file_format: str) -> HttpResponse:
        return table_export(
            rows=[],
            columns=TEMPLATE_COLUMNS,
            file_format=_format_or_404(file_format),
            filename="staff-list-template",
        )


class StaffImportProblemsView(RegencyAdminRequiredMixin, View):
    """The rows with problems, as in the file plus a column naming the problems:
    fix them in the spreadsheet and upload it again (the extra columns are
    ignored). Cells are exported as text a spreadsheet will not run (table_export)."""

    def get(self, request: HttpRequest, pk: int, file_format: str) -> HttpResponse:
        staff_import = _import_or_404(pk)
        file_format = _format_or_404(file_format)
        rows = staff_import_problem_rows(staff_import)
        audit_record(
            action="export.staff_import_problems",
            actor_email=request.user.email,  # type: ignore[union-attr]
            actor_name=request.user.get_full_name(),  # type: ignore[union-attr]
            target=f"staff_import:{staff_import.pk}",
            detail={"format": file_format, "rows": len(rows)},
            request=request,
        )
        return table_export(
            rows=rows,
            columns=PROBLEM_EXPORT_COLUMNS,
            file_format=file_format,
            filename=f"staff-import-{staff_import.pk}-problems",
        )
