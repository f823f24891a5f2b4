from django.contrib.auth.mixins import LoginRequiredMixin
from django.views.generic import TemplateView


class RegencyHomeView(LoginRequiredMixin, TemplateView):
    """A regency's landing page after sign-in: its modules, in its own zone."""

    template_name = "core/regency_home.html"
