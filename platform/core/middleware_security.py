"""Content-Security-Policy on every response (Django 5.2 has none built in).

The policy lives in settings (CSP_DIRECTIVES, CSP_REPORT_ONLY; see
config/settings/production.py). A view that needs a different policy sets the
header itself and is left alone."""

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse

ENFORCE_HEADER = "Content-Security-Policy"
REPORT_ONLY_HEADER = "Content-Security-Policy-Report-Only"


def content_security_policy(request: HttpRequest) -> str:
    directives = dict(settings.CSP_DIRECTIVES)
    if getattr(request, "urlconf", None) == settings.PUBLIC_SCHEMA_URLCONF:
        # The console's "enter a regency" form is answered with a redirect to the
        # regency's primary domain, which may be a custom domain; browsers apply
        # form-action to that redirect. Only signed-in platform engineers see
        # the console's forms.
        directives["form-action"] = f"{directives.get('form-action', '')} {request.scheme}:"
    return "; ".join(f"{name} {value}".strip() for name, value in directives.items())


class ContentSecurityPolicyMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response
        self.header = REPORT_ONLY_HEADER if settings.CSP_REPORT_ONLY else ENFORCE_HEADER

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if ENFORCE_HEADER not in response and REPORT_ONLY_HEADER not in response:
            response[self.header] = content_security_policy(request)
        return response
