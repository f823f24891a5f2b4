"""The permit dashboards: for staff holding any permit role, and regency admins."""

import datetime
from typing import Any

from django import forms
from django.apps import apps
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View

from accounts.models import User
from core.audit import audit_record
from core.tabular import table_export
from modules.permits.charts import bar_chart, line_chart
from modules.permits.dashboards import (
    EXPORT_COLUMNS,
    MAX_MONTHS,
    Dashboard,
    dashboard_build,
    export_rows,
    months_between,
)
from modules.permits.models import ServiceType
from modules.permits.regency import months_add, regency_localdate
from staff.permissions import permission_check

DEFAULT_MONTHS = 12
MONTH_INPUT = {"class": "form-control", "type": "month"}


class DashboardFilterForm(forms.Form):
    start = forms.DateField(
        label=gettext_lazy("From month"),
        required=False,
        input_formats=["%Y-%m"],
        widget=forms.DateInput(format="%Y-%m", attrs=MONTH_INPUT),
    )
    end = forms.DateField(
        label=gettext_lazy("To month"),
        required=False,
        input_formats=["%Y-%m"],
        widget=forms.DateInput(format="%Y-%m", attrs=MONTH_INPUT),
    )
    service = forms.ModelChoiceField(
        label=gettext_lazy("Service"),
        queryset=ServiceType.objects.order_by("name"),
        required=False,
        empty_label=gettext_lazy("All services"),
        widget=forms.Select(attrs={"class": "form-select"}),
    )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        today = regency_localdate().replace(day=1)
        end = cleaned.get("end") or today
        start = cleaned.get("start") or months_add(end, -(DEFAULT_MONTHS - 1))
        if start > end:
            raise forms.ValidationError(_("The first month must not be after the last."))
        if len(months_between(start, end)) > MAX_MONTHS:
            raise forms.ValidationError(
                _("Choose at most %(months)d months.") % {"months": MAX_MONTHS}
            )
        cleaned["start"], cleaned["end"] = start, end
        return cleaned


def default_range() -> tuple[datetime.date, datetime.date]:
    end = regency_localdate().replace(day=1)
    return months_add(end, -(DEFAULT_MONTHS - 1)), end


class ReportAccessMixin(LoginRequiredMixin):
    """Regency admins and anyone holding a permit role, in any scope: the
    dashboards carry counts and sums only, never a person's data."""

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        user = request.user
        if isinstance(user, User) and user.is_active:
            roles = [role.code for role in getattr(apps.get_app_config("permits"), "roles", ())]
            if not (user.is_regency_admin or permission_check(user, module="permits", roles=roles)):
                raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)


def _filters(
    request: HttpRequest,
) -> tuple[DashboardFilterForm, datetime.date, datetime.date, int | None]:
    start, end = default_range()
    # Unfiltered, the form shows the range the page shows.
    form = DashboardFilterForm(request.GET or None, initial={"start": start, "end": end})
    service_id = None
    if form.is_bound and form.is_valid():
        start, end = form.cleaned_data["start"], form.cleaned_data["end"]
        service = form.cleaned_data.get("service")
        service_id = service.pk if service else None
    return form, start, end, service_id


def _month_label(month: datetime.date) -> str:
    return month.strftime("%m/%y")


def charts(dashboard: Dashboard) -> dict[str, Any]:
    labels = [_month_label(month) for month in dashboard.months]
    per_month = dashboard.per_month
    return {
        "applications": bar_chart(list(zip(labels, [f.submitted for f in per_month], strict=True))),
        "compliance": line_chart(
            list(zip(labels, [f.compliance for f in per_month], strict=True)), y_max=100
        ),
        "speed_up": line_chart(
            list(zip(labels, [f.speed_up for f in per_month], strict=True)),
            decimals=2,
            y_max=max(1.0, *[float(f.speed_up or 0) for f in per_month]),
        ),
        "ikm": line_chart(
            list(zip(labels, [f.ikm for f in per_month], strict=True)), decimals=2, y_max=100
        ),
        "businesses": bar_chart(list(zip(labels, [f.businesses for f in per_month], strict=True))),
        "jobs": bar_chart(list(zip(labels, [f.workforce for f in per_month], strict=True))),
        "investment": bar_chart(
            list(
                zip(
                    labels,
                    [round(f.investment_rupiah / 1_000_000) for f in per_month],
                    strict=True,
                )
            )
        ),
    }


class DashboardView(ReportAccessMixin, View):
    template_name = "permits/report_dashboard.html"

    def get(self, request: HttpRequest) -> HttpResponse:
        form, start, end, service_id = _filters(request)
        dashboard = dashboard_build(first=start, last=end, service_id=service_id)
        return render(
            request,
            self.template_name,
            {
                "form": form,
                "dashboard": dashboard,
                "charts": charts(dashboard),
                "start": start,
                "end": end,
                "query": request.GET.urlencode(),
                # The per-service table stays readable: the busiest services.
                "top_services": dashboard.services[:15],
            },
        )


class DashboardExportView(ReportAccessMixin, View):
    def get(self, request: HttpRequest, file_format: str) -> HttpResponse:
        _form, start, end, service_id = _filters(request)
        dashboard = dashboard_build(first=start, last=end, service_id=service_id)
        user = request.user
        assert isinstance(user, User)
        audit_record(
            action="permits.dashboard.exported",
            actor_email=user.email,
            actor_name=user.full_name,
            target="permits.dashboard",
            detail={
                "format": file_format,
                "from": start.strftime("%Y-%m"),
                "to": end.strftime("%Y-%m"),
                "service": service_id,
            },
            request=request,
        )
        return table_export(
            rows=export_rows(dashboard),
            columns=EXPORT_COLUMNS,
            file_format=file_format,
            filename=f"permits-{start:%Y-%m}-{end:%Y-%m}",
        )
