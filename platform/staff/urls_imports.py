"""Staff-list imports, mounted at /staff/imports/ (regency admins only)."""

from django.urls import path, re_path

from staff.views.imports import (
    StaffImportCommitView,
    StaffImportDetailView,
    StaffImportListView,
    StaffImportProblemsView,
    StaffImportProgressView,
    StaffImportTemplateView,
)

urlpatterns = [
    path("", StaffImportListView.as_view(), name="staff_import_list"),
    re_path(
        r"^template\.(?P<file_format>csv|xlsx)$",
        StaffImportTemplateView.as_view(),
        name="staff_import_template",
    ),
    path("<int:pk>/", StaffImportDetailView.as_view(), name="staff_import_detail"),
    path("<int:pk>/progress/", StaffImportProgressView.as_view(), name="staff_import_progress"),
    path("<int:pk>/commit/", StaffImportCommitView.as_view(), name="staff_import_commit"),
    re_path(
        r"^(?P<pk>[0-9]+)/problems\.(?P<file_format>csv|xlsx)$",
        StaffImportProblemsView.as_view(),
        name="staff_import_problems",
    ),
]
