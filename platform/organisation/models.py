"""A regency's own structure: its kecamatan and desa/kelurahan (loaded from the
national code list at provisioning, adjustable by CSV)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Kecamatan(models.Model):
    code = models.CharField(_("code"), max_length=8, unique=True)  # NN.NN.NN
    name = models.CharField(_("name"), max_length=120)
    is_local_change = models.BooleanField(default=False)

    class Meta:
        ordering = ["code"]
        verbose_name = _("kecamatan")
        verbose_name_plural = _("kecamatan")

    def __str__(self) -> str:
        return self.name


class Desa(models.Model):
    """A desa (village) or kelurahan (urban village): the code's fourth part
    starts with 2 for a desa and 1 for a kelurahan."""

    class Kind(models.TextChoices):
        DESA = "desa", _("Desa")
        KELURAHAN = "kelurahan", _("Kelurahan")

    code = models.CharField(_("code"), max_length=13, unique=True)  # NN.NN.NN.NNNN
    name = models.CharField(_("name"), max_length=120)
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    kecamatan = models.ForeignKey(Kecamatan, on_delete=models.PROTECT, related_name="desa")
    is_local_change = models.BooleanField(default=False)

    class Meta:
        ordering = ["code"]
        verbose_name = _("desa/kelurahan")
        verbose_name_plural = _("desa/kelurahan")

    def __str__(self) -> str:
        return self.name


def desa_kind(code: str) -> str:
    return Desa.Kind.KELURAHAN if code.rsplit(".", 1)[-1].startswith("1") else Desa.Kind.DESA


class WorkUnit(models.Model):
    """A work unit of the regency government (Satker/OPD): a dinas, badan,
    sekretariat, kecamatan office, or a bidang/bagian/UPT inside one. A tree: a
    scope on a unit covers the units under it."""

    class Kind(models.TextChoices):
        SEKRETARIAT = "sekretariat", _("Secretariat")
        DINAS = "dinas", _("Agency (dinas)")
        BADAN = "badan", _("Board (badan)")
        INSPEKTORAT = "inspektorat", _("Inspectorate")
        KECAMATAN = "kecamatan", _("Kecamatan office")
        KELURAHAN = "kelurahan", _("Kelurahan office")
        BAGIAN = "bagian", _("Division (bagian/bidang)")
        UPT = "upt", _("Technical unit (UPT)")
        OTHER = "other", _("Other")

    code = models.CharField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.DINAS)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent unit"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
    )
    # The kecamatan a kecamatan or kelurahan office serves.
    kecamatan = models.ForeignKey(
        Kecamatan,
        verbose_name=_("kecamatan"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="work_units",
    )
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["code"]
        verbose_name = _("work unit")
        verbose_name_plural = _("work units")

    def __str__(self) -> str:
        return self.name


class Position(models.Model):
    """A position (jabatan) a civil servant holds: Kepala Dinas, Camat, analyst..."""

    class Kind(models.TextChoices):
        STRUCTURAL = "structural", _("Structural")
        FUNCTIONAL = "functional", _("Functional")
        EXECUTIVE = "executive", _("Executive (pelaksana)")

    code = models.CharField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.EXECUTIVE)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("position")
        verbose_name_plural = _("positions")

    def __str__(self) -> str:
        return self.name
