"""Bulk staff import: a dry run that lists every row's problems and writes
nothing, a commit that writes every row or none, idempotency (the same file twice
creates nobody twice), big lists through Celery with visible progress, and
invitations that leave only after the commit."""

import io

import pytest
from django.core import mail
from django.core.cache import cache
from django.utils import translation
from django_tenants.utils import schema_context

from accounts.models import Invitation, User
from core.models import AuditEvent
from organisation.models import Kecamatan
from staff import imports
from staff.imports import (
    STAFF_IMPORT_ASYNC_ROWS,
    staff_import_check,
    staff_import_commit,
    staff_import_commit_start,
    staff_import_progress,
)
from staff.models import StaffImport, StaffProfile
from staff.services import Actor, staff_create
from tests.staff.import_files import (
    admin_actor,
    admin_signed_in,
    committed,
    csv_bytes,
    import_start,
    staff_rows,
    upload,
)
from tests.workers import Worker, wait_for

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    """Uploaded lists land in a folder of the test's own."""
    settings.MEDIA_ROOT = tmp_path / "media"


def people_count(schema: str) -> tuple[int, int]:
    with schema_context(schema):
        return User.objects.count(), StaffProfile.objects.count()


def commit(staff_import: StaffImport, schema: str = "lebak") -> StaffImport:
    """Start the commit as the admin's button does, and run it here when it was
    queued (what the worker would do)."""
    actor = admin_actor(schema)
    with schema_context(schema):
        started = staff_import_commit_start(staff_import=staff_import, actor=actor)
        if started.status == StaffImport.Status.IMPORTING:
            staff_import_commit(staff_import_id=started.pk)
        started.refresh_from_db()
        return started


def check(staff_import: StaffImport, schema: str = "lebak") -> StaffImport:
    """Run a queued dry run here (what the worker would do)."""
    with schema_context(schema):
        staff_import_check(staff_import_id=staff_import.pk)
        staff_import.refresh_from_db()
        return staff_import


def test_dry_run_lists_every_rows_problems_and_writes_nothing():
    rows = staff_rows(8)
    rows[0]["email"] = "not-an-email"  # line 2
    rows[1]["full_name"] = ""  # line 3
    rows[2]["nip"] = "19850317201001100"  # line 4: 17 digits
    rows[3]["position"] = "ASTRONAUT"  # line 5
    rows[4]["work_unit"] = "DINAS-RAHASIA"  # line 6
    rows[5]["kecamatan"] = "99.99.99"  # line 7
    rows[6]["phone"] = "call me"  # line 8
    rows[7]["nip"] = "19851317201001 1 002"  # line 9: month 13, and no work unit
    rows[7]["work_unit"] = ""
    before = people_count("lebak")

    staff_import = import_start("lebak", csv_bytes(rows))

    assert staff_import.status == StaffImport.Status.INVALID
    found = {(p["row"], p["column"]) for p in staff_import.problems}
    assert found == {
        (2, "email"),
        (3, "full_name"),
        (4, "nip"),
        (5, "position"),
        (6, "work_unit"),
        (7, "kecamatan"),
        (8, "phone"),
        (9, "nip"),
        (9, "work_unit"),
    }
    messages = {(p["row"], p["column"]): p["message"] for p in staff_import.problems}
    assert messages[(4, "nip")] == "A NIP has exactly 18 digits."
    assert "birth date" in messages[(9, "nip")]
    assert "ASTRONAUT" in messages[(5, "position")]
    assert messages[(9, "work_unit")] == "This column is required."
    assert staff_import.to_create_count == 0
    assert people_count("lebak") == before


def test_dry_run_page_shows_the_problems_and_no_import_button(client_for):
    rows = staff_rows(3)
    rows[1]["position"] = "ASTRONAUT"
    client = admin_signed_in("lebak")
    before = people_count("lebak")

    response = client.post(
        "/staff/imports/", {"file": upload(csv_bytes(rows)), "send_invitations": "on"}
    )

    assert response.status_code == 302
    page = client.get(response["Location"]).content.decode()
    assert 'data-testid="import-problems"' in page
    assert 'data-row="3" data-column="position"' in page
    assert "ASTRONAUT" in page
    assert 'data-testid="import-commit"' not in page
    assert 'data-testid="import-preview"' in page
    assert people_count("lebak") == before


