"""Staff-list imports: upload, dry run, commit.

An upload is stored (tenant-prefixed storage) and checked in full before
anything is written: the dry run (`staff_import_check`) lists every row's
problems. Only a list without problems can be committed, and the commit
(`staff_import_commit`) checks it again and writes every row in one
transaction, or nothing. People already in the regency exactly as the file
describes them are skipped, so importing the same file twice creates nothing.

Lists of STAFF_IMPORT_ASYNC_ROWS rows or more are checked and committed by
Celery tasks (staff.import_tasks) that report their progress; smaller ones run
within the request."""

import hashlib
import logging
import uuid
from collections import defaultdict
from collections.abc import Callable
from typing import Any

from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from accounts.models import User
from core.audit import audit_record
from core.tabular import MAX_UPLOAD_BYTES, Table, TableError, table_read
from staff.import_checks import (
    OPTIONAL_COLUMNS,
    REQUIRED_COLUMNS,
    TEMPLATE_COLUMNS,
    ImportPlan,
    import_plan_build,
    plan_preview,
)
from staff.models import StaffImport
from staff.services import Actor, staff_create, staff_invite

logger = logging.getLogger(__name__)

STAFF_IMPORT_ASYNC_ROWS = 1000
# How often (in rows) progress is reported: often enough for a progress bar
# polled every second, rarely enough to cost nothing next to the rows' own work.
PROGRESS_EVERY = 25
PROGRESS_CACHE_SECONDS = 6 * 3600

S = StaffImport.Status
# The import's state machine: every status change goes through
# `staff_import_transition`, which refuses any move not listed here.
TRANSITIONS: dict[str, frozenset[str]] = {
    S.CHECKING: frozenset({S.CHECKED, S.INVALID, S.FAILED}),
    S.CHECKED: frozenset({S.IMPORTING}),
    # Back to INVALID when the check repeated at commit finds a problem (someone
    # added the same person meanwhile).
    S.IMPORTING: frozenset({S.DONE, S.FAILED, S.INVALID}),
    S.INVALID: frozenset(),
    S.DONE: frozenset(),
    S.FAILED: frozenset(),
}
RUNNING = (S.CHECKING, S.IMPORTING)
# The file's own columns, then where and what the problems are. The header stays
# in English, as the upload expects it: a fixed file can be uploaded as it is.
PROBLEM_EXPORT_COLUMNS = (*TEMPLATE_COLUMNS, "row", "problems")


class ImportRefused(Exception):
    """The import is not in a state that allows this; the message says why."""


class _RowFailed(Exception):
    def __init__(self, line: int, reason: str) -> None:
        super().__init__(reason)
        self.line = line
        self.reason = reason


def staff_import_transition(staff_import: StaffImport, to: str, **fields: Any) -> None:
    if to not in TRANSITIONS[staff_import.status]:
        raise ImportRefused(
            _("An import that is “%(status)s” cannot change to “%(to)s”.")
            % {"status": staff_import.get_status_display(), "to": S(to).label}
        )
    staff_import.status = to
    if to in (S.DONE, S.FAILED, S.INVALID):
        fields.setdefault("finished_at", timezone.now())
    for name, value in fields.items():
        setattr(staff_import, name, value)
    staff_import.save(update_fields=["status", *fields])


def staff_import_read(data: bytes, *, filename: str) -> Table:
    """The staff list as a table; TableError (translated) if it cannot be read."""
    table = table_read(
        data, filename=filename, required=REQUIRED_COLUMNS, optional=OPTIONAL_COLUMNS
    )
    if not table.rows:
        raise TableError(_("The file has a header but no rows of staff under it."))
    return table


def staff_import_start(
    *,
    upload: UploadedFile,
    send_invitations: bool,
    actor: Actor,
    language: str,
    host: str,
) -> StaffImport:
    """Store the uploaded list and run its dry run (queued for big lists).
    Raises TableError, with nothing stored, when the file is not a readable table."""
    data = upload.read(MAX_UPLOAD_BYTES + 1)
    name = upload.name or "staff.csv"
    table = staff_import_read(data, filename=name)
    extension = ".xlsx" if data[:4] == b"PK\x03\x04" else ".csv"
    staff_import = StaffImport(
        original_name=name[:255],
        sha256=hashlib.sha256(data).hexdigest(),
        total_rows=len(table.rows),
        send_invitations=send_invitations,
        language=language,
        host=host,
        created_by_email=actor.email,
    )
    # A name of our own: the uploader's file name is shown, never used as a path.
    staff_import.file.save(f"{uuid.uuid4().hex}{extension}", ContentFile(data), save=False)
    try:
        with transaction.atomic():
            staff_import.full_clean()
            staff_import.save()
            audit_record(
                action="staff.import_uploaded",
                actor_email=actor.email,
                actor_name=actor.name,
                target=staff_import.original_name,
                detail={"import": staff_import.pk, "rows": staff_import.total_rows},
            )
            if staff_import.total_rows >= STAFF_IMPORT_ASYNC_ROWS:
                _queue_after_commit("check", staff_import)
    except Exception:
        staff_import.file.delete(save=False)
        raise
    if staff_import.total_rows < STAFF_IMPORT_ASYNC_ROWS:
        _check_run(staff_import, table)
    return staff_import


