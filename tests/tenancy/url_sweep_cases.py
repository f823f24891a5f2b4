"""What the URL sweep (test_url_sweep.py) requests: for every regency URL that
names an object, a factory making (or marking) such an object in Dumai, and the
regency URLs that take arguments but name nothing of one regency's own.

A factory runs inside Dumai's schema and returns a Case: the URL kwargs that name
Dumai's object, and a marker string that exists only in that object (written into
a field its page shows). Ids of per-schema rows come from per-schema sequences,
so Lebak may well have a row with the same id: the check that means something is
that Lebak's answer never carries Dumai's marker. Rows of the public schema
(invoices, tickets, support grants) have platform-wide ids, so for them Lebak
must not answer 200 at all (`shared`)."""

import datetime
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from allauth.account.forms import default_token_generator
from allauth.account.models import (
    EmailAddress,
    EmailConfirmation,
    get_emailconfirmation_model,
)
from allauth.account.utils import user_pk_to_url_str
from django.utils import timezone

from accounts.models import User
from accounts.services import user_create
from billing.models import Invoice
from core.db import tenant_connection
from core.models import Holiday
from modules.permits.certificates import certificate_token
from modules.permits.models import Application, ApplicationDocument, Certificate, ServiceType
from organisation.models import Desa, Kecamatan, Position, WorkUnit
from staff.models import RoleAssignment, StaffImport
from support.models import Ticket
from tenants.models import SupportAccessGrant, Tenant


@dataclass
class Case:
    kwargs: dict[str, Any]
    marker: str
    # A public-schema row: its id is unique across regencies, so any 200 is a leak.
    shared: bool = False
    # The marker shows on the object's own page at Dumai with a plain GET (the
    # sweep's control that the marker would be seen if it leaked).
    visible: bool = True
    # For tokens: whether an answer shows the token was accepted. A token minted
    # at Dumai must never be accepted at Lebak.
    accepted: Callable[[Any], bool] | None = field(default=None)


def marker() -> str:
    return f"dumaionly{uuid.uuid4().hex[:10]}"


def dumai() -> Tenant:
    return Tenant.objects.get(schema_name=tenant_connection().schema_name)


def _person(name: str) -> User:
    return user_create(
        email=f"{name}@dumai.test", full_name=name, password=None, email_verified=True
    )


# --- organisation -------------------------------------------------------------


def work_unit() -> Case:
    mark = marker()
    unit = WorkUnit.objects.create(code=mark, name=mark, kind=WorkUnit.Kind.BAGIAN)
    return Case({"pk": unit.pk}, mark)


def position() -> Case:
    mark = marker()
    item = Position.objects.create(code=mark, name=mark)
    return Case({"pk": item.pk}, mark)


def kecamatan() -> Case:
    mark = marker()
    item = Kecamatan.objects.order_by("pk").first()
    assert item is not None
    Kecamatan.objects.filter(pk=item.pk).update(name=mark)
    return Case({"pk": item.pk}, mark)


def desa() -> Case:
    mark = marker()
    item = Desa.objects.order_by("pk").first()
    assert item is not None
    Desa.objects.filter(pk=item.pk).update(name=mark)
    return Case({"pk": item.pk}, mark)


def organisation_table(file_format: str | None = None) -> Callable[[], Case]:
    """A table URL of Lebak's own (its work units): Dumai's unit must not be in it."""

    def make() -> Case:
        case = work_unit()
        kwargs: dict[str, Any] = {"kind": "work-units"}
        if file_format:
            kwargs["file_format"] = file_format
        return Case(kwargs, case.marker, visible=file_format is not None)

    return make


def organisation_upload() -> Case:
    """An upload waiting for review in a Dumai admin's session: its token."""
    from django.contrib.sessions.backends.db import SessionStore

    from organisation.tables import import_file_save
    from organisation.views.tables import SESSION_KEY

    mark = marker()
    name = import_file_save(data=f"code,name\n{mark},{mark}\n".encode())
    token = uuid.uuid4().hex
    session = SessionStore()
    session[SESSION_KEY] = {token: {"kind": "work-units", "name": name, "filename": mark}}
    session.create()
    return Case({"kind": "work-units", "token": token}, mark, visible=False)


