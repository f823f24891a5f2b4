"""Reading and writing the tables people exchange with spreadsheets.

Reading accepts what Excel and LibreOffice produce: XLSX, or CSV in UTF-8 (with
or without a byte-order mark) or Windows-1252, separated by commas or
semicolons (Indonesian Excel saves with `;`). Headers are matched without case
and surrounding space. Anything unreadable raises TableError with a message for
the person who uploaded it; nothing downstream sees half a file.

Writing neutralises cells a spreadsheet would run as a formula (`=`, `+`, `-`,
`@`, tab, carriage return) by prefixing an apostrophe: an exported name such as
`=HYPERLINK(...)` stays text when the file is opened."""

import csv
import io
import zipfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from django.http import HttpResponse
from django.utils.translation import gettext as _

MAX_UPLOAD_BYTES = 10 * 1024 * 1024
MAX_ROWS = 20_000
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


class TableError(Exception):
    """The file cannot be read as a table; the message says why, translated."""


@dataclass(frozen=True)
class Table:
    """Rows as dicts keyed by the expected column names; `line` is the row's
    number as the person sees it in their spreadsheet (the header is line 1)."""

    columns: tuple[str, ...]
    rows: tuple[tuple[int, dict[str, str]], ...]


def table_read(
    data: bytes, *, filename: str, required: Sequence[str], optional: Sequence[str] = ()
) -> Table:
    if len(data) > MAX_UPLOAD_BYTES:
        raise TableError(
            _("The file is larger than %(size)d MB.") % {"size": MAX_UPLOAD_BYTES // 1024 // 1024}
        )
    if not data.strip():
        raise TableError(_("The file is empty."))
    is_zip = data[:4] == b"PK\x03\x04"
    if filename.lower().endswith((".xlsx", ".xlsm")) and not is_zip:
        raise TableError(_("The XLSX file is damaged or not a spreadsheet."))
    raw_rows = _xlsx_rows(data) if is_zip else _csv_rows(data)
    return _table_from_rows(raw_rows, required=required, optional=optional)


def _csv_rows(data: bytes) -> list[list[str]]:
    text = _decode(data)
    sample = text[:4096]
    try:
        dialect: Any = csv.Sniffer().sniff(sample, delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    try:
        return [row for row in csv.reader(io.StringIO(text, newline=""), dialect)]
    except csv.Error as exc:
        raise TableError(_("The CSV file is malformed: %(error)s") % {"error": exc}) from exc


def _decode(data: bytes) -> str:
    if b"\x00" in data:
        raise TableError(_("This is not a CSV or XLSX file."))
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("cp1252")
    except UnicodeDecodeError as exc:
        raise TableError(
            _("The file's text encoding is not recognised: save it as CSV UTF-8 or as XLSX.")
        ) from exc


def _xlsx_rows(data: bytes) -> list[list[str]]:
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError) as exc:
        raise TableError(_("The XLSX file is damaged or not a spreadsheet.")) from exc
    sheet = workbook.worksheets[0]
    rows = [[_cell_text(value) for value in row] for row in sheet.iter_rows(values_only=True)]
    workbook.close()
    return rows


def _cell_text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        return (
            value.date().isoformat() if value.time() == datetime.min.time() else value.isoformat()
        )
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        # Excel stores long digit strings typed as numbers as floats, exact up to
        # 15 digits. A longer one (a NIK, a NIP) has lost its last digits: keep
        # the float's text (1.9620101199001e+17) rather than invent digits.
        return str(int(value)) if abs(value) < 1e15 else repr(value)
    return str(value)


def _table_from_rows(
    raw_rows: list[list[str]], *, required: Sequence[str], optional: Sequence[str]
) -> Table:
    lines = [
        (number, row) for number, row in enumerate(raw_rows, start=1) if any(c.strip() for c in row)
    ]
    if not lines:
        raise TableError(_("The file is empty."))
    header = lines[0][1]
    names = [cell.strip().lower() for cell in header]
    missing = [column for column in required if column not in names]
    if missing:
        raise TableError(
            _("Column(s) missing from the first row: %(columns)s.")
            % {"columns": ", ".join(missing)}
        )
    known = [*required, *optional]
    positions = {name: index for index, name in enumerate(names) if name in known}
    body = lines[1:]
    if len(body) > MAX_ROWS:
        raise TableError(_("The file has more than %(max)d rows.") % {"max": MAX_ROWS})
    rows = tuple(
        (
            number,
            {
                column: (row[index].strip() if index < len(row) else "")
                for column, index in positions.items()
            },
        )
        for number, row in body
    )
    return Table(columns=tuple(positions), rows=rows)


def cell_neutralise(value: object) -> object:
    """The value, made inert for a spreadsheet if it is text that looks like a formula."""
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
        return "'" + value
    return value


def table_export(
    *, rows: Iterable[Sequence[object]], columns: Sequence[str], file_format: str, filename: str
) -> HttpResponse:
    """A CSV (UTF-8 with BOM, so Excel opens it right) or XLSX download."""
    if file_format == "xlsx":
        return _xlsx_response(rows=rows, columns=columns, filename=filename)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}.csv"'
    response.write("\ufeff")
    writer = csv.writer(response)
    writer.writerow(columns)
    for row in rows:
        writer.writerow([cell_neutralise(value) for value in row])
    return response


def _xlsx_response(
    *, rows: Iterable[Sequence[object]], columns: Sequence[str], filename: str
) -> HttpResponse:
    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet()
    sheet.append(list(columns))
    for row in rows:
        sheet.append([_xlsx_value(value) for value in row])
    buffer = io.BytesIO()
    workbook.save(buffer)
    response = HttpResponse(buffer.getvalue(), content_type=XLSX_CONTENT_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{filename}.xlsx"'
    return response


def _xlsx_value(value: object) -> object:
    if value is None or isinstance(value, (int, float, date)):
        return value
    # openpyxl writes a string starting with "=" as a formula: neutralise it.
    return cell_neutralise(str(value))
