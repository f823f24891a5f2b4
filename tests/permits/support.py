"""Helpers for the permit core tests (catalogue, applying, workflow, inboxes,
delegation, digest): a regency with the module and the catalogue, staff with
scoped roles, submitted applications, signed-in clients.

Rows are written in the test's transaction (rolled back); call the row helpers
inside `schema_context(slug)` or `tenant_context(tenant)`."""

import re
import uuid
from typing import Any

from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django_tenants.utils import schema_context

from accounts.models import User
from accounts.services import user_create
from modules.permits.documents import upload_check
from modules.permits.models import Application, ServiceType
from modules.permits.services import Applicant, Business, application_submit
from organisation.models import Desa, Kecamatan, WorkUnit
from staff.models import RoleAssignment
from tests.accounts.helpers import client_at

PDF = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"
PNG = bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
    "1f15c4890000000d49444154789c6360000002000001e221bc330000000049454e44ae426082"
)
JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00\xff\xd9"
EXE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00" + b"\x00" * 64
ELF = b"\x7fELF\x02\x01\x01\x00" + b"\x00" * 64
NIK = "3602014507890003"


def entitle(*slugs: str) -> None:
    from tenants.models import Tenant
    from tenants.services import entitlement_set

    for tenant in Tenant.objects.filter(slug__in=slugs):
        entitlement_set(
            tenant=tenant, module_code="permits", enabled=True, actor_email="engineer@sukowati.test"
        )


def catalogue_ready(slug: str) -> None:
    """The permits module entitled and the master catalogue loaded in `slug`."""
    from django.apps import apps

    entitle(slug)
    with schema_context(slug):
        apps.get_app_config("permits").catalogue_load()  # type: ignore[attr-defined]


def person(*, name: str = "Agus Prasetyo", mfa: bool = False, admin: bool = False) -> User:
    user = user_create(
        email=f"staff-{uuid.uuid4().hex[:10]}@example.test",
        full_name=name,
        # No password: clients sign in with force_login, and hashing one is slow.
        password=None,
        email_verified=True,
        is_regency_admin=admin,
    )
    if mfa or admin:
        TOTP.activate(user, generate_totp_secret())
    return user


def grant(
    user: User,
    role: str,
    *,
    unit: WorkUnit | None = None,
    kecamatan: Kecamatan | None = None,
) -> RoleAssignment:
    if unit is not None:
        scope = RoleAssignment.Scope.WORK_UNIT
    elif kecamatan is not None:
        scope = RoleAssignment.Scope.KECAMATAN
    else:
        scope = RoleAssignment.Scope.REGENCY
    if role == "approver" and not _has_totp(user):
        # Approvers must use two-factor sign-in (the MFA policy middleware).
        TOTP.activate(user, generate_totp_secret())
    return RoleAssignment.objects.create(
        user=user, module="permits", role=role, scope=scope, work_unit=unit, kecamatan=kecamatan
    )


def _has_totp(user: User) -> bool:
    from allauth.mfa.models import Authenticator

    return Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists()


def staff(
    role: str,
    *,
    unit: WorkUnit | None = None,
    kecamatan: Kecamatan | None = None,
    name: str = "Agus Prasetyo",
) -> User:
    user = person(name=name)
    grant(user, role, unit=unit, kecamatan=kecamatan)
    return user


def unit_new(*, kind: str = WorkUnit.Kind.BAGIAN, kecamatan: Kecamatan | None = None) -> WorkUnit:
    code = f"T-{uuid.uuid4().hex[:8]}"
    return WorkUnit.objects.create(code=code, name=f"Unit {code}", kind=kind, kecamatan=kecamatan)


def service_new(**values: Any) -> ServiceType:
    """A service of the regency's own with a handling unit nobody else uses."""
    code = values.pop("code", f"svc-{uuid.uuid4().hex[:8]}")
    defaults: dict[str, Any] = {
        "name": "Izin Uji Coba",
        "kind": ServiceType.Kind.PERMIT,
        "legal_days": 5,
        "target_days": 3,
        "requirements": [{"code": "ktp", "label": "Fotokopi KTP", "required": True}],
        "form_fields": [],
        "fee_rule": {"kind": "free"},
        "step_roles": {},
    }
    if "handling_unit" not in values:
        defaults["handling_unit"] = unit_new()
    return ServiceType.objects.create(code=code, **{**defaults, **values})


def kecamatan_pair() -> tuple[Kecamatan, Kecamatan]:
    first, second = list(Kecamatan.objects.order_by("code")[:2])
    return first, second


def pdf(name: str = "ktp.pdf", content: bytes = PDF) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="application/pdf")


def submit(
    service: ServiceType,
    *,
    kecamatan: Kecamatan | None = None,
    applicant_user: User | None = None,
    name: str = "Siti Rahmawati",
    email: str = "siti@contoh.test",
    form_data: dict[str, Any] | None = None,
    channel: str = Application.Channel.GUEST,
    key: str | None = None,
) -> Application:
    """Submit an application through the service (documents for every requirement)."""
    kecamatan = kecamatan or Kecamatan.objects.order_by("code").first()
    assert kecamatan is not None
    documents = [
        upload_check(pdf(f"{item['code']}.pdf"), requirement=item["code"])
        for item in service.requirements
    ]
    application, _created = application_submit(
        service=service,
        channel=channel,
        applicant=Applicant(
            name=name, nik=NIK, email=email, phone="081234567890", address="Jl. Multatuli 7"
        ),
        kecamatan=kecamatan,
        desa=Desa.objects.filter(kecamatan=kecamatan).first(),
        form_data=form_data or {},
        documents=documents,
        submission_key=key or uuid.uuid4().hex,
        submitted_by_email=email,
        applicant_user=applicant_user,
        business=Business(),
    )
    return application


def signed_in(slug: str, user: User) -> Client:
    client = client_at(f"{slug}.localhost")
    with schema_context(slug):
        client.force_login(user)
    return client


def emailed_code() -> str:
    """The 6-digit code in the last email sent."""
    from django.core import mail

    found = re.search(r"\b(\d{6})\b", str(mail.outbox[-1].subject))
    assert found is not None
    return found.group(1)


def form_key(html: str) -> str:
    """The one-time submission key of an apply form page."""
    found = re.search(r'name="submission_key" value="([^"]+)"', html)
    assert found is not None
    return found.group(1)


def streamed(response: Any) -> bytes:
    """A response's body, streamed or not."""
    if getattr(response, "streaming", False):
        return b"".join(response.streaming_content)
    return bytes(response.content)
