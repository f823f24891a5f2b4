"""Forms of the finance pages. They check the shape of the input; the services
check the rest, and their errors go back onto the form (core.forms.errors_onto_form)."""

import datetime
from typing import Any, cast

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from billing.models import BillingPolicy, Invoice, PriceBookVersion, SiteVisit, Subscription
from billing.selectors import tenants_billable
from core.forms import BootstrapFormMixin
from core.modules import installed_modules

RUPIAH_HELP = _("Whole rupiah, without dots: 50000000 for Rp 50.000.000.")


def rupiah_field(label: Any, *, required: bool = True) -> forms.IntegerField:
    return forms.IntegerField(label=label, min_value=0, required=required, help_text=RUPIAH_HELP)


def month_choices() -> list[tuple[str, str]]:
    """The last 24 months, newest first, as (YYYY-MM-01, MM/YYYY)."""
    today = timezone.localdate().replace(day=1)
    months = []
    for _index in range(24):
        months.append((today.isoformat(), f"{today:%m/%Y}"))
        today = (today - datetime.timedelta(days=1)).replace(day=1)
    return months


def module_choices() -> list[tuple[str, str]]:
    return [(m.code, str(m.label_text or m.code)) for m in installed_modules()]


class TenantChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.name} ({obj.slug})"


class InvoiceRunForm(BootstrapFormMixin, forms.Form):
    month = forms.ChoiceField(label=_("Month"))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choices = month_choices()
        cast(forms.ChoiceField, self.fields["month"]).choices = choices
        self.fields["month"].initial = choices[1][0]  # the month that just ended


class InvoiceFilterForm(BootstrapFormMixin, forms.Form):
    status = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=[("", _("All")), ("overdue", _("Overdue")), *Invoice.Status.choices],
    )
    month = forms.ChoiceField(label=_("Month"), required=False)
    regency = forms.CharField(label=_("Regency (slug)"), required=False, max_length=30)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["month"]).choices = [("", _("All")), *month_choices()]


class InvoiceDraftForm(BootstrapFormMixin, forms.ModelForm):
    class Meta:
        model = Invoice
        fields = ["apbd_code", "notes"]
        widgets = {"notes": forms.Textarea(attrs={"rows": 2})}


class CreditNoteForm(BootstrapFormMixin, forms.Form):
    amount_rupiah = forms.IntegerField(label=_("Amount (Rp)"), min_value=1, help_text=RUPIAH_HELP)
    reason = forms.CharField(
        label=_("Reason"), max_length=500, widget=forms.Textarea(attrs={"rows": 2})
    )


class PaymentForm(BootstrapFormMixin, forms.Form):
    amount_rupiah = forms.IntegerField(label=_("Amount (Rp)"), min_value=1, help_text=RUPIAH_HELP)
    received_on = forms.DateField(
        label=_("Received on"), widget=forms.DateInput(attrs={"type": "date"})
    )
    reference = forms.CharField(label=_("Bank reference"), max_length=120, required=False)


class VoidForm(BootstrapFormMixin, forms.Form):
    reason = forms.CharField(label=_("Reason"), max_length=500)


class PriceBookVersionCreateForm(BootstrapFormMixin, forms.Form):
    name = forms.CharField(label=_("Name"), max_length=100)
    effective_from = forms.DateField(
        label=_("Effective from"), widget=forms.DateInput(attrs={"type": "date"})
    )


class PriceBookVersionForm(BootstrapFormMixin, forms.ModelForm):
    class Meta:
        model = PriceBookVersion
        fields = ["name", "effective_from", "tax_rate_bp", "support_hour_rupiah", "notes"]
        widgets = {
            "effective_from": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "notes": forms.Textarea(attrs={"rows": 2}),
        }


class ModulePriceForm(BootstrapFormMixin, forms.Form):
    installation_rupiah = rupiah_field(_("Installation (one-off)"))
    monthly_rupiah = rupiah_field(_("Per month"))
    yearly_rupiah = rupiah_field(_("Per year"))
    included_support_hours = forms.IntegerField(label=_("Support hours included"), min_value=0)


