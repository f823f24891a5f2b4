"""Issuing a permit's certificate, its PDF, and checking a certificate is genuine.

`certificate_issue` runs inside the workflow's transaction when an application
moves to "issued": the certificate number, the row and the billing usage event
commit together or not at all, and a retried issuing step returns the certificate
it made the first time without counting it again.

The QR code on the PDF carries a token signed with the site's SECRET_KEY (salt
`permits.certificate`). It names the regency's schema, so a token minted for one
regency fails on another's host, and the page it opens shows only what a reader of
the paper already sees."""

import logging
from dataclasses import dataclass
from typing import Any, Protocol

from celery import shared_task
from django.conf import settings
from django.core import signing
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.utils import timezone, translation

from billing.usage import usage_record
from core.audit import audit_record
from core.branding import LOGO_PATH
from core.db import tenant_connection
from modules.permits.models import Application, Certificate
from modules.permits.numbering import number_next
from modules.permits.pdf import CertificateFacts, certificate_pdf_bytes
from modules.permits.regency import (
    months_add,
    regency_current,
    regency_full_name,
    regency_localdate,
)

logger = logging.getLogger(__name__)

TOKEN_SALT = "permits.certificate"  # noqa: S105 - a namespace, not a secret
CERTIFICATE_PREFIX = "IZN"
USAGE_METER = "permits.issued"


class ActorLike(Protocol):
    """Who issues: a signed-in staff member (User) or an Actor naming one."""

    email: str


def _actor_name(actor: ActorLike) -> str:
    return str(getattr(actor, "full_name", "") or getattr(actor, "name", "") or actor.email)


def usage_key(application: Application) -> str:
    return f"permits-issued-{tenant_connection().schema_name}-{application.pk}"


def certificate_issue(*, application: Application, actor: ActorLike) -> Certificate:
    """The application's certificate, created with the next number of the year
    and counted once in the billing ledger; the existing one if it has one."""
    with transaction.atomic():
        # Serialises two issuing attempts of one application (a double click,
        # a retried task): the second sees the first's certificate.
        Application.objects.select_for_update().filter(pk=application.pk).first()
        existing = Certificate.objects.filter(application_id=application.pk).first()
        if existing is not None:
            return existing
        issued_at = timezone.now()
        issued_on = regency_localdate(issued_at)
        months = application.service.validity_months
        certificate = Certificate(
            application=application,
            number=certificate_number_next(year=issued_on.year),
            issued_at=issued_at,
            valid_until=months_add(issued_on, months) if months else None,
            issued_by_email=actor.email,
            issued_by_name=_actor_name(actor)[:150],
        )
        certificate.full_clean(exclude=["pdf"])
        certificate.save()
        usage_record(
            meter=USAGE_METER,
            idempotency_key=usage_key(application),
            source=f"permits:{application.number}",
            occurred_at=issued_at,
        )
        audit_record(
            action="permits.certificate.issued",
            actor_email=actor.email,
            actor_name=_actor_name(actor),
            target=application.number,
            detail={"certificate": certificate.number},
        )
        certificate_id = certificate.pk
        transaction.on_commit(lambda: certificate_render_task.delay(certificate_id))
    return certificate


def certificate_number_next(*, year: int) -> str:
    """`IZN/2026/000001`: gapless per year, since the counter row is locked until
    the issuing transaction ends (a rolled-back issue gives its number back)."""
    return f"{CERTIFICATE_PREFIX}/{year}/{number_next(prefix=CERTIFICATE_PREFIX, year=year):06d}"


# --- the signed token and verification ------------------------------------------


def certificate_token(certificate: Certificate) -> str:
    """The signed payload in the QR code: [schema, number, application id, issue
    date]. A list rather than a dict keeps the token, and so the code, small."""
    payload = [
        tenant_connection().schema_name,
        certificate.number,
        certificate.application_id,
        regency_localdate(certificate.issued_at).isoformat(),
    ]
    return signing.dumps(payload, salt=TOKEN_SALT, compress=True)


@dataclass(frozen=True)
class Verification:
    genuine: bool
    certificate: Certificate | None = None
    revoked: bool = False
    expired: bool = False

    @property
    def valid(self) -> bool:
        return self.genuine and not (self.revoked or self.expired)


