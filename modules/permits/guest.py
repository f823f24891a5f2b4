"""Applying as a guest: the applicant proves an email address with a 6-digit code.

The code is emailed, kept only as a keyed hash in the (tenant-prefixed) cache,
expires after PERMITS_GUEST_CODE_MINUTES (15) and dies after five wrong tries.
Sending is limited per address and per client address, so the form cannot be used
to flood someone's mailbox. A verified address stays good in the visitor's session
for two hours. A phone number may be given with the application but is not
verified (no SMS gateway): the verified email is what identifies a guest."""

import hashlib
import secrets
import time
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.core.mail import send_mail
from django.http import HttpRequest
from django.template.loader import render_to_string
from django.utils.crypto import constant_time_compare, salted_hmac

from core.audit import client_ip

SESSION_KEY = "permits_guest"
SESSION_SECONDS = 2 * 60 * 60
MAX_ATTEMPTS = 5
SENDS_PER_ADDRESS = 3  # per 15 minutes
SENDS_PER_CLIENT = 10  # per hour
VERIFY_TRIES_PER_CLIENT = 30  # per hour


class RateLimited(Exception):
    pass


def code_minutes() -> int:
    return int(settings.PERMITS_GUEST_CODE_MINUTES)


def _address_key(email: str) -> str:
    return hashlib.sha256(email.strip().lower().encode()).hexdigest()[:32]


def _code_hash(email: str, code: str) -> str:
    return salted_hmac("permits.guest-code", f"{email.strip().lower()}:{code}").hexdigest()


def rate_hit(key: str, *, limit: int, seconds: int) -> bool:
    """Count one hit of `key`; False once more than `limit` hits fell in the window."""
    cache.add(key, 0, timeout=seconds)
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, timeout=seconds)
        count = 1
    return count <= limit


def guest_code_send(*, email: str, request: HttpRequest) -> None:
    """Email a fresh code to `email`, or raise RateLimited."""
    address = _address_key(email)
    client = client_ip(request) or "unknown"
    if not rate_hit(f"permits:guest-send:ip:{client}", limit=SENDS_PER_CLIENT, seconds=3600):
        raise RateLimited
    if not rate_hit(f"permits:guest-send:to:{address}", limit=SENDS_PER_ADDRESS, seconds=900):
        raise RateLimited
    code = f"{secrets.randbelow(1_000_000):06d}"
    minutes = code_minutes()
    cache.set(
        f"permits:guest-code:{address}",
        {"hash": _code_hash(email, code), "attempts": 0, "expires": time.time() + minutes * 60},
        timeout=minutes * 60,
    )
    regency = getattr(request, "tenant", None)
    context = {"code": code, "minutes": minutes, "regency": regency}
    send_mail(
        subject=render_to_string("permits/email/guest_code_subject.txt", context).strip(),
        message=render_to_string("permits/email/guest_code_message.txt", context),
        from_email=None,
        recipient_list=[email],
    )


def guest_code_verify(*, email: str, code: str, request: HttpRequest) -> bool:
    """Whether `code` is the live code for `email`; on success the session holds
    the verified address. Raises RateLimited after too many tries."""
    client = client_ip(request) or "unknown"
    if not rate_hit(
        f"permits:guest-verify:ip:{client}", limit=VERIFY_TRIES_PER_CLIENT, seconds=3600
    ):
        raise RateLimited
    key = f"permits:guest-code:{_address_key(email)}"
    stored: dict[str, Any] | None = cache.get(key)
    if not stored or stored["expires"] < time.time():
        return False
    if stored["attempts"] >= MAX_ATTEMPTS:
        cache.delete(key)
        raise RateLimited
    if not constant_time_compare(stored["hash"], _code_hash(email, code)):
        stored["attempts"] += 1
        cache.set(key, stored, timeout=max(int(stored["expires"] - time.time()), 1))
        return False
    cache.delete(key)
    request.session[SESSION_KEY] = {"email": email.strip(), "until": time.time() + SESSION_SECONDS}
    return True


def guest_email(request: HttpRequest) -> str:
    """The visitor's verified email address, or "" when they have none (any more)."""
    value = request.session.get(SESSION_KEY)
    if not isinstance(value, dict) or value.get("until", 0) < time.time():
        return ""
    return str(value.get("email", ""))


def guest_pending_set(request: HttpRequest, email: str) -> None:
    request.session["permits_guest_pending"] = email.strip()


def guest_pending(request: HttpRequest) -> str:
    return str(request.session.get("permits_guest_pending", ""))
