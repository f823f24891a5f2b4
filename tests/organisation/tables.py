"""Building spreadsheets for the import tests, and driving the import screens."""

import csv
import io
import re
from collections.abc import Sequence

from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from openpyxl import Workbook, load_workbook

WORK_UNIT_HEADER = ["code", "name", "kind", "parent", "kecamatan", "active"]


def csv_bytes(
    rows: Sequence[Sequence[str]], *, delimiter: str = ",", encoding: str = "utf-8"
) -> bytes:
    buffer = io.StringIO()
    csv.writer(buffer, delimiter=delimiter).writerows(rows)
    return buffer.getvalue().encode(encoding)


def xlsx_bytes(rows: Sequence[Sequence[object]]) -> bytes:
    workbook = Workbook()
    sheet = workbook.worksheets[0]
    for row in rows:
        sheet.append(list(row))
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def xlsx_rows(content: bytes) -> list[list[object]]:
    sheet = load_workbook(io.BytesIO(content)).worksheets[0]
    return [list(row) for row in sheet.iter_rows(values_only=True)]


def csv_rows(content: bytes) -> list[list[str]]:
    return list(csv.reader(io.StringIO(content.decode("utf-8-sig"))))


def upload(name: str, content: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content)


def dry_run(client: Client, kind: str, filename: str, content: bytes) -> tuple[str, str]:
    """Upload the file; returns the review page's HTML and its URL."""
    response = client.post(f"/organisation/{kind}/import/", {"file": upload(filename, content)})
    assert response.status_code == 302, response.content.decode()[-3000:]
    review_url = response["Location"]
    review = client.get(review_url)
    assert review.status_code == 200
    return review.content.decode(), review_url


def problems_shown(html: str) -> set[tuple[int, str]]:
    return {
        (int(line), column)
        for line, column in re.findall(
            r'data-testid="problem" data-line="(\d+)" data-column="([^"]*)"', html
        )
    }


def count_shown(html: str, name: str) -> int:
    match = re.search(rf'data-testid="count-{name}">(\d+)<', html)
    assert match, name
    return int(match.group(1))


def import_file(client: Client, kind: str, filename: str, content: bytes) -> str:
    """Dry run then commit; returns the HTML of the page the commit lands on."""
    html, review_url = dry_run(client, kind, filename, content)
    assert not problems_shown(html), problems_shown(html)
    response = client.post(review_url, follow=True)
    assert response.status_code == 200
    return response.content.decode()
