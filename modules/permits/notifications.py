"""Emails to applicants and staff. Sent by tasks (tasks.py), after the change they
tell about is committed, in the regency's language (Indonesian by default)."""

from typing import Any

from django.conf import settings
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.urls import NoReverseMatch, reverse
from django.utils import translation

from core.db import tenant_connection
from modules.permits.models import Application, ApplicationTransition


def regency_base_url() -> str:
    """`https://lebak.sukowati.id`: the current regency's primary domain."""
    tenant = getattr(tenant_connection(), "tenant", None)
    domains = getattr(tenant, "domains", None)
    domain = domains.filter(is_primary=True).first() if domains is not None else None
    host = domain.domain if domain else settings.ROOT_DOMAIN
    scheme = "https" if settings.SESSION_COOKIE_SECURE else "http"
    port = getattr(settings, "SUKOWATI_PUBLIC_PORT", None)
    return f"{scheme}://{host}{f':{port}' if port else ''}"


def tracking_path(application: Application) -> str:
    """The public tracking page of this application."""
    try:
        return reverse("permits:track_code", kwargs={"code": application.tracking_code})
    except NoReverseMatch:  # the public pages are not mounted
        return reverse("permits:apply_start")


def tracking_url(application: Application) -> str:
    return regency_base_url() + tracking_path(application)


def _send(*, template: str, context: dict[str, Any], to: list[str]) -> None:
    tenant = getattr(tenant_connection(), "tenant", None)
    context = {**context, "regency": tenant}
    with translation.override(settings.LANGUAGE_CODE):
        subject = render_to_string(f"permits/email/{template}_subject.txt", context)
        message = render_to_string(f"permits/email/{template}_message.txt", context)
    send_mail(
        subject=" ".join(subject.split()), message=message, from_email=None, recipient_list=to
    )


def application_submitted_email(application: Application) -> bool:
    if not application.applicant_email:
        return False
    _send(
        template="submitted",
        context={"application": application, "tracking_url": tracking_url(application)},
        to=[application.applicant_email],
    )
    return True


def application_status_email(transition: ApplicationTransition) -> bool:
    application = transition.application
    if not application.applicant_email:
        return False
    _send(
        template="status",
        context={
            "application": application,
            "transition": transition,
            "status_label": Application.Status(transition.to_status).label,
            "tracking_url": tracking_url(application),
        },
        to=[application.applicant_email],
    )
    return True


def digest_email(*, email: str, name: str, overdue: list[Any], near: list[Any]) -> None:
    _send(
        template="digest",
        context={
            "name": name,
            "overdue": overdue,
            "near": near,
            "inbox_url": regency_base_url() + reverse("permits:inbox"),
        },
        to=[email],
    )
