"""A regency's audit log, for its admins: filtered, paginated, exported. Times
are shown and filtered in the regency's own time zone."""

import json
from collections.abc import Iterator
from typing import Any
from zoneinfo import ZoneInfo

from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import TemplateView

from accounts.models import User
from accounts.views import RegencyAdminRequiredMixin
from core.audit import audit_record
from core.audit_actions import action_is_support, action_label
from core.forms_audit import AuditFilterForm
from core.models import AuditEvent
from core.selectors_audit import audit_actions, audit_events
from core.tabular import table_export

PAGE_SIZE = 50
EXPORT_FORMATS = ("csv", "xlsx")


def _zone(request: HttpRequest) -> ZoneInfo:
    return ZoneInfo(request.tenant.time_zone)  # type: ignore[attr-defined]


def _filter_form(request: HttpRequest) -> AuditFilterForm:
    query = request.GET.copy()
    for key in ("page", "format"):
        query.pop(key, None)
    return AuditFilterForm(query or None, actions=audit_actions())


def _query_without(request: HttpRequest, *keys: str) -> str:
    query = request.GET.copy()
    for key in keys:
        query.pop(key, None)
    return query.urlencode()


class AuditLogView(RegencyAdminRequiredMixin, TemplateView):
    template_name = "core/audit_log.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        zone = _zone(self.request)
        form = _filter_form(self.request)
        events = audit_events(**form.filters(zone))
        page = Paginator(events, PAGE_SIZE).get_page(self.request.GET.get("page"))
        rows = [
            {
                "event": event,
                "label": action_label(event.action),
                "labelled": action_label(event.action) != event.action,
                "support": action_is_support(event.action),
                "at": timezone.localtime(event.created_at, zone),
            }
            for event in page
        ]
        return {
            **super().get_context_data(**kwargs),
            "form": form,
            "page": page,
            "rows": rows,
            "zone": zone.key,
            "query": _query_without(self.request, "page", "format"),
        }


class AuditExportView(RegencyAdminRequiredMixin, View):
    """The filtered rows as CSV or XLSX (cells that a spreadsheet would run as a
    formula are neutralised by table_export). The export is itself audited."""

    def get(self, request: HttpRequest) -> HttpResponseBase:
        file_format = request.GET.get("format", "csv")
        form = _filter_form(request)
        if file_format not in EXPORT_FORMATS or (form.is_bound and not form.is_valid()):
            # The log page shows the filter's errors.
            query = _query_without(request, "page", "format")
            return redirect(f"{reverse('audit_log')}{'?' + query if query else ''}")
        zone = _zone(request)
        filters = form.filters(zone)
        counter = _Counter()
        stamp = timezone.localtime(timezone.now(), zone).strftime("%Y%m%d-%H%M")
        response: HttpResponse = table_export(
            rows=counter.count(self._rows(audit_events(**filters), zone)),
            columns=[
                _("Time (%(zone)s)") % {"zone": zone.key},
                _("Actor email"),
                _("Actor name"),
                _("Action"),
                _("Action code"),
                _("Target"),
                _("Detail"),
                _("IP address"),
            ],
            file_format=file_format,
            filename=f"audit-{request.tenant.slug}-{stamp}",  # type: ignore[attr-defined]
        )
        # Recorded once the file is built (table_export writes every row before it
        # returns), with the number of rows it really holds.
        user = request.user
        assert isinstance(user, User)  # RegencyAdminRequiredMixin signed them in
        audit_record(
            action="export",
            actor_email=user.email,
            actor_name=user.get_full_name(),
            target="audit_log",
            detail={
                "kind": "audit_log",
                "rows": counter.rows,
                "format": file_format,
                "filters": {key: str(value) for key, value in filters.items() if value},
            },
            request=request,
        )
        return response

    @staticmethod
    def _rows(events: Any, zone: ZoneInfo) -> Iterator[list[object]]:
        event: AuditEvent
        for event in events.iterator(chunk_size=2000):
            yield [
                timezone.localtime(event.created_at, zone).strftime("%Y-%m-%d %H:%M:%S"),
                event.actor_email,
                event.actor_name,
                action_label(event.action),
                event.action,
                event.target,
                json.dumps(event.detail, ensure_ascii=False, sort_keys=True)
                if event.detail
                else "",
                event.ip_address or "",
            ]


class _Counter:
    """Counts the rows that pass through it."""

    def __init__(self) -> None:
        self.rows = 0

    def count(self, rows: Iterator[list[object]]) -> Iterator[list[object]]:
        for row in rows:
            self.rows += 1
            yield row
