"""A tenant urlconf with one sample module mounted the way urls_tenant.py mounts
real ones, so the entitlement mechanism is tested without depending on a module."""

from django.http import HttpRequest, HttpResponse
from django.urls import include, path

from config.urls_common import common_patterns
from core.views import RegencyHomeView


def sample_inbox(request: HttpRequest) -> HttpResponse:
    return HttpResponse("sample inbox")


sample_patterns = [path("inbox/", sample_inbox, name="inbox")]

urlpatterns = [
    *common_patterns,
    path("", RegencyHomeView.as_view(), name="home"),
    path("sample/", include((sample_patterns, "sample"))),
]
