"""Demo data for the support desk: tickets in every state from the demo
regencies (some at risk, some past their deadlines), knowledge-base articles,
canned replies, and Lebak on the priority plan. Idempotent: tickets are matched
by regency and subject, articles by slug, canned replies by title.

Rows are written directly, with the status machine for status changes, rather
than through the reply and opening services: those email engineers and
requesters, which seeding must not do."""

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db import connection, transaction
from django.utils import timezone

from support.business_hours import sragen_calendar
from support.lifecycle import Actor, ticket_transition
from support.models import (
    CannedReply,
    Category,
    KnowledgeArticle,
    Priority,
    Side,
    SupportPlan,
    TenantSupportPlan,
    Ticket,
    TicketMessage,
    TicketTransition,
)
from support.sla import sla_first_response, sla_start
from tenants.models import Tenant

S = Ticket.Status
REASONS: dict[str, str] = {
    S.OPEN: "Sedang ditangani.",
    S.WAITING: "Menunggu konfirmasi dari kabupaten.",
    S.RESOLVED: "Sudah diselesaikan.",
    S.CLOSED: "Ditutup setelah dikonfirmasi kabupaten.",
}
ENGINEER = Actor(email="engineer@sukowati.test", name="Budi Santoso", side=Side.ENGINEER)

ARTICLES = (
    (
        "cara-mengatur-ulang-kata-sandi-staf",
        "Cara mengatur ulang kata sandi staf",
        KnowledgeArticle.Category.HOW_TO,
        "platform",
        "Staf yang lupa kata sandi dapat mengaturnya sendiri.\n\n"
        '1. Buka halaman masuk dan pilih "Lupa kata sandi".\n'
        "2. Masukkan alamat email dinas.\n"
        "3. Buka tautan di email dalam 3 hari dan pilih kata sandi baru.\n\n"
        "Jika email tidak datang, minta admin kabupaten mengirim ulang undangan dari menu "
        "Administrasi > Staf.",
    ),
    (
        "ktp-el-gagal-dicetak",
        "KTP-el gagal dicetak: periksa printer dan blangko",
        KnowledgeArticle.Category.TROUBLESHOOTING,
        "ktp",
        "Jika pencetakan KTP-el berhenti dengan pesan galat:\n\n"
        "- Pastikan printer kartu menyala dan terhubung ke komputer layanan.\n"
        "- Periksa sisa blangko dan pita printer.\n"
        "- Muat ulang halaman antrean cetak, lalu coba cetak sekali lagi.\n\n"
        "Bila semua kecamatan terdampak, buka tiket dengan prioritas Kritis.",
    ),
    (
        "permohonan-izin-tidak-muncul-di-kotak-masuk",
        "Permohonan izin tidak muncul di kotak masuk verifikator",
        KnowledgeArticle.Category.TROUBLESHOOTING,
        "permits",
        "Kotak masuk verifikator hanya menampilkan permohonan dalam lingkup perannya "
        "(seluruh kabupaten, satu unit kerja, atau satu kecamatan).\n\n"
        "Minta admin memeriksa peran verifikator di menu Administrasi > Peran.",
    ),
    (
        "jam-layanan-dan-target-tanggapan",
        "Jam layanan dan target waktu tanggapan dukungan",
        KnowledgeArticle.Category.POLICY,
        "platform",
        "Tim dukungan Sragen melayani Senin sampai Jumat pukul 07.30-16.00 WIB, kecuali hari "
        "libur nasional dan cuti bersama.\n\n"
        "Target paket Standar: Kritis ditanggapi dalam 1 jam kerja dan diselesaikan dalam 1 hari "
        "kerja; Tinggi 4 jam dan 2 hari; Normal 1 hari dan 5 hari; Rendah 2 hari dan 10 hari. "
        "Selama tiket menunggu jawaban kabupaten, waktu penyelesaian berhenti dihitung.",
    ),
)
DRAFT_ARTICLE = (
    "migrasi-data-pbb",
    "Migrasi data PBB dari aplikasi lama (draf)",
    KnowledgeArticle.Category.HOW_TO,
    "platform",
    "Draf: langkah-langkah masih diuji bersama Bapenda.",
)

CANNED = (
    (
        "Meminta tangkapan layar",
        "Terima kasih atas laporannya. Mohon kirimkan tangkapan layar pesan galat dan jam "
        "kejadiannya agar kami dapat menelusuri log.",
    ),
    (
        "Sudah diperbaiki",
        "Masalah ini sudah kami perbaiki. Silakan dicoba kembali; jika masih terjadi, balas "
        "email ini dalam 7 hari dan tiket akan dibuka kembali.",
    ),
)


