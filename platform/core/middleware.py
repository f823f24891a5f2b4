from collections.abc import Callable
from typing import Any

from django.http import Http404, HttpRequest, HttpResponse

from core.modules import module_codes


class ModuleEntitlementMiddleware:
    """Every URL of a module answers 404 in a regency not entitled to it.

    Module URLs are mounted in a namespace named after the module's code, so the
    check covers each of them without the module having to remember it."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_view(
        self, request: HttpRequest, view: Callable[..., Any], args: Any, kwargs: Any
    ) -> None:
        match = request.resolver_match
        if match is None or not match.namespaces:
            return
        code = match.namespaces[0]
        if code in module_codes() and code not in getattr(request, "entitled_modules", ()):
            raise Http404("This regency does not use this module.")
