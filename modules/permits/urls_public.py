"""Public pages at /permits/public/: no account needed (except a certificate's
own page and PDF, for its holder and the handling staff)."""

from django.urls import URLPattern, URLResolver, path

from modules.permits import views_public

urlpatterns: list[URLPattern | URLResolver] = [
    path("track/", views_public.TrackView.as_view(), name="track"),
    path("track/<str:code>/", views_public.TrackView.as_view(), name="track_code"),
    path("verify/<str:token>/", views_public.VerifyView.as_view(), name="verify"),
    path("survey/<str:code>/", views_public.SurveyView.as_view(), name="survey"),
    path("ikm/", views_public.IkmView.as_view(), name="ikm"),
    path("certificate/<str:code>/", views_public.CertificateView.as_view(), name="certificate"),
    path(
        "certificate/<str:code>/pdf/",
        views_public.CertificatePdfView.as_view(),
        name="certificate_pdf",
    ),
]
