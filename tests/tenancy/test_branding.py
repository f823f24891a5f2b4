"""Each regency's logo is its own: a logo stored under one regency is never served
at another's address, which shows its own emblem instead."""

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django_tenants.utils import schema_context

from core.branding import LOGO_PATH, emblem_initials, emblem_svg

pytestmark = pytest.mark.django_db

# The smallest valid PNG: one transparent pixel.
PNG = bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
    "1f15c4890000000d49444154789c6360000002000001e221bc330000000049454e44ae426082"
)


@pytest.fixture
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def test_logo_saved_under_lebak_is_served_at_lebak_and_not_at_dumai(client_for, media_root):
    with schema_context("lebak"):
        default_storage.save(LOGO_PATH, ContentFile(PNG))

    lebak = client_for("lebak").get("/branding/logo")
    dumai = client_for("dumai").get("/branding/logo")

    assert lebak.status_code == 200
    assert lebak["Content-Type"] == "image/png"
    assert b"".join(lebak.streaming_content) == PNG
    assert dumai.status_code == 200
    assert dumai["Content-Type"] == "image/svg+xml"
    assert PNG not in dumai.content
    assert ">D</text>" in dumai.content.decode()


def test_logo_saved_under_lebak_is_not_served_on_the_console(client_for, media_root):
    with schema_context("lebak"):
        default_storage.save(LOGO_PATH, ContentFile(PNG))

    console = client_for(None).get("/branding/logo")

    assert console["Content-Type"] == "image/svg+xml"
    assert ">S</text>" in console.content.decode()


@pytest.mark.parametrize(("slug", "initial"), [("lebak", "L"), ("balangan", "B"), ("dumai", "D")])
def test_regency_without_a_logo_gets_an_emblem_with_its_initial(
    client_for, media_root, slug, initial
):
    response = client_for(slug).get("/branding/logo")
    assert response.status_code == 200
    assert response["Content-Type"] == "image/svg+xml"
    assert f">{initial}</text>" in response.content.decode()


def test_logo_answers_differently_per_host_so_shared_caches_keep_them_apart(client_for, media_root):
    assert "Host" in client_for("lebak").get("/branding/logo")["Vary"]


def test_regency_emblems_differ_in_colour():
    assert emblem_svg(name="Lebak").split("fill=")[1] != emblem_svg(name="Dumai").split("fill=")[1]


@pytest.mark.parametrize(
    ("name", "initials"),
    [("Lebak", "L"), ("Kota Dumai", "D"), ("Kabupaten Hulu Sungai Utara", "HS"), ("", "?")],
)
def test_emblem_initials_skip_the_kabupaten_or_kota_prefix(name, initials):
    assert emblem_initials(name=name) == initials


def test_emblem_escapes_the_name():
    svg = emblem_svg(name='<script>alert("x")</script>')
    assert "<script>" not in svg
