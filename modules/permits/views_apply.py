"""Applying: citizens and businesses online (with their account, or as a guest with
a verified email), and the front office at the counter on a citizen's behalf."""

import secrets
from itertools import groupby
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views import View

from modules.permits.catalogue.rules import fee_describe
from modules.permits.forms import ApplyForm, GuestCodeForm, GuestEmailForm, ResubmitForm
from modules.permits.guest import (
    RateLimited,
    code_minutes,
    guest_code_send,
    guest_code_verify,
    guest_email,
    guest_pending,
    guest_pending_set,
)
from modules.permits.models import Application, ServiceType
from modules.permits.notifications import tracking_path
from modules.permits.selectors import applicant_applications, application_clock
from modules.permits.services import Applicant, Business, application_resubmit, application_submit
from modules.permits.views_common import FrontOfficeRequiredMixin, signed_in_user, staff_user
from modules.permits.workflow import S, TransitionRefused
from organisation.models import Desa

SUBMITTED_SESSION_KEY = "permits_submitted"


def services_offered() -> list[tuple[str, list[ServiceType]]]:
    services = ServiceType.objects.filter(is_active=True).order_by("kind", "category", "name")
    return [
        (category or _("Other"), list(items))
        for category, items in groupby(services, key=lambda s: s.category)
    ]


class ApplyStartView(View):
    """Choose a service; guests learn how to continue."""

    def get(self, request: HttpRequest) -> HttpResponse:
        return render(
            request,
            "permits/apply_start.html",
            {
                "groups": services_offered(),
                "guest_email": guest_email(request),
                "signed_in": signed_in_user(request) is not None,
                "form_url_name": "permits:apply_form",
                "fee_describe": fee_describe,
            },
        )


class ApplyGuestView(View):
    """Step 1 for guests: the email address that gets a code."""

    def get(self, request: HttpRequest) -> HttpResponse:
        form = GuestEmailForm(initial={"email": guest_pending(request)})
        return self.page(request, form)

    def post(self, request: HttpRequest) -> HttpResponse:
        form = GuestEmailForm(request.POST)
        if form.is_valid():
            email = form.cleaned_data["email"]
            try:
                guest_code_send(email=email, request=request)
            except RateLimited:
                form.add_error(
                    None, _("Too many codes were asked for. Wait a quarter of an hour and retry.")
                )
                return self.page(request, form, status=429)
            guest_pending_set(request, email)
            return redirect(_with_next(reverse("permits:apply_guest_verify"), request))
        return self.page(request, form)

    def page(self, request: HttpRequest, form: GuestEmailForm, status: int = 200) -> HttpResponse:
        return render(
            request,
            "permits/apply_guest.html",
            {"form": form, "next": _safe_next(request)},
            status=status,
        )


class ApplyGuestVerifyView(View):
    """Step 2 for guests: the code from the email."""

    def get(self, request: HttpRequest) -> HttpResponse:
        if not guest_pending(request):
            return redirect("permits:apply_guest")
        return self.page(request, GuestCodeForm())

    def post(self, request: HttpRequest) -> HttpResponse:
        email = guest_pending(request)
        if not email:
            return redirect("permits:apply_guest")
        form = GuestCodeForm(request.POST)
        if form.is_valid():
            try:
                verified = guest_code_verify(
                    email=email, code=form.cleaned_data["code"], request=request
                )
            except RateLimited:
                form.add_error(None, _("Too many wrong codes. Ask for a new code."))
                return self.page(request, form, status=429)
            if verified:
                messages.success(request, _("Your email address is verified."))
                return redirect(_safe_next(request) or reverse("permits:apply_start"))
            form.add_error("code", _("This code is wrong or has expired."))
        return self.page(request, form)

    def page(self, request: HttpRequest, form: GuestCodeForm, status: int = 200) -> HttpResponse:
        return render(
            request,
            "permits/apply_guest_verify.html",
            {"form": form, "email": guest_pending(request), "minutes": code_minutes()},
            status=status,
        )


