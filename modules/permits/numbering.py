"""Application numbers and tracking codes.

Numbers (`PRM/2026/000123`) are gapless per regency and year: the year's counter
row is locked (SELECT ... FOR UPDATE) inside the transaction that creates the
application, so two submissions at once take consecutive numbers, and a submission
that rolls back gives its number back. Tracking codes are random, from an alphabet
without look-alike characters (no 0/O, 1/I/L), so they can be read over the phone
and cannot be guessed: 31^12, about 7.9e17 codes."""

import secrets

from django.db import transaction

from modules.permits.models import Application, NumberSequence

APPLICATION_PREFIX = "PRM"
TRACKING_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
TRACKING_LENGTH = 12


def number_next(*, prefix: str, year: int) -> int:
    """The next value of the (prefix, year) counter; call inside the creating
    transaction, which holds the counter's row lock until it ends."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("number_next must run inside the creating transaction")
    # ON CONFLICT DO NOTHING: two first submissions of a year both pass here
    # without an error, and then queue on the row lock below.
    NumberSequence.objects.bulk_create(
        [NumberSequence(prefix=prefix, year=year, last=0)], ignore_conflicts=True
    )
    sequence = NumberSequence.objects.select_for_update().get(prefix=prefix, year=year)
    sequence.last += 1
    sequence.save(update_fields=["last"])
    return sequence.last


def application_number_next(*, year: int) -> str:
    return f"{APPLICATION_PREFIX}/{year}/{number_next(prefix=APPLICATION_PREFIX, year=year):06d}"


def tracking_code_new() -> str:
    """A fresh tracking code no application has."""
    while True:
        code = "".join(secrets.choice(TRACKING_ALPHABET) for _ in range(TRACKING_LENGTH))
        if not Application.objects.filter(tracking_code=code).exists():
            return code


def tracking_code_normalise(raw: str) -> str:
    """A code as typed: spaces and dashes dropped, upper case."""
    return "".join(ch for ch in raw.upper() if ch.isalnum())[:24]
