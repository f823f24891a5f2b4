"""The certificate as a PDF: the regency's letterhead, the permit's facts and a QR
code that opens the public verification page.

`certificate_pdf_bytes` is a pure function of what it is given (no database), so
it is tested on its own and the task that stores the file stays short."""

import colorsys
import datetime
import io
import re
from dataclasses import dataclass

import qrcode
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from reportlab.lib.colors import Color, HexColor, black, white
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import cm
from reportlab.lib.utils import ImageReader
from reportlab.pdfgen.canvas import Canvas

from core.branding import emblem_colour, emblem_initials

PAGE_WIDTH, PAGE_HEIGHT = A4
MARGIN = 2 * cm
INK = HexColor("#1b1f23")
MUTED = HexColor("#5c636a")
_HSL_RE = re.compile(r"hsl\((\d+),\s*(\d+)%,\s*(\d+)%\)")


@dataclass(frozen=True)
class CertificateFacts:
    """Everything printed on the certificate, already in display form."""

    regency_name: str  # "Kabupaten Lebak"
    province: str
    number: str
    title: str  # the service's name
    holder_name: str
    business_name: str
    application_number: str
    issued_on: datetime.date
    valid_until: datetime.date | None
    issued_by_name: str
    verify_url: str


def qr_matrix(data: str) -> list[list[bool]]:
    """The QR code's modules (True = dark), with the standard four-module quiet zone."""
    code = qrcode.QRCode(error_correction=qrcode.constants.ERROR_CORRECT_M, border=4)
    code.add_data(data)
    code.make(fit=True)
    return [list(row) for row in code.get_matrix()]


def qr_svg_path(data: str) -> tuple[int, str]:
    """The QR code as one SVG path (size in modules, path data): inline in a page,
    no image file and no script."""
    matrix = qr_matrix(data)
    parts = [
        f"M{x} {y}h1v1h-1z" for y, row in enumerate(matrix) for x, dark in enumerate(row) if dark
    ]
    return len(matrix), "".join(parts)


def certificate_pdf_bytes(
    *, facts: CertificateFacts, logo: bytes | None = None, compress: bool = True
) -> bytes:
    """The one-page A4 certificate; `compress=False` leaves the text readable in
    the file, for tests."""
    buffer = io.BytesIO()
    canvas = Canvas(buffer, pagesize=A4, pageCompression=1 if compress else 0)
    canvas.setTitle(f"{facts.title} {facts.number}")
    canvas.setAuthor(facts.regency_name)
    canvas.setSubject(_("Permit certificate"))
    top = _letterhead(canvas, facts=facts, logo=logo)
    top = _title(canvas, facts=facts, top=top - 1.2 * cm)
    top = _facts_table(canvas, facts=facts, top=top - 1.0 * cm)
    _footer(canvas, facts=facts, top=top - 1.2 * cm)
    canvas.showPage()
    canvas.save()
    return buffer.getvalue()


def _letterhead(canvas: Canvas, *, facts: CertificateFacts, logo: bytes | None) -> float:
    size = 2.4 * cm
    top = PAGE_HEIGHT - MARGIN
    if not (logo and _draw_logo(canvas, logo, x=MARGIN, y=top - size, size=size)):
        _draw_emblem(canvas, name=facts.regency_name, x=MARGIN, y=top - size, size=size)
    centre = PAGE_WIDTH / 2 + size / 2
    canvas.setFillColor(INK)
    canvas.setFont("Helvetica-Bold", 15)
    canvas.drawCentredString(
        centre,
        top - 0.6 * cm,
        _("GOVERNMENT OF %(regency)s") % {"regency": facts.regency_name.upper()},
    )
    canvas.setFont("Helvetica-Bold", 11)
    canvas.drawCentredString(
        centre, top - 1.25 * cm, _("INVESTMENT AND ONE-STOP INTEGRATED SERVICE OFFICE")
    )
    canvas.setFont("Helvetica", 10)
    canvas.drawCentredString(
        centre, top - 1.85 * cm, _("Province of %(province)s") % {"province": facts.province}
    )
    rule = top - size - 0.35 * cm
    canvas.setLineWidth(2)
    canvas.line(MARGIN, rule, PAGE_WIDTH - MARGIN, rule)
    canvas.setLineWidth(0.6)
    canvas.line(MARGIN, rule - 0.12 * cm, PAGE_WIDTH - MARGIN, rule - 0.12 * cm)
    return rule


def _draw_logo(canvas: Canvas, logo: bytes, *, x: float, y: float, size: float) -> bool:
    try:
        image = ImageReader(io.BytesIO(logo))
        canvas.drawImage(
            image, x, y, width=size, height=size, preserveAspectRatio=True, mask="auto"
        )
    except Exception:  # an unreadable upload falls back to the emblem
        return False
    return True


