"""The support desk's tables, all in the public schema."""

from support.models.desk import CannedReply, KnowledgeArticle, SavedView
from support.models.service_levels import (
    Holiday,
    Priority,
    ServiceTarget,
    SupportPlan,
    TenantSupportPlan,
)
from support.models.tickets import (
    Category,
    Side,
    Ticket,
    TicketAttachment,
    TicketMessage,
    TicketTransition,
)

__all__ = [
    "CannedReply",
    "Category",
    "Holiday",
    "KnowledgeArticle",
    "Priority",
    "SavedView",
    "ServiceTarget",
    "Side",
    "SupportPlan",
    "TenantSupportPlan",
    "Ticket",
    "TicketAttachment",
    "TicketMessage",
    "TicketTransition",
]
