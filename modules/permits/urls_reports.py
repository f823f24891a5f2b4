"""Dashboards at /permits/reports/."""

from django.urls import URLPattern, URLResolver, path, re_path

from modules.permits import views_reports

urlpatterns: list[URLPattern | URLResolver] = [
    path("", views_reports.DashboardView.as_view(), name="dashboard"),
    re_path(
        r"^export\.(?P<file_format>csv|xlsx)$",
        views_reports.DashboardExportView.as_view(),
        name="dashboard_export",
    ),
]
