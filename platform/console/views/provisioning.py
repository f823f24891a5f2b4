"""Provisioning from the console: start a run on a prospect, watch its steps
live, retry a failed one, cancel one that has not finished. The run executes in
a Celery worker (`tenants.tasks.provisioning_run_task`), queued once the run's
rows are committed so the worker always finds them."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views import View

from console.forms import ProvisionForm
from console.permissions import EngineerRequiredMixin
from console.views.actions import TenantPostView
from console.views.common import actor_of, queue_on_commit, render_detail, tenant_or_404, to_detail
from core.forms import errors_onto_form
from tenants.models import ProvisioningRun, Tenant
from tenants.provisioning.services import (
    ProvisioningRefused,
    provisioning_cancel,
    provisioning_retry,
    provisioning_start,
)
from tenants.selectors import provisioning_run_for


def queue_run(request: HttpRequest, run: ProvisioningRun) -> None:
    # Imported here: the task module imports the pipeline, which the console's
    # URL loading does not need.
    from tenants.tasks import provisioning_run_task

    run_id = run.pk
    queue_on_commit(
        request,
        lambda: provisioning_run_task.delay(run_id),
        _("The run could not be queued: is the task broker running? Press Retry."),
    )


def _run_or_404(tenant: Tenant, run_id: int) -> ProvisioningRun:
    run = provisioning_run_for(tenant, run_id)
    if run is None:
        raise Http404(_("There is no such provisioning run."))
    return run


class ProvisionStartView(TenantPostView):
    def post(self, request: HttpRequest, slug: str) -> HttpResponse:
        tenant = tenant_or_404(slug)
        form = ProvisionForm(request.POST, request.FILES, prefix="provision")
        if tenant.status != Tenant.Status.PROSPECT:
            form.is_valid()
            form.add_error(None, _("Only a prospect can be provisioned."))
        elif form.is_valid():
            try:
                run = provisioning_start(
                    tenant=tenant,
                    admin_email=form.cleaned_data["admin_email"],
                    admin_name=form.cleaned_data["admin_name"],
                    domains=form.cleaned_data["domains"] or None,
                    reference_csv=form.cleaned_data["reference_csv"],
                    actor=actor_of(request),
                )
            except ValidationError as exc:
                errors_onto_form(form, exc)
            else:
                queue_run(request, run)
                messages.success(
                    request, _("Provisioning of %(name)s has started.") % {"name": tenant.name}
                )
                return to_detail(tenant, "provisioning")
        tenant.refresh_from_db()
        return render_detail(request, tenant, {"provision": form})


class RunProgressView(EngineerRequiredMixin, View):
    """One run with its steps, the fragment htmx polls while the run is running.

    When a polled run has finished, the whole page is reloaded (HX-Refresh), so
    the regency's status and actions are shown as they now are."""

    def get(self, request: HttpRequest, slug: str, run_id: int) -> HttpResponse:
        tenant = tenant_or_404(slug)
        run = _run_or_404(tenant, run_id)
        response = render(request, "console/_provisioning_run.html", {"tenant": tenant, "run": run})
        if request.headers.get("HX-Request") and run.status != ProvisioningRun.Status.RUNNING:
            response["HX-Refresh"] = "true"
        return response


class RunRetryView(TenantPostView):
    def post(self, request: HttpRequest, slug: str, run_id: int) -> HttpResponse:
        tenant = tenant_or_404(slug)
        run = _run_or_404(tenant, run_id)
        try:
            run = provisioning_retry(run=run, actor=actor_of(request))
        except ProvisioningRefused as exc:
            messages.error(request, str(exc))
        else:
            queue_run(request, run)
            messages.success(request, _("The run is queued again; done steps are skipped."))
        return to_detail(tenant, "provisioning")


class RunCancelView(TenantPostView):
    def post(self, request: HttpRequest, slug: str, run_id: int) -> HttpResponse:
        tenant = tenant_or_404(slug)
        run = _run_or_404(tenant, run_id)
        try:
            provisioning_cancel(run=run, actor=actor_of(request))
        except ProvisioningRefused as exc:
            messages.error(request, str(exc))
        else:
            messages.success(
                request,
                _("The run is cancelled and undone; %(name)s is a prospect again.")
                % {"name": tenant.name},
            )
        return to_detail(tenant, "provisioning")
