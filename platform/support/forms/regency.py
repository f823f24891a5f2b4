"""Forms of the regency's side of the desk."""

from typing import Any

from django import forms
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from core.forms import BootstrapFormMixin
from support.forms.common import attachments_field, module_field_choices
from support.models import Category, Priority, Ticket


def safe_source_path(value: str, host: str) -> str:
    """The page a ticket came from, as a path on this same host, or ""."""
    value = (value or "").strip()[:500]
    if not value or not url_has_allowed_host_and_scheme(value, allowed_hosts={host}):
        return ""
    # Keep the path (and query) only: a full URL of this host becomes its path.
    if "://" in value:
        value = value.split("://", 1)[1]
        value = "/" + value.split("/", 1)[1] if "/" in value else "/"
    return value if value.startswith("/") and not value.startswith("//") else ""


class TicketForm(BootstrapFormMixin, forms.Form):
    subject = forms.CharField(label=_("Subject"), max_length=200)
    category = forms.ChoiceField(label=_("Category"), choices=Category.choices)
    priority = forms.ChoiceField(
        label=_("Priority"),
        choices=Priority.choices,
        initial=Priority.NORMAL,
        help_text=_("Critical: a service to citizens has stopped and there is no workaround."),
    )
    module = forms.ChoiceField(label=_("Module"))
    body = forms.CharField(
        label=_("Description"),
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=_("What happened, what you expected, and the steps to see it again."),
    )
    attachments = attachments_field()
    source_path = forms.CharField(widget=forms.HiddenInput, required=False)
    follow_up_of = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args: Any, host: str = "", suggest_url: str = "", **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.host = host
        field = self.fields["module"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = module_field_choices()
        if suggest_url:
            # As the subject is typed, matching articles appear beside the form.
            self.fields["subject"].widget.attrs.update(
                {
                    "autocomplete": "off",
                    "hx-get": suggest_url,
                    "hx-trigger": "keyup changed delay:400ms",
                    "hx-target": "#kb-suggestions",
                }
            )

    def clean_source_path(self) -> str:
        return safe_source_path(self.cleaned_data.get("source_path", ""), self.host)


class ReplyForm(BootstrapFormMixin, forms.Form):
    body = forms.CharField(label=_("Your reply"), widget=forms.Textarea(attrs={"rows": 5}))
    attachments = attachments_field()


class RatingForm(BootstrapFormMixin, forms.Form):
    rating = forms.TypedChoiceField(
        label=_("How well was your request resolved?"),
        choices=[(n, str(n)) for n in range(1, 6)],
        coerce=int,
        widget=forms.RadioSelect,
    )
    comment = forms.CharField(
        label=_("Comment"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Radio buttons take Bootstrap's check class per option, not form-control.
        self.fields["rating"].widget.attrs["class"] = "form-check-input"


def ticket_initial(ticket: Ticket | None) -> dict[str, Any]:
    if ticket is None:
        return {}
    subject = gettext("%(subject)s (follow-up of %(ref)s)") % {
        "subject": ticket.subject,
        "ref": ticket.reference,
    }
    return {"follow_up_of": ticket.pk, "subject": subject[:200]}
