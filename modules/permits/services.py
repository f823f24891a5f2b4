"""Writes on permit applications (the workflow's moves are in workflow.py)."""

from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from core.audit import audit_record
from core.workdays import WorkCalendar
from modules.permits.catalogue.rules import fee_compute
from modules.permits.documents import CheckedUpload, stored_name
from modules.permits.models import (
    Application,
    ApplicationComment,
    ApplicationDocument,
    ApplicationTransition,
    ServiceType,
)
from modules.permits.numbering import application_number_next, tracking_code_new
from modules.permits.workflow import (
    MODULE,
    OPEN_STATUSES,
    S,
    TransitionRefused,
    application_transition,
    status_roles,
)
from organisation.models import Desa, Kecamatan, WorkUnit
from staff.permissions import permission_check


@dataclass(frozen=True)
class Applicant:
    name: str
    nik: str = ""
    email: str = ""
    phone: str = ""
    address: str = ""


@dataclass(frozen=True)
class Business:
    name: str = ""
    investment_rupiah: int = 0
    workforce: int = 0


def handling_unit_for(
    *, service: ServiceType, kecamatan: Kecamatan
) -> tuple[WorkUnit | None, bool]:
    """Who handles an application: the kecamatan's office for a service delegated
    to that kecamatan (all kecamatan when the service names none), else the
    service's unit. Returns (unit, delegated)."""
    if service.delegated_to_kecamatan:
        listed = set(service.delegated_kecamatan.values_list("pk", flat=True))
        if not listed or kecamatan.pk in listed:
            office = (
                WorkUnit.objects.filter(
                    kind=WorkUnit.Kind.KECAMATAN, kecamatan=kecamatan, is_active=True
                )
                .order_by("pk")
                .first()
            )
            if office is not None:
                return office, True
    return service.handling_unit, False


def application_submit(
    *,
    service: ServiceType,
    channel: str,
    applicant: Applicant,
    kecamatan: Kecamatan,
    desa: Desa | None,
    form_data: dict[str, Any],
    documents: list[CheckedUpload],
    submission_key: str,
    submitted_by_email: str,
    submitted_by_name: str = "",
    applicant_user: User | None = None,
    business: Business | None = None,
    request: HttpRequest | None = None,
) -> tuple[Application, bool]:
    """Create an application with its documents, number and tracking code.

    Idempotent on `submission_key`: a second call with the same key (a double
    click, a re-posted form) returns the first application and `False`."""
    existing = Application.objects.filter(submission_key=submission_key).first()
    if existing is not None:
        return existing, False
    if not service.is_active:
        raise ValidationError(_("This service is not offered at the moment."))
    if desa is not None and desa.kecamatan_id != kecamatan.pk:
        raise ValidationError({"desa": [_("This desa is not in the chosen kecamatan.")]})
    given = {upload.requirement for upload in documents}
    missing = [
        item["label"]
        for item in service.requirements
        if item.get("required") and item["code"] not in given
    ]
    if missing:
        raise ValidationError(
            _("Missing required documents: %(names)s.") % {"names": "; ".join(missing)}
        )
    business = business if service.is_business and business else Business()
    stored: list[str] = []
    try:
        with transaction.atomic():
            application = _application_create(
                service=service,
                channel=channel,
                applicant=applicant,
                kecamatan=kecamatan,
                desa=desa,
                form_data=form_data,
                submission_key=submission_key,
                applicant_user=applicant_user,
                business=business,
            )
            for checked in documents:
                document = _document_add(
                    application=application, checked=checked, by_email=submitted_by_email
                )
                stored.append(str(document.file.name))
            ApplicationTransition.objects.create(
                application=application,
                from_status="",
                to_status=S.SUBMITTED,
                actor_email=submitted_by_email,
                actor_name=(submitted_by_name or applicant.name)[:150],
                at=application.submitted_at,
            )
            audit_record(
                action="permits.application.submit",
                actor_email=submitted_by_email,
                actor_name=submitted_by_name or applicant.name,
                target=application.number,
                detail={"service": service.code, "channel": channel},
                request=request,
            )
            _email_on_commit(application)
    except IntegrityError:
        _files_delete(stored)
        again = Application.objects.filter(submission_key=submission_key).first()
        if again is not None:
            return again, False
        raise
    except BaseException:
        _files_delete(stored)
        raise
    return application, True


def _application_create(
    *,
    service: ServiceType,
    channel: str,
    applicant: Applicant,
    kecamatan: Kecamatan,
    desa: Desa | None,
    form_data: dict[str, Any],
    submission_key: str,
    applicant_user: User | None,
    business: Business,
) -> Application:
    now = timezone.now()
    calendar = WorkCalendar()
    received = calendar.received_on(now)
    unit, delegated = handling_unit_for(service=service, kecamatan=kecamatan)
    application = Application(
        number=application_number_next(year=received.year),
        tracking_code=tracking_code_new(),
        service=service,
        status=S.SUBMITTED,
        channel=channel,
        applicant_user=applicant_user,
        applicant_name=applicant.name.strip(),
        applicant_nik=applicant.nik,
        applicant_email=applicant.email,
        applicant_phone=applicant.phone,
        applicant_address=applicant.address,
        business_name=business.name,
        investment_rupiah=business.investment_rupiah,
        workforce=business.workforce,
        kecamatan=kecamatan,
        desa=desa,
        handling_unit=unit,
        delegated=delegated,
        form_data=form_data,
        fee_rupiah=fee_compute(service.fee_rule, form_data),
        submitted_at=now,
        legal_due_on=calendar.deadline(received, service.legal_days),
        target_due_on=calendar.deadline(received, service.target_days),
        submission_key=submission_key,
    )
    application.full_clean(exclude=["submission_key", "number", "tracking_code"])
    application.save()
    return application


