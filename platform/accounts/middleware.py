from collections.abc import Callable

from django.contrib import messages
from django.contrib.auth import logout
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _

from accounts.models import User
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


# Pages a person who must still set up two-factor sign-in can reach: allauth's
# own (sign-in and out, the authenticator set-up, password pages), static files,
# the language switch, the logo, and health checks.
MFA_SETUP_OPEN_PREFIXES = ("/accounts/", "/static/", "/i18n/", "/branding/", "/healthz", "/readyz")


class MfaRequiredMiddleware:
    """Regency admins and holders of a role that requires it (staff.permissions.
    mfa_required) use the site only once they have a TOTP authenticator: until
    then every page sends them to set one up.

    Decided afresh on each request, so a role given or taken away counts at once.
    Support agents are exempt: they are Sragen engineers who passed the console's
    two-factor sign-in to get their grant. The console (public schema) has its
    own rule (console.permissions)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.path.startswith(MFA_SETUP_OPEN_PREFIXES) or not mfa_setup_pending(request):
            return self.get_response(request)
        messages.warning(
            request,
            _(
                "Your role in this regency requires two-factor sign-in. Set up an "
                "authenticator app to continue."
            ),
        )
        return redirect("mfa_activate_totp")


def mfa_setup_pending(request: HttpRequest) -> bool:
    """Whether the signed-in person must set up TOTP before using the site.
    Cached on the request, never longer."""
    cached = getattr(request, "_mfa_setup_pending", None)
    if cached is not None:
        return bool(cached)
    request._mfa_setup_pending = pending = _mfa_setup_pending(request)  # type: ignore[attr-defined]
    return pending


def _mfa_setup_pending(request: HttpRequest) -> bool:
    from allauth.mfa.models import Authenticator
    from django_tenants.utils import get_public_schema_name

    from staff.permissions import mfa_required

    user = getattr(request, "user", None)
    tenant = getattr(request, "tenant", None)
    if user is None or not user.is_authenticated or tenant is None:
        return False
    if tenant.schema_name == get_public_schema_name() or getattr(user, "is_support_agent", False):
        return False
    # Most people it asks about have an authenticator: check that first, one query.
    if Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists():
        return False
    assert isinstance(user, User)
    return mfa_required(user)
