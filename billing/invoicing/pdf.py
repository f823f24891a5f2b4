"""The invoice as a PDF, in Indonesian: Sragen regency as issuer, the partner
regency as customer, with the APBD budget code the regency pays it from.

The text is Indonesian whatever the reader's language (a government invoice is
an official document: UU 24/2009 art. 33), so it is written here rather than
translated. Everything printed comes from the stored invoice, its lines, credit
notes and payments: the price book is never consulted again."""

from io import BytesIO
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.enums import TA_RIGHT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle, getSampleStyleSheet
from reportlab.lib.units import mm
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from billing.document_text import date_id, month_id
from billing.dunning import billing_policy
from billing.models import BillingCustomer, Invoice
from billing.money import percent_of, rupiah

ISSUER = "PEMERINTAH KABUPATEN SRAGEN"
ISSUER_LINES = (
    "Sukowati: layanan e-government Kabupaten Sragen untuk daerah mitra",
    "Jl. Raya Sukowati No. 255, Sragen, Jawa Tengah 57211",
)
STATUS_ID = {
    Invoice.Status.DRAFT: "DRAF (belum diterbitkan)",
    Invoice.Status.FINALISED: "Belum dibayar",
    Invoice.Status.PARTIALLY_PAID: "Dibayar sebagian",
    Invoice.Status.PAID: "Lunas",
    Invoice.Status.VOID: "Dibatalkan",
}
UNIT_PRICE_SUFFIX = {"menit": "/jam"}  # support minutes are priced per hour


def invoice_filename(invoice: Invoice) -> str:
    name = invoice.number or f"draf-{invoice.pk}"
    return f"tagihan-{name.replace('/', '-')}.pdf"


def invoice_pdf(invoice: Invoice) -> bytes:
    styles = getSampleStyleSheet()
    small = ParagraphStyle("small", parent=styles["Normal"], fontSize=8.5, leading=11)
    right = ParagraphStyle("right", parent=small, alignment=TA_RIGHT)
    heading = ParagraphStyle("heading", parent=styles["Title"], fontSize=15, spaceAfter=2)
    buffer = BytesIO()
    doc = SimpleDocTemplate(
        buffer,
        pagesize=A4,
        leftMargin=18 * mm,
        rightMargin=18 * mm,
        topMargin=15 * mm,
        bottomMargin=15 * mm,
        title=f"Tagihan {invoice.number or 'draf'}",
        author="Pemerintah Kabupaten Sragen",
    )
    story: list = [
        Paragraph(ISSUER, heading),
        *[
            Paragraph(escape(line), ParagraphStyle("c", parent=small, alignment=1))
            for line in ISSUER_LINES
        ],
        Spacer(1, 4 * mm),
        _rule(doc.width),
        Spacer(1, 4 * mm),
        Paragraph("<b>TAGIHAN</b>", ParagraphStyle("t", parent=styles["Heading2"], alignment=1)),
        Spacer(1, 2 * mm),
        _header_table(invoice, small, doc.width),
        Spacer(1, 5 * mm),
        _lines_table(invoice, small, right, doc.width),
        Spacer(1, 3 * mm),
        _totals_table(invoice, doc.width),
    ]
    credits = list(invoice.credit_notes.order_by("created_at"))
    payments = list(invoice.payments.order_by("received_on", "pk"))
    if credits or payments:
        story += [Spacer(1, 4 * mm), _history_table(credits, payments, small, doc.width)]
    story += [Spacer(1, 6 * mm), *_payment_instructions(invoice, small)]
    doc.build(story)
    return buffer.getvalue()


def _rule(width: float) -> Table:
    table = Table([[""]], colWidths=[width], rowHeights=[1])
    table.setStyle(TableStyle([("LINEBELOW", (0, 0), (-1, -1), 1.2, colors.black)]))
    return table


def _header_table(invoice: Invoice, style: ParagraphStyle, width: float) -> Table:
    customer = BillingCustomer.objects.filter(tenant_id=invoice.tenant_id).first()
    address = customer.address if customer else ""
    left = [
        Paragraph("<b>Kepada:</b>", style),
        Paragraph(escape(invoice.customer_name), style),
        *([Paragraph(escape(address).replace("\n", "<br/>"), style)] if address else []),
        Paragraph(f"<b>Kode anggaran (APBD):</b> {escape(invoice.apbd_code) or '-'}", style),
    ]
    facts = [
        ("Nomor", invoice.number or "(draf)"),
        ("Periode", month_id(invoice.period_start)),
        ("Tanggal terbit", date_id(invoice.issued_on) if invoice.issued_on else "-"),
        ("Jatuh tempo", date_id(invoice.due_on) if invoice.due_on else "-"),
        ("Status", STATUS_ID[Invoice.Status(invoice.status)]),
    ]
    right = [Paragraph(f"<b>{label}:</b> {escape(value)}", style) for label, value in facts]
    table = Table([[left, right]], colWidths=[width * 0.55, width * 0.45])
    table.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP")]))
    return table


