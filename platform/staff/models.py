"""A regency's staff: who they are (profile), what they may do (role
assignments with a scope), and the staff lists they were imported from.

Tenant-only tables: a profile points at the regency's own work units and
kecamatan, which do not exist in `public`."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from organisation.models import Kecamatan, Position, WorkUnit


class StaffProfile(models.Model):
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="staff_profile"
    )
    # 18 digits for civil servants (PNS) and PPPK; empty for contract staff.
    nip = models.CharField(_("NIP"), max_length=18, blank=True)
    position = models.ForeignKey(
        Position, verbose_name=_("position"), on_delete=models.PROTECT, null=True, blank=True
    )
    work_unit = models.ForeignKey(
        WorkUnit,
        verbose_name=_("work unit"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="staff",
    )
    # For kecamatan officers: the kecamatan whose items they handle.
    kecamatan = models.ForeignKey(
        Kecamatan,
        verbose_name=_("kecamatan"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="staff",
    )
    phone = models.CharField(_("phone"), max_length=20, blank=True)
    deactivated_at = models.DateTimeField(null=True, blank=True)
    deactivated_by_email = models.EmailField(blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("staff profile")
        verbose_name_plural = _("staff profiles")
        constraints = [
            models.UniqueConstraint(
                fields=["nip"], condition=~Q(nip=""), name="staff_profile_nip_unique"
            ),
        ]

    def __str__(self) -> str:
        return str(self.user)


class RoleAssignment(models.Model):
    """One role of one module held by one person, over a scope: the whole
    regency, one work unit (and the units under it) or one kecamatan."""

    class Scope(models.TextChoices):
        REGENCY = "regency", _("Whole regency")
        WORK_UNIT = "work_unit", _("One work unit")
        KECAMATAN = "kecamatan", _("One kecamatan")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="role_assignments"
    )
    module = models.CharField(_("module"), max_length=40)
    role = models.CharField(_("role"), max_length=40)
    scope = models.CharField(_("scope"), max_length=12, choices=Scope.choices)
    work_unit = models.ForeignKey(
        WorkUnit, verbose_name=_("work unit"), on_delete=models.PROTECT, null=True, blank=True
    )
    kecamatan = models.ForeignKey(
        Kecamatan, verbose_name=_("kecamatan"), on_delete=models.PROTECT, null=True, blank=True
    )
    granted_by_email = models.EmailField(blank=True)
    granted_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["module", "role"]
        verbose_name = _("role assignment")
        verbose_name_plural = _("role assignments")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "module", "role", "scope", "work_unit", "kecamatan"],
                nulls_distinct=False,
                name="role_assignment_unique",
            ),
            # The scope names exactly the object it needs, and no other.
            models.CheckConstraint(
                condition=(
                    Q(scope="regency", work_unit__isnull=True, kecamatan__isnull=True)
                    | Q(scope="work_unit", work_unit__isnull=False, kecamatan__isnull=True)
                    | Q(scope="kecamatan", work_unit__isnull=True, kecamatan__isnull=False)
                ),
                name="role_assignment_scope_matches",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} {self.module}.{self.role} ({self.scope})"


class StaffImport(models.Model):
    """An uploaded staff list (CSV or XLSX): checked in full first (the dry run),
    then written in one transaction, or not at all."""

    class Status(models.TextChoices):
        CHECKING = "checking", _("Checking")
        CHECKED = "checked", _("Checked")
        INVALID = "invalid", _("Has problems")
        IMPORTING = "importing", _("Importing")
        DONE = "done", _("Imported")
        FAILED = "failed", _("Failed")

    file = models.FileField(upload_to="imports/staff/")
    original_name = models.CharField(max_length=255)
    sha256 = models.CharField(max_length=64, db_index=True)
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.CHECKING)
    total_rows = models.PositiveIntegerField(default=0)
    processed_rows = models.PositiveIntegerField(default=0)
    # [{"row": 7, "column": "nip", "message": "..."}], in the uploader's language.
    problems = models.JSONField(default=list, blank=True)
    created_count = models.PositiveIntegerField(default=0)
    unchanged_count = models.PositiveIntegerField(default=0)
    # What the dry run found: rows that would become new staff.
    to_create_count = models.PositiveIntegerField(default=0)
    # The first rows as read (cell text), for the result page; the file itself
    # is not re-read on every page view.
    preview = models.JSONField(default=list, blank=True)
    # Why an import failed as a whole (the rows' own problems are in `problems`).
    error = models.TextField(blank=True)
    send_invitations = models.BooleanField(default=True)
    # The regency host the upload came through: invitation links point at it,
    # also when a worker sends them.
    host = models.CharField(max_length=255, blank=True)
    language = models.CharField(max_length=8, default="id")
    created_by_email = models.EmailField(blank=True)
    # Who pressed "Import": the actor of the people it creates.
    committed_by_email = models.EmailField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.original_name
