"""Spreadsheets in and out: upload, dry run, commit (or cancel); export; an
empty template. The uploaded file waits in the regency's storage between the
dry run and the commit; the session only remembers which file is whose, so a
token is useless to anyone but the admin who uploaded it."""

import uuid
from functools import cached_property
from typing import Any

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import FormView

from core.tabular import TableError, table_export
from organisation.forms import ImportUploadForm
from organisation.services.common import organisation_audit
from organisation.tables import (
    ImportPlan,
    ImportRefused,
    TableKind,
    import_file_discard,
    import_file_read,
    import_file_save,
    organisation_import_check,
    organisation_import_commit,
    table_kind,
)
from organisation.views.common import OrganisationAdminMixin, actor_of, region_code_of

SESSION_KEY = "organisation_imports"
EXPORT_FORMATS = ("csv", "xlsx")
ROWS_SHOWN = 500


def kind_or_404(slug: str) -> TableKind:
    kind = table_kind(slug)
    if kind is None:
        raise Http404(_("There is no such table."))
    return kind


def _pending(request: HttpRequest) -> dict[str, dict[str, str]]:
    pending: dict[str, dict[str, str]] = request.session.get(SESSION_KEY, {})
    return pending


def _pending_get(request: HttpRequest, kind: TableKind, token: str) -> dict[str, str]:
    entry = _pending(request).get(token)
    if entry is None or entry["kind"] != kind.slug:
        raise Http404(_("This upload is no longer waiting: upload the file again."))
    return entry


def _pending_forget(request: HttpRequest, token: str) -> None:
    pending = _pending(request)
    entry = pending.pop(token, None)
    if entry is not None:
        import_file_discard(entry["name"])
    request.session[SESSION_KEY] = pending


class _KindMixin(OrganisationAdminMixin):
    kwargs: dict[str, Any]

    # Looked up in the handler, after the admin check: a stranger learns nothing
    # from which tables exist.
    @cached_property
    def kind(self) -> TableKind:
        return kind_or_404(self.kwargs["kind"])

    def get_section(self) -> str:
        return self.kind.key


class ImportUploadView(_KindMixin, FormView[ImportUploadForm]):
    template_name = "organisation/import_upload.html"
    form_class = ImportUploadForm

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return {**super().get_context_data(**kwargs), "kind": self.kind}

    def form_valid(self, form: ImportUploadForm) -> HttpResponse:
        upload = form.cleaned_data["file"]
        data = upload.read()
        try:
            # Read once now so an unreadable file is refused on this page.
            organisation_import_check(
                kind=self.kind,
                data=data,
                filename=upload.name,
                region_code=region_code_of(self.request),
            )
        except TableError as exc:
            form.add_error("file", str(exc))
            return self.form_invalid(form)
        # One waiting upload per table: a new one replaces (and removes) the last.
        for token, entry in list(_pending(self.request).items()):
            if entry["kind"] == self.kind.slug:
                _pending_forget(self.request, token)
        token = uuid.uuid4().hex
        pending = _pending(self.request)
        pending[token] = {
            "kind": self.kind.slug,
            "name": import_file_save(data=data),
            "filename": upload.name,
        }
        self.request.session[SESSION_KEY] = pending
        return redirect("organisation_import_review", kind=self.kind.slug, token=token)


class ImportReviewView(_KindMixin, View):
    """GET: the dry run of the waiting file. POST: commit it."""

    def _render(
        self,
        request: HttpRequest,
        token: str,
        entry: dict[str, str],
        plan: ImportPlan,
        status: int = 200,
    ) -> HttpResponse:
        return render(
            request,
            "organisation/import_review.html",
            {
                "section": self.get_section(),
                "kind": self.kind,
                "token": token,
                "filename": entry["filename"],
                "plan": plan,
                "rows_shown": plan.rows[:ROWS_SHOWN],
                "rows_hidden": max(0, len(plan.rows) - ROWS_SHOWN),
            },
            status=status,
        )

    def _data(self, request: HttpRequest, token: str, entry: dict[str, str]) -> bytes:
        data = import_file_read(entry["name"])
        if data is None:
            _pending_forget(request, token)
            raise Http404(_("This upload is no longer waiting: upload the file again."))
        return data

    def get(self, request: HttpRequest, kind: str, token: str) -> HttpResponse:
        entry = _pending_get(request, self.kind, token)
        data = self._data(request, token, entry)
        try:
            plan = organisation_import_check(
                kind=self.kind,
                data=data,
                filename=entry["filename"],
                region_code=region_code_of(request),
            )
        except TableError as exc:
            _pending_forget(request, token)
            messages.error(request, str(exc))
            return redirect("organisation_import", kind=self.kind.slug)
        return self._render(request, token, entry, plan)

    def post(self, request: HttpRequest, kind: str, token: str) -> HttpResponse:
        entry = _pending_get(request, self.kind, token)
        data = self._data(request, token, entry)
        try:
            plan = organisation_import_commit(
                kind=self.kind,
                data=data,
                filename=entry["filename"],
                region_code=region_code_of(request),
                actor=actor_of(request),
                request=request,
            )
        except TableError as exc:
            _pending_forget(request, token)
            messages.error(request, str(exc))
            return redirect("organisation_import", kind=self.kind.slug)
        except ImportRefused as refused:
            messages.error(
                request,
                _(
                    "Nothing was imported: the file has problems now. Correct them and upload "
                    "it again."
                ),
            )
            return self._render(request, token, entry, refused.plan, status=409)
        _pending_forget(request, token)
        counts = plan.counts
        messages.success(
            request,
            _("Imported %(filename)s: %(new)d new, %(updated)d updated, %(unchanged)d unchanged.")
            % {"filename": entry["filename"], **counts},
        )
        return redirect(self.kind.list_url)


class ImportCancelView(_KindMixin, View):
    def post(self, request: HttpRequest, kind: str, token: str) -> HttpResponse:
        _pending_forget(request, token)
        messages.info(request, _("The upload was discarded; nothing was imported."))
        return redirect(self.kind.list_url)


class ExportView(_KindMixin, View):
    def get(self, request: HttpRequest, kind: str, file_format: str) -> HttpResponse:
        if file_format not in EXPORT_FORMATS:
            raise Http404(_("Export as CSV or XLSX."))
        rows = self.kind.export_rows()
        organisation_audit(
            action="export",
            actor=actor_of(request),
            target=f"organisation.{self.kind.key}",
            detail={"kind": self.kind.key, "format": file_format, "rows": len(rows)},
            request=request,
        )
        slug = request.tenant.slug  # type: ignore[attr-defined]
        stamp = timezone.localdate().isoformat()
        return table_export(
            rows=rows,
            columns=self.kind.columns,
            file_format=file_format,
            filename=f"{slug}-{self.kind.key}-{stamp}",
        )


class ImportTemplateView(_KindMixin, View):
    """An empty CSV with the import's columns."""

    def get(self, request: HttpRequest, kind: str) -> HttpResponse:
        return table_export(
            rows=[],
            columns=self.kind.columns,
            file_format="csv",
            filename=f"{self.kind.key}-template",
        )
