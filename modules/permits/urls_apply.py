"""Applying, mounted at /permits/: citizens, businesses and guests."""

from django.urls import path

from modules.permits import views_apply as views

urlpatterns = [
    path("apply/", views.ApplyStartView.as_view(), name="apply_start"),
    path("apply/guest/", views.ApplyGuestView.as_view(), name="apply_guest"),
    path("apply/guest/verify/", views.ApplyGuestVerifyView.as_view(), name="apply_guest_verify"),
    path("apply/desa/", views.DesaOptionsView.as_view(), name="desa_options"),
    path("apply/done/<str:code>/", views.ApplyDoneView.as_view(), name="apply_done"),
    path("apply/<slug:code>/", views.ApplyFormView.as_view(), name="apply_form"),
    path("mine/", views.MyApplicationsView.as_view(), name="mine"),
    path("mine/<int:pk>/", views.MyApplicationView.as_view(), name="mine_detail"),
]
