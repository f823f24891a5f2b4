"""Expense pages: engineers (and finance) log on-site visits with receipts and
support time; only finance approves or rejects a visit and excludes support time."""

from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views import View

from billing.expenses import (
    ALLOWED,
    FINANCE_MOVES,
    site_visit_receipt_add,
    site_visit_save,
    site_visit_transition,
    support_time_exclude,
    support_time_log,
)
from billing.forms import (
    DecisionForm,
    ReceiptForm,
    SiteVisitForm,
    SupportTimeForm,
    UsageMonthForm,
)
from billing.models import SiteVisit, SupportTime
from billing.money import month_bounds
from billing.selectors import site_visits_for_console, support_time_entries
from console.permissions import PlatformStaffRequiredMixin, console_user
from console.views.billing import FINANCE, FinanceRequiredMixin
from console.views.common import actor_of
from core.forms import errors_onto_form

V = SiteVisit.Status


def is_finance(request: HttpRequest) -> bool:
    return console_user(request).platform_role in FINANCE


def visit_or_404(visit_id: int) -> SiteVisit:
    visit = SiteVisit.objects.select_related("tenant").filter(pk=visit_id).first()
    if visit is None:
        raise Http404(_("There is no such site visit."))
    return visit


class SiteVisitListView(PlatformStaffRequiredMixin, View):
    def get(self, request: HttpRequest) -> HttpResponse:
        status = request.GET.get("status", "")
        if status not in V.values:
            status = ""
        return render(
            request,
            "billing/console/site_visits.html",
            {
                "visits": list(site_visits_for_console(status=status)[:200]),
                "status": status,
                "statuses": V.choices,
                "is_finance": is_finance(request),
            },
        )


class SiteVisitCreateView(PlatformStaffRequiredMixin, View):
    template_name = "billing/console/site_visit_form.html"

    def get(self, request: HttpRequest) -> HttpResponse:
        return render(request, self.template_name, {"form": SiteVisitForm()})

    def post(self, request: HttpRequest) -> HttpResponse:
        form = SiteVisitForm(request.POST)
        if form.is_valid():
            try:
                visit = site_visit_save(actor=actor_of(request), **form.cleaned_data)
            except ValidationError as exc:
                errors_onto_form(form, exc)
            else:
                messages.success(
                    request,
                    _("The visit is saved as a draft: attach its receipts, then submit it."),
                )
                return redirect("billing_site_visit", visit_id=visit.pk)
        return render(request, self.template_name, {"form": form}, status=400)


def _visit_context(
    request: HttpRequest, visit: SiteVisit, bound: dict[str, forms.BaseForm] | None = None
) -> dict[str, Any]:
    bound = bound or {}
    finance = is_finance(request)
    moves = [s for s in sorted(ALLOWED[visit.status]) if finance or s not in FINANCE_MOVES]
    return {
        "visit": visit,
        "receipts": list(visit.receipts.all()),
        "transitions": list(visit.transitions.all()),
        "edit_form": bound.get("edit") or SiteVisitForm(instance=visit, prefix="edit"),
        "receipt_form": bound.get("receipt") or ReceiptForm(prefix="receipt"),
        "decision_form": bound.get("decision") or DecisionForm(prefix="decision"),
        "moves": [(s, V(s).label) for s in moves],
        "is_finance": finance,
        "editable": visit.status == V.DRAFT,
    }


def _render_visit(
    request: HttpRequest, visit: SiteVisit, bound: dict[str, forms.BaseForm] | None = None
) -> HttpResponse:
    return render(
        request,
        "billing/console/site_visit_detail.html",
        _visit_context(request, visit, bound),
        status=400 if bound else 200,
    )


class SiteVisitDetailView(PlatformStaffRequiredMixin, View):
    def get(self, request: HttpRequest, visit_id: int) -> HttpResponse:
        return _render_visit(request, visit_or_404(visit_id))

    def post(self, request: HttpRequest, visit_id: int) -> HttpResponse:
        visit = visit_or_404(visit_id)
        form = SiteVisitForm(request.POST, instance=SiteVisit(pk=visit.pk), prefix="edit")
        if form.is_valid():
            try:
                site_visit_save(actor=actor_of(request), visit=visit, **form.cleaned_data)
            except ValidationError as exc:
                errors_onto_form(form, exc)
            else:
                messages.success(request, _("Saved."))
                return redirect("billing_site_visit", visit_id=visit.pk)
        return _render_visit(request, visit_or_404(visit_id), {"edit": form})


