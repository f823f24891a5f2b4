"""Indonesian first, English second: every page in Indonesian unless the visitor
chose English, and every string of ours translated."""

import ast
import gettext
import re
from pathlib import Path

import pytest
from django.conf import settings

from tests.accounts.helpers import sign_in_as
from tests.conftest import admin_email

PO_FILE = Path(settings.LOCALE_PATHS[0]) / "id" / "LC_MESSAGES" / "django.po"
MO_FILE = PO_FILE.with_suffix(".mo")


def lang_of(html: str) -> str:
    match = re.search(r'<html lang="([^"]+)"', html)
    assert match is not None
    return match.group(1)


@pytest.mark.django_db
def test_pages_render_in_indonesian_by_default(client_for):
    html = client_for("lebak").get("/accounts/login/").content.decode()
    assert lang_of(html) == "id"
    assert "Masuk" in html
    assert "Sign In" not in html


@pytest.mark.django_db
def test_set_language_switches_the_page_to_english_and_the_cookie_keeps_it(client_for):
    client = client_for("lebak")
    response = client.post("/i18n/setlang/", {"language": "en", "next": "/accounts/login/"})
    assert response.status_code == 302
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "en"

    html = client.get("/accounts/login/").content.decode()
    assert lang_of(html) == "en"
    assert "Sign In" in html


@pytest.mark.django_db
def test_our_own_strings_are_served_in_indonesian(client_for):
    client = client_for("lebak")
    sign_in_as(client, "lebak", admin_email("lebak"))
    html = client.get("/").content.decode()
    assert "Selamat datang di Lebak" in html
    assert "Welcome to" not in html


@pytest.mark.django_db
def test_error_pages_follow_the_visitors_language(client):
    indonesian = client.get("/", HTTP_HOST="maros.localhost").content.decode()
    english = client.get(
        "/", HTTP_HOST="maros.localhost", HTTP_ACCEPT_LANGUAGE="en"
    ).content.decode()
    assert "This address is not a Sukowati regency" in english
    assert "This address is not a Sukowati regency" not in indonesian


# A tiny reader for the subset of the PO format makemessages writes: comments,
# msgctxt / msgid / msgid_plural / msgstr / msgstr[n], each string possibly continued
# over several quoted lines. An entry ends at a blank line, or where a comment or a
# new msgctxt / msgid follows a msgstr.
def po_entries(text: str) -> list[dict[str, object]]:
    entries: list[dict[str, object]] = []
    entry: dict[str, object] = {"flags": set()}
    key: str | None = None

    def finish() -> None:
        nonlocal entry, key
        if "msgid" in entry:
            entries.append(entry)
        entry, key = {"flags": set()}, None

    for line in [*text.splitlines(), ""]:
        line = line.strip()
        done = any(k.startswith("msgstr") for k in entry)
        if not line or (done and (line.startswith("#") or line.startswith(("msgid ", "msgctxt ")))):
            finish()
        if not line:
            continue
        if line.startswith("#,"):
            entry["flags"] = {flag.strip() for flag in line[2:].split(",")}
        elif line.startswith("#"):
            continue
        elif line.startswith('"'):
            assert key is not None, line
            entry[key] = str(entry[key]) + ast.literal_eval(line)
        else:
            key, _, value = line.partition(" ")
            entry[key] = ast.literal_eval(value)
    return entries


def translations_of(entry: dict[str, object]) -> list[str]:
    return [str(v) for k, v in entry.items() if k.startswith("msgstr")]


def test_po_file_has_no_untranslated_or_fuzzy_entries():
    entries = [e for e in po_entries(PO_FILE.read_text(encoding="utf-8")) if e["msgid"] != ""]
    assert len(entries) > 50
    untranslated = [e["msgid"] for e in entries if not all(translations_of(e))]
    fuzzy = [e["msgid"] for e in entries if "fuzzy" in e["flags"]]  # type: ignore[operator]
    assert untranslated == []
    assert fuzzy == []


def test_compiled_mo_file_matches_the_po_file():
    """Forgetting `compilemessages` after editing the .po ships stale translations."""
    catalog = gettext.GNUTranslations(MO_FILE.open("rb"))
    for entry in po_entries(PO_FILE.read_text(encoding="utf-8")):
        msgid = str(entry["msgid"])
        if not msgid or "msgid_plural" in entry:
            continue
        if "msgctxt" in entry:
            assert catalog.pgettext(str(entry["msgctxt"]), msgid) == entry["msgstr"], msgid
        else:
            assert catalog.gettext(msgid) == entry["msgstr"], msgid
