"""The logo in a page's header: the regency's own, or an emblem made from its name.

A regency's logo is the file `branding/logo.png` in its default storage, which is
prefixed with its schema, so each regency only ever sees its own. Until one is
uploaded, a generated SVG emblem with the regency's initial stands in: pages never
show a broken image, and two regencies' emblems differ in letter and colour."""

import hashlib

from django.core.files.storage import default_storage
from django.http import FileResponse, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.utils.html import escape
from django.views.decorators.http import require_safe

LOGO_PATH = "branding/logo.png"
# Short enough that a new logo shows up within minutes, long enough that a counter
# PC does not ask for it on every page.
LOGO_MAX_AGE_SECONDS = 300

_NAME_PREFIXES = ("Kabupaten ", "Kota ", "Kab. ")
PLATFORM_NAME = "Sukowati"
PLATFORM_COLOUR = "#0d5c4a"  # --sk-primary in core/static/core/sukowati.css


@require_safe
def branding_logo(request: HttpRequest) -> HttpResponseBase:
    """The current regency's logo (the platform's emblem on the console)."""
    if default_storage.exists(LOGO_PATH):
        response: HttpResponseBase = FileResponse(
            default_storage.open(LOGO_PATH, "rb"), content_type="image/png"
        )
    else:
        regency = getattr(request, "tenant", None)
        svg = (
            emblem_svg(name=regency.name)
            if regency is not None
            else emblem_svg(name=PLATFORM_NAME, colour=PLATFORM_COLOUR)
        )
        response = HttpResponse(svg, content_type="image/svg+xml")
    response["Cache-Control"] = f"public, max-age={LOGO_MAX_AGE_SECONDS}"
    # The same URL answers differently per host: shared caches must keep them apart.
    response["Vary"] = "Host"
    return response


def emblem_initials(*, name: str) -> str:
    """`Kabupaten Lebak` -> `L`, `Kabupaten Hulu Sungai Utara` -> `HS`."""
    for prefix in _NAME_PREFIXES:
        name = name.removeprefix(prefix)
    words = [word for word in name.split() if word[:1].isalnum()]
    return "".join(word[0] for word in words[:2]).upper() or "?"


def emblem_colour(*, name: str) -> str:
    """A dark colour derived from the name, stable across processes and releases."""
    hue = int(hashlib.sha256(name.encode()).hexdigest()[:4], 16) % 360
    return f"hsl({hue}, 55%, 32%)"


def emblem_svg(*, name: str, colour: str | None = None) -> str:
    initials = escape(emblem_initials(name=name))
    colour = colour or emblem_colour(name=name)
    font_size = 30 if len(initials) == 1 else 24
    return (
        '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 64 64" width="64" height="64" '
        f'role="img" aria-label="{escape(name)}">'
        f'<path d="M32 2 58 10v22c0 15-11 26-26 30C17 58 6 47 6 32V10z" fill="{colour}"/>'
        '<path d="M32 7 53 13.5V32c0 12.3-8.7 21.4-21 25C19.7 53.4 11 44.3 11 32V13.5z" '
        'fill="none" stroke="#f2c14e" stroke-width="2"/>'
        f'<text x="32" y="40" text-anchor="middle" font-family="Arial, Helvetica, sans-serif" '
        f'font-size="{font_size}" font-weight="700" fill="#ffffff">{initials}</text>'
        "</svg>"
    )
