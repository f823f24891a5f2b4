"""Email in and out of the support desk.

Every outbound email has a Reply-To `support+<token>@<reply domain>`. The token
is `<ticket id>.<timestamp>.<signature>`: a TimestampSigner signature (salted,
SHA-224 so the address stays within the 64 characters a mailbox name may have)
over the ticket id *and the recipient's address*. The address itself is not in
the token: a reply is accepted only when recomputing the signature with the
reply's sender gives the same one, so a token forwarded to someone else, or
altered, or older than SUPPORT_REPLY_TOKEN_DAYS, threads nothing."""

import re
from email.utils import getaddresses, parseaddr
from zoneinfo import ZoneInfo

from django.conf import settings
from django.core import signing
from django.core.mail import EmailMessage
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation

from support.models import Ticket
from tenants.models import Tenant

_SALT = "sukowati.support.reply-to"
_SEP = "."
REPLY_LOCAL_PART = "support"
TOKEN_RE = re.compile(r"^support\+(?P<token>\d+\.[0-9A-Za-z]+\.[A-Za-z0-9_-]+)@", re.IGNORECASE)
# A line we put above the quoted history of every email; a reply is cut there.
REPLY_MARKER = "-- ## --"


class TokenRefused(Exception):
    """The reply address is forged, expired, or was not issued to this sender."""


def _signer() -> signing.TimestampSigner:
    return signing.TimestampSigner(salt=_SALT, sep=_SEP, algorithm="sha224")


def _signed_value(ticket_id: int, email: str) -> str:
    return f"{ticket_id}/{email.strip().lower()}"


def reply_token(*, ticket_id: int, recipient: str) -> str:
    signed = _signer().sign(_signed_value(ticket_id, recipient))
    _value, timestamp, signature = signed.rsplit(_SEP, 2)
    return f"{ticket_id}{_SEP}{timestamp}{_SEP}{signature}"


def reply_address(*, ticket_id: int, recipient: str) -> str:
    token = reply_token(ticket_id=ticket_id, recipient=recipient)
    return f"{REPLY_LOCAL_PART}+{token}@{settings.SUPPORT_REPLY_DOMAIN}"


def reply_token_read(*, token: str, sender: str) -> int:
    """The ticket id the token was issued for to `sender`; TokenRefused otherwise."""
    try:
        ticket_part, timestamp, signature = token.split(_SEP)
        ticket_id = int(ticket_part)
    except ValueError:
        raise TokenRefused("malformed") from None
    signed = _SEP.join((_signed_value(ticket_id, sender), timestamp, signature))
    try:
        _signer().unsign(signed, max_age=settings.SUPPORT_REPLY_TOKEN_DAYS * 86400)
    except signing.SignatureExpired:
        raise TokenRefused("expired") from None
    except signing.BadSignature:
        raise TokenRefused("forged or not issued to this sender") from None
    return ticket_id


def token_in(addresses: str) -> str | None:
    """The reply token in any of the addresses of a To (or Cc) header."""
    for _name, address in getaddresses([addresses]):
        match = TOKEN_RE.match(address.strip())
        if match:
            return match.group("token")
    return None


def sender_address(value: str) -> str:
    return parseaddr(value)[1].strip().lower()


_QUOTE_HEADERS = (
    re.compile(r"^On .{1,300} wrote:\s*$"),
    re.compile(r"^Pada .{1,300} menulis:\s*$"),
    re.compile(r"^-{2,}\s*(Original Message|Pesan Asli|Forwarded message)\s*-{2,}\s*$", re.I),
    re.compile(r"^(From|Dari):\s.+$"),
    re.compile(r"^_{10,}\s*$"),
)


def reply_text(text: str) -> str:
    """The new part of an emailed reply: everything above our marker, the
    client's "On ... wrote:" line or the quoted (">") history."""
    kept: list[str] = []
    for line in text.replace("\r\n", "\n").replace("\r", "\n").split("\n"):
        stripped = line.strip()
        if stripped == REPLY_MARKER or any(p.match(stripped) for p in _QUOTE_HEADERS):
            break
        if stripped.startswith(">"):
            continue
        kept.append(line.rstrip())
    return "\n".join(kept).strip()


def _base_url(host: str) -> str:
    scheme = "https" if settings.SESSION_COOKIE_SECURE else "http"
    port = getattr(settings, "SUKOWATI_PUBLIC_PORT", None)
    return f"{scheme}://{host}{f':{port}' if port else ''}"


def regency_host(tenant: Tenant) -> str:
    domain = tenant.domains.filter(is_primary=True).first() or tenant.domains.first()
    return domain.domain if domain is not None else f"{tenant.slug}.{settings.ROOT_DOMAIN}"


def regency_site_url(tenant: Tenant, path: str) -> str:
    """An absolute URL of a path (starting with "/") on the regency's own site."""
    return _base_url(regency_host(tenant)) + path


def regency_ticket_url(ticket: Ticket) -> str:
    path = reverse("support:ticket_detail", kwargs={"pk": ticket.pk}, urlconf=settings.ROOT_URLCONF)
    return _base_url(regency_host(ticket.tenant)) + path


def regency_url(tenant: Tenant, name: str, **kwargs: object) -> str:
    path = reverse(f"support:{name}", kwargs=kwargs or None, urlconf=settings.ROOT_URLCONF)
    return _base_url(regency_host(tenant)) + path


def console_ticket_url(ticket: Ticket) -> str:
    path = reverse(
        "support_console:ticket_detail",
        kwargs={"pk": ticket.pk},
        urlconf=settings.PUBLIC_SCHEMA_URLCONF,
    )
    return _base_url(settings.ROOT_DOMAIN) + path


def ticket_email_send(
    *,
    ticket: Ticket,
    recipient: str,
    language: str,
    template: str,
    context: dict[str, object],
    time_zone: str = "Asia/Jakarta",
) -> None:
    """Render `support/email/<template>_subject.txt` and `_body.txt` in the
    recipient's language and time zone and send them, with a reply address for
    this recipient and headers that thread a ticket's emails in mail clients."""
    with translation.override(language), timezone.override(ZoneInfo(time_zone)):
        full = {**context, "ticket": ticket, "reply_marker": REPLY_MARKER}
        subject = render_to_string(f"support/email/{template}_subject.txt", full)
        body = render_to_string(f"support/email/{template}_body.txt", full)
    domain = settings.SUPPORT_REPLY_DOMAIN
    thread = f"<ticket-{ticket.pk}@{domain}>"
    message = EmailMessage(
        subject=f"[{ticket.reference}] {' '.join(subject.split())}",
        body=body,
        to=[recipient],
        reply_to=[reply_address(ticket_id=ticket.pk, recipient=recipient)],
        headers={
            "References": thread,
            "In-Reply-To": thread,
            # For people's mail filters (and tests): what this email is about.
            "X-Sukowati-Support": template,
            "Content-Language": language,
            **({"X-Sukowati-Clock": str(context["clock"])} if "clock" in context else {}),
        },
    )
    message.send()
