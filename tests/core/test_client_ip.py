"""The client's address behind proxies, for rate limits and the audit log."""

from django.test import RequestFactory

from core.audit import client_ip


def _request(forwarded: str | None):
    request = RequestFactory().get("/", REMOTE_ADDR="10.0.0.2")
    if forwarded:
        request.META["HTTP_X_FORWARDED_FOR"] = forwarded
    return request


def test_without_trusted_proxies_the_peer_address_counts(settings):
    settings.TRUSTED_PROXY_COUNT = 0
    assert client_ip(_request("203.0.113.9")) == "10.0.0.2"


def test_behind_one_proxy_the_last_forwarded_address_counts(settings):
    settings.TRUSTED_PROXY_COUNT = 1
    # A client may send its own X-Forwarded-For; only the proxy's last entry is trusted.
    assert client_ip(_request("198.51.100.66, 203.0.113.9")) == "203.0.113.9"


def test_a_shorter_chain_than_trusted_falls_back_to_the_peer(settings):
    settings.TRUSTED_PROXY_COUNT = 2
    assert client_ip(_request("203.0.113.9")) == "10.0.0.2"
