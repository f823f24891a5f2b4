from typing import Any

from django.views.generic import TemplateView

from console.permissions import EngineerRequiredMixin
from tenants.fleet import fleet_migration_state


class FleetView(EngineerRequiredMixin, TemplateView):
    """Every schema's migration state. The template schema is shown apart, as the
    source new regencies are cloned from; it is never listed as a regency."""

    template_name = "console/fleet.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        state = fleet_migration_state()
        template = next((row for row in state if row["is_template"]), None)
        rows = [row for row in state if not row["is_template"]]
        counts = {"current": 0, "pending": 0, "no_schema": 0}
        for row in rows:
            key = row["status"].replace(" ", "_")
            counts[key] = counts.get(key, 0) + 1
        return {
            **super().get_context_data(**kwargs),
            "template_row": template,
            "rows": rows,
            "counts": counts,
        }
