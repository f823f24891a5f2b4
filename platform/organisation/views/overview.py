from typing import Any

from django.views.generic import TemplateView

from organisation.selectors import organisation_overview
from organisation.views.common import OrganisationAdminMixin


class OrganisationHomeView(OrganisationAdminMixin, TemplateView):
    template_name = "organisation/home.html"
    section = "home"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return {**super().get_context_data(**kwargs), "overview": organisation_overview()}