class ReceiptUploadView(PlatformStaffRequiredMixin, View):
    def post(self, request: HttpRequest, visit_id: int) -> HttpResponse:
        visit = visit_or_404(visit_id)
        form = ReceiptForm(request.POST, request.FILES, prefix="receipt")
        if form.is_valid():
            try:
                site_visit_receipt_add(
                    visit=visit,
                    file=form.cleaned_data["file"],
                    description=form.cleaned_data["description"],
                    actor=actor_of(request),
                )
            except ValidationError as exc:
                errors_onto_form(form, exc)
            else:
                messages.success(request, _("Receipt attached."))
                return redirect("billing_site_visit", visit_id=visit.pk)
        return _render_visit(request, visit, {"receipt": form})


class ReceiptDownloadView(PlatformStaffRequiredMixin, View):
    def get(self, request: HttpRequest, visit_id: int, receipt_id: int) -> FileResponse:
        receipt = visit_or_404(visit_id).receipts.filter(pk=receipt_id).first()
        if receipt is None:
            raise Http404(_("There is no such receipt."))
        return FileResponse(
            receipt.file.open("rb"), as_attachment=True, filename=receipt.original_name
        )


class SiteVisitMoveView(PlatformStaffRequiredMixin, View):
    """Submit or withdraw (anyone on staff); approve or reject (finance only)."""

    def post(self, request: HttpRequest, visit_id: int, to_status: str) -> HttpResponse:
        visit = visit_or_404(visit_id)
        if to_status not in V.values:
            raise Http404(_("There is no such status."))
        if to_status in FINANCE_MOVES and not is_finance(request):
            raise PermissionDenied(_("Only finance staff approve or reject visits."))
        form = DecisionForm(request.POST, prefix="decision")
        if form.is_valid():
            try:
                site_visit_transition(
                    visit=visit, to_status=to_status, actor=actor_of(request),
                    reason=form.cleaned_data["reason"],
                )  # fmt: skip
            except ValidationError as exc:
                errors_onto_form(form, exc)
            else:
                messages.success(
                    request, _("The visit is now %(status)s.") % {"status": V(to_status).label}
                )
                return redirect("billing_site_visit", visit_id=visit.pk)
        return _render_visit(request, visit_or_404(visit_id), {"decision": form})


class SupportTimeView(PlatformStaffRequiredMixin, View):
    template_name = "billing/console/support_time.html"

    def get(self, request: HttpRequest) -> HttpResponse:
        return self._render(
            request, SupportTimeForm(initial={"worked_on": timezone.localdate()}, prefix="log")
        )

    def post(self, request: HttpRequest) -> HttpResponse:
        form = SupportTimeForm(request.POST, prefix="log")
        if form.is_valid():
            try:
                support_time_log(actor=actor_of(request), **form.cleaned_data)
            except ValidationError as exc:
                errors_onto_form(form, exc)
            else:
                messages.success(request, _("Support time logged."))
                return redirect("billing_support_time")
        return self._render(request, form, status=400)

    def _render(self, request: HttpRequest, form: forms.Form, status: int = 200) -> HttpResponse:
        month_form = UsageMonthForm(request.GET or None)
        first, last = month_bounds(month_form.first_day())
        return render(
            request,
            self.template_name,
            {
                "form": form,
                "month_form": month_form if month_form.is_bound else UsageMonthForm(),
                "entries": list(support_time_entries(first=first, last=last)[:500]),
                "month": first,
                "is_finance": is_finance(request),
                "exclude_form": DecisionForm(prefix="exclude"),
            },
            status=status,
        )


class SupportTimeExcludeView(FinanceRequiredMixin, View):
    def post(self, request: HttpRequest, entry_id: int) -> HttpResponse:
        entry = SupportTime.objects.select_related("tenant").filter(pk=entry_id).first()
        if entry is None:
            raise Http404(_("There is no such entry."))
        form = DecisionForm(request.POST, prefix="exclude")
        reason = form.cleaned_data["reason"] if form.is_valid() else ""
        try:
            support_time_exclude(entry=entry, actor=actor_of(request), reason=reason)
        except ValidationError as exc:
            for message in exc.messages:
                messages.error(request, message)
        else:
            messages.success(request, _("That time is left out of billing."))
        return redirect("billing_support_time")
