"""Celery tasks of staff-list imports too big to handle within a request.

They run in the schema they were queued in (tenant-schemas-celery carries it in
the message), so an import id always means the queuing regency's import; the
same id queued from another regency finds nothing there and does nothing."""

from celery import shared_task

from staff.imports import staff_import_check, staff_import_commit


@shared_task
def staff_import_check_task(staff_import_id: int) -> str:
    """The dry run of a stored import; returns its status afterwards."""
    staff_import = staff_import_check(staff_import_id=staff_import_id)
    return staff_import.status if staff_import else "missing"


@shared_task
def staff_import_commit_task(staff_import_id: int) -> str:
    """Write an import whose commit was started. Redelivered if the worker dies
    (late acknowledgement): the killed attempt's transaction was rolled back, so
    the second one starts from nothing."""
    staff_import = staff_import_commit(staff_import_id=staff_import_id)
    return staff_import.status if staff_import else "missing"
