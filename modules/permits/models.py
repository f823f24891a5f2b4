"""The one-stop permit service's records, in the regency's schema.

A regency's catalogue (`ServiceType`) starts as a copy of Sragen's master
catalogue; an entry remembers which fields the regency overrode, so an update of
the master reaches every regency without erasing its overrides. Applications move
through an explicit state machine (`workflow.py`); every move is an
`ApplicationTransition`."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from organisation.models import Desa, Kecamatan, WorkUnit


class ServiceType(models.Model):
    class Kind(models.TextChoices):
        PERMIT = "permit", _("Permit")
        NON_PERMIT = "non_permit", _("Non-permit service")

    code = models.SlugField(_("code"), max_length=60, unique=True)
    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices)
    category = models.CharField(_("category"), max_length=80, blank=True)
    description = models.TextField(_("description"), blank=True)
    # [{"code": "ktp", "label": "Copy of the applicant's KTP", "required": true}]
    requirements = models.JSONField(_("requirements"), default=list, blank=True)
    # [{"name": "floor_area_m2", "label": "Floor area (m²)", "type": "int", "required": true}]
    form_fields = models.JSONField(_("form fields"), default=list, blank=True)
    legal_days = models.PositiveSmallIntegerField(_("legal deadline (working days)"))
    target_days = models.PositiveSmallIntegerField(_("internal target (working days)"))
    # {"kind": "free"} | {"kind": "fixed", "amount": 150000}
    # | {"kind": "per_unit", "field": "floor_area_m2", "rate": 2500, "minimum": 100000}
    fee_rule = models.JSONField(_("fee (retribusi) rule"), default=dict, blank=True)
    # The role handling each workflow step: {"completeness": "front_office", ...}
    step_roles = models.JSONField(_("roles per step"), default=dict, blank=True)
    is_business = models.BooleanField(_("for businesses"), default=False)
    validity_months = models.PositiveSmallIntegerField(
        _("validity (months, 0 = no expiry)"), default=0
    )
    # Delegated services are handled by the kecamatan office of the application's
    # kecamatan, for the kecamatan listed here (all when the list is empty).
    delegated_to_kecamatan = models.BooleanField(_("delegated to kecamatan"), default=False)
    delegated_kecamatan = models.ManyToManyField(
        Kecamatan, verbose_name=_("delegated kecamatan"), blank=True, related_name="+"
    )
    handling_unit = models.ForeignKey(
        WorkUnit,
        verbose_name=_("handling work unit"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    is_active = models.BooleanField(_("offered"), default=True)
    # Link to Sragen's master catalogue; empty for a regency's own services.
    master_code = models.SlugField(max_length=60, blank=True)
    master_version = models.PositiveIntegerField(default=0)
    overridden_fields = models.JSONField(default=list, blank=True)

    class Meta:
        ordering = ["kind", "name"]
        verbose_name = _("service")
        verbose_name_plural = _("services")

    def __str__(self) -> str:
        return self.name


class Application(models.Model):
    class Status(models.TextChoices):
        SUBMITTED = "submitted", _("Submitted")
        COMPLETENESS = "completeness", _("Completeness check")
        RETURNED = "returned", _("Returned for revision")
        VERIFICATION = "verification", _("Technical verification / field survey")
        RECOMMENDATION = "recommendation", _("Recommendation")
        APPROVAL = "approval", _("Awaiting approval")
        ISSUED = "issued", _("Certificate issued")
        COMPLETED = "completed", _("Picked up / delivered")
        REJECTED = "rejected", _("Rejected")

    class Channel(models.TextChoices):
        ONLINE = "online", _("Online, with an account")
        GUEST = "guest", _("Online, as a guest")
        FRONT_OFFICE = "front_office", _("At the front office")

    number = models.CharField(_("number"), max_length=30, unique=True)  # PRM/2026/000123
    tracking_code = models.CharField(_("tracking code"), max_length=24, unique=True)
    service = models.ForeignKey(ServiceType, on_delete=models.PROTECT, related_name="applications")
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.SUBMITTED
    )
    channel = models.CharField(_("channel"), max_length=12, choices=Channel.choices)
    applicant_user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="permit_applications",
    )
    # Personal data: shown only to the handling staff and the applicant; views audited.
    applicant_name = models.CharField(_("applicant name"), max_length=150)
    applicant_nik = models.CharField(_("NIK"), max_length=16, blank=True)
    applicant_email = models.EmailField(_("email"), blank=True)
    applicant_phone = models.CharField(_("phone"), max_length=20, blank=True)
    applicant_address = models.TextField(_("address"), blank=True)
    business_name = models.CharField(_("business name"), max_length=200, blank=True)
    investment_rupiah = models.PositiveBigIntegerField(_("investment value (Rp)"), default=0)
    workforce = models.PositiveIntegerField(_("workforce"), default=0)
    kecamatan = models.ForeignKey(
        Kecamatan, verbose_name=_("kecamatan"), on_delete=models.PROTECT, related_name="+"
    )
    desa = models.ForeignKey(
        Desa,
        verbose_name=_("desa/kelurahan"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    # The unit whose staff handle it: the service's unit, or the kecamatan office
    # for a delegated service. Scoped permissions filter on this and `kecamatan`.
    handling_unit = models.ForeignKey(
        WorkUnit, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    delegated = models.BooleanField(default=False)
    form_data = models.JSONField(default=dict, blank=True)
    fee_rupiah = models.PositiveBigIntegerField(_("fee (Rp)"), default=0)
    assigned_to = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="permit_assignments",
    )
    submitted_at = models.DateTimeField(_("submitted"))
    legal_due_on = models.DateField(_("legal deadline"))
    target_due_on = models.DateField(_("target"))
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)
    # Working days from submission to issue (or rejection), counted once at the end.
    working_days_taken = models.PositiveSmallIntegerField(null=True, blank=True)
    rejection_reason = models.TextField(blank=True)
    # The submitting form's one-time key: a double submission creates one application.
    submission_key = models.CharField(max_length=64, unique=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-submitted_at"]
        indexes = [
            models.Index(fields=["status", "legal_due_on"]),
            models.Index(fields=["service", "submitted_at"]),
            models.Index(fields=["handling_unit", "status"]),
            models.Index(fields=["kecamatan", "status"]),
            # The dashboards aggregate the current month live by these ranges.
            models.Index(fields=["submitted_at"]),
            models.Index(fields=["finished_at"]),
        ]

    def __str__(self) -> str:
        return self.number


class ApplicationDocument(models.Model):
    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="documents")
    requirement = models.CharField(max_length=60)
    file = models.FileField(upload_to="permits/documents/%Y/%m/")
    original_name = models.CharField(max_length=255)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField()
    sha256 = models.CharField(max_length=64)
    uploaded_by_email = models.EmailField(blank=True)
    uploaded_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return self.original_name


class ApplicationTransition(models.Model):
    application = models.ForeignKey(
        Application, on_delete=models.CASCADE, related_name="transitions"
    )
    from_status = models.CharField(max_length=16, blank=True)
    to_status = models.CharField(max_length=16)
    actor_email = models.EmailField(blank=True)
    actor_name = models.CharField(max_length=150, blank=True)
    reason = models.TextField(blank=True)
    at = models.DateTimeField()

    class Meta:
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"{self.application_id}: {self.from_status} -> {self.to_status}"


class ApplicationComment(models.Model):
    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="comments")
    author_email = models.EmailField()
    author_name = models.CharField(max_length=150)
    body = models.TextField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at"]

    def __str__(self) -> str:
        return f"{self.application_id} {self.author_email}"


class Certificate(models.Model):
    application = models.OneToOneField(
        Application, on_delete=models.PROTECT, related_name="certificate"
    )
    number = models.CharField(max_length=40, unique=True)
    issued_at = models.DateTimeField()
    valid_until = models.DateField(null=True, blank=True)
    issued_by_email = models.EmailField()
    issued_by_name = models.CharField(max_length=150)
    revoked_at = models.DateTimeField(null=True, blank=True)
    pdf = models.FileField(upload_to="permits/certificates/%Y/", blank=True)

    def __str__(self) -> str:
        return self.number


class SurveyResponse(models.Model):
    """The applicant's IKM survey (PermenPANRB 14/2017): nine elements, 1 to 4."""

    application = models.OneToOneField(Application, on_delete=models.CASCADE, related_name="survey")
    u1 = models.PositiveSmallIntegerField()
    u2 = models.PositiveSmallIntegerField()
    u3 = models.PositiveSmallIntegerField()
    u4 = models.PositiveSmallIntegerField()
    u5 = models.PositiveSmallIntegerField()
    u6 = models.PositiveSmallIntegerField()
    u7 = models.PositiveSmallIntegerField()
    u8 = models.PositiveSmallIntegerField()
    u9 = models.PositiveSmallIntegerField()
    comment = models.TextField(blank=True)
    submitted_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=models.Q(
                    *[models.Q(**{f"u{i}__gte": 1, f"u{i}__lte": 4}) for i in range(1, 10)]
                ),
                name="survey_scores_1_to_4",
            )
        ]
        indexes = [models.Index(fields=["submitted_at"])]

    def __str__(self) -> str:
        return f"IKM {self.application_id}"


