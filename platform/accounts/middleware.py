from collections.abc import Callable

from django.contrib import messages
from django.contrib.auth import logout
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _

from tenants.support_access import support_grant_active

SUPPORT_GRANT_SESSION_KEY = "support_grant_id"


class SupportSessionMiddleware:
    """A support engineer's session lives exactly as long as the grant: revoked or
    expired, the very next request signs them out."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        tenant = getattr(request, "tenant", None)
        if user is not None and getattr(user, "is_support_agent", False) and tenant is not None:
            grant_id = request.session.get(SUPPORT_GRANT_SESSION_KEY)
            if not support_grant_active(grant_id=grant_id, tenant=tenant):
                logout(request)
                messages.warning(request, _("Your support access has ended."))
                return redirect("account_login")
        return self.get_response(request)
