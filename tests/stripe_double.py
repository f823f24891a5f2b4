"""A local stand-in for the Stripe API, for the official SDK to talk to.

It answers with Stripe's own published objects (tests/fixtures/stripe), records
every request with its headers, and honours Idempotency-Key the way Stripe does: a
repeated key returns the first response instead of acting again.

Beyond create/retrieve/delete it plays the parts of the invoice flow billing
uses: an invoice item created with `invoice=<id>` is added to that invoice's
lines and amounts, and POST /v1/invoices/<id>/finalize opens the invoice (and
refuses one that is not a draft, as Stripe does)."""

import copy
import itertools
import json
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs

import pytest

FIXTURES = json.loads(
    (Path(__file__).parent / "fixtures" / "stripe" / "fixtures3.json").read_text()
)["resources"]


@dataclass
class Recorded:
    method: str
    path: str
    params: dict[str, list[str]]
    idempotency_key: str | None


@dataclass
class StripeDouble:
    url: str
    requests: list[Recorded] = field(default_factory=list)
    objects: dict[str, dict[str, object]] = field(default_factory=dict)

    def calls(self, method: str, path_prefix: str) -> list[Recorded]:
        return [r for r in self.requests if r.method == method and r.path.startswith(path_prefix)]


def _handler(double: StripeDouble) -> type[BaseHTTPRequestHandler]:
    ids = itertools.count(1)
    replies: dict[str, tuple[int, bytes]] = {}
    lock = threading.Lock()

    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *args: object) -> None:
            pass

        def _respond(self, status: int, body: bytes) -> None:
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def _handle(self, method: str) -> None:
            length = int(self.headers.get("Content-Length") or 0)
            params = parse_qs(self.rfile.read(length).decode()) if length else {}
            key = self.headers.get("Idempotency-Key")
            with lock:
                double.requests.append(Recorded(method, self.path, params, key))
                if key and key in replies:
                    self._respond(*replies[key])
                    return
                status, obj = self._act(method, params)
                body = json.dumps(obj).encode()
                if key:
                    replies[key] = (status, body)
            self._respond(status, body)

        def _act(self, method: str, params: dict[str, list[str]]) -> tuple[int, dict[str, object]]:
            parts = self.path.split("?")[0].strip("/").split("/")  # v1, resource, [id]
            resource = parts[1].rstrip("s") if len(parts) > 1 else ""
            if method == "POST" and len(parts) == 2 and resource in FIXTURES:
                obj = copy.deepcopy(FIXTURES[resource])
                obj["id"] = f"{FIXTURES[resource]['id'].split('_')[0]}_double{next(ids)}"
                for name, values in params.items():
                    if "[" not in name and name in obj:
                        obj[name] = _typed(FIXTURES[resource][name], values[0])
                obj["metadata"] = {
                    name[len("metadata[") : -1]: values[0]
                    for name, values in params.items()
                    if name.startswith("metadata[")
                }
                if resource == "invoice":
                    _invoice_open_draft(obj)
                if resource == "invoiceitem" and obj.get("invoice") in double.objects:
                    _invoice_add_item(double.objects[str(obj["invoice"])], obj)
                double.objects[obj["id"]] = obj
                return 200, obj
            if method == "POST" and len(parts) == 4 and parts[1:4:2] == ["invoices", "finalize"]:
                invoice = double.objects.get(parts[2])
                if invoice is None:
                    return 404, {
                        "error": {"type": "invalid_request_error", "message": "No such invoice"}
                    }
                if invoice["status"] != "draft":
                    return 400, {
                        "error": {
                            "type": "invalid_request_error",
                            "message": "This invoice is already finalized.",
                        }
                    }
                invoice["status"] = "open"
                invoice["number"] = f"DOUBLE-{parts[2]}"
                invoice["hosted_invoice_url"] = f"https://invoice.stripe.test/{parts[2]}"
                transitions = invoice["status_transitions"]
                assert isinstance(transitions, dict)
                transitions["finalized_at"] = int(time.time())
                return 200, invoice
            if method == "DELETE" and len(parts) == 3 and parts[2] in double.objects:
                double.objects.pop(parts[2])
                return 200, {"id": parts[2], "object": resource, "deleted": True}
            if method == "GET" and len(parts) == 3 and parts[2] in double.objects:
                return 200, double.objects[parts[2]]
            return 404, {"error": {"type": "invalid_request_error", "message": "No such object"}}

        def do_POST(self) -> None:
            self._handle("POST")

        def do_GET(self) -> None:
            self._handle("GET")

        def do_DELETE(self) -> None:
            self._handle("DELETE")

    return Handler


def _typed(example: object, value: str) -> object:
    """A form-encoded value as the type the published object has there."""
    if isinstance(example, bool):
        return value == "true"
    if isinstance(example, int):
        return int(value)
    return value


def _invoice_open_draft(invoice: dict[str, object]) -> None:
    """A new invoice is an empty draft, whatever the published example holds."""
    invoice["status"] = "draft"
    invoice["number"] = None
    invoice["lines"] = {"object": "list", "data": [], "has_more": False, "url": ""}
    for name in ("amount_due", "amount_paid", "amount_remaining", "subtotal", "total"):
        invoice[name] = 0


def _invoice_add_item(invoice: dict[str, object], item: dict[str, object]) -> None:
    lines = invoice["lines"]
    assert isinstance(lines, dict)
    lines["data"].append(
        {"id": f"il_{item['id']}", "amount": item["amount"], "invoice": invoice["id"]}
    )
    for name in ("amount_due", "amount_remaining", "subtotal", "total"):
        invoice[name] = int(invoice[name]) + int(item["amount"])  # type: ignore[call-overload]


@pytest.fixture
def stripe_double(settings) -> Iterator[StripeDouble]:
    """Stripe enabled and pointed at a local double for the duration of a test."""
    double = StripeDouble(url="")
    server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(double))
    double.url = f"http://127.0.0.1:{server.server_address[1]}"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    settings.STRIPE_SECRET_KEY = "sk_test_double"
    settings.STRIPE_ENABLED = True
    settings.STRIPE_API_BASE = double.url
    try:
        yield double
    finally:
        server.shutdown()
        server.server_close()