# --- staff and roles ----------------------------------------------------------


def staff_member() -> Case:
    mark = marker()
    return Case({"pk": _person(mark).pk}, mark)


def staff_member_hidden() -> Case:
    """A POST-only action on a person (GET redirects or refuses)."""
    case = staff_member()
    return Case(case.kwargs, case.marker, visible=False)


def hidden(make: Callable[[], Case]) -> Callable[[], Case]:
    """`make`, for an action URL whose GET does not show the object."""

    def wrapped() -> Case:
        case = make()
        return Case(case.kwargs, case.marker, shared=case.shared, visible=False)

    return wrapped


def role_person() -> Case:
    case = staff_member()
    return Case({"user_pk": case.kwargs["pk"]}, case.marker)


def role_person_hidden() -> Case:
    case = role_person()
    return Case(case.kwargs, case.marker, visible=False)


def role_assignment() -> Case:
    mark = marker()
    user = _person(mark)
    assignment = RoleAssignment.objects.create(
        user=user, module="permits", role="front_office", scope=RoleAssignment.Scope.REGENCY
    )
    return Case({"user_pk": user.pk, "assignment_pk": assignment.pk}, mark, visible=False)


def staff_import(file_format: str | None = None, visible: bool = True) -> Callable[[], Case]:
    def make() -> Case:
        mark = marker()
        item = StaffImport.objects.create(
            file=f"imports/staff/{mark}.csv",
            original_name=f"{mark}.csv",
            sha256=mark,
            status=StaffImport.Status.INVALID,
            problems=[{"row": 2, "column": "email", "message": mark}],
        )
        kwargs: dict[str, Any] = {"pk": item.pk}
        if file_format:
            kwargs["file_format"] = file_format
        return Case(kwargs, mark, visible=visible)

    return make


def staff_import_template() -> Case:
    """The template is the same for every regency; Dumai's work units are not in it."""
    return Case({"file_format": "csv"}, work_unit().marker, visible=False)


# --- accounts (tokens) ----------------------------------------------------------


def email_confirmation() -> Case:
    mark = marker()
    user = _person(mark)
    EmailAddress.objects.filter(user=user).update(verified=False)
    address = EmailAddress.objects.get(user=user)
    _unverified_twin_at_lebak(address.pk)
    # The key as the app mints it (whichever kind settings choose).
    confirmation = get_emailconfirmation_model().create(address)
    if isinstance(confirmation, EmailConfirmation):
        EmailConfirmation.objects.filter(pk=confirmation.pk).update(sent=timezone.now())
    return Case(
        {"key": confirmation.key},
        mark,
        accepted=lambda r: (
            r.status_code == 200
            and r.context is not None
            and r.context.get("confirmation") is not None
        ),
    )


def _unverified_twin_at_lebak(pk: int) -> None:
    """Lebak's address of the same id, unverified: a key naming only the id would
    then be taken at Lebak, and confirm (and show) Lebak's address."""
    from django_tenants.utils import schema_context

    with schema_context("lebak"):
        twin = EmailAddress.objects.filter(pk=pk).first()
        if twin is None:
            owner = _person(f"lebaktwin{uuid.uuid4().hex[:8]}")
            EmailAddress.objects.filter(user=owner).update(id=pk, verified=False)
        else:
            EmailAddress.objects.filter(pk=pk).update(verified=False)


def password_reset() -> Case:
    mark = marker()
    user = _person(mark)
    user.set_password("Pelayanan-prima-2026")
    user.save(update_fields=["password"])
    return Case(
        {"uidb36": user_pk_to_url_str(user), "key": default_token_generator.make_token(user)},
        mark,
        visible=False,
        # allauth keeps a good key in the session and redirects to the form.
        accepted=lambda r: r.status_code == 302,
    )