def test_clean_list_shows_what_would_be_created_and_imports_with_one_click():
    rows = staff_rows(3, domain="klik.test")
    client = admin_signed_in("lebak")
    before = people_count("lebak")

    detail = client.post("/staff/imports/", {"file": upload(csv_bytes(rows))})["Location"]
    page = client.get(detail).content.decode()
    assert 'data-testid="count-to-create">3<' in page
    assert "Import 3 people" in page
    assert people_count("lebak") == before

    pk = int(detail.rstrip("/").rsplit("/", 1)[1])
    response = client.post(f"/staff/imports/{pk}/commit/", follow=True)

    assert 'data-testid="import-done"' in response.content.decode()
    assert people_count("lebak") == (before[0] + 3, before[1] + 3)
    with schema_context("lebak"):
        audit = AuditEvent.objects.get(action="staff.imported", detail__import=pk)
        assert audit.detail["created"] == 3
        assert audit.detail["unchanged"] == 0
        assert audit.actor_email == "admin@lebak.test"
        assert (
            AuditEvent.objects.filter(action="staff.created", target__endswith="@klik.test").count()
            == 3
        )


def test_commit_of_a_1000_row_file_creates_1000_staff_with_profiles():
    rows = staff_rows(1000)
    before = people_count("lebak")

    staff_import = check(import_start("lebak", csv_bytes(rows)))
    assert staff_import.status == StaffImport.Status.CHECKED
    assert staff_import.to_create_count == 1000
    assert people_count("lebak") == before

    staff_import = commit(staff_import)

    assert staff_import.status == StaffImport.Status.DONE
    assert staff_import.created_count == 1000
    assert staff_import.processed_rows == 1000
    assert people_count("lebak") == (before[0] + 1000, before[1] + 1000)
    with schema_context("lebak"):
        profile = StaffProfile.objects.select_related("user", "position", "work_unit").get(
            user__email=rows[123]["email"]
        )
        assert profile.user.full_name == rows[123]["full_name"]
        assert profile.nip == rows[123]["nip"]
        assert profile.position is not None
        assert profile.position.code == rows[123]["position"]
        assert profile.work_unit is not None
        assert profile.work_unit.code == rows[123]["work_unit"]
        assert profile.phone == rows[123]["phone"]
        assert not profile.user.has_usable_password()


def test_importing_the_same_1000_row_file_again_creates_nothing_new():
    data = csv_bytes(staff_rows(1000))
    first = commit(check(import_start("lebak", data)))
    assert first.created_count == 1000
    after_first = people_count("lebak")

    second = check(import_start("lebak", data))

    assert second.status == StaffImport.Status.CHECKED
    assert second.problems == []
    assert second.to_create_count == 0
    assert second.unchanged_count == 1000
    second = commit(second)
    assert second.status == StaffImport.Status.DONE
    assert (second.created_count, second.unchanged_count) == (0, 1000)
    assert people_count("lebak") == after_first


def test_person_already_here_with_other_details_is_a_problem_not_an_update():
    rows = staff_rows(2, domain="beda.test")
    commit(import_start("lebak", csv_bytes(rows)))
    rows[0]["full_name"] = "Someone Else"
    rows[1]["phone"] = "081299990000"

    staff_import = import_start("lebak", csv_bytes(rows))

    assert staff_import.status == StaffImport.Status.INVALID
    messages = {(p["row"], p["column"]): p["message"] for p in staff_import.problems}
    assert set(messages) == {(2, "email"), (3, "email")}
    assert "different details (full name)" in messages[(2, "email")]
    assert "different details (phone)" in messages[(3, "email")]
    with schema_context("lebak"):
        assert User.objects.get(email=rows[0]["email"]).full_name != "Someone Else"


def test_nip_of_another_person_already_here_is_a_problem():
    rows = staff_rows(1, domain="nip.test", start=4000)
    with schema_context("lebak"):
        staff_create(
            email="pemilik.nip@example.test",
            full_name="Pemilik NIP",
            actor=Actor(email="admin@lebak.test"),
            nip=str(rows[0]["nip"]),
        )

    staff_import = import_start("lebak", csv_bytes(rows))

    [problem] = staff_import.problems
    assert (problem["row"], problem["column"]) == (2, "nip")
    assert "Pemilik NIP (pemilik.nip@example.test)" in problem["message"]


