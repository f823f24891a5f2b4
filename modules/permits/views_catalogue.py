"""The regency's service catalogue and holiday calendar, kept by its admins and its
regency-wide back office."""

import datetime

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views import View

from core.models import Holiday
from core.workdays import holiday_create, holiday_delete, holidays_national_seed, local_today
from modules.permits.catalogue import (
    MASTER_FIELDS,
    master_read,
    service_type_active_set,
    service_type_create,
    service_type_revert,
    service_type_update,
)
from modules.permits.catalogue.rules import fee_describe
from modules.permits.forms_catalogue import HolidayForm, ServiceTypeForm
from modules.permits.models import ServiceType
from modules.permits.views_common import (
    CatalogueAdminRequiredMixin,
    CatalogueReaderMixin,
    is_catalogue_admin,
    staff_user,
)


class CatalogueListView(CatalogueReaderMixin, View):
    def get(self, request: HttpRequest) -> HttpResponse:
        services = list(
            ServiceType.objects.select_related("handling_unit")
            .prefetch_related("delegated_kecamatan")
            .order_by("kind", "category", "name")
        )
        kind = request.GET.get("kind", "")
        if kind in ServiceType.Kind.values:
            services = [service for service in services if service.kind == kind]
        master = master_read()
        return render(
            request,
            "permits/catalogue_list.html",
            {
                "services": services,
                "fees": {service.pk: fee_describe(service.fee_rule) for service in services},
                "kind": kind,
                "kinds": ServiceType.Kind.choices,
                "may_edit": is_catalogue_admin(staff_user(request)),
                "master_version": master.version,
            },
        )


class ServiceCreateView(CatalogueAdminRequiredMixin, View):
    """A service of the regency's own, not in Sragen's master."""

    def get(self, request: HttpRequest) -> HttpResponse:
        form = ServiceTypeForm(
            creating=True,
            initial={"legal_days": 5, "target_days": 3, "validity_months": 0, "fee_kind": "free"},
        )
        return self.page(request, form)

    def post(self, request: HttpRequest) -> HttpResponse:
        form = ServiceTypeForm(request.POST, creating=True)
        if form.is_valid():
            code = form.cleaned_data["code"]
            if ServiceType.objects.filter(code=code).exists():
                form.add_error("code", _("A service with this code exists."))
            else:
                user = staff_user(request)
                try:
                    service = service_type_create(
                        values={"code": code, "is_active": True, **form.values()},
                        actor_email=user.email,
                        actor_name=user.full_name,
                    )
                except ValidationError as error:
                    form.add_error(None, error)
                else:
                    messages.success(request, _("%(name)s was added.") % {"name": service.name})
                    return redirect("permits:catalogue")
        return self.page(request, form, status=400)

    def page(self, request: HttpRequest, form: ServiceTypeForm, status: int = 200) -> HttpResponse:
        return render(
            request,
            "permits/catalogue_form.html",
            {"form": form, "service": None, "steps": _step_fields(form)},
            status=status,
        )


def _step_fields(form: ServiceTypeForm) -> list[object]:
    return [form[name] for name in form.fields if name.startswith("step_")]


class ServiceEditView(CatalogueAdminRequiredMixin, View):
    """Edit an entry; for a master entry each changed field becomes an override."""

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        service = get_object_or_404(ServiceType, pk=pk)
        form = ServiceTypeForm(creating=False, initial=ServiceTypeForm.initial_for(service))
        return self.page(request, service, form)

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        service = get_object_or_404(ServiceType, pk=pk)
        form = ServiceTypeForm(
            request.POST, creating=False, initial=ServiceTypeForm.initial_for(service)
        )
        if form.is_valid():
            user = staff_user(request)
            try:
                changed = service_type_update(
                    service=service,
                    changes=form.values(),
                    actor_email=user.email,
                    actor_name=user.full_name,
                )
            except ValidationError as error:
                form.add_error(None, error)
            else:
                if changed:
                    messages.success(
                        request, _("Saved: %(fields)s.") % {"fields": ", ".join(changed)}
                    )
                else:
                    messages.info(request, _("Nothing changed."))
                return redirect("permits:catalogue_edit", pk=service.pk)
        return self.page(request, service, form, status=400)

    def page(
        self, request: HttpRequest, service: ServiceType, form: ServiceTypeForm, status: int = 200
    ) -> HttpResponse:
        return render(
            request,
            "permits/catalogue_form.html",
            {
                "form": form,
                "service": service,
                "steps": _step_fields(form),
                "overridden": [name for name in service.overridden_fields if name in MASTER_FIELDS],
                "in_master": service.master_code in master_read().entries,
            },
            status=status,
        )