@dataclass(frozen=True)
class DemoTicket:
    slug: str
    subject: str
    body: str
    category: str
    priority: str
    module: str
    # Where the ticket ends up, and its past: (status, hours before now).
    history: tuple[tuple[str, float], ...] = ()
    created_hours_ago: float = 0.0
    # "at_risk" (warned, not yet due) or "overdue": the running clock is set so,
    # whenever the demo is seeded (the business-hours clock stands still at weekends).
    deadline: str = ""
    rating: int | None = None
    engineer_reply: str = ""
    regency_reply: str = ""
    note: str = ""


TICKETS = (
    DemoTicket(
        "lebak",
        "Cetak KTP-el berhenti di semua kecamatan",
        'Sejak pagi semua kecamatan tidak bisa mencetak KTP-el. Pesan: "Printer tidak '
        'merespons". Antrean warga sudah panjang.',
        Category.INCIDENT,
        Priority.CRITICAL,
        "ktp",
        created_hours_ago=6,
        deadline="overdue",
    ),
    DemoTicket(
        "lebak",
        "Tambah jenis izin baru: Izin Usaha Mikro",
        "Mohon ditambahkan jenis izin Usaha Mikro dengan persyaratan sesuai Perbup terbaru "
        "(terlampir menyusul).",
        Category.SERVICE_REQUEST,
        Priority.HIGH,
        "permits",
        history=((S.OPEN, 20),),
        created_hours_ago=22,
        deadline="at_risk",
        engineer_reply="Baik, kami siapkan. Mohon kirimkan salinan Perbup-nya.",
        note="Perlu cek katalog izin v2 sebelum menambah jenis baru.",
    ),
    DemoTicket(
        "lebak",
        "Pelatihan verifikator perizinan untuk 12 staf baru",
        "Kami mohon jadwal pelatihan daring untuk 12 verifikator baru.",
        Category.TRAINING,
        Priority.NORMAL,
        "permits",
        history=((S.OPEN, 70), (S.RESOLVED, 20)),
        created_hours_ago=96,
        engineer_reply="Pelatihan sudah dilaksanakan Kamis lalu; materi terlampir di portal.",
    ),
    DemoTicket(
        "balangan",
        "Koreksi nama kecamatan Juai pada data referensi",
        'Nama kecamatan tertulis "Juwai", seharusnya "Juai".',
        Category.DATA_CORRECTION,
        Priority.NORMAL,
        "platform",
        history=((S.WAITING, 26),),
        created_hours_ago=30,
        engineer_reply="Mohon konfirmasi kode wilayah kecamatan yang dimaksud.",
    ),
    DemoTicket(
        "balangan",
        "Logo kabupaten buram pada halaman masuk",
        "Logo tampak buram di layar besar.",
        Category.SERVICE_REQUEST,
        Priority.LOW,
        "platform",
        history=((S.OPEN, 300), (S.RESOLVED, 250), (S.CLOSED, 60)),
        created_hours_ago=320,
        rating=5,
        engineer_reply="Logo sudah kami ganti dengan berkas SVG dari Diskominfo.",
    ),
    DemoTicket(
        "balangan",
        "Permintaan kunjungan ke Paringin untuk instalasi printer",
        "Kami butuh teknisi untuk memasang 4 printer kartu di Dinas Dukcapil.",
        Category.ON_SITE_VISIT,
        Priority.NORMAL,
        "ktp",
    ),
    DemoTicket(
        "dumai",
        "Halaman pelacakan izin menampilkan galat 500",
        "Warga melaporkan halaman pelacakan izin tidak bisa dibuka sejak kemarin.",
        Category.INCIDENT,
        Priority.CRITICAL,
        "permits",
        history=((S.OPEN, 47),),
        created_hours_ago=48,
        deadline="overdue",
        engineer_reply="Kami sedang menelusuri; sementara warga dapat menanyakan status di loket.",
        regency_reply="Terima kasih, kami tunggu kabar selanjutnya.",
    ),
    DemoTicket(
        "dumai",
        "Ekspor data permohonan ke XLSX",
        "Apakah bisa mengekspor seluruh permohonan tahun 2025 ke XLSX?",
        Category.SERVICE_REQUEST,
        Priority.LOW,
        "permits",
        created_hours_ago=3,
        deadline="at_risk",
    ),
)