def test_kecamatan_officer_row_is_imported_with_its_kecamatan():
    with schema_context("lebak"):
        kecamatan = Kecamatan.objects.order_by("code").first()
    assert kecamatan is not None
    rows = staff_rows(1, domain="kec.test")
    rows[0]["kecamatan"] = kecamatan.code

    staff_import = commit(import_start("lebak", csv_bytes(rows)))

    assert staff_import.created_count == 1
    with schema_context("lebak"):
        assert StaffProfile.objects.get(user__email=rows[0]["email"]).kecamatan == kecamatan


def test_commit_checks_again_and_writes_nothing_when_the_regency_changed_meanwhile():
    rows = staff_rows(3, domain="lagi.test")
    staff_import = import_start("lebak", csv_bytes(rows))
    assert staff_import.status == StaffImport.Status.CHECKED
    with schema_context("lebak"):
        staff_create(
            email=str(rows[2]["email"]),
            full_name="Sudah Ada",
            actor=Actor(email="admin@lebak.test"),
        )
    before = people_count("lebak")

    staff_import = commit(staff_import)

    assert staff_import.status == StaffImport.Status.INVALID
    assert [(p["row"], p["column"]) for p in staff_import.problems] == [(4, "email")]
    assert people_count("lebak") == before


def test_list_with_problems_cannot_be_committed(client_for):
    rows = staff_rows(2)
    rows[0]["email"] = ""
    staff_import = import_start("lebak", csv_bytes(rows))
    before = people_count("lebak")

    response = admin_signed_in("lebak").post(
        f"/staff/imports/{staff_import.pk}/commit/", follow=True
    )

    assert "Only a checked list without problems can be imported." in response.content.decode()
    assert people_count("lebak") == before
    with schema_context("lebak"):
        staff_import.refresh_from_db()
    assert staff_import.status == StaffImport.Status.INVALID


def test_invitations_are_queued_only_after_commit(monkeypatch, django_capture_on_commit_callbacks):
    queued: list[tuple[int, str, str]] = []
    monkeypatch.setattr("staff.tasks.invitation_send_task.delay", lambda *args: queued.append(args))
    rows = staff_rows(4, domain="undang.test")
    staff_import = import_start("lebak", csv_bytes(rows), send_invitations=True)

    with django_capture_on_commit_callbacks() as callbacks:
        staff_import = commit(staff_import)
        assert staff_import.created_count == 4
        assert queued == []

    for callback in callbacks:
        callback()
    with schema_context("lebak"):
        invited = dict(
            User.objects.filter(email__endswith="@undang.test").values_list("pk", "email")
        )
        assert Invitation.objects.filter(user__in=invited).count() == 4
    assert sorted(user_id for user_id, _host, _by in queued) == sorted(invited)
    assert {host for _user_id, host, _by in queued} == {"lebak.localhost"}
    assert mail.outbox == []


def test_failed_import_queues_no_invitation(monkeypatch, django_capture_on_commit_callbacks):
    queued: list[tuple[int, str, str]] = []
    monkeypatch.setattr("staff.tasks.invitation_send_task.delay", lambda *args: queued.append(args))
    calls = []

    def failing_on_third(**kwargs):
        calls.append(kwargs["email"])
        if len(calls) == 3:
            raise RuntimeError("database went away")
        return staff_create(**kwargs)

    monkeypatch.setattr(imports, "staff_create", failing_on_third)
    staff_import = import_start("lebak", csv_bytes(staff_rows(5)), send_invitations=True)
    with schema_context("lebak"):
        invitations_before = Invitation.objects.count()

    with django_capture_on_commit_callbacks(execute=True):
        staff_import = commit(staff_import)

    assert staff_import.status == StaffImport.Status.FAILED
    assert "Nothing was imported" in staff_import.error
    assert queued == []
    with schema_context("lebak"):
        assert Invitation.objects.count() == invitations_before


def test_list_of_1000_rows_is_checked_by_a_celery_task_not_in_the_request(
    monkeypatch, django_capture_on_commit_callbacks
):
    queued: list[int] = []
    monkeypatch.setattr(
        "staff.import_tasks.staff_import_check_task.delay", lambda pk: queued.append(pk)
    )
    rows = staff_rows(STAFF_IMPORT_ASYNC_ROWS)

    with django_capture_on_commit_callbacks(execute=True):
        staff_import = import_start("lebak", csv_bytes(rows))

    assert queued == [staff_import.pk]
    with schema_context("lebak"):
        staff_import.refresh_from_db()
    assert staff_import.status == StaffImport.Status.CHECKING
    assert staff_import.total_rows == STAFF_IMPORT_ASYNC_ROWS


