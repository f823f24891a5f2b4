"""URLs of the root domain: the platform console, in the public schema."""

from django.urls import include, path

from config.urls_common import common_patterns

urlpatterns = [
    *common_patterns,
    path("", include("console.urls")),
]
