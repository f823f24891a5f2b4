from django import template

from billing.money import percent_of, rupiah

register = template.Library()


@register.filter(name="rupiah")
def rupiah_filter(amount: int | None) -> str:
    """`{{ invoice.total_rupiah|rupiah }}` -> `Rp 50.000.000`."""
    return rupiah(int(amount or 0))


@register.filter(name="percent_bp")
def percent_bp(basis_points: int | None) -> str:
    return percent_of(int(basis_points or 0))
