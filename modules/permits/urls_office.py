"""The office, mounted at /permits/office/: inboxes, applications, the counter,
the catalogue and the holiday calendar."""

from django.urls import path

from modules.permits import views_apply, views_catalogue, views_office

urlpatterns = [
    path("", views_office.InboxView.as_view(), name="inbox"),
    path("a/<int:pk>/", views_office.ApplicationDetailView.as_view(), name="office_application"),
    path("a/<int:pk>/move/", views_office.ApplicationMoveView.as_view(), name="office_move"),
    path("a/<int:pk>/assign/", views_office.ApplicationAssignView.as_view(), name="office_assign"),
    path(
        "a/<int:pk>/comment/", views_office.ApplicationCommentView.as_view(), name="office_comment"
    ),
    path(
        "a/<int:pk>/documents/<int:document_pk>/",
        views_office.DocumentDownloadView.as_view(),
        name="office_document",
    ),
    path("counter/", views_apply.CounterStartView.as_view(), name="counter_start"),
    path("counter/<slug:code>/", views_apply.CounterFormView.as_view(), name="counter_form"),
    path("catalogue/", views_catalogue.CatalogueListView.as_view(), name="catalogue"),
    path("catalogue/new/", views_catalogue.ServiceCreateView.as_view(), name="catalogue_new"),
    path("catalogue/<int:pk>/", views_catalogue.ServiceEditView.as_view(), name="catalogue_edit"),
    path(
        "catalogue/<int:pk>/revert/",
        views_catalogue.ServiceRevertView.as_view(),
        name="catalogue_revert",
    ),
    path(
        "catalogue/<int:pk>/active/",
        views_catalogue.ServiceActiveView.as_view(),
        name="catalogue_active",
    ),
    path("holidays/", views_catalogue.HolidayListView.as_view(), name="holidays"),
    path(
        "holidays/<int:pk>/delete/",
        views_catalogue.HolidayDeleteView.as_view(),
        name="holiday_delete",
    ),
    path("holidays/national/", views_catalogue.HolidaySeedView.as_view(), name="holidays_seed"),
]
