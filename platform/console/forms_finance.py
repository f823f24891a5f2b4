"""The finance view's filter: a range of months (and the export's report and
format). Months are typed as YYYY-MM (`<input type="month">`)."""

import datetime
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from billing.finance import months_between
from core.forms import BootstrapFormMixin

MAX_MONTHS = 36
DEFAULT_MONTHS = 12


class MonthField(forms.Field):
    """YYYY-MM as the first day of that month."""

    widget = forms.TextInput(attrs={"type": "month", "maxlength": "7"})

    def to_python(self, value: Any) -> datetime.date | None:
        text = str(value or "").strip()
        if not text:
            return None
        try:
            return datetime.datetime.strptime(text, "%Y-%m").date()
        except ValueError:
            raise ValidationError(
                _("Enter a month as YYYY-MM, e.g. 2026-03."), code="invalid"
            ) from None

    def prepare_value(self, value: Any) -> Any:
        return value.strftime("%Y-%m") if isinstance(value, datetime.date) else value


def default_range(today: datetime.date) -> tuple[datetime.date, datetime.date]:
    """The last twelve months, the current one included."""
    last = today.replace(day=1)
    first = last
    for _step in range(DEFAULT_MONTHS - 1):
        first = (first - datetime.timedelta(days=1)).replace(day=1)
    return first, last


class FinanceRangeForm(BootstrapFormMixin, forms.Form):
    start = MonthField(label=_("From month"), required=False)
    end = MonthField(label=_("To month"), required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            first, last = default_range(timezone.localdate())
            self.initial = {"start": first, "end": last, **self.initial}

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if self.errors:
            return data
        first, last = default_range(timezone.localdate())
        start = data.get("start") or (first if not data.get("end") else None)
        end = data.get("end") or last
        if start is None:
            assert isinstance(end, datetime.date)
            start = default_range(end)[0]
        if start > end:
            self.add_error("end", _("The last month cannot be before the first."))
        elif len(months_between(start, end)) > MAX_MONTHS:
            self.add_error(
                "end",
                _("Choose at most %(n)s months at once.") % {"n": MAX_MONTHS},
            )
        data["start"], data["end"] = start, end
        return data

    def months(self) -> tuple[datetime.date, datetime.date]:
        """The range asked for, or the default one when the input was refused."""
        if self.is_bound and self.is_valid():
            return self.cleaned_data["start"], self.cleaned_data["end"]
        return default_range(timezone.localdate())
