"""The console's URLs, at the root domain. Every one of them requires a platform
engineer with MFA (the home list also admits finance staff); tests/console
walks this list, so a new URL cannot escape that test."""

from django.urls import path

from console.views import actions, audit, fleet, provisioning, tenants

T = "tenants/<str:slug>/"

urlpatterns = [
    path("", tenants.TenantListView.as_view(), name="home"),
    path("storage/refresh/", tenants.StorageRefreshView.as_view(), name="console_storage_refresh"),
    path("prospects/new/", tenants.ProspectCreateView.as_view(), name="console_prospect_create"),
    path(
        "prospects/regency-name/",
        tenants.RegencyNameView.as_view(),
        name="console_regency_name",
    ),
    path(T, tenants.TenantDetailView.as_view(), name="console_tenant_detail"),
    # provisioning
    path(f"{T}provision/", provisioning.ProvisionStartView.as_view(), name="console_provision"),
    path(
        f"{T}runs/<int:run_id>/",
        provisioning.RunProgressView.as_view(),
        name="console_run_progress",
    ),
    path(
        f"{T}runs/<int:run_id>/retry/",
        provisioning.RunRetryView.as_view(),
        name="console_run_retry",
    ),
    path(
        f"{T}runs/<int:run_id>/cancel/",
        provisioning.RunCancelView.as_view(),
        name="console_run_cancel",
    ),
    # domains and modules
    path(f"{T}domains/add/", actions.DomainAddView.as_view(), name="console_domain_add"),
    path(
        f"{T}domains/<int:domain_id>/primary/",
        actions.DomainPrimaryView.as_view(),
        name="console_domain_primary",
    ),
    path(
        f"{T}domains/<int:domain_id>/remove/",
        actions.DomainRemoveView.as_view(),
        name="console_domain_remove",
    ),
    path(f"{T}modules/<str:code>/", actions.ModuleToggleView.as_view(), name="console_module"),
    # lifecycle, exports
    path(
        f"{T}lifecycle/<str:to_status>/",
        actions.TransitionView.as_view(),
        name="console_transition",
    ),
    path(f"{T}delete/", actions.DeleteView.as_view(), name="console_delete"),
    path(f"{T}export/", actions.ExportView.as_view(), name="console_export"),
    path(
        f"{T}exports/<int:export_id>/download/",
        actions.ExportDownloadView.as_view(),
        name="console_export_download",
    ),
    path(
        f"{T}exports/<int:export_id>/restore/",
        actions.RestoreView.as_view(),
        name="console_restore",
    ),
    # support access
    path(f"{T}support/", actions.SupportGrantView.as_view(), name="console_support_grant"),
    path(
        f"{T}support/<int:grant_id>/enter/",
        actions.SupportEnterView.as_view(),
        name="console_support_enter",
    ),
    # the fleet and the audit log
    path("fleet/", fleet.FleetView.as_view(), name="console_fleet"),
    path("audit/", audit.AuditLogView.as_view(), name="console_audit"),
    path("audit/export.csv", audit.AuditCsvView.as_view(), name="console_audit_csv"),
]
