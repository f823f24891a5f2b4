"""Finance's set-up pages: the price book, subscriptions, usage per month, and
the payment terms and dunning policy. Finance staff only."""

from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views import View

from billing.dunning import billing_policy, billing_policy_update
from billing.forms import (
    BillingPolicyForm,
    MeterPriceForm,
    ModulePriceForm,
    PriceBookVersionCreateForm,
    PriceBookVersionForm,
    SubscriptionEndForm,
    SubscriptionForm,
    UsageMonthForm,
)
from billing.models import PriceBookVersion, Subscription
from billing.money import month_bounds
from billing.pricebook import (
    meter_price_set,
    module_price_set,
    price_book_version_create,
    price_book_version_publish,
    price_book_version_update,
)
from billing.selectors import usage_totals
from billing.subscriptions import subscription_create, subscription_end
from billing.usage import known_meters
from console.views.billing import FinanceRequiredMixin
from console.views.common import actor_of
from core.forms import errors_onto_form
from core.modules import installed_modules
from tenants.models import Tenant


def version_or_404(version_id: int) -> PriceBookVersion:
    version = PriceBookVersion.objects.filter(pk=version_id).first()
    if version is None:
        raise Http404(_("There is no such price-book version."))
    return version


class PriceBookView(FinanceRequiredMixin, View):
    template_name = "billing/console/price_book.html"

    def get(self, request: HttpRequest) -> HttpResponse:
        return self._render(request, PriceBookVersionCreateForm())

    def post(self, request: HttpRequest) -> HttpResponse:
        form = PriceBookVersionCreateForm(request.POST)
        if form.is_valid():
            try:
                version = price_book_version_create(
                    name=form.cleaned_data["name"],
                    effective_from=form.cleaned_data["effective_from"],
                    actor=actor_of(request),
                )
            except ValidationError as exc:
                errors_onto_form(form, exc)
            else:
                messages.success(request, _("Draft %(name)s created.") % {"name": version.name})
                return redirect("billing_price_book_version", version_id=version.pk)
        return self._render(request, form, status=400)

    def _render(self, request: HttpRequest, form: forms.Form, status: int = 200) -> HttpResponse:
        return render(
            request,
            self.template_name,
            {"versions": list(PriceBookVersion.objects.all()), "form": form},
            status=status,
        )


def _version_context(
    version: PriceBookVersion, bound: dict[str, forms.BaseForm] | None = None
) -> dict[str, Any]:
    bound = bound or {}
    module_prices = {p.module_code: p for p in version.module_prices.all()}
    meter_prices = {p.meter: p for p in version.meter_prices.all()}
    modules = []
    for module in installed_modules():
        price = module_prices.get(module.code)
        initial = (
            {
                "installation_rupiah": price.installation_rupiah,
                "monthly_rupiah": price.monthly_rupiah,
                "yearly_rupiah": price.yearly_rupiah,
                "included_support_hours": price.included_support_hours,
            }
            if price
            else {}
        )
        modules.append(
            {
                "code": module.code,
                "label": module.label_text or module.code,
                "price": price,
                "form": bound.get(f"module_{module.code}")
                or ModulePriceForm(initial=initial, prefix=f"module_{module.code}"),
            }
        )
    meters = [
        {
            "code": code,
            "price": meter_prices.get(code),
            "form": bound.get(f"meter_{code}")
            or MeterPriceForm(
                initial={"unit_rupiah": getattr(meter_prices.get(code), "unit_rupiah", 0)},
                prefix=f"meter_{code}",
            ),
        }
        for code in sorted(known_meters())
    ]
    return {
        "version": version,
        "version_form": bound.get("version")
        or PriceBookVersionForm(instance=version, prefix="version"),
        "modules": modules,
        "meters": meters,
        "used_by": version.invoices.exclude(status="draft").count(),
    }


def _render_version(
    request: HttpRequest, version: PriceBookVersion, bound: dict[str, forms.BaseForm] | None = None
) -> HttpResponse:
    return render(
        request,
        "billing/console/price_book_version.html",
        _version_context(version, bound),
        status=400 if bound else 200,
    )


class PriceBookVersionView(FinanceRequiredMixin, View):
    def get(self, request: HttpRequest, version_id: int) -> HttpResponse:
        return _render_version(request, version_or_404(version_id))

    def post(self, request: HttpRequest, version_id: int) -> HttpResponse:
        version = version_or_404(version_id)
        form = PriceBookVersionForm(
            request.POST, instance=PriceBookVersion(pk=version.pk), prefix="version"
        )
        if form.is_valid():
            try:
                price_book_version_update(
                    version=version,
                    actor=actor_of(request),
                    name=form.cleaned_data["name"],
                    effective_from=form.cleaned_data["effective_from"],
                    tax_rate_bp=form.cleaned_data["tax_rate_bp"],
                    support_hour_rupiah=form.cleaned_data["support_hour_rupiah"],
                    notes=form.cleaned_data["notes"],
                )
            except ValidationError as exc:
                errors_onto_form(form, exc)
            else:
                messages.success(request, _("Saved."))
                return redirect("billing_price_book_version", version_id=version.pk)
        return _render_version(request, version_or_404(version_id), {"version": form})


