"""Access rules shared by the permit pages."""

from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponseBase
from django.shortcuts import redirect

from accounts.models import User
from modules.permits.workflow import MODULE
from staff.permissions import RoleRequiredMixin, permission_check, permission_scope

PERMIT_ROLES = ("front_office", "back_office", "technical_team", "approver")


def signed_in_user(request: HttpRequest) -> User | None:
    user = request.user
    return user if isinstance(user, User) and user.is_authenticated else None


def is_permit_staff(user: User) -> bool:
    return permission_check(user, module=MODULE, roles=PERMIT_ROLES)


def is_catalogue_admin(user: User) -> bool:
    """Regency admins, and the back office over the whole regency, keep the
    catalogue and the holiday calendar."""
    if user.is_regency_admin and not user.is_support_agent:
        return True
    return permission_scope(user, module=MODULE, roles=["back_office"]).whole_regency


class _SignedInMixin:
    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        user = signed_in_user(request)
        if user is None:
            return redirect(f"/accounts/login/?next={request.path}")
        if not self.allowed(user):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)  # type: ignore[misc]

    def allowed(self, user: User) -> bool:
        return True


class PermitStaffRequiredMixin(RoleRequiredMixin):
    """Signed in and holding a permits role somewhere; each view still checks the
    item's scope (an officer of one kecamatan is staff, but not for another's)."""

    module = MODULE
    roles = PERMIT_ROLES


class FrontOfficeRequiredMixin(RoleRequiredMixin):
    module = MODULE
    roles = ("front_office",)


class CatalogueAdminRequiredMixin(_SignedInMixin):
    def allowed(self, user: User) -> bool:
        return is_catalogue_admin(user)


class CatalogueReaderMixin(_SignedInMixin):
    def allowed(self, user: User) -> bool:
        return is_catalogue_admin(user) or is_permit_staff(user)


def staff_user(request: HttpRequest) -> User:
    user = signed_in_user(request)
    assert user is not None  # the mixins signed them in
    return user
