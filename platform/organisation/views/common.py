"""What the organisation screens share: only the regency's admin may use them."""

from typing import Any

from django.http import HttpRequest

from accounts.models import User
from accounts.views import RegencyAdminRequiredMixin
from organisation.services.common import Actor


class OrganisationAdminMixin(RegencyAdminRequiredMixin):
    """The regency admin only: others get 403, the signed-out the sign-in page."""

    request: HttpRequest
    section = ""

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context: dict[str, Any] = super().get_context_data(**kwargs)  # type: ignore[misc]
        context["section"] = self.get_section()
        return context

    def get_section(self) -> str:
        """Which tab of the organisation's menu is current."""
        return self.section


def actor_of(request: HttpRequest) -> Actor:
    user = request.user
    assert isinstance(user, User)  # OrganisationAdminMixin signed them in
    return Actor(email=user.email, name=user.full_name)


def region_code_of(request: HttpRequest) -> str:
    return str(request.tenant.region_code)  # type: ignore[attr-defined]