def _lines_table(
    invoice: Invoice, style: ParagraphStyle, right: ParagraphStyle, width: float
) -> Table:
    rows: list[list] = [["No", "Uraian", "Banyaknya", "Harga satuan", "Jumlah"]]
    for number, line in enumerate(invoice.lines.order_by("position"), start=1):
        suffix = UNIT_PRICE_SUFFIX.get(line.unit, "")
        rows.append(
            [
                str(number),
                Paragraph(escape(line.description) + ("" if line.taxable else " *"), style),
                f"{line.quantity:,} {line.unit}".replace(",", "."),
                rupiah(line.unit_price_rupiah) + suffix,
                rupiah(line.amount_rupiah),
            ]
        )
    table = Table(
        rows,
        colWidths=[width * 0.06, width * 0.46, width * 0.14, width * 0.16, width * 0.18],
        repeatRows=1,
    )
    table.setStyle(
        TableStyle(
            [
                ("FONT", (0, 0), (-1, 0), "Helvetica-Bold", 8.5),
                ("FONT", (0, 1), (-1, -1), "Helvetica", 8.5),
                ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#e9ecef")),
                ("GRID", (0, 0), (-1, -1), 0.4, colors.grey),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("ALIGN", (2, 1), (-1, -1), "RIGHT"),
            ]
        )
    )
    return table


def _totals_table(invoice: Invoice, width: float) -> Table:
    rows = [
        ["Jumlah", rupiah(invoice.subtotal_rupiah)],
        [
            f"PPN {percent_of(invoice.tax_rate_bp)}% x {rupiah(invoice.taxable_rupiah)}",
            rupiah(invoice.tax_rupiah),
        ],
        ["Total tagihan", rupiah(invoice.total_rupiah)],
    ]
    if invoice.credited_rupiah:
        rows.append(["Nota kredit", rupiah(-invoice.credited_rupiah)])
    if invoice.paid_rupiah:
        rows.append(["Telah dibayar", rupiah(-invoice.paid_rupiah)])
    rows.append(["Sisa yang harus dibayar", rupiah(invoice.balance_rupiah)])
    table = Table(rows, colWidths=[width * 0.82, width * 0.18])
    table.setStyle(
        TableStyle(
            [
                ("FONT", (0, 0), (-1, -1), "Helvetica", 9),
                ("FONT", (0, 2), (-1, 2), "Helvetica-Bold", 9),
                ("FONT", (0, -1), (-1, -1), "Helvetica-Bold", 10),
                ("ALIGN", (0, 0), (-1, -1), "RIGHT"),
                ("LINEABOVE", (0, -1), (-1, -1), 0.8, colors.black),
            ]
        )
    )
    return table


def _history_table(credits: list, payments: list, style: ParagraphStyle, width: float) -> Table:
    rows: list[list] = [["Tanggal", "Keterangan", "Jumlah"]]
    for note in credits:
        rows.append(
            [
                date_id(note.issued_on),
                Paragraph(f"Nota kredit {escape(note.number)}: {escape(note.reason)}", style),
                rupiah(note.amount_rupiah),
            ]
        )
    for payment in payments:
        rows.append(
            [
                date_id(payment.received_on),
                Paragraph(f"Pembayaran {escape(payment.reference or '')}".strip(), style),
                rupiah(payment.amount_rupiah),
            ]
        )
    table = Table(rows, colWidths=[width * 0.2, width * 0.62, width * 0.18])
    table.setStyle(
        TableStyle(
            [
                ("FONT", (0, 0), (-1, 0), "Helvetica-Bold", 8.5),
                ("FONT", (0, 1), (-1, -1), "Helvetica", 8.5),
                ("GRID", (0, 0), (-1, -1), 0.4, colors.grey),
                ("ALIGN", (2, 0), (2, -1), "RIGHT"),
            ]
        )
    )
    return table


def _payment_instructions(invoice: Invoice, style: ParagraphStyle) -> list:
    policy = billing_policy()
    notes = [
        Paragraph(
            "* Biaya kunjungan lapangan ditagihkan sesuai biaya yang dikeluarkan, tanpa PPN.",
            style,
        )
    ]
    if policy.bank_account_number:
        notes.append(
            Paragraph(
                "Pembayaran melalui transfer ke "
                f"<b>{escape(policy.bank_name)}</b>, rekening "
                f"<b>{escape(policy.bank_account_number)}</b> a.n. "
                f"{escape(policy.bank_account_name)}, dengan mencantumkan nomor tagihan.",
                style,
            )
        )
    if invoice.notes:
        notes.append(Paragraph(f"Catatan: {escape(invoice.notes)}", style))
    return notes
