"""Words printed on invoices. An invoice to a regency is a government document
and is written in Indonesian whatever language the person drafting it reads the
console in (UU 24/2009 art. 33), so line descriptions are made here, in
Indonesian, and stored with the line."""

import datetime

from django.utils import translation

from core.modules import installed_modules, module_by_code

MONTHS_ID = (
    "Januari", "Februari", "Maret", "April", "Mei", "Juni",
    "Juli", "Agustus", "September", "Oktober", "November", "Desember",
)  # fmt: skip


def month_id(day: datetime.date) -> str:
    """`Oktober 2026`."""
    return f"{MONTHS_ID[day.month - 1]} {day.year}"


def date_id(day: datetime.date) -> str:
    """`5 Oktober 2026`."""
    return f"{day.day} {MONTHS_ID[day.month - 1]} {day.year}"


def module_label_id(code: str) -> str:
    module = module_by_code(code)
    if module is None:
        return code
    with translation.override("id"):
        return str(module.label_text or code)


def meter_label_id(code: str) -> str:
    for module in installed_modules():
        for meter in module.meters:
            if meter.code == code:
                with translation.override("id"):
                    return str(meter.label)
    return code