class NumberSequence(models.Model):
    """Gapless per-year counters for application and certificate numbers, taken
    under a row lock inside the creating transaction."""

    prefix = models.CharField(max_length=10)
    year = models.PositiveSmallIntegerField()
    last = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["prefix", "year"], name="permit_sequence_unique")
        ]

    def __str__(self) -> str:
        return f"{self.prefix}/{self.year}: {self.last}"


class ServiceMonthStat(models.Model):
    """The dashboards' figures of one service in one closed month (regency time).

    A closed month's figures never change (applications are counted by the month
    they were submitted, decisions by the month they were made, surveys by the
    month they were given), so they are computed once, when a dashboard first asks,
    and the dashboards only aggregate the current month live: their cost does not
    grow with the years of history. The row with no service marks a month as
    computed, so an empty month is not recomputed on every view."""

    month = models.DateField()
    service = models.ForeignKey(
        ServiceType, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    submitted = models.PositiveIntegerField(default=0)
    finished = models.PositiveIntegerField(default=0)
    finished_on_time = models.PositiveIntegerField(default=0)
    days_taken = models.PositiveIntegerField(default=0)
    legal_days = models.PositiveIntegerField(default=0)
    issued = models.PositiveIntegerField(default=0)
    businesses = models.PositiveIntegerField(default=0)
    investment_rupiah = models.PositiveBigIntegerField(default=0)
    workforce = models.PositiveBigIntegerField(default=0)
    surveys = models.PositiveIntegerField(default=0)
    # Sums of the nine IKM element scores (U1..U9) of the month's surveys.
    score_sums = models.JSONField(default=list, blank=True)
    computed_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["month", "service"],
                name="permit_month_stat_unique",
                nulls_distinct=False,
            )
        ]

    def __str__(self) -> str:
        return f"{self.month:%Y-%m} {self.service_id}"