def staff_import_check(*, staff_import_id: int) -> StaffImport | None:
    """The dry run of a stored import (the task's body). None if there is no such
    import in the current schema."""
    staff_import = StaffImport.objects.filter(pk=staff_import_id).first()
    if staff_import is None or staff_import.status != S.CHECKING:
        return staff_import
    with translation.override(staff_import.language):
        try:
            table = _table_of(staff_import)
        except TableError as exc:
            staff_import_transition(
                staff_import, S.INVALID, problems=[{"row": None, "column": "", "message": str(exc)}]
            )
            return staff_import
        _check_run(staff_import, table)
    return staff_import


def _check_run(staff_import: StaffImport, table: Table) -> None:
    with translation.override(staff_import.language):
        try:
            plan = import_plan_build(table, progress=_check_progress(staff_import))
        except Exception:
            logger.exception("Checking staff import %s failed", staff_import.pk)
            staff_import_transition(
                staff_import,
                S.FAILED,
                error=_("The check failed unexpectedly. Upload the file again."),
            )
            return
        staff_import_transition(
            staff_import,
            S.INVALID if plan.problems else S.CHECKED,
            problems=plan.problems,
            processed_rows=len(table.rows),
            to_create_count=len(plan.to_create),
            unchanged_count=plan.unchanged_count,
            preview=plan_preview(table),
        )


def _check_progress(staff_import: StaffImport) -> Callable[[int], None]:
    pk = staff_import.pk

    def report(rows: int) -> None:
        # The check runs outside any transaction: each update is committed at
        # once and the progress page sees it.
        if rows % PROGRESS_EVERY == 0:
            StaffImport.objects.filter(pk=pk).update(processed_rows=rows)

    return report


def staff_import_commit_start(*, staff_import: StaffImport, actor: Actor) -> StaffImport:
    """Start writing a checked import (queued for big lists). Raises ImportRefused
    unless it is checked, without problems, and not started already."""
    with transaction.atomic():
        # Locked: two clicks on "Import" start one import.
        locked = StaffImport.objects.select_for_update().get(pk=staff_import.pk)
        if locked.status != S.CHECKED or locked.problems:
            raise ImportRefused(_("Only a checked list without problems can be imported."))
        staff_import_transition(
            locked, S.IMPORTING, processed_rows=0, committed_by_email=actor.email
        )
    _progress_clear(locked)
    if locked.total_rows >= STAFF_IMPORT_ASYNC_ROWS:
        _queue_after_commit("commit", locked)
        return locked
    return staff_import_commit(staff_import_id=locked.pk) or locked


def staff_import_commit(*, staff_import_id: int) -> StaffImport | None:
    """Write an import that is IMPORTING (the task's body): check it again, then
    create every new person in one transaction. On any failure nothing is
    written and the import is FAILED with the reason."""
    staff_import = StaffImport.objects.filter(pk=staff_import_id).first()
    if staff_import is None or staff_import.status != S.IMPORTING:
        return staff_import
    with translation.override(staff_import.language):
        try:
            plan = import_plan_build(_table_of(staff_import))
        except TableError as exc:
            staff_import_transition(
                staff_import, S.INVALID, problems=[{"row": None, "column": "", "message": str(exc)}]
            )
            return staff_import
        if plan.problems:
            staff_import_transition(
                staff_import,
                S.INVALID,
                problems=plan.problems,
                to_create_count=len(plan.to_create),
                unchanged_count=plan.unchanged_count,
            )
            return staff_import
        try:
            _commit_write(staff_import, plan)
        except _RowFailed as exc:
            _commit_failed(
                staff_import,
                _("Row %(row)d could not be imported: %(reason)s Nothing was imported.")
                % {"row": exc.line, "reason": exc.reason},
            )
        except Exception:
            logger.exception("Committing staff import %s failed", staff_import.pk)
            _commit_failed(
                staff_import,
                _("The import failed unexpectedly. Nothing was imported; try again later."),
            )
        finally:
            _progress_clear(staff_import)
    return staff_import


