from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import TemplateView

from console.forms import ProspectForm
from console.permissions import ENGINEERS, EngineerRequiredMixin, PlatformStaffRequiredMixin
from console.tasks import storage_usage_fanout_task
from console.views.common import actor_of, queue_on_commit, render_detail, tenant_or_404
from core.forms import errors_onto_form
from tenants.models import Tenant
from tenants.regions import regency_get
from tenants.selectors import regency_list, tenant_overview_list
from tenants.services import tenant_prospect_create


class TenantListView(PlatformStaffRequiredMixin, TemplateView):
    """The console's home: every regency with its facts. Finance staff see it too."""

    template_name = "console/home.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        status = self.request.GET.get("status", "")
        if status not in Tenant.Status.values:
            status = ""
        page = tenant_overview_list(status=status or None)
        statuses = [
            {"value": value, "label": label, "count": page.status_counts.get(value, 0)}
            for value, label in Tenant.Status.choices
        ]
        return {
            **super().get_context_data(**kwargs),
            "rows": page.rows,
            "status": status,
            "statuses": statuses,
            "total": sum(page.status_counts.values()),
            "is_engineer": getattr(self.request.user, "platform_role", "") in ENGINEERS,
        }


class ProspectCreateView(EngineerRequiredMixin, View):
    template_name = "console/prospect_form.html"

    def get(self, request: HttpRequest) -> HttpResponse:
        return self._render(request, ProspectForm())

    def post(self, request: HttpRequest) -> HttpResponse:
        form = ProspectForm(request.POST)
        if form.is_valid():
            try:
                tenant = tenant_prospect_create(
                    slug=form.cleaned_data["slug"],
                    region_code=form.cleaned_data["region_code"],
                    name=form.cleaned_data["name"].strip() or None,
                    actor_email=actor_of(request).email,
                )
            except ValidationError as exc:
                errors_onto_form(form, exc)
            else:
                messages.success(
                    request,
                    _("%(name)s is recorded as a prospect. Start provisioning when ready.")
                    % {"name": tenant.name},
                )
                return redirect("console_tenant_detail", slug=tenant.slug)
        return self._render(request, form)

    def _render(self, request: HttpRequest, form: ProspectForm) -> HttpResponse:
        return render(request, self.template_name, {"form": form, "regencies": regency_list()})


class RegencyNameView(EngineerRequiredMixin, View):
    """The name of a region code as it is typed (an htmx fragment)."""

    def get(self, request: HttpRequest) -> HttpResponse:
        code = request.GET.get("region_code", "").strip()
        regency = regency_get(code) if code else None
        return render(request, "console/_regency_name.html", {"code": code, "regency": regency})


class TenantDetailView(EngineerRequiredMixin, View):
    def get(self, request: HttpRequest, slug: str) -> HttpResponse:
        return render_detail(request, tenant_or_404(slug))


class StorageRefreshView(EngineerRequiredMixin, View):
    """Measure every regency's storage now rather than at the next beat tick."""

    def post(self, request: HttpRequest) -> HttpResponse:
        queue_on_commit(
            request,
            storage_usage_fanout_task.delay,
            _("The measurement could not be queued: is the task broker running?"),
        )
        messages.info(
            request,
            _("Storage is being measured; the figures update in a minute or so."),
        )
        return redirect("home")
