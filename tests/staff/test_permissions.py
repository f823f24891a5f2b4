"""The permission helper modules ask: a role held over the whole regency, one
work unit (and the units under it) or one kecamatan; and the mixin and decorator
that guard a module's views with it.

This module is also the URLconf of the view tests (see `probe_urls`)."""

import pytest
from django.http import HttpRequest, HttpResponse
from django.urls import path
from django.views import View
from django_tenants.utils import schema_context

from accounts.models import User
from config.urls_common import common_patterns
from staff.models import RoleAssignment, StaffProfile
from staff.permissions import (
    RoleRequiredMixin,
    permission_check,
    permission_scope,
    role_required,
)
from tests.accounts.helpers import client_at
from tests.staff.helpers_roles import signed_in, staff_member, two_kecamatan, unit

pytestmark = pytest.mark.django_db

MODULE = "permits"
ROLE = "back_office"  # a role that does not require two-factor sign-in


def grant(user: User, *, scope: str, work_unit=None, kecamatan=None, role: str = ROLE) -> None:
    RoleAssignment.objects.create(
        user=user, module=MODULE, role=role, scope=scope, work_unit=work_unit, kecamatan=kecamatan
    )


def visible(user: User, *, roles=(ROLE,), among: list[User]) -> set[int]:
    """Which of `among` (by their staff profile's work unit and kecamatan) the
    user's scope lets them see: the query a module's inbox would run."""
    scope = permission_scope(user, module=MODULE, roles=roles)
    return set(
        StaffProfile.objects.filter(user__in=among)
        .filter(scope.q(work_unit_field="work_unit", kecamatan_field="kecamatan"))
        .values_list("user_id", flat=True)
    )


# --- scopes ------------------------------------------------------------------------


def test_regency_scope_sees_everything(regencies):
    kec_a, kec_b = two_kecamatan("lebak")
    items = [
        staff_member("lebak", work_unit=unit("lebak", "DINKES")),
        staff_member("lebak", kecamatan=kec_a),
        staff_member("lebak", kecamatan=kec_b),
        staff_member("lebak"),  # neither a unit nor a kecamatan
    ]
    officer = staff_member("lebak")
    with schema_context("lebak"):
        grant(officer, scope=RoleAssignment.Scope.REGENCY)
        assert visible(officer, among=items) == {item.pk for item in items}
        assert permission_check(officer, module=MODULE, roles=[ROLE], kecamatan_id=kec_b.pk)
        assert permission_scope(officer, module=MODULE, roles=[ROLE]).whole_regency


def test_work_unit_scope_covers_the_unit_and_those_under_it_but_not_siblings_or_parents(
    regencies,
):
    # DPMPTSP > DPMPTSP-YAN > DPMPTSP-TEKNIS, and DPMPTSP-DAL beside DPMPTSP-YAN.
    parent, service, technical, sibling = (
        unit("lebak", code) for code in ("DPMPTSP", "DPMPTSP-YAN", "DPMPTSP-TEKNIS", "DPMPTSP-DAL")
    )
    people = {
        u.code: staff_member("lebak", work_unit=u) for u in (parent, service, technical, sibling)
    }
    officer = staff_member("lebak", work_unit=service)
    with schema_context("lebak"):
        grant(officer, scope=RoleAssignment.Scope.WORK_UNIT, work_unit=service)

        seen = visible(officer, among=list(people.values()))
        assert seen == {people["DPMPTSP-YAN"].pk, people["DPMPTSP-TEKNIS"].pk}

        def check(work_unit):
            return permission_check(officer, module=MODULE, roles=[ROLE], work_unit_id=work_unit.pk)

        assert check(service) and check(technical)
        assert not check(sibling)
        assert not check(parent)


def test_an_officer_of_one_kecamatan_cannot_see_another_kecamatans_items(regencies):
    kec_a, kec_b = two_kecamatan("lebak")
    item_in_a = staff_member("lebak", kecamatan=kec_a)
    item_in_b = staff_member("lebak", kecamatan=kec_b)
    officer_a = staff_member("lebak", kecamatan=kec_a)
    with schema_context("lebak"):
        grant(officer_a, scope=RoleAssignment.Scope.KECAMATAN, kecamatan=kec_a)

        assert visible(officer_a, among=[item_in_a, item_in_b]) == {item_in_a.pk}
        assert permission_check(officer_a, module=MODULE, roles=[ROLE], kecamatan_id=kec_a.pk)
        assert not permission_check(officer_a, module=MODULE, roles=[ROLE], kecamatan_id=kec_b.pk)
        # A work unit id equal to the kecamatan's id is not the kecamatan.
        assert not permission_check(officer_a, module=MODULE, roles=[ROLE], work_unit_id=kec_a.pk)


