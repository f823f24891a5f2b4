"""The audit log is append-only, enforced by the database itself: not even raw SQL
from the application's own database role can rewrite or remove history."""

import pytest
from django.db import DatabaseError, connection, transaction
from django_tenants.utils import schema_context

from core.audit import audit_record
from core.models import AuditEvent

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("schema", ["public", "lebak", "tenant_template"])
@pytest.mark.parametrize(
    "statement",
    [
        "UPDATE core_auditevent SET action = 'forged' WHERE id = %s",
        "DELETE FROM core_auditevent WHERE id = %s",
        "TRUNCATE core_auditevent",
    ],
)
def test_raw_sql_cannot_update_delete_or_truncate(schema, statement):
    with schema_context(schema):
        event = audit_record(action="test.append_only", actor_email="a@example.test")
        with (
            pytest.raises(DatabaseError, match="append-only"),
            transaction.atomic(),
            connection.cursor() as cursor,
        ):
            cursor.execute(statement, [event.pk] if "%s" in statement else None)
        event.refresh_from_db()
        assert event.action == "test.append_only"


def test_the_orm_cannot_either():
    event = audit_record(action="test.append_only")
    event.action = "forged"
    with pytest.raises(DatabaseError), transaction.atomic():
        event.save()
    with pytest.raises(DatabaseError), transaction.atomic():
        AuditEvent.objects.filter(pk=event.pk).delete()
    assert AuditEvent.objects.get(pk=event.pk).action == "test.append_only"
