"""Kecamatan delegation: a delegated service's applications in kecamatan X are
handled by X's office, and only officers with scope there see and act on them."""

import pytest
from django_tenants.utils import schema_context, tenant_context

from modules.permits.models import Application, ServiceType
from modules.permits.workflow import TransitionRefused, application_transition
from organisation.models import Kecamatan, WorkUnit
from tests.permits.support import (
    signed_in,
    staff,
    submit,
)

pytestmark = pytest.mark.django_db
S = Application.Status


def office_of(kecamatan: Kecamatan) -> WorkUnit:
    return WorkUnit.objects.get(kind=WorkUnit.Kind.KECAMATAN, kecamatan=kecamatan)


@pytest.fixture
def two_kecamatan(lebak):
    with schema_context("lebak"):
        with_office = Kecamatan.objects.filter(work_units__kind=WorkUnit.Kind.KECAMATAN)
        x, y = list(with_office.order_by("code")[:2])
        return x, y


def test_a_delegated_service_goes_to_the_office_of_the_applicants_kecamatan(two_kecamatan):
    x, _y = two_kecamatan
    with schema_context("lebak"):
        iumk = ServiceType.objects.get(master_code="iumk")
        application = submit(iumk, kecamatan=x)
        assert application.delegated is True
        assert application.handling_unit == office_of(x)


def test_a_service_not_delegated_stays_with_its_unit(two_kecamatan):
    x, _y = two_kecamatan
    with schema_context("lebak"):
        siup = ServiceType.objects.get(master_code="siup")
        application = submit(siup, kecamatan=x)
        assert application.delegated is False
        assert application.handling_unit is not None
        assert application.handling_unit.code == "DPMPTSP-YAN"


def test_delegation_to_listed_kecamatan_only(two_kecamatan):
    x, y = two_kecamatan
    with schema_context("lebak"):
        iumk = ServiceType.objects.get(master_code="iumk")
        iumk.delegated_kecamatan.set([x])
        in_x, in_y = submit(iumk, kecamatan=x), submit(iumk, kecamatan=y)
        assert in_x.handling_unit == office_of(x)
        assert in_y.delegated is False
        assert in_y.handling_unit == iumk.handling_unit


def test_an_officer_of_one_kecamatan_cannot_see_or_act_on_anothers_application(
    regencies, two_kecamatan
):
    x, y = two_kecamatan
    with tenant_context(regencies["lebak"]):
        iumk = ServiceType.objects.get(master_code="iumk")
        application = submit(iumk, kecamatan=x)
        officer_x = staff("front_office", unit=office_of(x), name="Petugas X")
        officer_y = staff("front_office", unit=office_of(y), name="Petugas Y")
        officer_y_by_kecamatan = staff("front_office", kecamatan=y, name="Petugas Y2")
        for outsider in (officer_y, officer_y_by_kecamatan):
            with pytest.raises(TransitionRefused):
                application_transition(
                    application=application, to_status=S.COMPLETENESS, actor=outsider
                )
        application.refresh_from_db()
        assert application.status == S.SUBMITTED
        application_transition(application=application, to_status=S.COMPLETENESS, actor=officer_x)

    for outsider in (officer_y, officer_y_by_kecamatan):
        client = signed_in("lebak", outsider)
        assert (
            f'data-number="{application.number}"'
            not in client.get("/permits/office/").content.decode()
        )
        assert client.get(f"/permits/office/a/{application.pk}/").status_code == 404
        refused = client.post(
            f"/permits/office/a/{application.pk}/move/", {"to_status": "verification"}
        )
        assert refused.status_code == 404
    inside = signed_in("lebak", officer_x)
    assert f'data-number="{application.number}"' in inside.get("/permits/office/").content.decode()
    assert inside.get(f"/permits/office/a/{application.pk}/").status_code == 200


def test_the_regencys_one_stop_office_does_not_handle_delegated_applications(two_kecamatan):
    x, _y = two_kecamatan
    with schema_context("lebak"):
        iumk = ServiceType.objects.get(master_code="iumk")
        application = submit(iumk, kecamatan=x)
        dpmptsp = staff("front_office", unit=WorkUnit.objects.get(code="DPMPTSP"))
    client = signed_in("lebak", dpmptsp)
    assert (
        f'data-number="{application.number}"' not in client.get("/permits/office/").content.decode()
    )
    assert client.get(f"/permits/office/a/{application.pk}/").status_code == 404
