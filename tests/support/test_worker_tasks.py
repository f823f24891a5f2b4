"""The support desk's email tasks on a real Celery worker: a ticket opened on a
regency's site queues its notification for the public schema, and the worker
sends the email, over SMTP, to the engineers of the public schema.

The worker is started for this module with EMAIL_URL pointing at an SMTP sink
in this process, so what it sends is read back as real messages. The rows it
must see are committed (tests/staff/import_files.committed) and removed after."""

import email
import email.policy
import socketserver
import threading
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from email.message import EmailMessage
from pathlib import Path

import pytest
from allauth.account.models import EmailAddress
from django.db import connection
from django_tenants.utils import schema_context

from accounts.models import User
from accounts.services import user_create
from support.models import Ticket
from tests.staff.import_files import committed
from tests.support.conftest import open_ticket, regency_user
from tests.workers import Worker, celery_worker, default_queue, wait_for

pytestmark = [pytest.mark.worker, pytest.mark.django_db]


@dataclass
class Received:
    sender: str
    recipients: list[str]
    message: EmailMessage


class _Sink(socketserver.ThreadingTCPServer):
    daemon_threads = True
    allow_reuse_address = True

    def __init__(self) -> None:
        super().__init__(("127.0.0.1", 0), _SMTPSession)
        self.received: list[Received] = []
        self.lock = threading.Lock()


class _SMTPSession(socketserver.StreamRequestHandler):
    """Just enough SMTP for Django's SMTP backend (smtplib): EHLO, MAIL, RCPT,
    DATA, RSET, NOOP, QUIT; every message is accepted and kept."""

    server: _Sink

    def _reply(self, text: str) -> None:
        self.wfile.write(text.encode() + b"\r\n")

    def handle(self) -> None:
        self._reply("220 sink.test ESMTP")
        sender, recipients = "", list[str]()
        while line := self.rfile.readline():
            command = line.decode("ascii", "replace").strip()
            verb = command[:4].upper()
            if verb in ("EHLO", "HELO"):
                self._reply("250-sink.test" if verb == "EHLO" else "250 sink.test")
                if verb == "EHLO":
                    self._reply("250 8BITMIME")
            elif verb == "MAIL":
                sender, recipients = command.split(":", 1)[1].strip(" <>"), list[str]()
                self._reply("250 OK")
            elif verb == "RCPT":
                recipients.append(command.split(":", 1)[1].strip(" <>").lower())
                self._reply("250 OK")
            elif verb == "DATA":
                self._reply("354 End data with <CR><LF>.<CR><LF>")
                self._store(sender, recipients)
                self._reply("250 OK")
            elif verb == "QUIT":
                self._reply("221 Bye")
                return
            elif verb in ("RSET", "NOOP"):
                self._reply("250 OK")
            else:
                self._reply("502 Not implemented")

    def _store(self, sender: str, recipients: list[str]) -> None:
        lines = []
        while (line := self.rfile.readline()) not in (b".\r\n", b".\n", b""):
            lines.append(line[1:] if line.startswith(b"..") else line)
        with self.server.lock:
            self.server.received.append(
                Received(sender, list(recipients), _parsed(b"".join(lines)))
            )


def _parsed(data: bytes) -> EmailMessage:
    message = email.message_from_bytes(data, policy=email.policy.default)
    assert isinstance(message, EmailMessage)
    return message


@pytest.fixture(scope="module")
def smtp_sink() -> Iterator[_Sink]:
    sink = _Sink()
    thread = threading.Thread(target=sink.serve_forever, daemon=True)
    thread.start()
    try:
        yield sink
    finally:
        sink.shutdown()
        sink.server_close()


@pytest.fixture(scope="module")
def mail_worker(
    django_db_setup: None, smtp_sink: _Sink, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Worker]:
    """A worker of its own whose emails go to the sink; tasks this process
    queues without a queue name go to it."""
    port = smtp_sink.server_address[1]
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("EMAIL_URL", f"smtp://127.0.0.1:{port}")
        log_dir: Path = tmp_path_factory.mktemp("support-worker")
        with celery_worker(log_dir) as worker, default_queue(worker.queue):
            yield worker


