"""Writes on a regency's areas (kecamatan and desa/kelurahan). They run in the
schema of the current regency."""

import csv
import io
import re
from dataclasses import dataclass, field

from django.db import transaction
from django.utils.translation import gettext as _

from organisation.models import Desa, Kecamatan, desa_kind
from tenants.regions import regency_children

KECAMATAN_RE = re.compile(r"^\d{2}\.\d{2}\.\d{2}$")
DESA_RE = re.compile(r"^\d{2}\.\d{2}\.\d{2}\.[12]\d{3}$")
MAX_CSV_BYTES = 5 * 1024 * 1024


def areas_load_reference(*, region_code: str) -> tuple[int, int]:
    """Load the regency's kecamatan and desa/kelurahan from the national list.
    Idempotent: existing codes are left as they are (local changes survive)."""
    kecamatan = regency_children(region_code, level="kecamatan")
    desa = regency_children(region_code, level="desa")
    with transaction.atomic():
        Kecamatan.objects.bulk_create(
            [Kecamatan(code=k.code, name=k.name) for k in kecamatan], ignore_conflicts=True
        )
        ids = dict(Kecamatan.objects.values_list("code", "id"))
        Desa.objects.bulk_create(
            [
                Desa(
                    code=d.code,
                    name=d.name,
                    kind=desa_kind(d.code),
                    kecamatan_id=ids[d.code.rsplit(".", 1)[0]],
                )
                for d in desa
            ],
            ignore_conflicts=True,
        )
    return len(kecamatan), len(desa)


@dataclass
class AreaRow:
    line: int
    code: str
    name: str


@dataclass
class AreaImport:
    """A parsed CSV of local changes: rows to apply, or every row's problems."""

    rows: list[AreaRow] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors


def _decode(content: bytes) -> str:
    # Excel on Windows writes cp1252; elsewhere UTF-8, often with a BOM.
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            return content.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise ValueError


def areas_csv_parse(*, content: bytes, region_code: str, known_kecamatan: set[str]) -> AreaImport:
    """Check a CSV with columns `code,name`. Every problem is listed with its line;
    the result is applied only when there are none."""
    result = AreaImport()
    if len(content) > MAX_CSV_BYTES:
        result.errors.append(_("The file is larger than 5 MB."))
        return result
    try:
        text = _decode(content)
    except ValueError:
        result.errors.append(_("The file is not text (UTF-8 or Windows-1252)."))
        return result
    reader = csv.DictReader(io.StringIO(text))
    header = [h.strip().lower() for h in (reader.fieldnames or [])]
    if header[:2] != ["code", "name"]:
        result.errors.append(_("The first line must be the header: code,name"))
        return result
    seen: set[str] = set()
    kecamatan = set(known_kecamatan)
    for line, raw in enumerate(reader, start=2):
        code = (raw.get("code") or raw.get("Code") or "").strip()
        name = (raw.get("name") or raw.get("Name") or "").strip()
        problems = area_row_problems(
            code=code, name=name, region_code=region_code, seen=seen, kecamatan=kecamatan
        )
        if problems:
            result.errors.extend(
                _("Line %(line)d: %(problem)s") % {"line": line, "problem": p}
                for _column, p in problems
            )
            continue
        seen.add(code)
        if KECAMATAN_RE.match(code):
            kecamatan.add(code)
        result.rows.append(AreaRow(line=line, code=code, name=name))
    if not result.rows and not result.errors:
        result.errors.append(_("The file has no rows."))
    return result


def area_row_problems(
    *, code: str, name: str, region_code: str, seen: set[str], kecamatan: set[str]
) -> list[tuple[str, str]]:
    """The problems of one row of an area list, as (column, message)."""
    problems = []
    if not (KECAMATAN_RE.match(code) or DESA_RE.match(code)):
        problems.append(
            (
                "code",
                _(
                    "'%(code)s' is not a kecamatan (NN.NN.NN) or desa/kelurahan (NN.NN.NN.NNNN) "
                    "code."
                )
                % {"code": code},
            )
        )
    elif not code.startswith(f"{region_code}."):
        problems.append(
            (
                "code",
                _("%(code)s is outside this regency (%(region)s).")
                % {"code": code, "region": region_code},
            )
        )
    elif DESA_RE.match(code) and code.rsplit(".", 1)[0] not in kecamatan:
        problems.append(
            ("code", _("%(code)s belongs to a kecamatan that does not exist.") % {"code": code})
        )
    if code in seen:
        problems.append(("code", _("%(code)s appears twice in the file.") % {"code": code}))
    if not name:
        problems.append(("name", _("The name is empty.")))
    elif len(name) > 120:
        problems.append(("name", _("The name is longer than 120 characters.")))
    elif name[0] in "=+-@":
        problems.append(("name", _("A name may not start with = + - or @.")))
    return problems


def areas_apply_import(*, parsed: AreaImport) -> int:
    """Apply a clean import: add new areas and rename existing ones, in one transaction."""
    if not parsed.ok:
        raise ValueError("Refusing to apply an import with errors.")
    with transaction.atomic():
        for row in parsed.rows:
            if KECAMATAN_RE.match(row.code):
                Kecamatan.objects.update_or_create(
                    code=row.code, defaults={"name": row.name, "is_local_change": True}
                )
        ids = dict(Kecamatan.objects.values_list("code", "id"))
        for row in parsed.rows:
            if DESA_RE.match(row.code):
                Desa.objects.update_or_create(
                    code=row.code,
                    defaults={
                        "name": row.name,
                        "kind": desa_kind(row.code),
                        "kecamatan_id": ids[row.code.rsplit(".", 1)[0]],
                        "is_local_change": True,
                    },
                )
    return len(parsed.rows)
