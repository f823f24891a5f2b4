"""Validation of regency slugs, domains and region codes, with messages a
platform engineer can act on."""

import re
import zoneinfo

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from tenants.regions import REGENCY_CODE_RE, regency_get

SLUG_RE = re.compile(r"^[a-z][a-z0-9-]{1,28}[a-z0-9]$")
# Names that are, or may become, platform hosts or PostgreSQL/django-tenants schemas.
RESERVED_SLUGS = frozenset(
    {
        "public",
        "template",
        "www",
        "api",
        "admin",
        "console",
        "static",
        "media",
        "mail",
        "smtp",
        "ftp",
        "status",
        "support",
        "billing",
        "docs",
        "help",
        "app",
        "information-schema",
        "sukowati",
        "test",
        "localhost",
    }
)
DOMAIN_LABEL_RE = re.compile(r"^(?!-)[a-z0-9-]{1,63}(?<!-)$")


def validate_tenant_slug(value: str) -> None:
    if value in RESERVED_SLUGS:
        raise ValidationError(
            _("'%(slug)s' is reserved for the platform."), params={"slug": value}, code="reserved"
        )
    if value.startswith("pg-") or value.startswith("pg_"):
        raise ValidationError(
            _("A slug may not start with 'pg-': PostgreSQL reserves it."), code="reserved"
        )
    if not SLUG_RE.match(value):
        raise ValidationError(
            _(
                "Use 3 to 30 lowercase letters, digits or hyphens, starting with a letter "
                "and not ending with a hyphen (e.g. 'lebak')."
            ),
            code="invalid",
        )


def validate_regency_code(value: str) -> None:
    if not REGENCY_CODE_RE.match(value):
        raise ValidationError(
            _("A regency code has the form NN.NN (e.g. 36.02 for Kabupaten Lebak)."),
            code="invalid",
        )
    if regency_get(value) is None:
        raise ValidationError(
            _("%(code)s is not a regency or city in the national region-code list."),
            params={"code": value},
            code="unknown",
        )


def validate_time_zone(value: str) -> None:
    if value not in zoneinfo.available_timezones():
        raise ValidationError(
            _("%(zone)s is not a known time zone."), params={"zone": value}, code="invalid"
        )


def validate_domain(value: str) -> None:
    """A bare host name: lowercase, no scheme, no port, no path."""
    if ":" in value or "/" in value:
        raise ValidationError(
            _("Enter the host name only, without scheme or port (e.g. 'lebak.sukowati.id')."),
            code="port",
        )
    if value != value.lower():
        raise ValidationError(
            _("Host names are lowercase: use '%(lower)s'."),
            params={"lower": value.lower()},
            code="case",
        )
    labels = value.split(".")
    if len(value) > 253 or not all(DOMAIN_LABEL_RE.match(label) for label in labels):
        raise ValidationError(
            _("'%(domain)s' is not a valid host name."), params={"domain": value}, code="invalid"
        )
