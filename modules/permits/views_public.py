"""Public pages of the permit service: tracking, certificate verification, the
IKM survey and the published IKM; and the certificate page of its holder and the
handling staff."""

from typing import Any

from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.decorators import method_decorator
from django.views import View
from django.views.decorators.cache import never_cache

from accounts.models import User
from core.audit import audit_record
from modules.permits.certificates import (
    certificate_holder,
    certificate_render,
    certificate_token,
    certificate_verify,
    verify_url,
)
from modules.permits.dashboards import PERIODS, ikm_table
from modules.permits.forms_public import SurveyForm, TrackForm
from modules.permits.models import Application, Certificate
from modules.permits.pdf import qr_svg_path
from modules.permits.regency import (
    months_add,
    regency_current,
    regency_full_name,
    regency_localdate,
)
from modules.permits.services import staff_may_see
from modules.permits.survey import ELEMENTS, GRADES, survey_submit
from modules.permits.tracking import lookup_allowed, tracking_code_clean, tracking_lookup


def rate_limited(request: HttpRequest) -> HttpResponse:
    response = render(request, "permits/public_rate_limited.html", status=429)
    response["Retry-After"] = "60"
    return response


@method_decorator(never_cache, name="dispatch")
class TrackView(View):
    """The tracking form and, for a known code, the application's timeline."""

    template_name = "permits/public_track.html"

    def get(self, request: HttpRequest, code: str = "") -> HttpResponse:
        data = {"code": code} if code else request.GET
        form = TrackForm(data or None)
        context: dict[str, Any] = {"form": form}
        if not form.is_bound or not form.is_valid():
            return render(request, self.template_name, context)
        if not lookup_allowed(request):
            return rate_limited(request)
        tracking = tracking_lookup(form.cleaned_data["code"])
        if tracking is None:
            context["not_found"] = True
            return render(request, self.template_name, context, status=404)
        context["tracking"] = tracking
        context["may_see_certificate"] = bool(tracking.certificate_number) and (
            certificate_access_allowed(request.user, tracking.application)
        )
        return render(request, self.template_name, context)


@method_decorator(never_cache, name="dispatch")
class VerifyView(View):
    """Where a certificate's QR code leads: genuine and valid, or not. Never
    cached: a revocation shows at once."""

    template_name = "permits/public_verify.html"

    def get(self, request: HttpRequest, token: str) -> HttpResponse:
        verification = certificate_verify(token)
        tenant = regency_current()
        context: dict[str, Any] = {
            "verification": verification,
            "regency_label": regency_full_name(tenant) if tenant else "",
        }
        certificate = verification.certificate
        if certificate is not None:
            application = certificate.application
            context.update(
                number=certificate.number,
                service=application.service.name,
                holder=certificate_holder(application),
                issued_on=regency_localdate(certificate.issued_at),
                valid_until=certificate.valid_until,
            )
        return render(
            request, self.template_name, context, status=200 if verification.genuine else 404
        )


@method_decorator(never_cache, name="dispatch")
class SurveyView(View):
    """The IKM questionnaire for an application that has been picked up."""

    template_name = "permits/public_survey.html"

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not lookup_allowed(request):
            return rate_limited(request)
        code = tracking_code_clean(kwargs["code"])
        self.application = (
            Application.objects.select_related("service", "survey")
            .filter(tracking_code=code)
            .first()
            if code
            else None
        )
        if self.application is None:
            return render(request, self.template_name, {"not_found": True}, status=404)
        return super().dispatch(request, *args, **kwargs)  # type: ignore[return-value]

    def context(self, form: SurveyForm) -> dict[str, Any]:
        application = self.application
        assert application is not None
        return {
            "application": application,
            "form": form,
            "rated": getattr(application, "survey", None) is not None,
            "open": application.status == Application.Status.COMPLETED,
        }

    def get(self, request: HttpRequest, code: str) -> HttpResponse:
        return render(request, self.template_name, self.context(SurveyForm()))

    def post(self, request: HttpRequest, code: str) -> HttpResponse:
        assert self.application is not None
        form = SurveyForm(request.POST)
        if form.is_valid():
            try:
                survey_submit(
                    application=self.application,
                    scores=form.scores(),
                    comment=form.cleaned_data["comment"],
                    request=request,
                )
            except ValidationError as exc:
                for message in exc.messages:
                    form.add_error(None, message)
            else:
                return render(request, "permits/public_survey_thanks.html", status=201)
        return render(request, self.template_name, self.context(form), status=400)