@pytest.fixture
def queued_tasks() -> list:
    """Replaces tests/support's fixture that runs the desk's tasks in this
    process: here they are published to the broker for the real worker."""
    return []


@dataclass
class Committed:
    """What a test committed for the worker to see; removed afterwards."""

    tickets: list[int] = field(default_factory=list)
    users: list[tuple[str, str]] = field(default_factory=list)  # (schema, email)


@pytest.fixture
def committed_rows() -> Iterator[Committed]:
    rows = Committed()
    yield rows
    with committed("public"):
        Ticket.objects.filter(pk__in=rows.tickets).delete()
    for schema, address in rows.users:
        with committed(schema):
            if schema != "public":
                User.objects.filter(email=address).delete()
                continue
            # In public, the ORM's cascade would look for the regency-only tables
            # (staff profiles) that point at users; only the address row exists.
            EmailAddress.objects.filter(email=address).delete()
            with connection.cursor() as cursor:
                cursor.execute(f"DELETE FROM {User._meta.db_table} WHERE email = %s", [address])


def _received_by(sink: _Sink, addresses: set[str]) -> list[Received] | None:
    """The messages for `addresses` once each has one, else None."""
    with sink.lock:
        found = [r for r in sink.received if set(r.recipients) & addresses]
    got = {a for r in found for a in r.recipients}
    return found if addresses <= got else None


def test_a_new_tickets_email_is_sent_by_the_worker_from_the_public_schema(
    mail_worker: Worker, smtp_sink: _Sink, regencies, committed_rows: Committed
):
    tag = uuid.uuid4().hex[:8]
    with committed("public"):
        engineer = user_create(
            email=f"pekerja-{tag}@sukowati.test",
            full_name="Teknisi Pekerja",
            password=None,
            platform_role=User.PlatformRole.ENGINEER,
        )
    committed_rows.users.append(("public", engineer.email))
    with committed("lebak"):
        # A Lebak account marked as an engineer: emailed only if the task ran
        # in Lebak's schema, where this user table would be the one read.
        decoy = user_create(
            email=f"umpan-{tag}@lebak.test",
            full_name="Bukan Teknisi",
            password=None,
            platform_role=User.PlatformRole.ENGINEER,
        )
        committed_rows.users.append(("lebak", decoy.email))
        requester = regency_user("lebak", email=f"pelapor-{tag}@lebak.test")
        committed_rows.users.append(("lebak", requester.email))
        # Opened on Lebak's side: the notification is queued on commit, from Lebak.
        ticket = open_ticket(regencies["lebak"], requester, subject=f"Gagal cetak {tag}")
        committed_rows.tickets.append(ticket.pk)
    with schema_context("public"):
        engineers = set(
            User.objects.filter(
                platform_role=User.PlatformRole.ENGINEER, is_active=True
            ).values_list("email", flat=True)
        )
    assert engineer.email in engineers and decoy.email not in engineers

    # Every engineer of the public schema gets the new ticket's email.
    arrived = wait_for(lambda: _received_by(smtp_sink, engineers), worker=mail_worker)
    mine = [r for r in arrived if ticket.reference in str(r.message["Subject"])]
    assert {a for r in mine for a in r.recipients} == {e.lower() for e in engineers}
    sent = next(r for r in mine if r.recipients == [engineer.email])
    assert sent.message["X-Sukowati-Support"] == "ticket_opened"
    assert sent.message["To"] == engineer.email
    assert sent.message["Reply-To"].startswith(f"support+{ticket.pk}.")
    body = sent.message.get_content()
    assert f"/support/tickets/{ticket.pk}/" in body
    # Lebak's user table was never read for recipients.
    with smtp_sink.lock:
        assert not any(decoy.email in r.recipients for r in smtp_sink.received)
    # The worker's log names the schema each task ran in ("[<schema> <tenant>]").
    runs = [
        line
        for line in mail_worker.log.read_text().splitlines()
        if "ticket_opened_notify_task" in line and "succeeded" in line
    ]
    assert runs and all("[public " in line for line in runs)
