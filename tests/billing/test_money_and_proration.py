"""Proration, tax and rounding in rupiah, on worked examples."""

import datetime

import pytest

from billing.models import ModulePrice, Subscription
from billing.money import divide_half_up, percent_of, prorate, rupiah, tax_of
from billing.subscriptions import subscription_lines


def test_half_a_rupiah_rounds_up_and_less_rounds_down():
    assert divide_half_up(5, 2) == 3  # 2,5 -> 3
    assert divide_half_up(7, 4) == 2  # 1,75 -> 2
    assert divide_half_up(5, 4) == 1  # 1,25 -> 1
    assert divide_half_up(0, 3) == 0


def test_proration_is_days_active_over_days_in_the_month_half_up():
    # 3.000.000 for 10 of 30 days (November) = 1.000.000 exactly.
    assert prorate(3_000_000, 10, 30) == 1_000_000
    # 2.000.000 x 22 / 31 = 1.419.354,84 -> 1.419.355
    assert prorate(2_000_000, 22, 31) == 1_419_355
    # 1.000.001 x 1 / 2 = 500.000,5 -> 500.001 (half up)
    assert prorate(1_000_001, 1, 2) == 500_001
    # February of a leap year: 2.900.000 x 1 / 29 = 100.000
    assert prorate(2_900_000, 1, 29) == 100_000
    assert prorate(2_000_000, 31, 31) == 2_000_000


def test_ppn_is_computed_once_on_the_subtotal_rounded_half_up():
    # 11% of 29.905.188 = 3.289.570,68 -> 3.289.571
    assert tax_of(29_905_188, 1100) == 3_289_571
    # 11% of 50 = 5,5 -> 6
    assert tax_of(50, 1100) == 6
    # Per line it would be 11% of 45 (4,95 -> 5) + 11% of 5 (0,55 -> 1) = 6 too, but
    # 11% of 4 + 4 = 0,44 + 0,44 rounds to 0 + 0 per line, 1 on the subtotal of 8:
    assert tax_of(8, 1100) == 1
    assert tax_of(1_000_000, 1200) == 120_000


def test_amounts_print_the_indonesian_way():
    assert rupiah(50_000_000) == "Rp 50.000.000"
    assert rupiah(0) == "Rp 0"
    assert rupiah(-1_500) == "-Rp 1.500"
    assert percent_of(1100) == "11"
    assert percent_of(1250) == "12,5"


PRICE = ModulePrice(
    module_code="permits",
    installation_rupiah=50_000_000,
    monthly_rupiah=3_000_000,
    yearly_rupiah=30_000_000,
)
NOVEMBER = (datetime.date(2031, 11, 1), datetime.date(2031, 11, 30))


def _amounts(sub: Subscription, period=NOVEMBER) -> list[tuple[str, int]]:
    lines = subscription_lines(sub, period_start=period[0], period_end=period[1], price=PRICE)
    return [(line.kind, line.amount_rupiah) for line in lines]


def test_a_subscription_starting_mid_month_pays_installation_and_the_days_left():
    sub = Subscription(
        module_code="permits", starts_on=datetime.date(2031, 11, 21), charge_installation=True
    )
    # 21..30 November = 10 of 30 days: 3.000.000 x 10 / 30 = 1.000.000
    assert _amounts(sub) == [("installation", 50_000_000), ("subscription", 1_000_000)]


def test_first_and_last_day_both_count():
    sub = Subscription(
        module_code="permits",
        starts_on=datetime.date(2031, 1, 1),
        ends_on=datetime.date(2031, 11, 1),
        charge_installation=False,
    )
    # 1 of 30 days: 3.000.000 / 30 = 100.000
    assert _amounts(sub) == [("subscription", 100_000)]


def test_a_module_re_enabled_after_a_pause_is_not_installed_again():
    sub = Subscription(
        module_code="permits", starts_on=datetime.date(2031, 11, 16), charge_installation=False
    )
    # 16..30 = 15 of 30 days = 1.500.000
    assert _amounts(sub) == [("subscription", 1_500_000)]


def test_a_yearly_subscription_is_charged_in_full_in_the_month_each_year_starts():
    sub = Subscription(
        module_code="permits",
        plan=Subscription.Plan.YEARLY,
        starts_on=datetime.date(2030, 11, 20),
        charge_installation=False,
    )
    assert _amounts(sub) == [("subscription", 30_000_000)]  # the anniversary month
    december = (datetime.date(2031, 12, 1), datetime.date(2031, 12, 31))
    assert _amounts(sub, december) == []
    ended = Subscription(
        module_code="permits",
        plan=Subscription.Plan.YEARLY,
        starts_on=datetime.date(2030, 11, 20),
        ends_on=datetime.date(2031, 6, 30),
        charge_installation=False,
    )
    assert _amounts(ended) == []  # no year begins after it ended


@pytest.mark.django_db
def test_enabling_and_disabling_a_module_keeps_its_subscription_in_step(regencies):
    from tenants.services import entitlement_set

    balangan = regencies["balangan"]
    Subscription.objects.filter(tenant=balangan, module_code="kantaya").delete()
    balangan.entitlements.filter(module_code="kantaya").delete()
    Subscription.objects.filter(tenant=balangan, module_code="kantaya").delete()

    entitlement_set(tenant=balangan, module_code="kantaya", enabled=True, actor_email="e@x.test")
    sub = Subscription.objects.get(tenant=balangan, module_code="kantaya", ends_on__isnull=True)
    assert sub.charge_installation

    entitlement_set(tenant=balangan, module_code="kantaya", enabled=False, actor_email="e@x.test")
    sub.refresh_from_db()
    assert sub.ends_on == sub.starts_on  # disabled the same (regency-local) day: one day

    entitlement_set(tenant=balangan, module_code="kantaya", enabled=True, actor_email="e@x.test")
    assert Subscription.objects.filter(tenant=balangan, module_code="kantaya").count() == 1
    sub.refresh_from_db()
    assert sub.ends_on is None  # re-enabled the same day: the same subscription goes on
