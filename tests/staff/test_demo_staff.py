"""`seed_demo` gives each demo regency a few dozen civil servants with valid NIPs,
across work units, roles and scopes, who can sign in with the demo password; and
a second run creates nothing."""

import pytest
from allauth.mfa.models import Authenticator
from django.core.management import call_command
from django_tenants.utils import schema_context

from accounts.models import User
from accounts.nip import nip_parse
from staff.demo import demo_staff_seed
from staff.models import RoleAssignment, StaffProfile
from staff.permissions import mfa_required
from tests.accounts.helpers import client_at, demo_totp_code, sign_in
from tests.conftest import DEMO_PASSWORD

pytestmark = pytest.mark.django_db

SLUGS = ("lebak", "balangan", "dumai")


@pytest.mark.parametrize("slug", SLUGS)
def test_each_regency_has_a_few_dozen_staff_with_valid_nips(slug):
    with schema_context(slug):
        profiles = list(StaffProfile.objects.select_related("user", "work_unit"))
        assert 30 <= len(profiles) <= 40
        for profile in profiles:
            assert profile.user.email.endswith(f"@{slug}.test")
            assert profile.work_unit is not None
            if profile.nip:
                nip = nip_parse(profile.nip)
                assert nip.sex == ("M" if profile.nip[14] == "1" else "F")
        assert sum(1 for p in profiles if not p.nip) >= 1  # contract staff have none


@pytest.mark.parametrize("slug", SLUGS)
def test_roles_cover_every_module_role_and_every_scope(slug):
    with schema_context(slug):
        held = set(RoleAssignment.objects.values_list("module", "role"))
        scopes = set(RoleAssignment.objects.values_list("scope", flat=True))
        officers = StaffProfile.objects.filter(
            kecamatan__isnull=False, work_unit__code__startswith="KEC-"
        )
        assert officers.count() >= 6
        assert all(p.work_unit and p.work_unit.kecamatan_id == p.kecamatan_id for p in officers)
    assert held == {
        ("permits", "front_office"),
        ("permits", "back_office"),
        ("permits", "technical_team"),
        ("permits", "approver"),
        ("ktp", "operator"),
        ("ktp", "verifier"),
        ("ktp", "supervisor"),
        ("kantaya", "staff"),
        ("kantaya", "supervisor"),
        ("kantaya", "unit_admin"),
    }
    assert scopes == {"regency", "work_unit", "kecamatan"}


def test_holders_of_roles_requiring_mfa_have_the_demo_authenticator():
    with schema_context("lebak"):
        needing = [u for u in User.objects.filter(is_active=True) if mfa_required(u)]
        assert len(needing) >= 5  # the admin, approvers, supervisors, unit admins
        for user in needing:
            assert Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists()


def test_demo_staff_sign_in_with_the_demo_password():
    with schema_context("lebak"):
        operator = User.objects.filter(
            role_assignments__module="ktp", role_assignments__role="operator", is_active=True
        ).first()
        assert operator is not None and not mfa_required(operator)
    client = client_at("lebak.localhost")
    assert sign_in(client, operator.email, DEMO_PASSWORD).status_code == 302
    assert client.get("/").wsgi_request.user == operator


def test_demo_approver_signs_in_with_the_demo_totp_code():
    with schema_context("lebak"):
        approver = User.objects.filter(
            role_assignments__module="permits", role_assignments__role="approver"
        ).first()
        assert approver is not None
    client = client_at("lebak.localhost")
    assert sign_in(client, approver.email, DEMO_PASSWORD)["Location"] == (
        "/accounts/2fa/authenticate/"
    )
    code = demo_totp_code("lebak", approver.email)
    assert client.post("/accounts/2fa/authenticate/", {"code": code}).status_code == 302
    assert client.get("/").status_code == 200


def test_one_demo_person_has_left_and_is_inactive():
    with schema_context("lebak"):
        left = StaffProfile.objects.filter(deactivated_at__isnull=False)
        assert left.count() == 1
        assert not left.get().user.is_active


def test_seeding_again_creates_nobody_and_no_role():
    counts = {}
    for slug in SLUGS:
        with schema_context(slug):
            counts[slug] = (User.objects.count(), RoleAssignment.objects.count())
    call_command("seed_demo", verbosity=0)
    for slug in SLUGS:
        with schema_context(slug):
            assert demo_staff_seed() == 0
            assert (User.objects.count(), RoleAssignment.objects.count()) == counts[slug]
