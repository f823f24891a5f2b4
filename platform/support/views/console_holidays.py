"""The desk's holidays in the console: the list by year, adding a day and
removing a future one. Engineers only."""

from urllib.parse import urlencode

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import formats
from django.utils.translation import gettext as _
from django.views import View

from console.permissions import EngineerRequiredMixin
from core.forms import errors_onto_form
from support.forms.plans import HolidayForm
from support.models import Holiday
from support.selectors.plans import holiday_years, holidays_in
from support.services.holidays import desk_today, holiday_add, holiday_delete
from support.views.console_plans import moved_text
from support.views.console_tickets import engineer_actor

FIRST_YEAR, LAST_YEAR = 2000, 2100


def _year(value: str | None, default: int) -> int:
    try:
        year = int(value or default)
    except ValueError:
        return default
    return year if FIRST_YEAR <= year <= LAST_YEAR else default


def _list_url(year: int) -> str:
    return f"{reverse('support_console:holiday_list')}?{urlencode({'year': year})}"


class HolidayListView(EngineerRequiredMixin, View):
    def get(self, request: HttpRequest) -> HttpResponse:
        today = desk_today()
        year = _year(request.GET.get("year"), today.year)
        return self._render(request, year, HolidayForm())

    def post(self, request: HttpRequest) -> HttpResponse:
        today = desk_today()
        form = HolidayForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            try:
                change = holiday_add(
                    actor=engineer_actor(request),
                    day=data["date"],
                    name=data["name"],
                    kind=data["kind"],
                )
            except ValidationError as exc:
                errors_onto_form(form, exc)
            else:
                day = change.holiday.date
                messages.success(
                    request,
                    _("%(date)s added: the desk is closed that day.")
                    % {"date": formats.date_format(day, "DATE_FORMAT")}
                    + " "
                    + moved_text(len(change.tickets_moved)),
                )
                return redirect(_list_url(day.year))
        year = _year(request.GET.get("year"), today.year)
        return self._render(request, year, form, status=400)

    def _render(
        self, request: HttpRequest, year: int, form: HolidayForm, status: int = 200
    ) -> HttpResponse:
        today = desk_today()
        return render(
            request,
            "support/console/holiday_list.html",
            {
                "year": year,
                "years": holiday_years(today),
                "rows": [(day, day.date > today) for day in holidays_in(year)],
                "form": form,
                "today": today,
            },
            status=status,
        )


class HolidayDeleteView(EngineerRequiredMixin, View):
    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        return redirect("support_console:holiday_list")

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        holiday = get_object_or_404(Holiday, pk=pk)
        try:
            change = holiday_delete(actor=engineer_actor(request), holiday=holiday)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(
                request,
                _("%(date)s removed: the desk works that day.")
                % {"date": formats.date_format(holiday.date, "DATE_FORMAT")}
                + " "
                + moved_text(len(change.tickets_moved)),
            )
        return redirect(_list_url(holiday.date.year))
