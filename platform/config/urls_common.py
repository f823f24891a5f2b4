"""URLs served on every host: sign-in, language switch, health."""

from django.urls import include, path

from core.branding import branding_logo

# /healthz and /readyz are answered by TenantRoutingMiddleware before routing.
common_patterns = [
    path("accounts/", include("allauth.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("branding/logo", branding_logo, name="branding_logo"),
]
