"""Who may use the console: signed-in platform staff of the right role, with
two-factor authentication. The order of the checks matters: anyone without the
role gets 403 before MFA is even mentioned, so the console does not tell a
stranger which accounts could get in."""

from typing import Any

from allauth.mfa.utils import is_mfa_enabled
from django.contrib import messages
from django.contrib.auth.mixins import AccessMixin
from django.http import HttpRequest, HttpResponseBase
from django.shortcuts import redirect
from django.utils.translation import gettext as _

from accounts.models import User

ENGINEERS = frozenset({User.PlatformRole.ENGINEER.value})
PLATFORM_STAFF = frozenset({User.PlatformRole.ENGINEER.value, User.PlatformRole.FINANCE.value})


class PlatformStaffRequiredMixin(AccessMixin):
    """Signed-in platform staff with MFA; `platform_roles` says which staff.

    Anonymous visitors go to sign-in; signed-in users without one of the roles
    get 403; staff without an authenticator are sent to set one up."""

    platform_roles: frozenset[str] = PLATFORM_STAFF
    raise_exception = False

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        user = request.user
        if not user.is_authenticated:
            return self.handle_no_permission()
        if getattr(user, "platform_role", "") not in self.platform_roles:
            self.raise_exception = True
            return self.handle_no_permission()
        if not is_mfa_enabled(user):
            messages.warning(
                request,
                _("Set up two-factor authentication before you use the platform console."),
            )
            return redirect("mfa_activate_totp")
        return super().dispatch(request, *args, **kwargs)  # type: ignore[misc]


class EngineerRequiredMixin(PlatformStaffRequiredMixin):
    """Platform engineers only (finance staff get 403)."""

    platform_roles = ENGINEERS


def console_user(request: HttpRequest) -> User:
    """The signed-in console user; the mixins above guarantee one."""
    user = request.user
    assert isinstance(user, User)
    return user