def test_several_assignments_add_up(regencies):
    kec_a, kec_b = two_kecamatan("lebak")
    health = unit("lebak", "DINKES")
    items = {
        "a": staff_member("lebak", kecamatan=kec_a),
        "b": staff_member("lebak", kecamatan=kec_b),
        "health": staff_member("lebak", work_unit=health),
    }
    officer = staff_member("lebak")
    with schema_context("lebak"):
        grant(officer, scope=RoleAssignment.Scope.KECAMATAN, kecamatan=kec_a)
        grant(officer, scope=RoleAssignment.Scope.WORK_UNIT, work_unit=health)
        assert visible(officer, among=list(items.values())) == {
            items["a"].pk,
            items["health"].pk,
        }


def test_inactive_people_hold_nothing(regencies):
    kec_a, _kec_b = two_kecamatan("lebak")
    item = staff_member("lebak", kecamatan=kec_a)
    officer = staff_member("lebak")
    with schema_context("lebak"):
        grant(officer, scope=RoleAssignment.Scope.REGENCY)
        User.objects.filter(pk=officer.pk).update(is_active=False)
        officer.refresh_from_db()

        assert permission_scope(officer, module=MODULE, roles=[ROLE]).is_empty
        assert not permission_check(officer, module=MODULE, roles=[ROLE])
        assert visible(officer, among=[item]) == set()


def test_an_unknown_role_or_another_modules_role_gives_nothing(regencies):
    item = staff_member("lebak")
    officer = staff_member("lebak")
    with schema_context("lebak"):
        grant(officer, scope=RoleAssignment.Scope.REGENCY)
        assert not permission_check(officer, module=MODULE, roles=["no_such_role"])
        assert not permission_check(officer, module="ktp", roles=[ROLE])
        assert not permission_check(officer, module=MODULE, roles=[])
        assert visible(officer, roles=("approver",), among=[item]) == set()


def test_without_an_item_any_assignment_of_the_role_counts(regencies):
    kec_a, _kec_b = two_kecamatan("lebak")
    officer = staff_member("lebak")
    nobody = staff_member("lebak")
    with schema_context("lebak"):
        grant(officer, scope=RoleAssignment.Scope.KECAMATAN, kecamatan=kec_a)
        assert permission_check(officer, module=MODULE, roles=[ROLE])
        assert not permission_check(nobody, module=MODULE, roles=[ROLE])


# --- the view guards, through a URLconf of their own --------------------------------


class ProbeInboxView(RoleRequiredMixin, View):
    """A module inbox: how many staff profiles the signed-in officer may see."""

    module = MODULE
    roles = (ROLE,)

    def get(self, request: HttpRequest) -> HttpResponse:
        seen = StaffProfile.objects.filter(
            self.scope.q(work_unit_field="work_unit", kecamatan_field="kecamatan")
        )
        return HttpResponse(",".join(str(pk) for pk in seen.values_list("user_id", flat=True)))


@role_required(MODULE, [ROLE])
def probe_function(request: HttpRequest) -> HttpResponse:
    return HttpResponse("regency" if request.role_scope.whole_regency else "part")  # type: ignore[attr-defined]


urlpatterns = [
    *common_patterns,
    path("probe/inbox/", ProbeInboxView.as_view()),
    path("probe/function/", probe_function),
]


@pytest.fixture
def probe_urls(settings):
    settings.ROOT_URLCONF = "tests.staff.test_permissions"


@pytest.mark.parametrize("url", ["/probe/inbox/", "/probe/function/"])
def test_signed_out_visitors_are_sent_to_sign_in(probe_urls, regencies, url):
    response = client_at("lebak.localhost").get(url)
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


@pytest.mark.parametrize("url", ["/probe/inbox/", "/probe/function/"])
def test_people_without_the_role_get_403(probe_urls, regencies, url):
    officer = staff_member("lebak")
    with schema_context("lebak"):
        grant(officer, scope=RoleAssignment.Scope.REGENCY, role="front_office")
    assert signed_in("lebak", officer).get(url).status_code == 403


def test_the_mixin_lets_holders_in_and_hands_the_view_their_scope(probe_urls, regencies):
    kec_a, kec_b = two_kecamatan("lebak")
    item_in_a = staff_member("lebak", kecamatan=kec_a)
    item_in_b = staff_member("lebak", kecamatan=kec_b)
    officer = staff_member("lebak")
    with schema_context("lebak"):
        grant(officer, scope=RoleAssignment.Scope.KECAMATAN, kecamatan=kec_a)

    client = signed_in("lebak", officer)
    response = client.get("/probe/inbox/")
    assert response.status_code == 200
    seen = set(response.content.decode().split(","))
    assert str(item_in_a.pk) in seen
    assert str(item_in_b.pk) not in seen
    assert client.get("/probe/function/").content == b"part"


def test_a_deactivated_holder_is_refused(probe_urls, regencies):
    officer = staff_member("lebak")
    with schema_context("lebak"):
        grant(officer, scope=RoleAssignment.Scope.REGENCY)
    client = signed_in("lebak", officer)
    assert client.get("/probe/function/").content == b"regency"
    with schema_context("lebak"):
        User.objects.filter(pk=officer.pk).update(is_active=False)
    # Django's ModelBackend no longer returns an inactive user: signed out.
    assert client.get("/probe/function/").status_code in (302, 403)