NOT_GENUINE = Verification(genuine=False)


def certificate_verify(token: str) -> Verification:
    """Whether `token` was signed by this platform for a certificate of this
    regency that exists as it says, and whether that certificate is in force."""
    try:
        payload: Any = signing.loads(token, salt=TOKEN_SALT)
    except signing.BadSignature:
        return NOT_GENUINE
    if not isinstance(payload, list) or len(payload) != 4:
        return NOT_GENUINE
    schema, number, application_id, issued_on = payload
    if schema != tenant_connection().schema_name:
        return NOT_GENUINE
    if not isinstance(number, str) or not isinstance(application_id, int):
        return NOT_GENUINE
    certificate = (
        Certificate.objects.select_related("application__service")
        .filter(number=number, application_id=application_id)
        .first()
    )
    if certificate is None or (regency_localdate(certificate.issued_at).isoformat() != issued_on):
        return NOT_GENUINE
    today = regency_localdate()
    return Verification(
        genuine=True,
        certificate=certificate,
        revoked=certificate.revoked_at is not None,
        expired=certificate.valid_until is not None and certificate.valid_until < today,
    )


def certificate_holder(application: Application) -> str:
    """The name a certificate is made out to: the business's, else the person's."""
    return application.business_name or application.applicant_name


def verify_url(certificate: Certificate) -> str:
    """The absolute address of the verification page, on the regency's primary
    domain, as printed in the QR code."""
    from django.urls import reverse

    path = reverse("permits:verify", kwargs={"token": certificate_token(certificate)})
    tenant = regency_current()
    domain = tenant.domains.filter(is_primary=True).first() if tenant else None
    host = domain.domain if domain else settings.ROOT_DOMAIN
    scheme = "https" if settings.SESSION_COOKIE_SECURE else "http"
    port = getattr(settings, "SUKOWATI_PUBLIC_PORT", None)
    return f"{scheme}://{host}{f':{port}' if port else ''}{path}"


# --- the PDF --------------------------------------------------------------------


def certificate_facts(certificate: Certificate) -> CertificateFacts:
    application = certificate.application
    tenant = regency_current()
    return CertificateFacts(
        regency_name=regency_full_name(tenant) if tenant else "",
        province=tenant.province if tenant else "",
        number=certificate.number,
        title=application.service.name,
        holder_name=application.applicant_name,
        business_name=application.business_name,
        application_number=application.number,
        issued_on=regency_localdate(certificate.issued_at),
        valid_until=certificate.valid_until,
        issued_by_name=certificate.issued_by_name,
        verify_url=verify_url(certificate),
    )


def certificate_render(*, certificate_id: int, force: bool = False) -> Certificate | None:
    """Draw the certificate's PDF and store it under the regency's prefix (the
    default storage adds it); a certificate that has one keeps it unless `force`."""
    with transaction.atomic():
        certificate = (
            Certificate.objects.select_for_update(of=("self",))
            .select_related("application__service")
            .filter(pk=certificate_id)
            .first()
        )
        if certificate is None:
            return None
        if certificate.pdf and not force:
            return certificate
        logo = None
        if default_storage.exists(LOGO_PATH):
            with default_storage.open(LOGO_PATH, "rb") as handle:
                logo = handle.read()
        # Certificates are official documents in the national language.
        with translation.override(settings.LANGUAGE_CODE):
            data = certificate_pdf_bytes(facts=certificate_facts(certificate), logo=logo)
        filename = certificate.number.replace("/", "-") + ".pdf"
        certificate.pdf.save(filename, ContentFile(data), save=False)
        Certificate.objects.filter(pk=certificate.pk).update(pdf=certificate.pdf.name)
    return certificate


@shared_task(acks_late=True)
def certificate_render_task(certificate_id: int) -> bool:
    """Render a certificate's PDF in the schema the task was queued in."""
    rendered = certificate_render(certificate_id=certificate_id)
    if rendered is None:
        logger.warning("certificate %s to render does not exist", certificate_id)
    return rendered is not None
