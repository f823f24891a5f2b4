"""Rows for the certificate, tracking, survey and dashboard tests, written
directly in the current schema (call inside `schema_context`): a service of known
deadlines, applications in any state with their transitions, staff with a role."""

import datetime
import uuid
from typing import Any

from django.utils import timezone

from accounts.models import User
from accounts.services import user_create
from modules.permits.models import Application, ApplicationTransition, ServiceType
from organisation.models import Kecamatan
from staff.models import RoleAssignment
from tests.accounts.helpers import PASSWORD

S = Application.Status
PATH = (
    S.SUBMITTED,
    S.COMPLETENESS,
    S.VERIFICATION,
    S.RECOMMENDATION,
    S.APPROVAL,
    S.ISSUED,
    S.COMPLETED,
)
# Personal data the public pages must never show.
NIK = "3602014507890003"
EMAIL = "siti.rahmawati@contoh.test"
PHONE = "081234567890"
ADDRESS = "Jl. Multatuli No. 7, Rangkasbitung"


def service_make(**values: Any) -> ServiceType:
    code = values.pop("code", f"svc-{uuid.uuid4().hex[:8]}")
    defaults = {
        "name": "Izin Usaha Toko Swalayan",
        "kind": ServiceType.Kind.PERMIT,
        "legal_days": 5,
        "target_days": 3,
        "validity_months": 12,
    }
    return ServiceType.objects.create(code=code, **{**defaults, **values})


def application_make(
    *,
    service: ServiceType,
    status: str = S.SUBMITTED,
    submitted_at: datetime.datetime | None = None,
    finished_at: datetime.datetime | None = None,
    working_days_taken: int | None = None,
    applicant_user: User | None = None,
    **values: Any,
) -> Application:
    """An application in `status`, with a transition into each state on its way."""
    submitted_at = submitted_at or timezone.now() - datetime.timedelta(hours=1)
    key = uuid.uuid4().hex
    application = Application.objects.create(
        number=f"TST/{key[:12]}",
        tracking_code=key[:12].upper(),
        service=service,
        status=status,
        channel=Application.Channel.GUEST,
        applicant_user=applicant_user,
        applicant_name=values.pop("applicant_name", "Siti Rahmawati"),
        applicant_nik=values.pop("applicant_nik", NIK),
        applicant_email=values.pop("applicant_email", EMAIL),
        applicant_phone=values.pop("applicant_phone", PHONE),
        applicant_address=values.pop("applicant_address", ADDRESS),
        kecamatan=values.pop("kecamatan", None) or Kecamatan.objects.order_by("code").first(),  # type: ignore[misc]
        submitted_at=submitted_at,
        legal_due_on=values.pop("legal_due_on", submitted_at.date() + datetime.timedelta(days=7)),
        target_due_on=values.pop("target_due_on", submitted_at.date() + datetime.timedelta(days=5)),
        finished_at=finished_at,
        working_days_taken=working_days_taken,
        submission_key=key,
        **values,
    )
    path = PATH if status in PATH else (S.SUBMITTED, S.COMPLETENESS, status)
    previous = ""
    for step, state in enumerate(path[: path.index(status) + 1]):
        ApplicationTransition.objects.create(
            application=application,
            from_status=previous,
            to_status=state,
            actor_email="petugas@lebak.test",
            actor_name="Petugas Rahasia",
            reason="Berkas kurang lengkap" if state in (S.RETURNED, S.REJECTED) else "",
            at=submitted_at + datetime.timedelta(minutes=step),
        )
        previous = state
    return application


def staff_with_role(role: str, *, full_name: str = "Agus Prasetyo") -> User:
    """A staff member holding `role` of permits over the whole regency."""
    user = user_create(
        email=f"staff-{uuid.uuid4().hex[:8]}@example.test",
        full_name=full_name,
        password=PASSWORD,
        email_verified=True,
    )
    RoleAssignment.objects.create(
        user=user, module="permits", role=role, scope=RoleAssignment.Scope.REGENCY
    )
    if role == "approver":
        # Approvers must use two-factor sign-in before any page opens.
        from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret

        TOTP.activate(user, generate_totp_secret())
    return user


def permits_entitle(*slugs: str) -> None:
    """Entitle these regencies to the permits module (seed_demo does it for the
    demo regencies; said here so the tests do not depend on it)."""
    from tenants.models import Tenant
    from tenants.services import entitlement_set

    for tenant in Tenant.objects.filter(slug__in=slugs or ("lebak", "balangan", "dumai")):
        entitlement_set(
            tenant=tenant, module_code="permits", enabled=True, actor_email="engineer@sukowati.test"
        )


def in_regency(slug: str) -> Any:
    """The regency's schema with its Tenant row on the connection, as a request or
    a task has it (billing and the letterhead read the row, not just the schema)."""
    from django_tenants.utils import tenant_context

    from tenants.models import Tenant

    return tenant_context(Tenant.objects.get(slug=slug))
