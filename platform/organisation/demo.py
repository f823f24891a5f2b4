"""A realistic organisation for a demo regency: the usual work units of a
regency government (after PP 18/2016 on perangkat daerah), one office per real
kecamatan, and the usual positions. Idempotent: matched by code."""

from organisation.models import Kecamatan, Position, WorkUnit

K = WorkUnit.Kind

# (code, name, kind, parent code)
WORK_UNITS: tuple[tuple[str, str, str, str | None], ...] = (
    ("SETDA", "Sekretariat Daerah", K.SEKRETARIAT, None),
    ("SETDA-PEM", "Bagian Pemerintahan", K.BAGIAN, "SETDA"),
    ("SETDA-ORG", "Bagian Organisasi", K.BAGIAN, "SETDA"),
    ("SETDA-HUK", "Bagian Hukum", K.BAGIAN, "SETDA"),
    ("SETWAN", "Sekretariat DPRD", K.SEKRETARIAT, None),
    ("INSPEKTORAT", "Inspektorat Daerah", K.INSPEKTORAT, None),
    ("BAPPEDA", "Badan Perencanaan Pembangunan Daerah", K.BADAN, None),
    ("BKPSDM", "Badan Kepegawaian dan Pengembangan Sumber Daya Manusia", K.BADAN, None),
    ("BPKAD", "Badan Pengelolaan Keuangan dan Aset Daerah", K.BADAN, None),
    ("BAPENDA", "Badan Pendapatan Daerah", K.BADAN, None),
    ("BPBD", "Badan Penanggulangan Bencana Daerah", K.BADAN, None),
    ("DISDIK", "Dinas Pendidikan dan Kebudayaan", K.DINAS, None),
    ("DINKES", "Dinas Kesehatan", K.DINAS, None),
    ("DPUPR", "Dinas Pekerjaan Umum dan Penataan Ruang", K.DINAS, None),
    ("DPERKIM", "Dinas Perumahan dan Kawasan Permukiman", K.DINAS, None),
    ("SATPOLPP", "Satuan Polisi Pamong Praja", K.DINAS, None),
    ("DINSOS", "Dinas Sosial", K.DINAS, None),
    ("DISDUKCAPIL", "Dinas Kependudukan dan Pencatatan Sipil", K.DINAS, None),
    ("DISDUKCAPIL-DAFDUK", "Bidang Pelayanan Pendaftaran Penduduk", K.BAGIAN, "DISDUKCAPIL"),
    (
        "DISDUKCAPIL-PIAK",
        "Bidang Pengelolaan Informasi Administrasi Kependudukan",
        K.BAGIAN,
        "DISDUKCAPIL",
    ),
    ("DPMPTSP", "Dinas Penanaman Modal dan Pelayanan Terpadu Satu Pintu", K.DINAS, None),
    ("DPMPTSP-YAN", "Bidang Pelayanan Perizinan", K.BAGIAN, "DPMPTSP"),
    ("DPMPTSP-DAL", "Bidang Pengendalian dan Pengaduan", K.BAGIAN, "DPMPTSP"),
    ("DPMPTSP-TEKNIS", "Tim Teknis Perizinan", K.UPT, "DPMPTSP-YAN"),
    ("DISKOMINFO", "Dinas Komunikasi dan Informatika", K.DINAS, None),
    ("DISHUB", "Dinas Perhubungan", K.DINAS, None),
    ("DLH", "Dinas Lingkungan Hidup", K.DINAS, None),
    ("DISTAN", "Dinas Pertanian dan Ketahanan Pangan", K.DINAS, None),
    ("DISDAG", "Dinas Perdagangan, Koperasi dan UKM", K.DINAS, None),
    ("DISPAR", "Dinas Pariwisata, Pemuda dan Olahraga", K.DINAS, None),
)

# (code, name, kind)
POSITIONS: tuple[tuple[str, str, str], ...] = (
    ("KADIS", "Kepala Dinas", Position.Kind.STRUCTURAL),
    ("KABAN", "Kepala Badan", Position.Kind.STRUCTURAL),
    ("SEKRETARIS", "Sekretaris", Position.Kind.STRUCTURAL),
    ("KABID", "Kepala Bidang", Position.Kind.STRUCTURAL),
    ("KABAG", "Kepala Bagian", Position.Kind.STRUCTURAL),
    ("KASI", "Kepala Seksi", Position.Kind.STRUCTURAL),
    ("CAMAT", "Camat", Position.Kind.STRUCTURAL),
    ("SEKCAM", "Sekretaris Kecamatan", Position.Kind.STRUCTURAL),
    ("ANALIS-PERIZINAN", "Analis Perizinan", Position.Kind.FUNCTIONAL),
    ("PRANATA-KOMPUTER", "Pranata Komputer", Position.Kind.FUNCTIONAL),
    ("ADMINDUK", "Administrator Database Kependudukan", Position.Kind.FUNCTIONAL),
    ("VERIFIKATOR", "Verifikator Berkas", Position.Kind.EXECUTIVE),
    ("PETUGAS-FO", "Petugas Front Office", Position.Kind.EXECUTIVE),
    ("OPERATOR", "Operator Layanan", Position.Kind.EXECUTIVE),
    ("PENGADMINISTRASI", "Pengadministrasi Umum", Position.Kind.EXECUTIVE),
)


def kecamatan_office_code(kecamatan: Kecamatan) -> str:
    return f"KEC-{kecamatan.code.replace('.', '')}"


def demo_organisation_seed() -> int:
    """Create what is missing; returns how many rows were created."""
    created = 0
    for code, name, kind in POSITIONS:
        _, made = Position.objects.get_or_create(code=code, defaults={"name": name, "kind": kind})
        created += made
    units: dict[str, WorkUnit] = {}
    for code, name, kind, parent_code in WORK_UNITS:
        unit, made = WorkUnit.objects.get_or_create(
            code=code,
            defaults={
                "name": name,
                "kind": kind,
                "parent": units.get(parent_code) if parent_code else None,
            },
        )
        units[code] = unit
        created += made
    for kecamatan in Kecamatan.objects.all():
        _, made = WorkUnit.objects.get_or_create(
            code=kecamatan_office_code(kecamatan),
            defaults={
                "name": f"Kecamatan {kecamatan.name.title()}",
                "kind": K.KECAMATAN,
                "kecamatan": kecamatan,
            },
        )
        created += made
    return created
