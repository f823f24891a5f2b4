"""Staff lists for the import tests, generated in the test (no big files in the
repository): deterministic rows with valid NIPs, written as CSV in any encoding
and delimiter, or as XLSX with openpyxl; and what the tests share around them."""

import csv
import datetime
import io
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import DEFAULT_DB_ALIAS, connections
from django.test import Client
from django_tenants.utils import schema_context

from accounts.models import User
from organisation.demo import POSITIONS, WORK_UNITS
from staff.import_checks import TEMPLATE_COLUMNS
from staff.imports import staff_import_start
from staff.models import StaffImport
from staff.services import Actor
from tests.accounts.helpers import client_at
from tests.conftest import admin_email

FIRST_NAMES = ("Siti", "Agus", "Dewi", "Budi", "Nurul", "Rizky", "Wahyu", "Putri", "Eko", "Lestari")
LAST_NAMES = ("Rahmawati", "Santoso", "Huda", "Hidayat", "Saputra", "Wulandari", "Pratama", "Sari")
NIP_FIRST_BIRTH = datetime.date(1962, 1, 1)


def nip_for(index: int) -> str:
    """A valid NIP, different for every index (the birth date moves one day each):
    born 1962 onwards, appointed in 1990, serial 700-799."""
    birth = NIP_FIRST_BIRTH + datetime.timedelta(days=index)
    month = index % 12 + 1
    sex = index % 2 + 1
    return f"{birth:%Y%m%d}1990{month:02d}{sex}{700 + index % 100}"


def staff_rows(
    count: int, *, domain: str = "impor.test", start: int = 0
) -> list[dict[str, object]]:
    """`count` valid rows: distinct emails and NIPs, the demo regencies' codes."""
    rows: list[dict[str, object]] = []
    for index in range(start, start + count):
        first = FIRST_NAMES[index % len(FIRST_NAMES)]
        last = LAST_NAMES[(index // len(FIRST_NAMES)) % len(LAST_NAMES)]
        rows.append(
            {
                "email": f"pegawai{index:05d}@{domain}",
                "full_name": f"{first} {last}",
                "nip": nip_for(index),
                "position": POSITIONS[index % len(POSITIONS)][0],
                "work_unit": WORK_UNITS[index % len(WORK_UNITS)][0],
                "kecamatan": "",
                "phone": f"0812{index:08d}",
            }
        )
    return rows


def csv_bytes(
    rows: Sequence[Mapping[str, object]],
    *,
    columns: Sequence[str] = TEMPLATE_COLUMNS,
    delimiter: str = ",",
    encoding: str = "utf-8",
) -> bytes:
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, delimiter=delimiter)
    writer.writerow(columns)
    for row in rows:
        writer.writerow([row.get(column, "") for column in columns])
    return buffer.getvalue().encode(encoding)


def xlsx_bytes(
    rows: Sequence[Mapping[str, object]], *, columns: Sequence[str] = TEMPLATE_COLUMNS
) -> bytes:
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.append(list(columns))
    for row in rows:
        sheet.append([row.get(column, "") for column in columns])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def upload(data: bytes, name: str = "pegawai.csv") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data)


def admin_actor(schema: str) -> Actor:
    with schema_context(schema):
        admin = User.objects.get(email=admin_email(schema))
    return Actor(email=admin.email, name=admin.full_name)


def import_start(
    schema: str,
    data: bytes,
    *,
    name: str = "pegawai.csv",
    send_invitations: bool = False,
    language: str = "en",
) -> StaffImport:
    """Upload a list as the regency's admin would (the dry run runs at once for a
    small list; a big one's check is queued)."""
    actor = admin_actor(schema)
    with schema_context(schema):
        return staff_import_start(
            upload=upload(data, name),
            send_invitations=send_invitations,
            actor=actor,
            language=language,
            host=f"{schema}.localhost",
        )


def admin_signed_in(schema: str) -> Client:
    """A client at the regency's host, in English, signed in as its admin."""
    client = client_at(f"{schema}.localhost")
    with schema_context(schema):
        client.force_login(User.objects.get(email=admin_email(schema)))
    return client


@contextmanager
def committed(schema: str) -> Iterator[None]:
    """Run ORM code in `schema` on a connection of its own, in autocommit: what it
    writes is committed at once, outside the test's transaction, so a Celery
    worker sees it. The caller removes it afterwards."""
    separate = connections.create_connection(DEFAULT_DB_ALIAS)
    original = connections[DEFAULT_DB_ALIAS]
    connections[DEFAULT_DB_ALIAS] = separate
    try:
        with schema_context(schema):
            yield
    finally:
        connections[DEFAULT_DB_ALIAS] = original
        separate.close()
