"""Reads on a regency's organisation, for its admin's screens."""

from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, Q, QuerySet

from organisation.models import Desa, Kecamatan, Position, WorkUnit

ACTIVE_STAFF = Q(staff__deactivated_at__isnull=True)


@dataclass
class UnitNode:
    """A work unit in the tree, with the staff it has itself and in its sub-units."""

    unit: WorkUnit
    staff: int
    children: list["UnitNode"] = field(default_factory=list)
    total: int = 0
    units_below: int = 0


KIND_ORDER = {kind: index for index, kind in enumerate(WorkUnit.Kind.values)}


def _sibling_key(node: UnitNode) -> tuple[int, str]:
    # Secretariats first, then agencies, boards... kecamatan offices together
    # after them, as a regency's organisation chart is usually drawn.
    return KIND_ORDER.get(node.unit.kind, len(KIND_ORDER)), node.unit.code


def work_unit_tree() -> list[UnitNode]:
    """Every unit as a forest, siblings grouped by kind then ordered by code, in
    one query."""
    units = (
        WorkUnit.objects.select_related("kecamatan")
        .annotate(staff_count=Count("staff", filter=ACTIVE_STAFF))
        .order_by("code")
    )
    nodes = {unit.pk: UnitNode(unit=unit, staff=unit.staff_count) for unit in units}
    roots: list[UnitNode] = []
    for node in nodes.values():
        parent = nodes.get(node.unit.parent_id) if node.unit.parent_id else None
        (parent.children if parent else roots).append(node)
    for node in nodes.values():
        node.children.sort(key=_sibling_key)
    roots.sort(key=_sibling_key)
    for root in roots:
        _totals(root)
    return roots


def _totals(root: UnitNode) -> None:
    # Iterative: a deep tree imported from a spreadsheet must not hit the recursion limit.
    order: list[UnitNode] = []
    stack = [root]
    while stack:
        node = stack.pop()
        order.append(node)
        stack.extend(node.children)
    for node in reversed(order):
        node.total = node.staff + sum(child.total for child in node.children)
        node.units_below = sum(1 + child.units_below for child in node.children)


def work_unit_staff_count(unit: WorkUnit) -> int:
    return unit.staff.filter(deactivated_at__isnull=True).count()


def work_unit_choices() -> QuerySet[WorkUnit]:
    return WorkUnit.objects.order_by("code")


def position_list() -> QuerySet[Position]:
    return Position.objects.annotate(
        staff_count=Count("staffprofile", filter=Q(staffprofile__deactivated_at__isnull=True)),
        holders=Count("staffprofile"),
    ).order_by("code")


def kecamatan_list() -> QuerySet[Kecamatan]:
    return Kecamatan.objects.annotate(
        desa_count=Count("desa", filter=Q(desa__kind=Desa.Kind.DESA), distinct=True),
        kelurahan_count=Count("desa", filter=Q(desa__kind=Desa.Kind.KELURAHAN), distinct=True),
        local_desa=Count("desa", filter=Q(desa__is_local_change=True), distinct=True),
    ).order_by("code")


def kecamatan_desa(kecamatan: Kecamatan) -> QuerySet[Desa]:
    return kecamatan.desa.order_by("code")


def organisation_overview() -> dict[str, Any]:
    units = WorkUnit.objects.aggregate(
        total=Count("pk"),
        active=Count("pk", filter=Q(is_active=True)),
        top=Count("pk", filter=Q(parent__isnull=True)),
    )
    positions = Position.objects.aggregate(
        total=Count("pk"), active=Count("pk", filter=Q(is_active=True))
    )
    areas = Desa.objects.aggregate(
        total=Count("pk"),
        desa=Count("pk", filter=Q(kind=Desa.Kind.DESA)),
        kelurahan=Count("pk", filter=Q(kind=Desa.Kind.KELURAHAN)),
        local=Count("pk", filter=Q(is_local_change=True)),
    )
    return {
        "units": units,
        "positions": positions,
        "kecamatan": Kecamatan.objects.count(),
        "kecamatan_local": Kecamatan.objects.filter(is_local_change=True).count(),
        "desa": areas,
    }
