"""Service-level plans in the console: the plans with their targets, a plan's
page (targets, its regencies, giving a regency the plan), a new plan, and a
regency's plan (reached from the queue and from tickets). Engineers only."""

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views import View

from console.permissions import EngineerRequiredMixin
from core.forms import errors_onto_form
from support.forms.plans import PlanAssignForm, PlanForm, TenantPlanForm
from support.models import SupportPlan
from support.selectors.plans import plan_overview, regency_plans, target_rows
from support.services.plans import (
    WORKING_DAY_MINUTES,
    PlanAssignment,
    plan_create,
    plan_targets,
    plan_update,
    tenant_plan_assign,
)
from support.sla import plan_for
from support.views.console_tickets import engineer_actor
from tenants.models import Tenant


def moved_text(count: int) -> str:
    if not count:
        return _("No open ticket had to move.")
    return ngettext(
        "%(count)d open ticket has new deadlines.",
        "%(count)d open tickets have new deadlines.",
        count,
    ) % {"count": count}


def _assignment_message(request: HttpRequest, done: PlanAssignment) -> None:
    names = {"regency": done.tenant.name, "plan": done.after.name}
    if not done.changed:
        messages.info(request, _("%(regency)s already has the %(plan)s plan.") % names)
        return
    messages.success(
        request,
        _("%(regency)s now has the %(plan)s plan.") % names
        + " "
        + moved_text(len(done.tickets_moved)),
    )


class PlanListView(EngineerRequiredMixin, View):
    def get(self, request: HttpRequest) -> HttpResponse:
        return render(
            request,
            "support/console/plan_list.html",
            {"plans": plan_overview(), "regencies": regency_plans()},
        )


def _plan_form_page(
    request: HttpRequest,
    *,
    form: PlanForm,
    plan: SupportPlan | None,
    assign_form: PlanAssignForm | None = None,
    status: int = 200,
) -> HttpResponse:
    context: dict[str, Any] = {
        "form": form,
        "plan": plan,
        "working_day": WORKING_DAY_MINUTES,
    }
    if plan is not None:
        context["regencies"] = [
            row for row in regency_plans() if row.plan is not None and row.plan.pk == plan.pk
        ]
        context["assign_form"] = assign_form or PlanAssignForm()
    return render(request, "support/console/plan_form.html", context, status=status)


class PlanCreateView(EngineerRequiredMixin, View):
    def get(self, request: HttpRequest) -> HttpResponse:
        # Starts from the default plan's targets: a new plan is usually a variation.
        default = SupportPlan.objects.filter(is_default=True).first()
        form = PlanForm(initial=PlanForm.initial_for("", plan_targets(default)))
        return _plan_form_page(request, form=form, plan=None)

    def post(self, request: HttpRequest) -> HttpResponse:
        form = PlanForm(request.POST)
        if form.is_valid():
            try:
                plan = plan_create(
                    actor=engineer_actor(request),
                    name=form.cleaned_data["name"],
                    targets=form.targets(),
                )
            except ValidationError as exc:
                errors_onto_form(form, exc)
            else:
                messages.success(
                    request,
                    _("Plan %(plan)s created; give it to regencies below.") % {"plan": plan.name},
                )
                return redirect("support_console:plan_edit", pk=plan.pk)
        return _plan_form_page(request, form=form, plan=None, status=400)


class PlanEditView(EngineerRequiredMixin, View):
    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        plan = get_object_or_404(SupportPlan, pk=pk)
        form = PlanForm(initial=PlanForm.initial_for(plan.name, plan_targets(plan)))
        return _plan_form_page(request, form=form, plan=plan)

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        plan = get_object_or_404(SupportPlan, pk=pk)
        form = PlanForm(request.POST)
        if form.is_valid():
            try:
                change = plan_update(
                    actor=engineer_actor(request),
                    plan=plan,
                    name=form.cleaned_data["name"],
                    targets=form.targets(),
                )
            except ValidationError as exc:
                errors_onto_form(form, exc)
            else:
                messages.success(
                    request,
                    _("Plan %(plan)s saved.") % {"plan": change.plan.name}
                    + " "
                    + moved_text(len(change.tickets_moved)),
                )
                return redirect("support_console:plan_edit", pk=plan.pk)
        return _plan_form_page(request, form=form, plan=plan, status=400)


class PlanAssignView(EngineerRequiredMixin, View):
    """From a plan's page: give a regency this plan."""

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        return redirect("support_console:plan_edit", pk=pk)

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        plan = get_object_or_404(SupportPlan, pk=pk)
        assign_form = PlanAssignForm(request.POST)
        if assign_form.is_valid():
            try:
                done = tenant_plan_assign(
                    actor=engineer_actor(request),
                    tenant=assign_form.cleaned_data["tenant"],
                    plan=plan,
                )
            except ValidationError as exc:
                errors_onto_form(assign_form, exc)
            else:
                _assignment_message(request, done)
                return redirect("support_console:plan_edit", pk=plan.pk)
        form = PlanForm(initial=PlanForm.initial_for(plan.name, plan_targets(plan)))
        return _plan_form_page(request, form=form, plan=plan, assign_form=assign_form, status=400)


class TenantPlanView(EngineerRequiredMixin, View):
    """A regency's plan: what its tickets are measured against, and changing it."""

    def _tenant(self, slug: str) -> Tenant:
        return get_object_or_404(Tenant.objects.regencies(), slug=slug)

    def get(self, request: HttpRequest, slug: str) -> HttpResponse:
        tenant = self._tenant(slug)
        current = plan_for(tenant.pk)
        return self._render(request, tenant, TenantPlanForm(initial={"plan": current}))

    def post(self, request: HttpRequest, slug: str) -> HttpResponse:
        tenant = self._tenant(slug)
        form = TenantPlanForm(request.POST)
        if form.is_valid():
            try:
                done = tenant_plan_assign(
                    actor=engineer_actor(request), tenant=tenant, plan=form.cleaned_data["plan"]
                )
            except ValidationError as exc:
                errors_onto_form(form, exc)
            else:
                _assignment_message(request, done)
                return redirect("support_console:tenant_plan", slug=tenant.slug)
        return self._render(request, tenant, form, status=400)

    def _render(
        self, request: HttpRequest, tenant: Tenant, form: TenantPlanForm, status: int = 200
    ) -> HttpResponse:
        row = next(row for row in regency_plans() if row.tenant.pk == tenant.pk)
        return render(
            request,
            "support/console/plan_tenant.html",
            {
                "tenant": tenant,
                "row": row,
                "targets": target_rows(plan_targets(row.plan)),
                "form": form,
            },
            status=status,
        )