def support_grant() -> Case:
    mark = marker()
    grant = SupportAccessGrant.objects.create(
        tenant=dumai(),
        engineer_email="engineer@sukowati.test",
        engineer_name=mark,
        reason=mark,
        expires_at=timezone.now() + datetime.timedelta(hours=2),
    )
    return Case({"pk": grant.pk}, mark, shared=True, visible=False)


def support_entry() -> Case:
    from tenants.support_access import support_entry_token

    case = support_grant()
    grant = SupportAccessGrant.objects.get(pk=case.kwargs["pk"])
    engineer = User.objects.filter(platform_role__gt="").first() or User(
        email="engineer@sukowati.test"
    )
    token = support_entry_token(grant=grant, engineer=engineer)
    # Taken: the support user is signed in and sent to the home page.
    return Case(
        {"token": token}, case.marker, visible=False, accepted=lambda r: r.status_code == 302
    )


# --- billing and support (public schema) -----------------------------------------


def invoice(visible: bool = True) -> Callable[[], Case]:
    def make() -> Case:
        item = Invoice.objects.filter(tenant=dumai()).exclude(status=Invoice.Status.DRAFT).first()
        assert item is not None, "the demo data gives Dumai issued invoices"
        # An issued invoice is frozen (a database trigger); its number is unique
        # across regencies already, so it is the marker.
        return Case({"invoice_id": item.pk}, item.number, shared=True, visible=visible)

    return make


def ticket(visible: bool = True, attachment: bool = False) -> Callable[[], Case]:
    def make() -> Case:
        from tests.support.conftest import open_ticket, pdf

        mark = marker()
        owner = User.objects.get(email="admin@dumai.test")
        item: Ticket = open_ticket(
            dumai(), owner, subject=mark, uploads=(pdf(f"{mark}.pdf"),) if attachment else ()
        )
        kwargs: dict[str, Any] = {"pk": item.pk}
        if attachment:
            kwargs["attachment_id"] = item.attachments.get().pk
        return Case(kwargs, mark, shared=True, visible=visible)

    return make


# --- permits ----------------------------------------------------------------------


def _application(*, certified: bool = False) -> tuple[Application, str]:
    mark = marker()
    found = Application.objects.order_by("pk")
    if certified:
        found = found.filter(pk__in=Certificate.objects.values("application_id"))
    item = found.first()
    assert item is not None, "the demo data gives Dumai applications"
    Application.objects.filter(pk=item.pk).update(applicant_name=mark, business_name=mark)
    ServiceType.objects.filter(pk=item.service_id).update(name=mark)
    item.refresh_from_db()
    return item, mark


def application(visible: bool = True) -> Callable[[], Case]:
    def make() -> Case:
        item, mark = _application()
        return Case({"pk": item.pk}, mark, visible=visible)

    return make


def application_by_code(visible: bool = True, certified: bool = False) -> Callable[[], Case]:
    def make() -> Case:
        item, mark = _application(certified=certified)
        return Case({"code": item.tracking_code}, mark, visible=visible)

    return make


def application_document() -> Case:
    """The demo applications have no files: a new one is submitted with one."""
    from tests.permits.support import service_new, submit

    mark = marker()
    item = submit(service_new(name=mark), name=mark)
    document = ApplicationDocument.objects.get(application=item)
    return Case({"pk": item.pk, "document_pk": document.pk}, mark, visible=False)


def certificate_verification() -> Case:
    item, mark = _application(certified=True)
    return Case({"token": certificate_token(item.certificate)}, mark)


def service_type(visible: bool = True) -> Callable[[], Case]:
    def make() -> Case:
        mark = marker()
        item = ServiceType.objects.filter(is_active=True).order_by("pk").first()
        assert item is not None
        ServiceType.objects.filter(pk=item.pk).update(name=mark)
        return Case({"pk": item.pk}, mark, visible=visible)

    return make


