from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from modules.permits.survey import ELEMENTS, SCORE_LABELS


class TrackForm(forms.Form):
    code = forms.CharField(
        label=_("Tracking code"),
        max_length=64,
        help_text=_("The code on your receipt or in the confirmation message."),
        widget=forms.TextInput(
            attrs={
                "class": "form-control form-control-lg font-monospace",
                "autocomplete": "off",
                "autocapitalize": "off",
                "spellcheck": "false",
                "data-testid": "tracking-code",
            }
        ),
    )


class SurveyForm(forms.Form):
    """The nine IKM elements, each a choice of 1 to 4, and an optional comment."""

    comment = forms.CharField(
        label=_("Suggestions (optional)"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"class": "form-control", "rows": 3}),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choices = [(str(score), label) for score, label in SCORE_LABELS.items()]
        for number, element in enumerate(ELEMENTS, start=1):
            self.fields[element.field] = forms.TypedChoiceField(
                label=f"U{number}. {element.label}",
                choices=choices,
                coerce=int,
                widget=forms.RadioSelect(attrs={"class": "form-check-input"}),
                error_messages={"required": _("Choose a rating for this element.")},
            )
        # The comment comes after the nine ratings.
        self.order_fields([element.field for element in ELEMENTS] + ["comment"])

    def element_fields(self) -> list[forms.BoundField]:
        return [self[element.field] for element in ELEMENTS]

    def scores(self) -> list[int]:
        return [int(self.cleaned_data[element.field]) for element in ELEMENTS]
