from typing import Any

from django.views.generic import TemplateView

from console.permissions import PlatformStaffRequiredMixin
from console.selectors import tenant_list


class ConsoleHomeView(PlatformStaffRequiredMixin, TemplateView):
    template_name = "console/home.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return {**super().get_context_data(**kwargs), "tenants": tenant_list()}