def _safe_next(request: HttpRequest) -> str:
    target = request.GET.get("next", "") or request.POST.get("next", "")
    # Only paths of this site's apply pages: never an open redirect.
    return target if target.startswith("/permits/apply/") and "//" not in target else ""


def _with_next(url: str, request: HttpRequest) -> str:
    target = _safe_next(request)
    return f"{url}?next={target}" if target else url


class _ApplyFormBase(View):
    """The apply form for one service; subclasses say who is applying."""

    channel = Application.Channel.ONLINE
    template_name = "permits/apply_form.html"

    def service_get(self, code: str) -> ServiceType:
        return get_object_or_404(ServiceType, code=code, is_active=True)

    def applicant_email(self, request: HttpRequest) -> str:
        return ""

    def form(self, request: HttpRequest, service: ServiceType, data: Any = None) -> ApplyForm:
        email = self.applicant_email(request)
        form = ApplyForm(
            data,
            request.FILES if data is not None else None,
            service=service,
            email_required=self.channel != Application.Channel.FRONT_OFFICE,
            email_fixed=email,
            initial={"submission_key": secrets.token_urlsafe(32)},
        )
        form.fields["kecamatan"].widget.attrs["hx-get"] = reverse("permits:desa_options")
        return form

    def get(self, request: HttpRequest, code: str) -> HttpResponse:
        service = self.service_get(code)
        return self.page(request, service, self.form(request, service))

    def post(self, request: HttpRequest, code: str) -> HttpResponse:
        service = self.service_get(code)
        form = self.form(request, service, request.POST)
        if not form.is_valid():
            return self.page(request, service, form, status=400)
        data = form.cleaned_data
        user = signed_in_user(request)
        email = self.applicant_email(request) or data.get("applicant_email") or ""
        try:
            application, created = application_submit(
                service=service,
                channel=self.channel,
                applicant=Applicant(
                    name=data["applicant_name"],
                    nik=data["applicant_nik"],
                    email=email,
                    phone=data.get("applicant_phone") or "",
                    address=data["applicant_address"],
                ),
                kecamatan=data["kecamatan"],
                desa=data.get("desa"),
                form_data=form.form_data(),
                documents=form.checked_uploads,
                submission_key=data["submission_key"],
                submitted_by_email=user.email if user else email,
                submitted_by_name=(user.full_name if user else data["applicant_name"]),
                applicant_user=user if self.channel == Application.Channel.ONLINE else None,
                business=Business(
                    name=data.get("business_name") or "",
                    investment_rupiah=data.get("investment_rupiah") or 0,
                    workforce=data.get("workforce") or 0,
                ),
                request=request,
            )
        except ValidationError as error:
            for message in error.messages:
                form.add_error(None, message)
            return self.page(request, service, form, status=400)
        submitted = list(request.session.get(SUBMITTED_SESSION_KEY, []))
        if not created and application.pk not in submitted:
            # Someone else's form key: say nothing about their application.
            form.add_error(None, _("This form has expired; open it again."))
            return self.page(request, service, form, status=400)
        if application.pk not in submitted:
            request.session[SUBMITTED_SESSION_KEY] = [*submitted[-19:], application.pk]
        return redirect("permits:apply_done", code=application.tracking_code)

    def page(
        self, request: HttpRequest, service: ServiceType, form: ApplyForm, status: int = 200
    ) -> HttpResponse:
        return render(
            request,
            self.template_name,
            {
                "service": service,
                "form": form,
                "groups": form.field_groups(),
                "fee": fee_describe(service.fee_rule),
                "channel": self.channel,
            },
            status=status,
        )


class ApplyFormView(_ApplyFormBase):
    """Online: with the visitor's account, or as a guest with a verified email."""

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        user = signed_in_user(request)
        if user is None:
            if not guest_email(request):
                guest = reverse("permits:apply_guest")
                return redirect(f"{guest}?next={request.path}")
            self.channel = Application.Channel.GUEST
        return super().dispatch(request, *args, **kwargs)

    def applicant_email(self, request: HttpRequest) -> str:
        user = signed_in_user(request)
        return user.email if user else guest_email(request)


