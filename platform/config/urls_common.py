"""URLs served on every host: sign-in, language switch, health."""

from django.urls import include, path

# /healthz and /readyz are answered by TenantRoutingMiddleware before routing.
common_patterns = [
    path("accounts/", include("allauth.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
]
