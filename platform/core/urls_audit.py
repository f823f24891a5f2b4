"""A regency's audit log, mounted at /audit/."""

from django.urls import path

from core import views_audit

urlpatterns = [
    path("", views_audit.AuditLogView.as_view(), name="audit_log"),
    path("export/", views_audit.AuditExportView.as_view(), name="audit_export"),
]