class MeterPriceForm(BootstrapFormMixin, forms.Form):
    unit_rupiah = rupiah_field(_("Price per unit"))


class SubscriptionForm(BootstrapFormMixin, forms.Form):
    tenant = TenantChoiceField(label=_("Regency"), queryset=tenants_billable())
    module_code = forms.ChoiceField(label=_("Module"))
    plan = forms.ChoiceField(label=_("Plan"), choices=Subscription.Plan.choices)
    starts_on = forms.DateField(
        label=_("First day"), widget=forms.DateInput(attrs={"type": "date"})
    )
    charge_installation = forms.BooleanField(
        label=_("Charge the installation fee"), required=False, initial=True
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["module_code"]).choices = module_choices()


class SubscriptionEndForm(BootstrapFormMixin, forms.Form):
    ends_on = forms.DateField(label=_("Last day"), widget=forms.DateInput(attrs={"type": "date"}))


class BillingPolicyForm(BootstrapFormMixin, forms.ModelForm):
    reminder_days = forms.CharField(
        label=_("Reminders, days overdue"),
        help_text=_("Comma-separated, e.g. 7, 14, 30."),
        required=False,
    )

    class Meta:
        model = BillingPolicy
        fields = [
            "payment_terms_days",
            "suspend_after_days",
            "bank_name",
            "bank_account_number",
            "bank_account_name",
        ]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.instance and not self.is_bound:
            self.initial["reminder_days"] = ", ".join(str(d) for d in self.instance.reminder_days)

    def clean_reminder_days(self) -> list[int]:
        raw = self.cleaned_data.get("reminder_days") or ""
        days = []
        for part in raw.replace(";", ",").split(","):
            part = part.strip()
            if not part:
                continue
            if not part.isdigit() or int(part) <= 0:
                raise forms.ValidationError(_("Enter whole numbers of days, 1 or more."))
            days.append(int(part))
        return days


class SiteVisitForm(BootstrapFormMixin, forms.ModelForm):
    tenant = TenantChoiceField(label=_("Regency"), queryset=tenants_billable())

    class Meta:
        model = SiteVisit
        fields = [
            "tenant",
            "purpose",
            "starts_on",
            "ends_on",
            "people",
            "transport_rupiah",
            "lodging_rupiah",
            "per_diem_rupiah",
        ]
        widgets = {
            "starts_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "ends_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        }

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        starts_on, ends_on = data.get("starts_on"), data.get("ends_on")
        if starts_on and ends_on and ends_on < starts_on:
            # Named here, next to the field, before the model's constraint says it
            # in the database's words.
            self.add_error("ends_on", _("The last day cannot be before the first day."))
        return data


class ReceiptForm(BootstrapFormMixin, forms.Form):
    file = forms.FileField(label=_("Receipt (PDF, JPEG or PNG)"))
    description = forms.CharField(label=_("Description"), max_length=200, required=False)


class DecisionForm(BootstrapFormMixin, forms.Form):
    reason = forms.CharField(label=_("Reason"), max_length=500, required=False)


class SupportTimeForm(BootstrapFormMixin, forms.Form):
    tenant = TenantChoiceField(label=_("Regency"), queryset=tenants_billable())
    worked_on = forms.DateField(label=_("Day"), widget=forms.DateInput(attrs={"type": "date"}))
    minutes = forms.IntegerField(label=_("Minutes"), min_value=1, max_value=24 * 60)
    description = forms.CharField(label=_("What was done"), max_length=300)


class UsageMonthForm(BootstrapFormMixin, forms.Form):
    month = forms.ChoiceField(label=_("Month"))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["month"]).choices = month_choices()

    def first_day(self) -> datetime.date:
        """The first day of the month asked for; this month when none (or no valid one) is."""
        if self.is_valid():
            return datetime.date.fromisoformat(self.cleaned_data["month"])
        return timezone.localdate().replace(day=1)
