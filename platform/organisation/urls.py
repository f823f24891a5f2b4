"""The regency admin's organisation screens, mounted at /organisation/."""

from django.urls import URLPattern, URLResolver, path

from organisation.views import areas, overview, positions, tables, work_units

urlpatterns: list[URLPattern | URLResolver] = [
    path("", overview.OrganisationHomeView.as_view(), name="organisation_home"),
    # Work units
    path("work-units/", work_units.WorkUnitListView.as_view(), name="organisation_work_units"),
    path(
        "work-units/new/",
        work_units.WorkUnitCreateView.as_view(),
        name="organisation_work_unit_create",
    ),
    path(
        "work-units/<int:pk>/",
        work_units.WorkUnitEditView.as_view(),
        name="organisation_work_unit_edit",
    ),
    path(
        "work-units/<int:pk>/active/",
        work_units.WorkUnitSetActiveView.as_view(),
        name="organisation_work_unit_set_active",
    ),
    path(
        "work-units/<int:pk>/delete/",
        work_units.WorkUnitDeleteView.as_view(),
        name="organisation_work_unit_delete",
    ),
    # Positions
    path("positions/", positions.PositionListView.as_view(), name="organisation_positions"),
    path(
        "positions/new/",
        positions.PositionCreateView.as_view(),
        name="organisation_position_create",
    ),
    path(
        "positions/<int:pk>/",
        positions.PositionEditView.as_view(),
        name="organisation_position_edit",
    ),
    path(
        "positions/<int:pk>/active/",
        positions.PositionSetActiveView.as_view(),
        name="organisation_position_set_active",
    ),
    path(
        "positions/<int:pk>/delete/",
        positions.PositionDeleteView.as_view(),
        name="organisation_position_delete",
    ),
    # Kecamatan and desa/kelurahan
    path("kecamatan/", areas.KecamatanListView.as_view(), name="organisation_kecamatan_list"),
    path("kecamatan/<int:pk>/", areas.KecamatanDetailView.as_view(), name="organisation_kecamatan"),
    path(
        "kecamatan/<int:pk>/edit/",
        areas.KecamatanEditView.as_view(),
        name="organisation_kecamatan_edit",
    ),
    path("desa/<int:pk>/edit/", areas.DesaEditView.as_view(), name="organisation_desa_edit"),
    # Spreadsheets: <kind> is work-units, positions or areas
    path("<slug:kind>/import/", tables.ImportUploadView.as_view(), name="organisation_import"),
    path(
        "<slug:kind>/import/<str:token>/",
        tables.ImportReviewView.as_view(),
        name="organisation_import_review",
    ),
    path(
        "<slug:kind>/import/<str:token>/cancel/",
        tables.ImportCancelView.as_view(),
        name="organisation_import_cancel",
    ),
    path(
        "<slug:kind>/export/<str:file_format>/",
        tables.ExportView.as_view(),
        name="organisation_export",
    ),
    path(
        "<slug:kind>/template/",
        tables.ImportTemplateView.as_view(),
        name="organisation_import_template",
    ),
]
