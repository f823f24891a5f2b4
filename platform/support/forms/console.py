"""Forms of the engineers' side of the desk (the console)."""

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from billing.models import SiteVisit
from core.forms import BootstrapFormMixin
from support.forms.common import attachments_field, module_field_choices
from support.models import CannedReply, Category, KnowledgeArticle, Priority, Ticket
from support.selectors.tickets import QueueFilters
from tenants.models import Tenant

S = Ticket.Status


def _choices(field: forms.Field) -> forms.ChoiceField:
    assert isinstance(field, forms.ChoiceField)
    return field


class QueueFilterForm(BootstrapFormMixin, forms.Form):
    status = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=[("", _("Active")), ("all", _("All")), *S.choices],
    )
    priority = forms.ChoiceField(
        label=_("Priority"), required=False, choices=[("", _("Any")), *Priority.choices]
    )
    tenant = forms.ChoiceField(label=_("Regency"), required=False)
    assignee = forms.ChoiceField(label=_("Assignee"), required=False)
    category = forms.ChoiceField(
        label=_("Category"), required=False, choices=[("", _("Any")), *Category.choices]
    )
    sla = forms.ChoiceField(
        label=_("Service level"),
        required=False,
        choices=[("", _("Any")), ("at_risk", _("At risk")), ("breached", _("Breached"))],
    )
    q = forms.CharField(label=_("Search"), required=False, max_length=100)

    def __init__(self, *args: Any, engineers: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _choices(self.fields["tenant"]).choices = [("", _("Any"))] + [
            (t.slug, t.name) for t in Tenant.objects.regencies().order_by("name")
        ]
        _choices(self.fields["assignee"]).choices = [
            ("", _("Anyone")),
            ("none", _("Unassigned")),
            *engineers,
        ]

    def filters(self) -> QueueFilters:
        data = self.cleaned_data if self.is_valid() else {}
        return QueueFilters(**{name: data.get(name) or "" for name in self.fields})


class SavedViewForm(BootstrapFormMixin, forms.Form):
    name = forms.CharField(label=_("Save this view as"), max_length=60)
    querystring = forms.CharField(widget=forms.HiddenInput, required=False, max_length=500)


class EngineerReplyForm(BootstrapFormMixin, forms.Form):
    kind = forms.ChoiceField(
        label=_("Kind"),
        choices=[("reply", _("Reply to the regency")), ("note", _("Internal note"))],
        initial="reply",
        widget=forms.RadioSelect,
    )
    body = forms.CharField(label=_("Message"), widget=forms.Textarea(attrs={"rows": 7}))
    minutes = forms.IntegerField(
        label=_("Time spent (minutes)"),
        required=False,
        min_value=1,
        max_value=24 * 60,
        help_text=_("Billed to the regency as support time."),
    )
    next_status = forms.ChoiceField(
        label=_("Then set the ticket to"),
        required=False,
        choices=[
            ("", _("Keep as it is")),
            (S.OPEN, S.OPEN.label),
            (S.WAITING, S.WAITING.label),
            (S.RESOLVED, S.RESOLVED.label),
        ],
    )
    attachments = attachments_field()

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["kind"].widget.attrs["class"] = "form-check-input"
        self.fields["body"].widget.attrs["data-reply-body"] = "1"


class AssignForm(BootstrapFormMixin, forms.Form):
    assignee = forms.ChoiceField(label=_("Assignee"), required=False)

    def __init__(self, *args: Any, engineers: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _choices(self.fields["assignee"]).choices = [("", _("Nobody")), *engineers]


class ClassifyForm(BootstrapFormMixin, forms.Form):
    priority = forms.ChoiceField(label=_("Priority"), choices=Priority.choices)
    category = forms.ChoiceField(label=_("Category"), choices=Category.choices)
    module = forms.ChoiceField(label=_("Module"))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _choices(self.fields["module"]).choices = module_field_choices()


class TransitionForm(BootstrapFormMixin, forms.Form):
    to_status = forms.ChoiceField(label=_("New status"), choices=S.choices)
    reason = forms.CharField(label=_("Reason"), max_length=500)


class MergeForm(BootstrapFormMixin, forms.Form):
    target = forms.IntegerField(
        label=_("Merge into ticket number"),
        min_value=1,
        help_text=_("This ticket is closed as a duplicate; its messages move to that ticket."),
    )
    reason = forms.CharField(label=_("Reason"), max_length=500)


class SiteVisitForm(BootstrapFormMixin, forms.Form):
    site_visit = forms.ModelChoiceField(
        label=_("On-site visit"),
        queryset=SiteVisit.objects.none(),
        required=False,
        empty_label=_("None"),
    )

    def __init__(self, *args: Any, ticket: Ticket, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["site_visit"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = SiteVisit.objects.filter(tenant_id=ticket.tenant_id).order_by("-starts_on")


class CannedReplyForm(BootstrapFormMixin, forms.ModelForm):
    class Meta:
        model = CannedReply
        fields = ["title", "body"]
        widgets = {"body": forms.Textarea(attrs={"rows": 8})}


class ArticleForm(BootstrapFormMixin, forms.ModelForm):
    module = forms.ChoiceField(label=_("Module"))

    class Meta:
        model = KnowledgeArticle
        fields = ["title", "category", "module", "body", "is_published"]
        widgets = {"body": forms.Textarea(attrs={"rows": 14})}
        help_texts = {
            "body": _(
                "Plain text. Leave a blank line between paragraphs; web addresses become links."
            )
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _choices(self.fields["module"]).choices = module_field_choices()
