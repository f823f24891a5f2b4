"""The engineers' audit log: the public schema's AuditEvent rows, filtered,
paginated, and exported as CSV."""

import csv
import json
from collections.abc import Iterator
from typing import Any

from django.core.paginator import Paginator
from django.http import HttpRequest, StreamingHttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import TemplateView

from console.forms import AuditFilterForm
from console.permissions import EngineerRequiredMixin
from core.models import AuditEvent
from tenants.selectors import platform_audit_actions, platform_audit_events

PAGE_SIZE = 50
# A spreadsheet runs a cell that starts with one of these as a formula.
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def csv_safe(value: object) -> str:
    """The cell as text, with a leading quote where a spreadsheet would take it
    for a formula (OWASP's CSV injection advice)."""
    text = "" if value is None else str(value)
    return f"'{text}" if text.startswith(FORMULA_PREFIXES) else text


def _filter_form(request: HttpRequest) -> AuditFilterForm:
    return AuditFilterForm(request.GET or None, actions=platform_audit_actions())


class AuditLogView(EngineerRequiredMixin, TemplateView):
    template_name = "console/audit_log.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        form = _filter_form(self.request)
        events = platform_audit_events(**form.filters())
        page = Paginator(events, PAGE_SIZE).get_page(self.request.GET.get("page"))
        query = self.request.GET.copy()
        query.pop("page", None)
        return {
            **super().get_context_data(**kwargs),
            "form": form,
            "page": page,
            "query": query.urlencode(),
        }


class _Echo:
    """csv.writer writes into this and gets the line back, for streaming."""

    def write(self, value: str) -> str:
        return value


class AuditCsvView(EngineerRequiredMixin, View):
    def get(self, request: HttpRequest) -> StreamingHttpResponse:
        form = _filter_form(request)
        events = platform_audit_events(**form.filters())
        stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
        # The header is translated now: the rows are written after this view returns.
        header = [
            _("Time"),
            _("Actor email"),
            _("Actor name"),
            _("Action"),
            _("Target"),
            _("Detail"),
            _("IP address"),
        ]
        response = StreamingHttpResponse(
            self._rows(header, events.iterator(chunk_size=2000)),
            content_type="text/csv; charset=utf-8",
        )
        response["Content-Disposition"] = f'attachment; filename="sukowati-audit-{stamp}.csv"'
        return response

    def _rows(self, header: list[str], events: Iterator[AuditEvent]) -> Iterator[str]:
        writer = csv.writer(_Echo())
        yield "\ufeff"  # so that Excel reads the file as UTF-8
        yield writer.writerow([csv_safe(cell) for cell in header])
        for event in events:
            yield writer.writerow(
                [
                    csv_safe(value)
                    for value in (
                        timezone.localtime(event.created_at).isoformat(timespec="seconds"),
                        event.actor_email,
                        event.actor_name,
                        event.action,
                        event.target,
                        json.dumps(event.detail, ensure_ascii=False, sort_keys=True),
                        event.ip_address or "",
                    )
                ]
            )