class CounterStartView(FrontOfficeRequiredMixin, View):
    """The front office picks the service a citizen at the counter applies for."""

    def get(self, request: HttpRequest) -> HttpResponse:
        return render(
            request,
            "permits/apply_start.html",
            {
                "groups": services_offered(),
                "counter": True,
                "form_url_name": "permits:counter_form",
                "fee_describe": fee_describe,
            },
        )


class CounterFormView(FrontOfficeRequiredMixin, _ApplyFormBase):
    """The front office enters an application on a citizen's behalf."""

    channel = Application.Channel.FRONT_OFFICE


class ApplyDoneView(View):
    """The confirmation: number and tracking code, for the session that applied."""

    def get(self, request: HttpRequest, code: str) -> HttpResponse:
        application = get_object_or_404(
            Application.objects.select_related("service"), tracking_code=code
        )
        if application.pk not in request.session.get(SUBMITTED_SESSION_KEY, []):
            raise Http404
        return render(
            request,
            "permits/apply_done.html",
            {"application": application, "tracking_path": tracking_path(application)},
        )


class DesaOptionsView(View):
    """The desa/kelurahan of a kecamatan, as <option>s for the apply form (htmx)."""

    def get(self, request: HttpRequest) -> HttpResponse:
        raw = request.GET.get("kecamatan", "")
        desa = (
            Desa.objects.filter(kecamatan_id=int(raw)).order_by("name")
            if raw.isdigit()
            else Desa.objects.none()
        )
        return render(request, "permits/_desa_options.html", {"desa": desa})


class MyApplicationsView(View):
    """A signed-in applicant's own applications."""

    def get(self, request: HttpRequest) -> HttpResponse:
        user = signed_in_user(request)
        if user is None:
            return redirect(f"/accounts/login/?next={request.path}")
        return render(
            request,
            "permits/mine_list.html",
            {"applications": applicant_applications(user)[:200]},
        )


class MyApplicationView(View):
    """One of the applicant's applications, and the revision form when returned."""

    def application(self, request: HttpRequest, pk: int) -> Application:
        user = signed_in_user(request)
        if user is None:
            raise Http404
        return get_object_or_404(
            Application.objects.select_related("service"), pk=pk, applicant_user=user
        )

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        if signed_in_user(request) is None:
            return redirect(f"/accounts/login/?next={request.path}")
        return super().dispatch(request, *args, **kwargs)

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        application = self.application(request, pk)
        return self.page(request, application, ResubmitForm(service=application.service))

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        application = self.application(request, pk)
        form = ResubmitForm(request.POST, request.FILES, service=application.service)
        if application.status != S.RETURNED:
            messages.error(request, _("This application is not waiting for a revision."))
            return redirect("permits:mine_detail", pk=pk)
        if form.is_valid():
            try:
                application_resubmit(
                    application=application,
                    actor=staff_user(request),
                    documents=form.checked_uploads,
                    note=form.cleaned_data.get("note") or "",
                    request=request,
                )
            except TransitionRefused as refused:
                messages.error(request, refused.message)
                return redirect("permits:mine_detail", pk=pk)
            messages.success(request, _("Your revision was handed in."))
            return redirect("permits:mine_detail", pk=pk)
        return self.page(request, application, form, status=400)

    def page(
        self, request: HttpRequest, application: Application, form: ResubmitForm, status: int = 200
    ) -> HttpResponse:
        transitions = list(application.transitions.order_by("at", "pk"))
        return render(
            request,
            "permits/mine_detail.html",
            {
                "application": application,
                "transitions": transitions,
                "documents": application.documents.order_by("uploaded_at", "pk"),
                "form": form,
                "clock": application_clock(application),
                "tracking_path": tracking_path(application),
            },
            status=status,
        )
