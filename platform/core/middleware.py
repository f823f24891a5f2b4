from collections.abc import Callable
from typing import Any

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render

from core.modules import module_codes

# While a regency is suspended, anyone may still sign in or out and switch language;
# its admins may also reach these namespaces (and the home page that points to them).
SUSPENDED_OPEN_PREFIXES = ("/accounts/", "/i18n/", "/branding/")
SUSPENDED_ADMIN_NAMESPACES = frozenset({"billing", "support"})


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


class SuspensionGateMiddleware:
    """A suspended regency's users see the suspension page; its data is untouched
    and its admins can still sign in to settle billing and ask for support."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_view(
        self, request: HttpRequest, view: Callable[..., Any], args: Any, kwargs: Any
    ) -> HttpResponse | None:
        tenant = getattr(request, "tenant", None)
        if tenant is None or tenant.status != tenant.Status.SUSPENDED:
            return None
        if request.path.startswith(SUSPENDED_OPEN_PREFIXES):
            return None
        user = request.user
        if getattr(user, "is_regency_admin", False):
            match = request.resolver_match
            namespace = match.namespaces[0] if match and match.namespaces else ""
            if namespace in SUSPENDED_ADMIN_NAMESPACES or (match and match.url_name == "home"):
                return None
        return render(request, "tenants/suspended.html", {"regency": tenant}, status=503)
