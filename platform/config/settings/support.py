"""The support desk: reopening, service-level warnings, attachments and replies by email."""

from config.env import env_int, env_list, env_str
from config.settings.base import ROOT_DOMAIN

# A resolved ticket can be reopened (and answered) for this many days after its
# resolution; later, the regency opens a new ticket that links to the old one.
SUPPORT_REOPEN_DAYS = env_int("SUPPORT_REOPEN_DAYS", default=7, minimum=1)
# Who hears about breached service levels; without it, every platform engineer.
SUPPORT_LEAD_EMAIL = env_list("SUPPORT_LEAD_EMAIL")
# A warning goes out when this share of a service-level target has elapsed.
SUPPORT_WARNING_PERCENT = env_int("SUPPORT_WARNING_PERCENT", default=80, minimum=1)
SUPPORT_ATTACHMENT_MAX_BYTES = env_int(
    "SUPPORT_ATTACHMENT_MAX_BYTES", default=10 * 1024 * 1024, minimum=1
)
SUPPORT_ATTACHMENTS_PER_MESSAGE = env_int("SUPPORT_ATTACHMENTS_PER_MESSAGE", default=5, minimum=1)
# The shared secret the mail provider sends in X-Support-Inbound-Secret; without
# it the inbound-mail endpoint refuses everything.
SUPPORT_INBOUND_SECRET = env_str("SUPPORT_INBOUND_SECRET")
# Replies go to support+<token>@SUPPORT_REPLY_DOMAIN; a token is accepted this long.
SUPPORT_REPLY_DOMAIN = env_str("SUPPORT_REPLY_DOMAIN", default=ROOT_DOMAIN) or ROOT_DOMAIN
SUPPORT_REPLY_TOKEN_DAYS = env_int("SUPPORT_REPLY_TOKEN_DAYS", default=90, minimum=1)
