"""The national region-code list (Kepmendagri 2025), shipped under reference/.

Codes look like `NN` (province), `NN.NN` (regency or city), `NN.NN.NN` (kecamatan)
and `NN.NN.NN.NNNN` (desa/kelurahan)."""

import csv
import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

REFERENCE_DIR = Path(__file__).resolve().parent / "reference"
REGENCY_CODE_RE = re.compile(r"^\d{2}\.\d{2}$")


@dataclass(frozen=True)
class Regency:
    code: str
    name: str
    province_code: str
    province_name: str
    time_zone: str
    population: int | None
    area_km2: float | None

    @property
    def is_city(self) -> bool:
        return self.name.startswith("Kota ")

    @property
    def short_name(self) -> str:
        """`Lebak` for `Kabupaten Lebak`, `Dumai` for `Kota Dumai`."""
        return self.name.removeprefix("Kabupaten ").removeprefix("Kota ")


@dataclass(frozen=True)
class Region:
    code: str
    name: str


def _rows(filename: str) -> list[dict[str, str]]:
    with (REFERENCE_DIR / filename).open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


@cache
def _names() -> dict[str, str]:
    return {row["code"]: row["name"] for row in _rows("wilayah.csv")}


@cache
def _regencies() -> dict[str, Regency]:
    names = _names()
    zones = {row["province_code"]: row["time_zone"] for row in _rows("timezones.csv")}
    population = {row["code"]: int(row["total"]) for row in _rows("population.csv")}
    area = {row["code"]: float(row["area_km2"]) for row in _rows("area_km2.csv")}
    regencies = {}
    for code, name in names.items():
        if not REGENCY_CODE_RE.match(code):
            continue
        province = code[:2]
        regencies[code] = Regency(
            code=code,
            name=name,
            province_code=province,
            province_name=names[province],
            time_zone=zones[province],
            population=population.get(code),
            area_km2=area.get(code),
        )
    return regencies


def regency_get(code: str) -> Regency | None:
    return _regencies().get(code)


def regency_children(code: str, *, level: str) -> list[Region]:
    """Kecamatan (`level="kecamatan"`) or desa/kelurahan (`level="desa"`) under a code."""
    depth = {"kecamatan": 3, "desa": 4}[level]
    prefix = f"{code}."
    return [
        Region(code=c, name=n)
        for c, n in _names().items()
        if c.startswith(prefix) and c.count(".") == depth - 1
    ]
