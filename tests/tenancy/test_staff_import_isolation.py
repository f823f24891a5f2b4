"""A staff-list import belongs to its regency: its pages, its stored file, its
progress counter and its Celery tasks are out of every other regency's reach."""

from pathlib import Path

import pytest
from django.core.cache import cache
from django.core.files.storage import default_storage
from django_tenants.utils import schema_context

from accounts.models import User
from staff import imports
from staff.import_tasks import staff_import_check_task
from staff.models import StaffImport
from tests.staff.import_files import (
    admin_signed_in,
    committed,
    csv_bytes,
    import_start,
    staff_rows,
)
from tests.workers import Worker, wait_for

pytestmark = pytest.mark.django_db


@pytest.fixture
def media_root(settings, tmp_path) -> Path:
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def dumai_import(media_root) -> StaffImport:
    """A checked Dumai import, with an id no Lebak import has."""
    staff_import = import_start("dumai", csv_bytes(staff_rows(2, domain="dumai-impor.test")))
    assert staff_import.status == StaffImport.Status.CHECKED
    with schema_context("lebak"):
        assert not StaffImport.objects.filter(pk=staff_import.pk).exists()
    return staff_import


@pytest.mark.parametrize(
    "path",
    ["/staff/imports/{pk}/", "/staff/imports/{pk}/progress/", "/staff/imports/{pk}/problems.csv"],
)
def test_lebak_admin_cannot_open_dumais_import(dumai_import, path):
    response = admin_signed_in("lebak").get(path.format(pk=dumai_import.pk))

    assert response.status_code == 404


def test_lebak_admin_cannot_commit_dumais_import(dumai_import):
    response = admin_signed_in("lebak").post(f"/staff/imports/{dumai_import.pk}/commit/")

    assert response.status_code == 404
    with schema_context("dumai"):
        dumai_import.refresh_from_db()
        assert dumai_import.status == StaffImport.Status.CHECKED
        assert not User.objects.filter(email__endswith="@dumai-impor.test").exists()


def test_lebak_import_list_does_not_show_dumais_imports(dumai_import):
    html = admin_signed_in("lebak").get("/staff/imports/").content.decode()

    assert f'data-testid="import-{dumai_import.pk}"' not in html


def test_uploaded_list_is_stored_under_the_regencys_schema_prefix(media_root):
    staff_import = import_start("lebak", csv_bytes(staff_rows(2)))

    name = staff_import.file.name
    assert name is not None
    assert name.startswith("imports/staff/")
    assert (media_root / "lebak" / name).is_file()
    assert not (media_root / "dumai" / name).exists()
    with schema_context("dumai"):
        assert not default_storage.exists(name)
    with schema_context("lebak"):
        assert default_storage.exists(name)


def test_progress_counter_is_kept_under_the_regencys_cache_prefix(media_root):
    staff_import = import_start("lebak", csv_bytes(staff_rows(2)))
    key = imports._progress_key(staff_import)
    try:
        with schema_context("lebak"):
            imports._progress_set(staff_import, 1)
        with schema_context("dumai"):
            assert cache.get(key) is None
        with schema_context("lebak"):
            assert cache.get(key) == 1
    finally:
        with schema_context("lebak"):
            imports._progress_clear(staff_import)


@pytest.fixture
def committed_imports():
    """Imports committed for the worker to see, removed afterwards."""
    created: list[tuple[str, int]] = []
    yield created
    for schema, pk in created:
        with committed(schema):
            staff_import = StaffImport.objects.filter(pk=pk).first()
            if staff_import is not None:
                staff_import.file.delete(save=False)
                staff_import.delete()


@pytest.mark.worker
def test_check_task_runs_in_the_schema_it_was_queued_in(
    celery_worker_session: Worker, committed_imports, settings
):
    # The worker reads files from the configured media folder.
    settings.MEDIA_ROOT = settings.VAR_DIR / "media"
    # Dumai's admin, unknown in Lebak: a new person for a check run in Lebak, a
    # conflict (not a staff profile) for one run in Dumai.
    rows = staff_rows(1, domain="lintas.test")
    rows[0]["email"] = "admin@dumai.test"
    rows[0]["full_name"] = "Admin Dumai"
    # Big enough to be queued by the upload itself.
    rows += staff_rows(imports.STAFF_IMPORT_ASYNC_ROWS - 1, domain="lintas.test", start=10)
    with committed("lebak"):
        staff_import = import_start("lebak", csv_bytes(rows))
    committed_imports.append(("lebak", staff_import.pk))
    with schema_context("dumai"):
        assert not StaffImport.objects.filter(pk=staff_import.pk).exists()

    def checked_in_lebak():
        with schema_context("lebak"):
            found = StaffImport.objects.get(pk=staff_import.pk)
        return found if found.status != StaffImport.Status.CHECKING else None

    result = wait_for(checked_in_lebak, worker=celery_worker_session)

    assert result.status == StaffImport.Status.CHECKED, result.problems[:3] or result.error
    assert result.to_create_count == imports.STAFF_IMPORT_ASYNC_ROWS


@pytest.mark.worker
def test_import_id_queued_from_another_regency_finds_nothing_there(
    celery_worker_session: Worker, committed_imports, settings
):
    settings.MEDIA_ROOT = settings.VAR_DIR / "media"
    with committed("lebak"):
        staff_import = import_start("lebak", csv_bytes(staff_rows(2, domain="salah.test")))
        # Back to CHECKING, as if its check had been queued and not yet run.
        StaffImport.objects.filter(pk=staff_import.pk).update(
            status=StaffImport.Status.CHECKING, processed_rows=0, to_create_count=0
        )
    committed_imports.append(("lebak", staff_import.pk))

    with schema_context("dumai"):
        from_dumai = staff_import_check_task.delay(staff_import.pk)
    with schema_context("lebak"):
        from_lebak = staff_import_check_task.delay(staff_import.pk)

    # The worker logs each task's schema and result: "[dumai ...] Task ...[id]
    # succeeded in ...: 'missing'".
    def finished(task_id: str):
        def probe():
            lines = celery_worker_session.log.read_text().splitlines()
            return next((line for line in lines if f"[{task_id}] succeeded" in line), None)

        return probe

    dumai_line = wait_for(finished(from_dumai.id), worker=celery_worker_session)
    lebak_line = wait_for(finished(from_lebak.id), worker=celery_worker_session)
    assert "[dumai " in dumai_line
    assert dumai_line.endswith("'missing'")
    assert "[lebak " in lebak_line
    assert lebak_line.endswith("'checked'")
    with schema_context("lebak"):
        assert StaffImport.objects.get(pk=staff_import.pk).status == StaffImport.Status.CHECKED