def test_check_fails_clearly_when_the_task_cannot_be_queued(
    monkeypatch, django_capture_on_commit_callbacks
):
    def broker_down(pk):
        raise OSError("Connection refused")

    monkeypatch.setattr("staff.import_tasks.staff_import_check_task.delay", broker_down)

    # The callbacks run in the regency's schema, as at the end of the upload's request.
    with schema_context("lebak"), django_capture_on_commit_callbacks(execute=True):
        staff_import = import_start("lebak", csv_bytes(staff_rows(STAFF_IMPORT_ASYNC_ROWS)))

    with schema_context("lebak"):
        staff_import.refresh_from_db()
    assert staff_import.status == StaffImport.Status.FAILED
    assert "could not be queued" in staff_import.error


def test_progress_fragment_polls_while_running_and_reloads_the_page_when_done():
    client = admin_signed_in("lebak")
    staff_import = import_start("lebak", csv_bytes(staff_rows(60, domain="progres.test")))
    actor = admin_actor("lebak")
    with schema_context("lebak"):
        staff_import = staff_import_commit_start(staff_import=staff_import, actor=actor)
    assert staff_import.status == StaffImport.Status.DONE

    # A commit in progress, as a worker shows it mid-way.
    with schema_context("lebak"):
        StaffImport.objects.filter(pk=staff_import.pk).update(
            status=StaffImport.Status.IMPORTING, processed_rows=0
        )
        staff_import.refresh_from_db()
        imports._progress_set(staff_import, 25)
    try:
        running = client.get(f"/staff/imports/{staff_import.pk}/progress/", HTTP_HX_REQUEST="true")
        html = running.content.decode()
        assert 'hx-trigger="every 1s"' in html
        assert 'data-processed="25"' in html
        assert "25 of 60 rows" in html
        assert "HX-Refresh" not in running
    finally:
        with schema_context("lebak"):
            imports._progress_clear(staff_import)

    with schema_context("lebak"):
        StaffImport.objects.filter(pk=staff_import.pk).update(
            status=StaffImport.Status.DONE, processed_rows=60
        )
    done = client.get(f"/staff/imports/{staff_import.pk}/progress/", HTTP_HX_REQUEST="true")
    assert done["HX-Refresh"] == "true"
    assert 'hx-trigger="every 1s"' not in done.content.decode()


def test_failed_import_page_says_why_and_that_nothing_was_written(monkeypatch):
    def always_failing(**kwargs):
        raise RuntimeError("boom")

    monkeypatch.setattr(imports, "staff_create", always_failing)
    staff_import = commit(import_start("lebak", csv_bytes(staff_rows(2))))

    html = admin_signed_in("lebak").get(f"/staff/imports/{staff_import.pk}/").content.decode()

    assert 'data-testid="import-error"' in html
    assert "Nothing was imported" in html


def test_import_list_shows_past_imports_and_the_upload_form():
    staff_import = import_start("lebak", csv_bytes(staff_rows(2)), name="pegawai-2026.csv")

    html = admin_signed_in("lebak").get("/staff/imports/").content.decode()

    assert f'data-testid="import-{staff_import.pk}"' in html
    assert "pegawai-2026.csv" in html
    assert 'data-testid="import-upload"' in html
    assert 'name="send_invitations"' in html


@pytest.mark.parametrize("file_format", ["csv", "xlsx"])
def test_template_download_has_the_expected_columns(file_format):
    response = admin_signed_in("lebak").get(f"/staff/imports/template.{file_format}")

    assert response.status_code == 200
    if file_format == "csv":
        header = response.content.decode("utf-8-sig").splitlines()[0]
    else:
        from openpyxl import load_workbook

        sheet = load_workbook(io.BytesIO(response.content)).worksheets[0]
        header = ",".join(str(cell.value) for cell in sheet[1])
    assert header == "email,full_name,nip,position,work_unit,kecamatan,phone"


