"""Regency-side views of support access: admins see and revoke grants; engineers
arrive through a one-time entry link."""

from typing import Any

from django.contrib import messages
from django.contrib.auth import login
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import ListView

from accounts.middleware import SUPPORT_GRANT_SESSION_KEY
from accounts.models import User
from tenants.models import SupportAccessGrant
from tenants.support_access import support_enter, support_grant_revoke


class RegencyAdminRequiredMixin:
    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        if not request.user.is_authenticated:
            return redirect(f"/accounts/login/?next={request.path}")
        if not getattr(request.user, "is_regency_admin", False) or getattr(
            request.user, "is_support_agent", False
        ):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)  # type: ignore[misc]


class SupportAccessListView(RegencyAdminRequiredMixin, ListView[SupportAccessGrant]):
    template_name = "accounts/support_access_list.html"
    context_object_name = "grants"

    def get_queryset(self) -> Any:
        return SupportAccessGrant.objects.filter(tenant=self.request.tenant)  # type: ignore[attr-defined]

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return {**super().get_context_data(**kwargs), "now": timezone.now()}


class SupportAccessRevokeView(RegencyAdminRequiredMixin, View):
    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        grant = get_object_or_404(SupportAccessGrant, pk=pk, tenant=request.tenant)  # type: ignore[attr-defined]
        user = request.user
        assert isinstance(user, User)  # RegencyAdminRequiredMixin signed them in
        support_grant_revoke(grant=grant, by_email=user.email, by_name=user.get_full_name())
        messages.success(
            request, _("Support access of %(name)s has ended.") % {"name": grant.engineer_name}
        )
        return redirect("support_access")


class SupportEnterView(View):
    def get(self, request: HttpRequest, token: str) -> HttpResponse:
        try:
            user, grant = support_enter(token=token, tenant=request.tenant)  # type: ignore[attr-defined]
        except ValidationError as exc:
            return render(
                request,
                "accounts/support_enter_refused.html",
                {"reason": " ".join(exc.messages)},
                status=403,
            )
        login(request, user, backend="django.contrib.auth.backends.ModelBackend")
        request.session[SUPPORT_GRANT_SESSION_KEY] = grant.pk
        request.session.set_expiry(grant.expires_at)
        return redirect("home")
