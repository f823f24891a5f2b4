import datetime
from typing import Any

from django.conf import settings
from django.contrib.auth.base_user import AbstractBaseUser, BaseUserManager
from django.contrib.auth.models import PermissionsMixin
from django.db import models
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class UserManager(BaseUserManager["User"]):
    use_in_migrations = True

    def create_user(self, email: str, password: str | None = None, **extra: Any) -> "User":
        user = self.model(email=self.normalize_email(email).lower(), **extra)
        user.set_password(password)
        user.full_clean()
        user.save(using=self._db)
        return user

    def create_superuser(self, email: str, password: str | None = None, **extra: Any) -> "User":
        extra.update(is_staff=True, is_superuser=True)
        return self.create_user(email, password, **extra)


class User(AbstractBaseUser, PermissionsMixin):
    """A person who signs in. Users live per schema: a Lebak account exists only
    in Lebak's schema; platform staff live in the public schema."""

    class PlatformRole(models.TextChoices):
        NONE = "", _("None")
        ENGINEER = "engineer", _("Platform engineer")
        FINANCE = "finance", _("Finance staff")

    email = models.EmailField(_("email address"), unique=True)
    full_name = models.CharField(_("full name"), max_length=150)
    is_active = models.BooleanField(_("active"), default=True)
    is_staff = models.BooleanField(_("Django admin access"), default=False)
    # The regency's own administrator(s): onboard staff, see billing and support, and
    # still reach those while the regency is suspended.
    is_regency_admin = models.BooleanField(_("regency admin"), default=False)
    # A Sragen engineer inside a regency through a support-access grant, never a
    # regency account: signed in by the grant's token, signed out when it ends.
    is_support_agent = models.BooleanField(default=False, editable=False)
    # Meaningful only in the public schema, where Sragen's own staff sign in.
    platform_role = models.CharField(
        _("platform role"),
        max_length=16,
        blank=True,
        choices=PlatformRole.choices,
        default=PlatformRole.NONE,
    )
    date_joined = models.DateTimeField(_("date joined"), default=timezone.now)

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS = ["full_name"]

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        constraints = [
            models.UniqueConstraint(Lower("email"), name="user_email_ci_unique"),
        ]

    def __str__(self) -> str:
        return self.full_name or self.email

    def get_full_name(self) -> str:
        return self.full_name

    def get_short_name(self) -> str:
        return self.full_name.split(" ")[0] if self.full_name else self.email

    @property
    def is_platform_staff(self) -> bool:
        return self.platform_role != self.PlatformRole.NONE


class Invitation(models.Model):
    """An invitation to set a password and sign in, sent by email."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="invitations")
    email = models.EmailField()
    invited_by_email = models.EmailField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    last_sent_at = models.DateTimeField(null=True, blank=True)
    sent_count = models.PositiveSmallIntegerField(default=0)
    accepted_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Status(models.TextChoices):
        SENDING = "sending", _("Being sent")
        PENDING = "pending", _("Waiting for the person")
        EXPIRED = "expired", _("Expired")
        ACCEPTED = "accepted", _("Accepted")
        REVOKED = "revoked", _("Revoked")

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.email} ({self.created_at:%Y-%m-%d})"

    @property
    def expires_at(self) -> datetime.datetime | None:
        """When the last link sent stops working (its key is allauth's password-reset
        token, valid PASSWORD_RESET_TIMEOUT seconds from when it was made)."""
        if self.last_sent_at is None:
            return None
        return self.last_sent_at + datetime.timedelta(seconds=settings.PASSWORD_RESET_TIMEOUT)

    def status_at(self, moment: datetime.datetime) -> str:
        if self.accepted_at is not None:
            return self.Status.ACCEPTED
        if self.revoked_at is not None:
            return self.Status.REVOKED
        expires_at = self.expires_at
        if expires_at is None:
            return self.Status.SENDING
        return self.Status.EXPIRED if expires_at <= moment else self.Status.PENDING

    @property
    def status(self) -> str:
        return self.status_at(timezone.now())

    @property
    def status_label(self) -> str:
        return str(self.Status(self.status).label)


class UserSession(models.Model):
    """Which sessions belong to whom, so that deactivating a person ends every
    one of their sessions at once (the session store cannot be searched by user:
    its rows are signed blobs, and a cache-backed store cannot be listed)."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="sessions")
    session_key = models.CharField(max_length=40, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"{self.user} ({self.created_at:%Y-%m-%d %H:%M})"