def test_viewing_the_preview_of_personal_data_is_audited():
    staff_import = import_start("lebak", csv_bytes(staff_rows(2)))

    admin_signed_in("lebak").get(f"/staff/imports/{staff_import.pk}/")

    with schema_context("lebak"):
        assert AuditEvent.objects.filter(
            action="personal_data.viewed", target=f"staff_import:{staff_import.pk}"
        ).exists()


def test_only_regency_admins_reach_imports(client_for):
    from tests.accounts.helpers import client_at, new_user

    staff_member = new_user("lebak")
    client = client_at("lebak.localhost")
    with schema_context("lebak"):
        client.force_login(staff_member)

    assert client.get("/staff/imports/").status_code == 403
    anonymous = client_at("lebak.localhost").get("/staff/imports/")
    assert anonymous.status_code == 302
    assert anonymous["Location"].startswith("/accounts/login/")


def test_problems_are_in_the_uploaders_language():
    rows = staff_rows(1)
    rows[0]["nip"] = "123"

    staff_import = import_start("lebak", csv_bytes(rows), language="id")

    with translation.override("id"):
        expected = translation.gettext("A NIP has exactly 18 digits.")
    assert staff_import.language == "id"
    assert staff_import.problems[0]["message"] == expected


# The real worker: the import's rows must be committed for it to see them, and
# what it commits is removed afterwards. Balangan, so as to stay out of the way
# of the other tests' Lebak data. Its audit rows stay (append-only by design).
WORKER_DOMAIN = "pekerja.test"


@pytest.fixture
def worker_cleanup():
    yield
    with committed("balangan"):
        for staff_import in StaffImport.objects.filter(created_by_email="admin@balangan.test"):
            staff_import.file.delete(save=False)
            imports._progress_clear(staff_import)
        StaffImport.objects.filter(created_by_email="admin@balangan.test").delete()
        User.objects.filter(email__endswith=f"@{WORKER_DOMAIN}").delete()


@pytest.mark.worker
def test_big_list_is_checked_and_imported_by_the_celery_worker_with_progress(
    celery_worker_session: Worker, worker_cleanup, settings, media_root
):
    # The worker reads the file from the configured media folder, not the test's.
    settings.MEDIA_ROOT = settings.VAR_DIR / "media"
    rows = staff_rows(STAFF_IMPORT_ASYNC_ROWS, domain=WORKER_DOMAIN)
    actor = admin_actor("balangan")
    client = admin_signed_in("balangan")

    with committed("balangan"):
        staff_import = import_start("balangan", csv_bytes(rows))
        pk = staff_import.pk

    def status_is(*statuses):
        def probe():
            with schema_context("balangan"):
                found = StaffImport.objects.get(pk=pk)
            return found if found.status in statuses else None

        return probe

    checked = wait_for(status_is("checked", "invalid", "failed"), worker=celery_worker_session)
    assert checked.status == "checked", checked.problems[:5] or checked.error
    assert checked.processed_rows == checked.total_rows == STAFF_IMPORT_ASYNC_ROWS
    assert checked.to_create_count == STAFF_IMPORT_ASYNC_ROWS

    with committed("balangan"):
        started = staff_import_commit_start(staff_import=checked, actor=actor)
    assert started.status == StaffImport.Status.IMPORTING

    seen = []

    def progress_done():
        with schema_context("balangan"):
            found = StaffImport.objects.get(pk=pk)
            seen.append(staff_import_progress(found))
        return found if found.status in ("done", "failed", "invalid") else None

    done = wait_for(progress_done, worker=celery_worker_session, timeout=300)
    assert done.status == "done", done.error
    assert done.created_count == STAFF_IMPORT_ASYNC_ROWS
    assert seen[-1] == done.total_rows
    assert seen == sorted(seen)
    with schema_context("balangan"):
        assert StaffProfile.objects.filter(user__email__endswith=f"@{WORKER_DOMAIN}").count() == (
            STAFF_IMPORT_ASYNC_ROWS
        )
        assert cache.get(imports._progress_key(done)) is None
    fragment = client.get(f"/staff/imports/{pk}/progress/").content.decode()
    assert f'data-processed="{STAFF_IMPORT_ASYNC_ROWS}"' in fragment
    assert f"{STAFF_IMPORT_ASYNC_ROWS} of {STAFF_IMPORT_ASYNC_ROWS} rows" in fragment
