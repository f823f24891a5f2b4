"""Role assignments, mounted at /staff/ next to the people pages (whose URLs are
`<pk>/...`, hence the `roles/` segment in every path here)."""

from django.urls import path

from staff.views import roles

urlpatterns = [
    path("roles/", roles.RoleOverviewView.as_view(), name="role_overview"),
    path("<int:user_pk>/roles/", roles.PersonRolesView.as_view(), name="role_person"),
    path(
        "<int:user_pk>/roles/<int:assignment_pk>/revoke/",
        roles.RoleRevokeView.as_view(),
        name="role_revoke",
    ),
    path(
        "<int:user_pk>/roles/admin/grant/",
        roles.RegencyAdminGrantView.as_view(),
        name="role_admin_grant",
    ),
    path(
        "<int:user_pk>/roles/admin/revoke/",
        roles.RegencyAdminRevokeView.as_view(),
        name="role_admin_revoke",
    ),
]
