"""Writes on a regency's organisation: areas, work units, positions. They run in
the schema of the current regency (the request's or the task's)."""

from organisation.services.area_edits import desa_create, desa_rename, kecamatan_rename
from organisation.services.areas import (
    DESA_RE,
    KECAMATAN_RE,
    AreaImport,
    AreaRow,
    area_row_problems,
    areas_apply_import,
    areas_csv_parse,
    areas_load_reference,
)
from organisation.services.common import Actor
from organisation.services.positions import (
    position_create,
    position_delete,
    position_set_active,
    position_update,
)
from organisation.services.work_units import (
    work_unit_create,
    work_unit_delete,
    work_unit_delete_problem,
    work_unit_set_active,
    work_unit_update,
)

__all__ = [
    "DESA_RE",
    "KECAMATAN_RE",
    "Actor",
    "AreaImport",
    "AreaRow",
    "area_row_problems",
    "areas_apply_import",
    "areas_csv_parse",
    "areas_load_reference",
    "desa_create",
    "desa_rename",
    "kecamatan_rename",
    "position_create",
    "position_delete",
    "position_set_active",
    "position_update",
    "work_unit_create",
    "work_unit_delete",
    "work_unit_delete_problem",
    "work_unit_set_active",
    "work_unit_update",
]
