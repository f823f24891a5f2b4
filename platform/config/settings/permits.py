"""The permits module and the regency working day."""

import re

from django.core.exceptions import ImproperlyConfigured

from config.env import env_int, env_str

# Each uploaded document at most this many bytes.
PERMITS_MAX_UPLOAD_BYTES = env_int("PERMITS_MAX_UPLOAD_BYTES", default=10 * 1024 * 1024, minimum=1)
# A guest's emailed verification code is accepted this long.
PERMITS_GUEST_CODE_MINUTES = env_int("PERMITS_GUEST_CODE_MINUTES", default=15, minimum=1)
# Tracking-code lookups per client address per minute (codes cannot be guessed, and
# trying is slowed down).
PERMITS_LOOKUPS_PER_MINUTE = env_int("PERMITS_LOOKUPS_PER_MINUTE", default=10, minimum=1)
# When the regency's offices close, in its own time zone: what arrives later (or on
# a day off) is received on the next working day.
SUKOWATI_OFFICE_CLOSES = env_str("SUKOWATI_OFFICE_CLOSES", default="16:00") or "16:00"
if not re.fullmatch(r"([01]\d|2[0-3]):[0-5]\d", SUKOWATI_OFFICE_CLOSES):
    raise ImproperlyConfigured(
        f"SUKOWATI_OFFICE_CLOSES must be a time of day as HH:MM, not {SUKOWATI_OFFICE_CLOSES!r}."
    )