class IkmView(View):
    """The published satisfaction index per period and service."""

    template_name = "permits/public_ikm.html"

    def get(self, request: HttpRequest) -> HttpResponse:
        period = request.GET.get("period", "quarter")
        if period not in PERIODS:
            period = "quarter"
        today = regency_localdate()
        months = {"month": 12, "quarter": 24, "year": 36}[period]
        first = months_add(today.replace(day=1), -(months - 1))
        rows = ikm_table(first=first, last=today, period=period)
        return render(
            request,
            self.template_name,
            {
                "rows": rows,
                "period": period,
                "periods": PERIODS,
                "elements": ELEMENTS,
                "grades": GRADES,
            },
        )


# --- the certificate, for its holder and the handling staff -------------------------


def certificate_access_allowed(user: Any, application: Application) -> bool:
    """The applicant's own account, or staff holding a permit role over the
    unit or kecamatan handling the application."""
    if not isinstance(user, User) or not user.is_active:
        return False
    if application.applicant_user_id is not None and application.applicant_user_id == user.pk:
        return True
    return staff_may_see(application, user)


class CertificateMixin(LoginRequiredMixin):
    def certificate_get(self, request: HttpRequest, code: str) -> Certificate:
        certificate = (
            Certificate.objects.select_related("application__service")
            .filter(application__tracking_code=tracking_code_clean(code))
            .first()
        )
        if certificate is None or not certificate_access_allowed(
            request.user, certificate.application
        ):
            # The same answer for "no such certificate" and "not yours".
            raise Http404
        return certificate

    def audit(self, request: HttpRequest, certificate: Certificate, action: str) -> None:
        user = request.user
        assert isinstance(user, User)
        if certificate.application.applicant_user_id == user.pk:
            return  # the holder looking at their own certificate
        audit_record(
            action=action,
            actor_email=user.email,
            actor_name=user.full_name,
            target=certificate.application.number,
            detail={"certificate": certificate.number},
            request=request,
        )


class CertificateView(CertificateMixin, View):
    template_name = "permits/public_certificate.html"

    def get(self, request: HttpRequest, code: str) -> HttpResponse:
        certificate = self.certificate_get(request, code)
        self.audit(request, certificate, "personal_data.viewed")
        url = verify_url(certificate)
        size, path = qr_svg_path(url)
        application = certificate.application
        return render(
            request,
            self.template_name,
            {
                "certificate": certificate,
                "application": application,
                "holder": certificate_holder(application),
                "issued_on": regency_localdate(certificate.issued_at),
                "verify_url": url,
                "verify_path": reverse(
                    "permits:verify", kwargs={"token": certificate_token(certificate)}
                ),
                "qr_size": size,
                "qr_path": path,
                "today": regency_localdate(),
            },
        )


class CertificatePdfView(CertificateMixin, View):
    def get(self, request: HttpRequest, code: str) -> FileResponse:
        certificate = self.certificate_get(request, code)
        if not certificate.pdf:
            # Not rendered yet (the task is queued, or demo data): draw it now.
            rendered = certificate_render(certificate_id=certificate.pk)
            if rendered is None or not rendered.pdf:
                raise Http404
            certificate = rendered
        self.audit(request, certificate, "permits.certificate.downloaded")
        filename = certificate.number.replace("/", "-") + ".pdf"
        return FileResponse(
            certificate.pdf.open("rb"),
            as_attachment=True,
            filename=filename,
            content_type="application/pdf",
        )
