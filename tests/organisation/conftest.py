from tests.organisation.helpers import admin_client, staff_client, uploads_removed

__all__ = ["admin_client", "staff_client", "uploads_removed"]