def service_by_code() -> Case:
    case = service_type()()
    # A code of Dumai's own, so Lebak cannot have a service of that code either
    # (not the marker: a 404 page may echo the path it was asked for).
    code = f"svc-{uuid.uuid4().hex[:10]}"
    ServiceType.objects.filter(pk=case.kwargs["pk"]).update(code=code)
    return Case({"code": code}, case.marker)


def holiday() -> Case:
    mark = marker()
    item = Holiday.objects.create(date=timezone.localdate().replace(year=2099), name=mark)
    return Case({"pk": item.pk}, mark, visible=False)


def permits_export() -> Case:
    _item, mark = _application()
    return Case({"file_format": "csv"}, mark, visible=False)


# URL name -> factory. Every regency URL with arguments is here or in EXEMPT.
FACTORIES: dict[str, Callable[[], Case]] = {
    "account_confirm_email": email_confirmation,
    "account_reset_password_from_key": password_reset,
    "support_access_revoke": support_grant,
    "support_access_enter": support_entry,
    "organisation_work_unit_edit": work_unit,
    "organisation_work_unit_set_active": hidden(work_unit),
    "organisation_work_unit_delete": hidden(work_unit),
    "organisation_position_edit": position,
    "organisation_position_set_active": hidden(position),
    "organisation_position_delete": hidden(position),
    "organisation_kecamatan": kecamatan,
    "organisation_kecamatan_edit": kecamatan,
    "organisation_desa_edit": desa,
    "organisation_import": organisation_table(),
    "organisation_import_template": organisation_table(),
    "organisation_export": organisation_table("csv"),
    "organisation_import_review": organisation_upload,
    "organisation_import_cancel": organisation_upload,
    "staff_detail": staff_member,
    "staff_edit": staff_member,
    "staff_invite": staff_member_hidden,
    "staff_invitation_revoke": staff_member_hidden,
    "staff_deactivate": staff_member_hidden,
    "staff_reactivate": staff_member_hidden,
    "staff_import_template": staff_import_template,
    "staff_import_detail": staff_import(),
    "staff_import_progress": staff_import(visible=False),
    "staff_import_commit": staff_import(visible=False),
    "staff_import_problems": staff_import("csv"),
    "role_person": role_person,
    "role_revoke": role_assignment,
    "role_admin_grant": role_person_hidden,
    "role_admin_revoke": role_person_hidden,
    "billing:invoice": invoice(),
    "billing:invoice_pdf": invoice(visible=False),
    "support:ticket_detail": ticket(),
    "support:ticket_reply": ticket(visible=False),
    "support:ticket_rate": ticket(visible=False),
    "support:ticket_confirm": ticket(visible=False),
    "support:attachment_download": ticket(visible=False, attachment=True),
    "permits:apply_done": application_by_code(visible=False),
    "permits:apply_form": service_by_code,
    "permits:counter_form": service_by_code,
    "permits:mine_detail": application(visible=False),
    "permits:office_application": application(),
    "permits:office_move": application(visible=False),
    "permits:office_assign": application(visible=False),
    "permits:office_comment": application(visible=False),
    "permits:office_document": application_document,
    "permits:catalogue_edit": service_type(),
    "permits:catalogue_revert": service_type(visible=False),
    "permits:catalogue_active": service_type(visible=False),
    "permits:holiday_delete": holiday,
    "permits:track_code": application_by_code(visible=False),
    "permits:verify": certificate_verification,
    "permits:survey": application_by_code(visible=False),
    "permits:certificate": application_by_code(certified=True),
    "permits:certificate_pdf": application_by_code(visible=False, certified=True),
    "permits:dashboard_export": permits_export,
}

# Regency URL names with arguments that name nothing one regency owns.
EXEMPT: dict[str, str] = {
    "support:article_detail": (
        "knowledge-base articles are the platform's, published to every regency alike"
    ),
}
