from django.urls import path

from accounts import views

urlpatterns = [
    path("", views.SupportAccessListView.as_view(), name="support_access"),
    path("<int:pk>/revoke/", views.SupportAccessRevokeView.as_view(), name="support_access_revoke"),
    path("enter/<str:token>/", views.SupportEnterView.as_view(), name="support_access_enter"),
]
