"""The tree of work units: creating, moving (never under itself), staff counts,
and deactivating rather than deleting what is in use."""

import uuid

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation
from django_tenants.utils import schema_context

from accounts.services import user_create
from core.models import AuditEvent
from organisation.models import Kecamatan, WorkUnit
from organisation.services import (
    Actor,
    work_unit_create,
    work_unit_delete,
    work_unit_set_active,
    work_unit_update,
)
from staff.models import StaffProfile

pytestmark = pytest.mark.django_db

ADMIN = Actor(email="admin@lebak.test", name="Siti Rahmawati")


def unit(code: str, parent: WorkUnit | None = None, kind: str = WorkUnit.Kind.DINAS) -> WorkUnit:
    return work_unit_create(code=code, name=f"Unit {code}", kind=kind, parent=parent, actor=ADMIN)


def staff_in(work_unit: WorkUnit, *, active: bool = True) -> StaffProfile:
    from django.utils import timezone

    user = user_create(
        email=f"pegawai-{uuid.uuid4().hex[:8]}@lebak.test", full_name="Budi", password=None
    )
    return StaffProfile.objects.create(
        user=user, work_unit=work_unit, deactivated_at=None if active else timezone.now()
    )


def test_create_builds_a_tree_and_audits_each_unit():
    with schema_context("lebak"):
        top = unit("T-DINAS")
        child = unit("t-bidang", parent=top, kind=WorkUnit.Kind.BAGIAN)
        assert child.code == "T-BIDANG"  # codes are stored upper-case
        assert list(top.children.all()) == [child]
        event = AuditEvent.objects.get(action="work_unit.created", target="T-BIDANG")
        assert event.actor_email == ADMIN.email
        assert event.detail["parent"] == "T-DINAS"


def test_edit_moves_a_unit_and_audits_what_changed():
    with schema_context("lebak"):
        a, b = unit("T-A"), unit("T-B")
        leaf = unit("T-LEAF", parent=a)
        work_unit_update(
            unit=leaf, code="T-LEAF", name="Renamed", kind=leaf.kind, parent=b, actor=ADMIN
        )
        leaf.refresh_from_db()
        assert leaf.parent == b and leaf.name == "Renamed"
        changes = AuditEvent.objects.get(action="work_unit.updated", target="T-LEAF").detail[
            "changes"
        ]
        assert changes == {"name": ["Unit T-LEAF", "Renamed"], "parent": ["T-A", "T-B"]}


def test_a_unit_cannot_be_its_own_parent_or_sit_under_its_descendant():
    with schema_context("lebak"), translation.override("en"):
        top = unit("T-TOP")
        middle = unit("T-MID", parent=top)
        bottom = unit("T-BOT", parent=middle)
        with pytest.raises(ValidationError) as own:
            work_unit_update(
                unit=top, code="T-TOP", name="x", kind=top.kind, parent=top, actor=ADMIN
            )
        assert own.value.message_dict["parent"] == ["A work unit cannot be its own parent."]
        with pytest.raises(ValidationError) as loop:
            work_unit_update(
                unit=top, code="T-TOP", name="x", kind=top.kind, parent=bottom, actor=ADMIN
            )
        assert "own sub-units" in loop.value.message_dict["parent"][0]
        top.refresh_from_db()
        assert top.parent is None and top.name == "Unit T-TOP"


def test_duplicate_code_is_refused_on_the_code_field():
    with schema_context("lebak"), translation.override("en"):
        unit("T-DUP")
        with pytest.raises(ValidationError) as excinfo:
            unit("t-dup")
        assert "already has the code T-DUP" in excinfo.value.message_dict["code"][0]


def test_tree_page_nests_units_and_counts_their_active_staff(admin_client):
    with schema_context("lebak"):
        top = unit("T-TREE")
        child = unit("T-TREE-1", parent=top)
        staff_in(top)
        staff_in(child)
        staff_in(child)
        staff_in(child, active=False)
    html = admin_client("lebak").get("/organisation/work-units/").content.decode()
    top_item = html[html.index(f'id="unit-{top.pk}"') :]
    # the child is rendered inside the parent's list item, before the parent's next sibling
    assert f'id="unit-{child.pk}"' in top_item[: top_item.index("</details>")]
    assert "2 staff" in top_item  # the child's active staff
    assert "3 with its 1 sub-units" in top_item
    assert "Sekretariat Daerah" in html  # the demo organisation