def _draw_emblem(canvas: Canvas, *, name: str, x: float, y: float, size: float) -> None:
    """The same shield and initials as core.branding's SVG emblem, in PDF strokes."""
    scale = size / 64

    def point(px: float, py: float) -> tuple[float, float]:
        return x + px * scale, y + (64 - py) * scale

    shield = canvas.beginPath()
    shield.moveTo(*point(32, 2))
    shield.lineTo(*point(58, 10))
    shield.lineTo(*point(58, 32))
    shield.curveTo(*point(58, 47), *point(47, 58), *point(32, 62))
    shield.curveTo(*point(17, 58), *point(6, 47), *point(6, 32))
    shield.lineTo(*point(6, 10))
    shield.close()
    canvas.setFillColor(_colour(emblem_colour(name=name)))
    canvas.drawPath(shield, stroke=0, fill=1)
    canvas.setFillColor(white)
    initials = emblem_initials(name=name)
    canvas.setFont("Helvetica-Bold", (30 if len(initials) == 1 else 24) * scale)
    canvas.drawCentredString(*point(32, 40), initials)


def _colour(css: str) -> Color:
    match = _HSL_RE.fullmatch(css)
    if not match:
        return HexColor(css)
    hue, saturation, lightness = (int(group) for group in match.groups())
    red, green, blue = colorsys.hls_to_rgb(hue / 360, lightness / 100, saturation / 100)
    return Color(red, green, blue)


def _title(canvas: Canvas, *, facts: CertificateFacts, top: float) -> float:
    canvas.setFillColor(INK)
    canvas.setFont("Helvetica-Bold", 16)
    lines = _wrap(
        facts.title.upper(), font="Helvetica-Bold", size=16, width=PAGE_WIDTH - 2 * MARGIN
    )
    for line in lines:
        canvas.drawCentredString(PAGE_WIDTH / 2, top, line)
        top -= 0.75 * cm
    canvas.setFont("Helvetica", 11)
    canvas.drawCentredString(
        PAGE_WIDTH / 2, top, _("Number: %(number)s") % {"number": facts.number}
    )
    return top


def _facts_table(canvas: Canvas, *, facts: CertificateFacts, top: float) -> float:
    rows = [(_("Holder"), facts.holder_name)]
    if facts.business_name:
        rows.append((_("Business"), facts.business_name))
    rows += [
        (_("Service"), facts.title),
        (_("Application number"), facts.application_number),
        (_("Date of issue"), date_format(facts.issued_on, "j F Y")),
        (
            _("Valid until"),
            date_format(facts.valid_until, "j F Y") if facts.valid_until else _("No expiry"),
        ),
    ]
    canvas.setFont("Helvetica", 11)
    canvas.drawString(MARGIN, top, _("This certifies that the permit below has been granted to:"))
    top -= 0.9 * cm
    label_width = 4.6 * cm
    value_width = PAGE_WIDTH - 2 * MARGIN - label_width
    for label, value in rows:
        canvas.setFillColor(MUTED)
        canvas.setFont("Helvetica", 10.5)
        canvas.drawString(MARGIN, top, label)
        canvas.setFillColor(INK)
        canvas.setFont("Helvetica-Bold", 11)
        for line in _wrap(value, font="Helvetica-Bold", size=11, width=value_width):
            canvas.drawString(MARGIN + label_width, top, line)
            top -= 0.6 * cm
        top -= 0.2 * cm
    return top


def _footer(canvas: Canvas, *, facts: CertificateFacts, top: float) -> None:
    qr_size = 4.2 * cm
    matrix = qr_matrix(facts.verify_url)
    module = qr_size / len(matrix)
    bottom = top - qr_size
    canvas.setFillColor(black)
    for row_index, row in enumerate(matrix):
        for column, dark in enumerate(row):
            if dark:
                canvas.rect(
                    MARGIN + column * module,
                    bottom + (len(matrix) - 1 - row_index) * module,
                    module,
                    module,
                    stroke=0,
                    fill=1,
                )
    signature_x = PAGE_WIDTH - MARGIN - 6.5 * cm
    note_x = MARGIN + qr_size + 0.3 * cm
    canvas.setFillColor(MUTED)
    canvas.setFont("Helvetica", 8.5)
    note = _(
        "Scan the QR code to check that this certificate is genuine and still valid "
        "on the regency's verification page."
    )
    width = signature_x - note_x - 0.6 * cm
    for index, line in enumerate(_wrap(note, font="Helvetica", size=8.5, width=width)):
        canvas.drawString(note_x, top - 0.5 * cm - index * 0.4 * cm, line)

    canvas.setFillColor(INK)
    canvas.setFont("Helvetica", 10.5)
    canvas.drawString(
        signature_x,
        top - 0.2 * cm,
        _("Issued on %(date)s") % {"date": date_format(facts.issued_on, "j F Y")},
    )
    canvas.drawString(signature_x, top - 0.75 * cm, _("for the Head of the Office,"))
    canvas.setFont("Helvetica-Oblique", 9)
    canvas.setFillColor(MUTED)
    canvas.drawString(signature_x, top - 2.3 * cm, _("Signed electronically"))
    canvas.setFillColor(INK)
    canvas.setFont("Helvetica-Bold", 10.5)
    canvas.drawString(signature_x, top - 2.9 * cm, facts.issued_by_name)


def _wrap(text: str, *, font: str, size: float, width: float) -> list[str]:
    from reportlab.pdfbase.pdfmetrics import stringWidth

    lines: list[str] = []
    current = ""
    for word in text.split():
        candidate = f"{current} {word}".strip()
        if current and stringWidth(candidate, font, size) > width:
            lines.append(current)
            current = word
        else:
            current = candidate
    return [*lines, current] if current else lines or [""]
