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
