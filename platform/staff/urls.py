"""A regency's staff pages, for its admins: people and invitations, staff-list
imports, role assignments."""

from django.urls import include, path

urlpatterns = [
    path("", include("staff.urls_people")),
    path("imports/", include("staff.urls_imports")),
    path("", include("staff.urls_roles")),
]
