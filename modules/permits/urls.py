"""The permit service's pages, mounted at /permits/ in the `permits` namespace:
applying (citizens, businesses, front office), the office (inboxes, catalogue,
holidays), public pages (tracking, certificate verification, the survey) and
reports (dashboards)."""

from django.urls import include, path

urlpatterns = [
    path("", include("modules.permits.urls_apply")),
    path("office/", include("modules.permits.urls_office")),
    path("public/", include("modules.permits.urls_public")),
    path("reports/", include("modules.permits.urls_reports")),
]