def _commit_write(staff_import: StaffImport, plan: ImportPlan) -> None:
    actor = _actor_of(staff_import.committed_by_email or staff_import.created_by_email)
    unchanged = plan.unchanged_count
    to_create = plan.to_create
    with transaction.atomic():
        for index, row in enumerate(to_create, start=1):
            try:
                user = staff_create(
                    email=row.email,
                    full_name=row.full_name,
                    actor=actor,
                    nip=row.nip,
                    position=row.position,
                    work_unit=row.work_unit,
                    kecamatan=row.kecamatan,
                    phone=row.phone,
                )
                if staff_import.send_invitations:
                    # Mailed only once this transaction commits (staff_invite).
                    staff_invite(user=user, host=staff_import.host, actor=actor)
            except ValidationError as exc:
                raise _RowFailed(row.line, " ".join(exc.messages)) from exc
            if index % PROGRESS_EVERY == 0:
                _progress_set(staff_import, unchanged + index)
        audit_record(
            action="staff.imported",
            actor_email=actor.email,
            actor_name=actor.name,
            target=staff_import.original_name,
            detail={
                "import": staff_import.pk,
                "rows": staff_import.total_rows,
                "created": len(to_create),
                "unchanged": unchanged,
                "invitations": staff_import.send_invitations,
            },
        )
        staff_import_transition(
            staff_import,
            S.DONE,
            created_count=len(to_create),
            unchanged_count=unchanged,
            processed_rows=staff_import.total_rows,
            error="",
        )


def _commit_failed(staff_import: StaffImport, message: str) -> None:
    # The rolled-back transaction may have changed the instance (to DONE) without
    # the database following.
    staff_import.refresh_from_db()
    staff_import_transition(staff_import, S.FAILED, error=message, created_count=0)


def _actor_of(email: str) -> Actor:
    user = User.objects.filter(email__iexact=email).first() if email else None
    return Actor(email=email, name=user.full_name if user else "")


def _table_of(staff_import: StaffImport) -> Table:
    with staff_import.file.open("rb") as stored:
        data = stored.read()
    return staff_import_read(data, filename=staff_import.original_name)


def _queue_after_commit(kind: str, staff_import: StaffImport) -> None:
    """Queue the check or commit task once the import's row is committed, so the
    worker finds it. A broker that cannot be reached fails the import with a
    message instead of leaving it "checking" forever."""
    from staff.import_tasks import staff_import_check_task, staff_import_commit_task

    task = staff_import_check_task if kind == "check" else staff_import_commit_task
    pk = staff_import.pk

    def publish() -> None:
        try:
            task.delay(pk)
        except Exception:
            logger.exception("Could not queue staff import %s", pk)
            stuck = StaffImport.objects.get(pk=pk)
            staff_import_transition(
                stuck,
                S.FAILED,
                error=_(
                    "The work could not be queued (is the task queue running?). "
                    "Nothing was imported."
                ),
            )

    transaction.on_commit(publish)


# The commit's progress. The commit runs in one transaction, so a processed_rows
# written to the import's row would stay invisible to the progress page until
# the very end; the count goes to the cache instead (its keys carry the schema:
# KEY_FUNCTION), which every process reads at once. The row gets the final count
# in the same transaction as the people themselves.
def _progress_key(staff_import: StaffImport) -> str:
    # The creation time too: ids restart in a rebuilt or restored schema, and a
    # stale counter must never be read as this import's.
    return f"staff-import:{staff_import.pk}:{staff_import.created_at.timestamp()}:progress"


def _progress_set(staff_import: StaffImport, rows: int) -> None:
    cache.set(_progress_key(staff_import), rows, PROGRESS_CACHE_SECONDS)


def _progress_clear(staff_import: StaffImport) -> None:
    cache.delete(_progress_key(staff_import))


def staff_import_progress(staff_import: StaffImport) -> int:
    """Rows processed so far, by the check or by the commit."""
    if staff_import.status == S.IMPORTING:
        rows = cache.get(_progress_key(staff_import))
        if rows is not None:
            return int(rows)
    return staff_import.processed_rows


def staff_import_problem_rows(staff_import: StaffImport) -> list[list[object]]:
    """Each row with problems as the file has it, with its line number and its
    problems joined; problems of the file as a whole come first, without cells."""
    messages: dict[int | None, list[str]] = defaultdict(list)
    for problem in staff_import.problems:
        messages[problem["row"]].append(problem["message"])
    blank = [""] * len(TEMPLATE_COLUMNS)
    rows: list[list[object]] = []
    if None in messages:
        rows.append([*blank, "", " ".join(messages.pop(None))])
    try:
        lines = _table_of(staff_import).rows
    except (TableError, OSError):
        lines = ()
    for line, cells in lines:
        if line in messages:
            found = [cells.get(column, "") for column in TEMPLATE_COLUMNS]
            rows.append([*found, line, " ".join(messages.pop(line))])
    # Only if the stored file could not be read again: the problems, without cells.
    rows.extend([*blank, line or "", " ".join(texts)] for line, texts in messages.items())
    return rows
