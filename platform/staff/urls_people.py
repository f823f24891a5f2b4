"""People and invitations (regency admins only): /staff/..."""

from django.urls import URLPattern, URLResolver, path

from staff.views import people

urlpatterns: list[URLPattern | URLResolver] = [
    path("", people.StaffListView.as_view(), name="staff_list"),
    path("export/", people.StaffExportView.as_view(), name="staff_export"),
    path("new/", people.StaffCreateView.as_view(), name="staff_create"),
    path("<int:pk>/", people.StaffDetailView.as_view(), name="staff_detail"),
    path("<int:pk>/edit/", people.StaffUpdateView.as_view(), name="staff_edit"),
    path("<int:pk>/invite/", people.StaffInviteView.as_view(), name="staff_invite"),
    path(
        "<int:pk>/invitation/revoke/",
        people.StaffInvitationRevokeView.as_view(),
        name="staff_invitation_revoke",
    ),
    path("<int:pk>/deactivate/", people.StaffDeactivateView.as_view(), name="staff_deactivate"),
    path("<int:pk>/reactivate/", people.StaffReactivateView.as_view(), name="staff_reactivate"),
]