class ServiceRevertView(CatalogueAdminRequiredMixin, View):
    """Give one overridden field (or all) Sragen's master value again."""

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        service = get_object_or_404(ServiceType, pk=pk)
        field = request.POST.get("field", "")
        user = staff_user(request)
        try:
            reverted = service_type_revert(
                service=service,
                fields=None if field == "__all__" else [field],
                actor_email=user.email,
                actor_name=user.full_name,
            )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(
                request,
                _("Back to Sragen's master: %(fields)s.") % {"fields": ", ".join(reverted) or "-"},
            )
        return redirect("permits:catalogue_edit", pk=service.pk)


class ServiceActiveView(CatalogueAdminRequiredMixin, View):
    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        service = get_object_or_404(ServiceType, pk=pk)
        active = request.POST.get("active") == "1"
        user = staff_user(request)
        service_type_active_set(
            service=service, active=active, actor_email=user.email, actor_name=user.full_name
        )
        if active:
            messages.success(request, _("%(name)s is offered again.") % {"name": service.name})
        else:
            messages.success(request, _("%(name)s is no longer offered.") % {"name": service.name})
        return redirect("permits:catalogue")


class HolidayListView(CatalogueAdminRequiredMixin, View):
    """The regency's holiday calendar, one year at a time."""

    def year(self, request: HttpRequest) -> int:
        raw = request.GET.get("year", "")
        return int(raw) if raw.isdigit() and 2000 <= int(raw) <= 2100 else local_today().year

    def get(self, request: HttpRequest) -> HttpResponse:
        return self.page(request, HolidayForm(), self.year(request))

    def post(self, request: HttpRequest) -> HttpResponse:
        form = HolidayForm(request.POST)
        year = self.year(request)
        if form.is_valid():
            user = staff_user(request)
            try:
                holiday = holiday_create(
                    date=form.cleaned_data["date"],
                    name=form.cleaned_data["name"],
                    actor_email=user.email,
                    actor_name=user.full_name,
                )
            except ValidationError as error:
                for name, problems in error.message_dict.items():
                    for problem in problems:
                        form.add_error(name if name in form.fields else None, problem)
            else:
                messages.success(request, _("Holiday added."))
                return redirect(f"{request.path}?year={holiday.date.year}")
        return self.page(request, form, year, status=400)

    def page(
        self, request: HttpRequest, form: HolidayForm, year: int, status: int = 200
    ) -> HttpResponse:
        holidays = Holiday.objects.filter(
            date__gte=datetime.date(year, 1, 1), date__lte=datetime.date(year, 12, 31)
        )
        return render(
            request,
            "permits/holidays.html",
            {"form": form, "holidays": holidays, "year": year},
            status=status,
        )


class HolidayDeleteView(CatalogueAdminRequiredMixin, View):
    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        holiday = get_object_or_404(Holiday, pk=pk)
        user = staff_user(request)
        holiday_delete(holiday=holiday, actor_email=user.email, actor_name=user.full_name)
        messages.success(request, _("Holiday removed."))
        return redirect(f"{reverse('permits:holidays')}?year={holiday.date.year}")


class HolidaySeedView(CatalogueAdminRequiredMixin, View):
    """Add the national holidays and cuti bersama the calendar lacks."""

    def post(self, request: HttpRequest) -> HttpResponse:
        added = holidays_national_seed()
        messages.success(request, _("%(count)s national holidays added.") % {"count": added})
        return redirect("permits:holidays")