def _document_add(
    *, application: Application, checked: CheckedUpload, by_email: str
) -> ApplicationDocument:
    document = ApplicationDocument(
        application=application,
        requirement=checked.requirement,
        original_name=checked.original_name,
        content_type=checked.content_type,
        size=checked.size,
        sha256=checked.sha256,
        uploaded_by_email=by_email,
    )
    checked.upload.seek(0)
    document.file.save(stored_name(checked.extension), checked.upload, save=False)
    document.save()
    return document


def _files_delete(names: list[str]) -> None:
    from django.core.files.storage import default_storage

    for name in names:
        default_storage.delete(name)


def _email_on_commit(application: Application) -> None:
    from modules.permits.tasks import application_submitted_email_task

    application_id = application.pk
    transaction.on_commit(lambda: application_submitted_email_task.delay(application_id))


def application_resubmit(
    *,
    application: Application,
    actor: User,
    documents: list[CheckedUpload],
    note: str = "",
    request: HttpRequest | None = None,
) -> ApplicationTransition:
    """The applicant (or the front office for them) hands in a revision: new
    documents are added and the application goes back to the completeness check."""
    stored: list[str] = []
    try:
        with transaction.atomic():
            for checked in documents:
                document = _document_add(
                    application=application, checked=checked, by_email=actor.email
                )
                stored.append(str(document.file.name))
            transition = application_transition(
                application=application,
                to_status=S.COMPLETENESS,
                actor=actor,
                reason=note,
                request=request,
            )
    except BaseException:
        _files_delete(stored)
        raise
    return transition


def staff_may_see(application: Application, user: User) -> bool:
    """Whether `user` holds any permits role over this application (handling staff)."""
    return permission_check(
        user,
        module=MODULE,
        roles=["front_office", "back_office", "technical_team", "approver"],
        work_unit_id=application.handling_unit_id,
        kecamatan_id=application.kecamatan_id,
    )


def staff_may_act(application: Application, user: User) -> bool:
    """Whether `user` acts on the step the application waits in."""
    roles = status_roles(application.status, application.service)
    return bool(roles) and permission_check(
        user,
        module=MODULE,
        roles=roles,
        work_unit_id=application.handling_unit_id,
        kecamatan_id=application.kecamatan_id,
    )


def assignees_for(application: Application) -> list[User]:
    """The people who may be assigned the application's current step."""
    roles = status_roles(application.status, application.service)
    candidates = (
        User.objects.filter(
            is_active=True, role_assignments__module=MODULE, role_assignments__role__in=roles
        )
        .distinct()
        .order_by("full_name", "email")
    )
    return [user for user in candidates if staff_may_act(application, user)]


def application_assign(
    *,
    application: Application,
    assignee: User | None,
    actor: User,
    request: HttpRequest | None = None,
) -> None:
    """Give the current step to a person who handles it (or to nobody)."""
    if application.status not in (*OPEN_STATUSES, S.ISSUED):
        raise TransitionRefused(_("A finished application cannot be assigned."))
    if not staff_may_act(application, actor):
        raise TransitionRefused(_("Only the staff handling this step may assign it."))
    if assignee is not None and not staff_may_act(application, assignee):
        raise TransitionRefused(
            _("%(name)s does not handle this step of this application.")
            % {"name": assignee.full_name or assignee.email}
        )
    with transaction.atomic():
        Application.objects.filter(pk=application.pk).update(
            assigned_to=assignee, updated_at=timezone.now()
        )
        application.assigned_to = assignee
        audit_record(
            action="permits.application.assign",
            actor_email=actor.email,
            actor_name=actor.full_name,
            target=application.number,
            detail={"assignee": assignee.email if assignee else ""},
            request=request,
        )


def application_comment_add(
    *, application: Application, author: User, body: str, request: HttpRequest | None = None
) -> ApplicationComment:
    """An internal note on the application, seen by the handling staff."""
    if not staff_may_see(application, author):
        raise TransitionRefused(_("Only the staff handling this application may comment."))
    comment = ApplicationComment(
        application=application,
        author_email=author.email,
        author_name=(author.full_name or author.email)[:150],
        body=body.strip(),
    )
    comment.full_clean()
    with transaction.atomic():
        comment.save()
        audit_record(
            action="permits.application.comment",
            actor_email=author.email,
            actor_name=author.full_name,
            target=application.number,
            request=request,
        )
    return comment


def personal_data_viewed(
    *, application: Application, viewer: User, request: HttpRequest | None = None
) -> None:
    """Record that a staff member saw the applicant's NIK, address and phone."""
    audit_record(
        action="personal_data.viewed",
        actor_email=viewer.email,
        actor_name=viewer.full_name,
        target=application.number,
        detail={"module": MODULE, "fields": ["nik", "address", "phone", "email"]},
        request=request,
    )
