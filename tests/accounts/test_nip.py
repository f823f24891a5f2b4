"""NIP validation against its official structure."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from accounts.nip import nip_parse

TODAY = datetime.date(2026, 11, 28)


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


@pytest.mark.parametrize(
    ("nip", "birth", "appointed", "sex", "serial"),
    [
        ("198503172010011002", datetime.date(1985, 3, 17), (2010, 1), "M", 2),
        ("197001012000122001", datetime.date(1970, 1, 1), (2000, 12), "F", 1),
        ("19920229 201903 2 999", datetime.date(1992, 2, 29), (2019, 3), "F", 999),
        ("200001012026111015", datetime.date(2000, 1, 1), (2026, 11), "M", 15),
    ],
)
def test_valid_nip_is_parsed_into_its_parts(nip, birth, appointed, sex, serial):
    parsed = nip_parse(nip, today=TODAY)
    assert parsed.birth_date == birth
    assert (parsed.appointed_year, parsed.appointed_month) == appointed
    assert (parsed.sex, parsed.serial) == (sex, serial)
    assert len(parsed.value) == 18


@pytest.mark.parametrize(
    ("nip", "code", "words"),
    [
        ("19850317201001100", "length", "18 digits"),
        ("1985031720100110021", "length", "18 digits"),
        ("19850317201001100A", "length", "18 digits"),
        ("198502302010011002", "birth_date", "not a date"),  # 30 February
        ("199302292015011002", "birth_date", "not a date"),  # 1993 is no leap year
        ("198503172010131002", "appointment", "no month 13"),
        ("198503172010001002", "appointment", "no month 00"),
        ("198503172027011002", "appointment", "future"),
        ("200001012015011002", "appointment", "before the age of 18"),
        ("198503172010013002", "sex", "1 or 2"),
        ("198503172010011000", "serial", "cannot be 000"),
    ],
)
def test_invalid_nip_is_refused_naming_the_wrong_part(nip, code, words):
    with pytest.raises(ValidationError) as excinfo:
        nip_parse(nip, today=TODAY)
    assert excinfo.value.code == code
    assert words in excinfo.value.messages[0]
