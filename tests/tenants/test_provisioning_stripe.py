"""The billing step creates the Stripe customer through the official SDK, once."""

import pytest

from billing.models import BillingCustomer
from tenants.lifecycle import Actor
from tenants.provisioning import steps
from tenants.provisioning.services import (
    provisioning_cancel,
    provisioning_execute,
    provisioning_start,
)
from tenants.services import tenant_prospect_create

pytestmark = pytest.mark.django_db
ENGINEER = Actor(email="engineer@sukowati.test")


class SimulatedCrash(BaseException):
    pass


def _run(monkeypatch=None):
    tenant = tenant_prospect_create(slug="bone", region_code="73.08", actor_email=ENGINEER.email)
    return provisioning_start(
        tenant=tenant, admin_email="admin@bone.go.id", admin_name="Andi", actor=ENGINEER
    )


def test_customer_is_created_in_stripe_with_a_stable_idempotency_key(stripe_double):
    run = provisioning_execute(run_id=_run().pk)
    customer = BillingCustomer.objects.get(tenant=run.tenant)
    assert customer.stripe_customer_id.startswith("cus_double")
    [call] = stripe_double.calls("POST", "/v1/customers")
    assert call.idempotency_key == f"sukowati-customer-{run.tenant.pk}"
    assert call.params["email"] == ["admin@bone.go.id"]
    assert call.params["metadata[region_code]"] == ["73.08"]


def test_crash_between_stripe_and_our_database_does_not_create_a_second_customer(
    stripe_double, monkeypatch
):
    original_save = BillingCustomer.save

    def crash_when_recording_the_stripe_id(self, *args, **kwargs):
        if "stripe_customer_id" in (kwargs.get("update_fields") or ()):
            raise SimulatedCrash  # Stripe answered; we died before saving its id
        return original_save(self, *args, **kwargs)

    monkeypatch.setattr(BillingCustomer, "save", crash_when_recording_the_stripe_id)
    run = _run()
    with pytest.raises(SimulatedCrash):
        provisioning_execute(run_id=run.pk)
    monkeypatch.setattr(BillingCustomer, "save", original_save)
    provisioning_execute(run_id=run.pk)

    calls = stripe_double.calls("POST", "/v1/customers")
    assert len(calls) == 2
    assert {c.idempotency_key for c in calls} == {f"sukowati-customer-{run.tenant.pk}"}
    assert len(stripe_double.objects) == 1  # Stripe acted once; the retry was replayed
    customer = BillingCustomer.objects.get(tenant=run.tenant)
    assert customer.stripe_customer_id == next(iter(stripe_double.objects))


def test_cancel_deletes_the_stripe_customer(stripe_double, monkeypatch):
    monkeypatch.setitem(
        steps.STEP_FUNCTIONS, "domains", lambda run: (_ for _ in ()).throw(steps.StepFailed("dns"))
    )
    run = provisioning_execute(run_id=_run().pk)
    [customer_id] = list(stripe_double.objects)
    provisioning_cancel(run=run, actor=ENGINEER)
    assert stripe_double.calls("DELETE", f"/v1/customers/{customer_id}")
    assert stripe_double.objects == {}
