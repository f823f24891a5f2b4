"""Gapless numbers per series and year: INV/2026/00001, CN/2026/00001.

The next number is taken inside the caller's transaction with the year's counter
row locked FOR UPDATE: a second finalisation waits for the first to commit, and a
finalisation that rolls back gives its number back with everything else."""

from django.db import connection, transaction

from billing.models import NumberSequence

INVOICE_SERIES = "INV"
CREDIT_NOTE_SERIES = "CN"


def number_next(*, series: str, year: int) -> str:
    """The next number of `series` in `year`; must run inside a transaction."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("number_next must run inside the transaction that uses the number")
    with connection.cursor() as cursor:
        # Create the year's row if this is its first number; a concurrent creator
        # wins silently and the row lock below serialises the two.
        cursor.execute(
            "INSERT INTO billing_numbersequence (series, year, last_number) "
            "VALUES (%s, %s, 0) ON CONFLICT (series, year) DO NOTHING",
            [series, year],
        )
    sequence = NumberSequence.objects.select_for_update().get(series=series, year=year)
    sequence.last_number += 1
    sequence.save(update_fields=["last_number"])
    return f"{series}/{year}/{sequence.last_number:05d}"