class ModulePriceView(FinanceRequiredMixin, View):
    def post(self, request: HttpRequest, version_id: int, code: str) -> HttpResponse:
        version = version_or_404(version_id)
        form = ModulePriceForm(request.POST, prefix=f"module_{code}")
        if form.is_valid():
            try:
                module_price_set(
                    version=version, module_code=code, actor=actor_of(request), **form.cleaned_data
                )
            except ValidationError as exc:
                errors_onto_form(form, exc)
            else:
                messages.success(request, _("Prices of %(module)s saved.") % {"module": code})
                return redirect("billing_price_book_version", version_id=version.pk)
        return _render_version(request, version, {f"module_{code}": form})


class MeterPriceView(FinanceRequiredMixin, View):
    def post(self, request: HttpRequest, version_id: int, code: str) -> HttpResponse:
        version = version_or_404(version_id)
        form = MeterPriceForm(request.POST, prefix=f"meter_{code}")
        if form.is_valid():
            try:
                meter_price_set(
                    version=version, meter=code, unit_rupiah=form.cleaned_data["unit_rupiah"],
                    actor=actor_of(request),
                )  # fmt: skip
            except ValidationError as exc:
                errors_onto_form(form, exc)
            else:
                messages.success(request, _("Price of %(meter)s saved.") % {"meter": code})
                return redirect("billing_price_book_version", version_id=version.pk)
        return _render_version(request, version, {f"meter_{code}": form})


class PriceBookPublishView(FinanceRequiredMixin, View):
    def post(self, request: HttpRequest, version_id: int) -> HttpResponse:
        version = version_or_404(version_id)
        try:
            price_book_version_publish(version=version, actor=actor_of(request))
        except ValidationError as exc:
            for message in exc.messages:
                messages.error(request, message)
        else:
            messages.success(
                request,
                _("%(name)s is published: invoices from %(day)s use it; it can no longer change.")
                % {"name": version.name, "day": version.effective_from},
            )
        return redirect("billing_price_book_version", version_id=version.pk)


class SubscriptionListView(FinanceRequiredMixin, View):
    template_name = "billing/console/subscriptions.html"

    def get(self, request: HttpRequest) -> HttpResponse:
        return self._render(request, SubscriptionForm(prefix="new"))

    def post(self, request: HttpRequest) -> HttpResponse:
        form = SubscriptionForm(request.POST, prefix="new")
        if form.is_valid():
            try:
                subscription_create(actor=actor_of(request), **form.cleaned_data)
            except ValidationError as exc:
                errors_onto_form(form, exc)
            else:
                messages.success(request, _("The subscription is recorded."))
                return redirect("billing_subscriptions")
        return self._render(request, form, status=400)

    def _render(self, request: HttpRequest, form: forms.Form, status: int = 200) -> HttpResponse:
        subscriptions = Subscription.objects.select_related("tenant").order_by(
            "tenant__name", "module_code", "-starts_on"
        )
        return render(
            request,
            self.template_name,
            {
                "subscriptions": list(subscriptions),
                "form": form,
                "end_form": SubscriptionEndForm(initial={"ends_on": timezone.localdate()}),
            },
            status=status,
        )


class SubscriptionEndView(FinanceRequiredMixin, View):
    def post(self, request: HttpRequest, subscription_id: int) -> HttpResponse:
        subscription = (
            Subscription.objects.select_related("tenant").filter(pk=subscription_id).first()
        )
        if subscription is None:
            raise Http404(_("There is no such subscription."))
        form = SubscriptionEndForm(request.POST)
        if not form.is_valid():
            messages.error(request, _("Enter the subscription's last day."))
            return redirect("billing_subscriptions")
        try:
            subscription_end(
                subscription=subscription,
                ends_on=form.cleaned_data["ends_on"],
                actor=actor_of(request),
            )
        except ValidationError as exc:
            for message in exc.messages:
                messages.error(request, message)
        else:
            messages.success(
                request,
                _("The subscription ends on %(day)s.") % {"day": form.cleaned_data["ends_on"]},
            )
        return redirect("billing_subscriptions")


class UsageView(FinanceRequiredMixin, View):
    """Usage per regency and meter for one month (the same totals the run bills)."""

    def get(self, request: HttpRequest) -> HttpResponse:
        form = UsageMonthForm(request.GET or None)
        first, last = month_bounds(form.first_day())
        totals = usage_totals(first=first, last=last)
        meters = sorted({meter for row in totals.values() for meter in row})
        tenants = Tenant.objects.in_bulk(totals.keys())
        rows = [
            {"tenant": tenants[tid], "counts": [totals[tid].get(m, 0) for m in meters]}
            for tid in sorted(totals, key=lambda t: tenants[t].name)
        ]
        return render(
            request,
            "billing/console/usage.html",
            {
                "form": form if form.is_bound else UsageMonthForm(),
                "month": first,
                "meters": meters,
                "rows": rows,
            },
        )


class BillingPolicyView(FinanceRequiredMixin, View):
    template_name = "billing/console/policy.html"

    def get(self, request: HttpRequest) -> HttpResponse:
        return render(
            request, self.template_name, {"form": BillingPolicyForm(instance=billing_policy())}
        )

    def post(self, request: HttpRequest) -> HttpResponse:
        form = BillingPolicyForm(request.POST, instance=billing_policy())
        if form.is_valid():
            try:
                billing_policy_update(actor=actor_of(request), **form.cleaned_data)
            except ValidationError as exc:
                errors_onto_form(form, exc)
            else:
                messages.success(request, _("Payment terms and dunning saved."))
                return redirect("billing_policy")
        return render(request, self.template_name, {"form": form}, status=400)
