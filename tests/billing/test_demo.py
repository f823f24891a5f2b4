"""`seed_demo` leaves finance something to look at: a price book, subscriptions,
months of usage, expenses, invoices (some overdue), payments; and running it
again adds nothing."""

import pytest
from django.utils import timezone

from billing.demo import DEMO_BOOK, demo_billing_seed
from billing.models import (
    CreditNote,
    Invoice,
    Payment,
    PriceBookVersion,
    SiteVisit,
    Subscription,
    UsageEvent,
)

pytestmark = pytest.mark.django_db


def test_the_demo_has_a_billing_history(regencies):
    assert PriceBookVersion.objects.get(name=DEMO_BOOK).is_published
    for tenant in regencies.values():
        assert Subscription.objects.filter(tenant=tenant, ends_on__isnull=True).exists()
        assert UsageEvent.objects.filter(tenant=tenant).count() > 100
        invoices = Invoice.objects.filter(tenant=tenant)
        assert invoices.filter(status=Invoice.Status.DRAFT).count() == 1
        assert invoices.exclude(status=Invoice.Status.DRAFT).count() == 4
    overdue = Invoice.objects.filter(
        status__in=Invoice.OPEN_STATUSES, due_on__lt=timezone.localdate()
    )
    assert overdue.filter(tenant=regencies["dumai"]).exists()
    assert Payment.objects.exists() and CreditNote.objects.exists()
    assert Invoice.objects.filter(status=Invoice.Status.PARTIALLY_PAID).exists()
    assert SiteVisit.objects.filter(status=SiteVisit.Status.APPROVED).exists()
    assert SiteVisit.objects.filter(status=SiteVisit.Status.SUBMITTED).exists()
    assert Invoice.objects.filter(lines__kind="expense").exists()
    assert all(t.status == "active" for t in regencies.values())  # nothing suspended


def test_seeding_again_adds_nothing():
    invoices = Invoice.objects.count()
    assert demo_billing_seed() == 0
    assert Invoice.objects.count() == invoices
