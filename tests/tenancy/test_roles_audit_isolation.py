"""A regency's roles screens, audit log and its export, and the seat count reach
only that regency's own schema."""

import csv
import io

import pytest
from django.db.models import Max
from django_tenants.utils import schema_context

from accounts.models import User
from billing.models import SeatSnapshot
from billing.tasks import seat_snapshot_task
from core.audit import audit_record
from staff.models import RoleAssignment
from tests.accounts.helpers import new_user
from tests.staff.helpers_roles import regency_admin, signed_in, staff_member

pytestmark = pytest.mark.django_db


def max_pk(slug: str, model) -> int:
    with schema_context(slug):
        return model.objects.aggregate(top=Max("pk"))["top"] or 0


@pytest.fixture
def lebak_client(regencies):
    return signed_in("lebak", regency_admin("lebak"))


@pytest.fixture
def dumai_person(regencies) -> User:
    """A Dumai staff member whose id no Lebak user has: a 404 then means Lebak's
    schema was asked, not that the id happened to be free."""
    free_pk = max(max_pk("lebak", User), max_pk("dumai", User)) + 1000
    with schema_context("dumai"):
        return User.objects.create_user(
            "distinctive@dumai.test", None, full_name="Dumai Distinctive Officer", pk=free_pk
        )


@pytest.fixture
def dumai_assignment(dumai_person) -> RoleAssignment:
    free_pk = max(max_pk("lebak", RoleAssignment), max_pk("dumai", RoleAssignment)) + 1000
    with schema_context("dumai"):
        return RoleAssignment.objects.create(
            pk=free_pk, user=dumai_person, module="ktp", role="operator", scope="regency"
        )


def dumai_assignments(person: User) -> int:
    with schema_context("dumai"):
        return RoleAssignment.objects.filter(user_id=person.pk).count()


def test_lebak_admin_cannot_see_a_dumai_persons_roles(lebak_client, dumai_person):
    assert lebak_client.get(f"/staff/{dumai_person.pk}/roles/").status_code == 404


def test_lebak_admin_cannot_assign_a_role_to_a_dumai_person(lebak_client, dumai_person):
    response = lebak_client.post(
        f"/staff/{dumai_person.pk}/roles/", {"role": "ktp:verifier", "scope": "regency"}
    )
    assert response.status_code == 404
    assert dumai_assignments(dumai_person) == 0


def test_lebak_admin_cannot_revoke_a_dumai_assignment(lebak_client, dumai_assignment):
    person = dumai_assignment.user
    lebak_person = staff_member("lebak")
    for path in (
        f"/staff/{person.pk}/roles/{dumai_assignment.pk}/revoke/",
        f"/staff/{lebak_person.pk}/roles/{dumai_assignment.pk}/revoke/",
    ):
        assert lebak_client.post(path).status_code == 404
    assert dumai_assignments(person) == 1


def test_lebak_admin_cannot_change_a_dumai_persons_admin_flag(lebak_client, dumai_person):
    assert lebak_client.post(f"/staff/{dumai_person.pk}/roles/admin/grant/").status_code == 404
    with schema_context("dumai"):
        assert not User.objects.get(pk=dumai_person.pk).is_regency_admin


def test_lebak_role_overview_lists_only_lebaks_holders(lebak_client, dumai_assignment):
    html = lebak_client.get("/staff/roles/").content.decode()
    assert "Dumai Distinctive Officer" not in html


def test_lebak_audit_log_and_its_export_hold_only_lebaks_rows(lebak_client, regencies):
    with schema_context("dumai"):
        audit_record(action="test.isolation", target="dumai-only-row-7f3a")
    with schema_context("lebak"):
        audit_record(action="test.isolation", target="lebak-row-2b9c")

    page = lebak_client.get("/audit/").content.decode()
    assert "lebak-row-2b9c" in page
    assert "dumai-only-row-7f3a" not in page

    exported = lebak_client.get("/audit/export/", {"format": "csv"})
    text = exported.content.decode("utf-8-sig")
    targets = {row[5] for row in csv.reader(io.StringIO(text))}
    assert "lebak-row-2b9c" in targets
    assert "dumai-only-row-7f3a" not in targets

    # The export's own audit row went to Lebak, not Dumai.
    with schema_context("dumai"):
        assert not audit_exported_in_dumai()


def audit_exported_in_dumai() -> bool:
    from core.models import AuditEvent

    return AuditEvent.objects.filter(action="export", detail__kind="audit_log").exists()


def test_the_seat_task_counts_each_regency_in_its_own_schema(regencies):
    seat_snapshot_task()
    before = dict(SeatSnapshot.objects.values_list("tenant__slug", "active_staff"))

    new_user("dumai")
    new_user("dumai")
    seat_snapshot_task()
    after = dict(SeatSnapshot.objects.values_list("tenant__slug", "active_staff"))

    assert after["dumai"] == before["dumai"] + 2
    assert after["lebak"] == before["lebak"]
    assert after["balangan"] == before["balangan"]