def test_create_and_edit_through_the_screens(admin_client):
    client = admin_client("lebak")
    with schema_context("lebak"):
        parent = WorkUnit.objects.get(code="DPMPTSP")
        kecamatan = Kecamatan.objects.earliest("code")
    response = client.post(
        "/organisation/work-units/new/",
        {
            "code": "dpmptsp-arsip",
            "name": "Seksi Arsip",
            "kind": "bagian",
            "parent": parent.pk,
            "kecamatan": "",
        },
    )
    assert response.status_code == 302
    with schema_context("lebak"):
        created = WorkUnit.objects.get(code="DPMPTSP-ARSIP")
    assert created.parent_id == parent.pk
    response = client.post(
        f"/organisation/work-units/{created.pk}/",
        {
            "code": "DPMPTSP-ARSIP",
            "name": "Seksi Kearsipan",
            "kind": "upt",
            "parent": "",
            "kecamatan": kecamatan.pk,
        },
    )
    assert response.status_code == 302
    with schema_context("lebak"):
        created.refresh_from_db()
    assert (created.name, created.kind, created.parent_id, created.kecamatan_id) == (
        "Seksi Kearsipan",
        "upt",
        None,
        kecamatan.pk,
    )


def test_cycle_through_the_screen_shows_the_message_on_the_parent_field(admin_client):
    with schema_context("lebak"):
        top = WorkUnit.objects.get(code="DPMPTSP")
        below = WorkUnit.objects.get(code="DPMPTSP-TEKNIS")  # DPMPTSP > DPMPTSP-YAN > TEKNIS
    response = admin_client("lebak").post(
        f"/organisation/work-units/{top.pk}/",
        {"code": top.code, "name": top.name, "kind": top.kind, "parent": below.pk, "kecamatan": ""},
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert 'data-field="parent"' in html
    assert "cannot be placed under itself" in html
    with schema_context("lebak"):
        top.refresh_from_db()
    assert top.parent_id is None


def test_empty_name_and_bad_code_are_shown_next_to_their_fields(admin_client):
    response = admin_client("lebak").post(
        "/organisation/work-units/new/", {"code": "bad code!", "name": "", "kind": "dinas"}
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert 'data-field="name"' in html
    assert 'data-field="code"' in html
    assert "only letters, digits" in html


def test_unit_with_staff_is_deactivated_not_deleted():
    with schema_context("lebak"), translation.override("en"):
        busy = unit("T-BUSY")
        staff_in(busy)
        with pytest.raises(ValidationError) as excinfo:
            work_unit_delete(unit=busy, actor=ADMIN)
        assert "deactivate it instead" in excinfo.value.messages[0]
        assert WorkUnit.objects.filter(code="T-BUSY").exists()
        work_unit_set_active(unit=busy, active=False, actor=ADMIN)
        busy.refresh_from_db()
        assert not busy.is_active
        assert busy.staff.count() == 1  # its staff still belong to it
        assert AuditEvent.objects.filter(action="work_unit.deactivated", target="T-BUSY").exists()
        work_unit_set_active(unit=busy, active=True, actor=ADMIN)
        busy.refresh_from_db()
        assert busy.is_active


def test_unit_with_sub_units_cannot_be_deleted():
    with schema_context("lebak"), translation.override("en"):
        top = unit("T-PARENT")
        unit("T-KID", parent=top)
        with pytest.raises(ValidationError) as excinfo:
            work_unit_delete(unit=top, actor=ADMIN)
        assert "has sub-units" in excinfo.value.messages[0]


def test_unused_unit_is_deleted_and_audited(admin_client):
    with schema_context("lebak"):
        spare = unit("T-SPARE")
    client = admin_client("lebak")
    assert (
        'data-testid="unit-delete"'
        in client.get(f"/organisation/work-units/{spare.pk}/").content.decode()
    )
    response = client.post(f"/organisation/work-units/{spare.pk}/delete/")
    assert response.status_code == 302
    with schema_context("lebak"):
        assert not WorkUnit.objects.filter(code="T-SPARE").exists()
        assert AuditEvent.objects.filter(action="work_unit.deleted", target="T-SPARE").exists()


def test_delete_button_is_replaced_by_the_reason_when_staff_belong(admin_client):
    with schema_context("lebak"):
        busy = unit("T-BUSY2")
        staff_in(busy)
    client = admin_client("lebak")
    html = client.get(f"/organisation/work-units/{busy.pk}/").content.decode()
    assert 'data-testid="unit-delete"' not in html
    assert 'data-testid="unit-delete-refused"' in html
    client.post(f"/organisation/work-units/{busy.pk}/delete/")
    with schema_context("lebak"):
        assert WorkUnit.objects.filter(pk=busy.pk).exists()
    client.post(f"/organisation/work-units/{busy.pk}/active/", {"active": "0"})
    with schema_context("lebak"):
        busy.refresh_from_db()
    assert not busy.is_active


def test_unit_that_a_role_scope_names_cannot_be_deleted():
    from staff.models import RoleAssignment

    with schema_context("lebak"), translation.override("en"):
        scoped = unit("T-SCOPED")
        holder = user_create(email="scoped@lebak.test", full_name="Scoped", password=None)
        RoleAssignment.objects.create(
            user=holder, module="permits", role="approver", scope="work_unit", work_unit=scoped
        )
        with pytest.raises(ValidationError) as excinfo:
            work_unit_delete(unit=scoped, actor=ADMIN)
        assert "still in use" in excinfo.value.messages[0]
        assert WorkUnit.objects.filter(code="T-SCOPED").exists()