def _admin_id(schema_name: str, email: str) -> int:
    """The demo admin's id in the regency's own user table. Read with a
    schema-qualified query (as tenants.selectors reads staff counts): support
    never switches schema."""
    table = '"' + schema_name.replace('"', '""') + '".accounts_user'
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT id FROM {table} WHERE lower(email) = %s", [email])  # noqa: S608
        row = cursor.fetchone()
    return int(row[0]) if row else 0


def _create(spec: DemoTicket, tenant: Tenant, now: datetime) -> Ticket:
    calendar = sragen_calendar()
    email = f"admin@{tenant.slug}.test"
    created = now - timedelta(hours=spec.created_hours_ago)
    ticket = Ticket(
        tenant=tenant,
        subject=spec.subject,
        body=spec.body,
        category=spec.category,
        priority=spec.priority,
        module=spec.module,
        requester_user_id=_admin_id(tenant.schema_name, email),
        requester_name="Admin " + tenant.name,
        requester_email=email,
        requester_role="Regency admin",
        requester_language="id",
        source_path="/",
        created_at=created,
    )
    sla_start(ticket, now=created, calendar=calendar)
    ticket.full_clean()
    ticket.save()
    Ticket.objects.filter(pk=ticket.pk).update(created_at=created)
    ticket.created_at = created
    if spec.engineer_reply and spec.history:
        answered = now - timedelta(hours=spec.history[0][1])
        _message(ticket, ENGINEER, spec.engineer_reply, answered)
        sla_first_response(ticket, now=answered, calendar=calendar)
        ticket.save()
    if spec.note:
        _message(ticket, ENGINEER, spec.note, now - timedelta(hours=1), kind="note")
    for status, hours_ago in spec.history:
        moment = now - timedelta(hours=hours_ago)
        record = ticket_transition(
            ticket=ticket,
            to_status=status,
            actor=ENGINEER,
            reason=REASONS[status],
            notify=False,
            now=moment,
        )
        TicketTransition.objects.filter(pk=record.pk).update(created_at=moment)
    if spec.deadline:
        clock = "resolution" if spec.history else "first_response"
        if spec.deadline == "at_risk":
            warn, due = now - timedelta(minutes=5), calendar.deadline_after(now, 60)
        else:
            warn, due = now - timedelta(hours=2), now - timedelta(minutes=30)
        Ticket.objects.filter(pk=ticket.pk).update(
            **{f"{clock}_warn_at": warn, f"{clock}_due_at": due}
        )
    if spec.regency_reply:
        requester = Actor(email=email, name=ticket.requester_name, side=Side.REGENCY)
        _message(ticket, requester, spec.regency_reply, now - timedelta(hours=2))
    if spec.rating:
        Ticket.objects.filter(pk=ticket.pk).update(
            rating=spec.rating, rating_comment="Cepat dan jelas.", rated_at=now
        )
    return ticket


def _message(
    ticket: Ticket, actor: Actor, body: str, at: datetime, kind: str = "reply"
) -> TicketMessage:
    message = TicketMessage.objects.create(
        ticket=ticket,
        kind=kind,
        author_side=actor.side,
        author_email=actor.email,
        author_name=actor.name,
        body=body,
    )
    TicketMessage.objects.filter(pk=message.pk).update(created_at=at)
    return message


def demo_support_seed() -> int:
    """Add what is missing; returns how many rows were created."""
    created = 0
    now = timezone.now()
    with transaction.atomic():
        for slug, title, category, module, body in (*ARTICLES, DRAFT_ARTICLE):
            _article, made = KnowledgeArticle.objects.get_or_create(
                slug=slug,
                defaults={
                    "title": title,
                    "category": category,
                    "module": module,
                    "body": body,
                    "is_published": slug != DRAFT_ARTICLE[0],
                    "created_by_email": ENGINEER.email,
                },
            )
            created += made
        for title, body in CANNED:
            _canned, made = CannedReply.objects.get_or_create(
                title=title, defaults={"body": body, "created_by_email": ENGINEER.email}
            )
            created += made
        tenants = {t.slug: t for t in Tenant.objects.filter(slug__in={s.slug for s in TICKETS})}
        priority_plan = SupportPlan.objects.filter(code="prioritas").first()
        if "lebak" in tenants and priority_plan is not None:
            _plan, made = TenantSupportPlan.objects.get_or_create(
                tenant=tenants["lebak"], defaults={"plan": priority_plan}
            )
            created += made
        for spec in TICKETS:
            tenant = tenants.get(spec.slug)
            if (
                tenant is None
                or Ticket.objects.filter(tenant=tenant, subject=spec.subject).exists()
            ):
                continue
            _create(spec, tenant, now)
            created += 1
    return created
