"""Monthly reports in the console: support hours per regency (what billing
charges beyond a plan), and service levels per regency with a bar chart drawn
as inline SVG (no chart library; a table carries the same figures)."""

from dataclasses import dataclass
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views import View

from console.permissions import EngineerRequiredMixin
from core.tabular import table_export
from support.selectors.reports import (
    Month,
    ServiceLevelRow,
    service_level_report,
    support_hours_by_regency,
)
from tenants.models import Tenant

EXPORT_FORMATS = ("csv", "xlsx")
CHART_WIDTH = 640
BAR_HEIGHT = 18
LABEL_WIDTH = 140


class HoursReportView(EngineerRequiredMixin, View):
    def get(self, request: HttpRequest) -> HttpResponse:
        month = Month.parse(request.GET.get("month"))
        rows = support_hours_by_regency(month)
        file_format = request.GET.get("format", "")
        if file_format in EXPORT_FORMATS:
            return table_export(
                rows=[(r.tenant.name, r.tenant.slug, r.minutes, r.hours, r.entries) for r in rows],
                columns=[_("Regency"), _("Slug"), _("Minutes"), _("Hours"), _("Entries")],
                file_format=file_format,
                filename=f"support-hours-{month}",
            )
        return render(
            request,
            "support/console/report_hours.html",
            {
                "month": month,
                "rows": rows,
                "total_minutes": sum(r.minutes for r in rows),
                "total_hours": round(sum(r.minutes for r in rows) / 60, 2),
            },
        )


@dataclass(frozen=True)
class Bar:
    label: str
    y: int
    met_width: int
    breached_width: int
    met: int
    breached: int

    @property
    def text_y(self) -> int:
        return self.y + BAR_HEIGHT - 5

    @property
    def breached_x(self) -> int:
        return LABEL_WIDTH + self.met_width


def chart_bars(rows: list[ServiceLevelRow]) -> list[Bar]:
    """Horizontal stacked bars: targets met, then breached, per regency."""
    largest = max((r.met + r.breached for r in rows), default=0) or 1
    scale = (CHART_WIDTH - LABEL_WIDTH - 40) / largest
    return [
        Bar(
            label=row.tenant.name,
            y=10 + index * (BAR_HEIGHT + 10),
            met_width=round(row.met * scale),
            breached_width=round(row.breached * scale),
            met=row.met,
            breached=row.breached,
        )
        for index, row in enumerate(rows)
    ]


def _minutes(value: float | None) -> object:
    return "" if value is None else round(value)


class ServiceLevelReportView(EngineerRequiredMixin, View):
    def get(self, request: HttpRequest) -> HttpResponse:
        month = Month.parse(request.GET.get("month"))
        slug = request.GET.get("tenant", "")
        rows = service_level_report(month, tenant_slug=slug)
        file_format = request.GET.get("format", "")
        if file_format in EXPORT_FORMATS:
            return table_export(
                rows=[
                    (
                        r.tenant.name,
                        r.opened,
                        r.first_response_met,
                        r.first_response_breached,
                        _minutes(r.first_response_median),
                        r.resolution_met,
                        r.resolution_breached,
                        _minutes(r.resolution_median),
                        "" if r.rating_average is None else r.rating_average,
                    )
                    for r in rows
                ],
                columns=[
                    _("Regency"),
                    _("Tickets opened"),
                    _("First response met"),
                    _("First response breached"),
                    _("Median first response (business minutes)"),
                    _("Resolution met"),
                    _("Resolution breached"),
                    _("Median resolution (business minutes)"),
                    _("Average rating"),
                ],
                file_format=file_format,
                filename=f"support-service-levels-{month}",
            )
        bars = chart_bars(rows)
        context: dict[str, Any] = {
            "month": month,
            "rows": rows,
            "bars": bars,
            "chart_width": CHART_WIDTH,
            "chart_height": 20 + len(bars) * (BAR_HEIGHT + 10),
            "bar_height": BAR_HEIGHT,
            "label_width": LABEL_WIDTH,
            "tenant": slug,
            "tenants": Tenant.objects.regencies().order_by("name"),
        }
        return render(request, "support/console/report_service_levels.html", context)
