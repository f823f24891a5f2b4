"""A regency's organisation screens reach only its own schema: another
regency's ids are 404, exports hold only its own rows, and uploaded import
files are kept under its own storage prefix."""

from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.storage import default_storage
from django.db.models import Max, Model
from django_tenants.utils import schema_context

from organisation.models import Desa, Kecamatan, Position, WorkUnit
from tests.organisation.helpers import admin_client, uploads_removed
from tests.organisation.tables import csv_bytes, csv_rows, dry_run, xlsx_rows

pytestmark = pytest.mark.django_db

__all__ = ["admin_client", "uploads_removed"]  # fixtures

DUMAI_UNIT = "Dinas Rahasia Dumai"


def _beyond(slug: str, model: type[Model]) -> int:
    """An id no row of `slug` has: rows of one schema would otherwise share ids
    with another's by coincidence."""
    with schema_context(slug):
        return (model._default_manager.aggregate(m=Max("pk"))["m"] or 0) + 1000


@pytest.fixture
def dumai_rows() -> dict[str, int]:
    """Rows made in Dumai with ids Lebak does not have."""
    with schema_context("dumai"):
        kecamatan = Kecamatan.objects.create(
            pk=_beyond("lebak", Kecamatan), code="14.72.99", name="Kecamatan Rahasia"
        )
        desa = Desa.objects.create(
            pk=_beyond("lebak", Desa),
            code="14.72.99.1001",
            name="Kelurahan Rahasia",
            kind="kelurahan",
            kecamatan=kecamatan,
        )
        unit = WorkUnit.objects.create(
            pk=_beyond("lebak", WorkUnit), code="T-DUMAI", name=DUMAI_UNIT
        )
        position = Position.objects.create(
            pk=_beyond("lebak", Position), code="T-DUMAI-POS", name="Jabatan Rahasia Dumai"
        )
    return {"unit": unit.pk, "position": position.pk, "kecamatan": kecamatan.pk, "desa": desa.pk}


def test_lebak_admin_gets_404_for_dumai_ids_on_every_organisation_url(admin_client, dumai_rows):
    client = admin_client("lebak")
    unit, position = dumai_rows["unit"], dumai_rows["position"]
    gets = [
        f"/organisation/work-units/{unit}/",
        f"/organisation/positions/{position}/",
        f"/organisation/kecamatan/{dumai_rows['kecamatan']}/",
        f"/organisation/kecamatan/{dumai_rows['kecamatan']}/edit/",
        f"/organisation/desa/{dumai_rows['desa']}/edit/",
    ]
    for url in gets:
        assert client.get(url).status_code == 404, url
    posts = {
        f"/organisation/work-units/{unit}/": {"code": "X", "name": "X", "kind": "dinas"},
        f"/organisation/work-units/{unit}/active/": {"active": "0"},
        f"/organisation/work-units/{unit}/delete/": {},
        f"/organisation/positions/{position}/": {"code": "X", "name": "X", "kind": "executive"},
        f"/organisation/positions/{position}/active/": {"active": "0"},
        f"/organisation/positions/{position}/delete/": {},
        f"/organisation/kecamatan/{dumai_rows['kecamatan']}/": {
            "code": "14.72.99.2001",
            "name": "X",
        },
        f"/organisation/kecamatan/{dumai_rows['kecamatan']}/edit/": {"name": "X"},
        f"/organisation/desa/{dumai_rows['desa']}/edit/": {"name": "X"},
    }
    for url, data in posts.items():
        assert client.post(url, data).status_code == 404, url
    with schema_context("dumai"):
        unit_row = WorkUnit.objects.get(pk=unit)
        assert (unit_row.name, unit_row.is_active) == (DUMAI_UNIT, True)
        assert Position.objects.filter(pk=position, is_active=True).exists()
        assert Kecamatan.objects.get(pk=dumai_rows["kecamatan"]).name == "Kecamatan Rahasia"
        assert not Desa.objects.filter(code="14.72.99.2001").exists()


def test_lebak_admin_cannot_pick_a_dumai_unit_as_a_parent(admin_client, dumai_rows):
    response = admin_client("lebak").post(
        "/organisation/work-units/new/",
        {"code": "T-X", "name": "X", "kind": "dinas", "parent": dumai_rows["unit"]},
    )
    assert response.status_code == 200
    assert 'data-field="parent"' in response.content.decode()
    with schema_context("lebak"):
        assert not WorkUnit.objects.filter(code="T-X").exists()


def test_lebak_tree_and_lists_never_show_dumai_rows(admin_client, dumai_rows):
    client = admin_client("lebak")
    for url in (
        "/organisation/work-units/",
        "/organisation/positions/",
        "/organisation/kecamatan/",
    ):
        html = client.get(url).content.decode()
        assert DUMAI_UNIT not in html and "Rahasia" not in html, url


@pytest.mark.parametrize("kind", ["work-units", "positions", "areas"])
def test_exports_contain_only_the_regencys_own_rows(admin_client, dumai_rows, kind):
    lebak = admin_client("lebak")
    rows = csv_rows(lebak.get(f"/organisation/{kind}/export/csv/").content)[1:]
    rows += [
        [str(c) for c in r]
        for r in xlsx_rows(lebak.get(f"/organisation/{kind}/export/xlsx/").content)[1:]
    ]
    codes = {row[0] for row in rows}
    with schema_context("lebak"):
        own = {
            "work-units": set(WorkUnit.objects.values_list("code", flat=True)),
            "positions": set(Position.objects.values_list("code", flat=True)),
            "areas": set(Kecamatan.objects.values_list("code", flat=True))
            | set(Desa.objects.values_list("code", flat=True)),
        }[kind]
    assert codes == own
    assert not any("Rahasia" in cell for row in rows for cell in row)
    assert not any(code.startswith("14.72") for code in codes)
    dumai_codes = {
        row[0]
        for row in csv_rows(admin_client("dumai").get(f"/organisation/{kind}/export/csv/").content)[
            1:
        ]
    }
    assert dumai_codes & {"T-DUMAI", "T-DUMAI-POS", "14.72.99"}


def test_uploaded_import_files_land_under_the_regencys_prefix(admin_client):
    client = admin_client("lebak")
    content = csv_bytes([["code", "name"], ["T-FILE", "Unit in a file"]])
    _html, review_url = dry_run(client, "work-units", "units.csv", content)
    token = review_url.rstrip("/").rsplit("/", 1)[-1]
    name = client.session["organisation_imports"][token]["name"]
    assert name.startswith("imports/organisation/")
    on_disk = Path(settings.MEDIA_ROOT) / "lebak" / name
    assert on_disk.read_bytes() == content
    with schema_context("lebak"):
        assert default_storage.exists(name)
    with schema_context("dumai"):
        assert not default_storage.exists(name)
    # The same path asked for at Dumai is not Lebak's upload
    dumai = admin_client("dumai")
    assert dumai.get(review_url).status_code == 404
    assert dumai.post(review_url).status_code == 404
    with schema_context("dumai"):
        assert not WorkUnit.objects.filter(code="T-FILE").exists()
    client.post(f"{review_url}cancel/")
    assert not on_disk.exists()
