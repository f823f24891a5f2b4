"""A regency reaches only its own support tickets: every ticket URL of the
regency's side, tried with another regency's account (admin and staff), answers
404 as for a ticket that does not exist; so do attachments. Files are kept per
regency and ticket; emailed replies cannot cross regencies either."""

import json

import pytest
from django.conf import settings as django_settings
from django.urls import URLPattern, reverse
from django_tenants.utils import schema_context

from support.mail import reply_address
from support.models import Ticket, TicketMessage
from support.urls_regency import urlpatterns
from tests.accounts.helpers import client_at
from tests.support.conftest import open_ticket, pdf, regency_client, regency_user

pytestmark = pytest.mark.django_db

# Regency-side URLs that name a ticket (and maybe an attachment).
TICKET_URLS = [
    pattern
    for pattern in urlpatterns
    if isinstance(pattern, URLPattern) and "pk" in pattern.pattern.converters
]


@pytest.fixture(autouse=True)
def _media_in_tmp(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def lebak_ticket(regencies) -> Ticket:
    owner = regency_user("lebak")
    return open_ticket(regencies["lebak"], owner, uploads=(pdf("rahasia-lebak.pdf"),))


def ticket_urls(ticket: Ticket) -> list[tuple[str, str]]:
    attachment = ticket.attachments.get()
    urls = []
    for pattern in TICKET_URLS:
        kwargs = {"pk": ticket.pk}
        if "attachment_id" in pattern.pattern.converters:
            kwargs["attachment_id"] = attachment.pk
        assert pattern.name
        urls.append(
            (
                pattern.name,
                reverse(
                    f"support:{pattern.name}", kwargs=kwargs, urlconf=django_settings.ROOT_URLCONF
                ),
            )
        )
    return urls


def test_the_walk_covers_every_ticket_url(lebak_ticket):
    names = {name for name, _path in ticket_urls(lebak_ticket)}
    assert names == set(METHODS)


METHODS = {
    "ticket_detail": ("get",),
    "ticket_reply": ("get", "post"),
    "ticket_rate": ("get", "post"),
    "ticket_confirm": ("get", "post"),
    "attachment_download": ("get",),
}


@pytest.mark.parametrize("slug", ["dumai", "balangan"])
@pytest.mark.parametrize("admin", [True, False])
def test_another_regencys_account_gets_404_on_every_ticket_url(lebak_ticket, slug, admin):
    client = regency_client(slug, regency_user(slug, admin=admin))
    for name, path in ticket_urls(lebak_ticket):
        for method in METHODS[name]:
            response = getattr(client, method)(path, {"body": "Halo", "rating": 5})
            assert response.status_code == 404, (slug, admin, method, name)
    lebak_ticket.refresh_from_db()
    assert lebak_ticket.rating is None
    assert not lebak_ticket.messages.exists()


def test_lebaks_own_admin_reaches_every_ticket_url(lebak_ticket):
    client = regency_client("lebak", regency_user("lebak", admin=True))
    for name, path in ticket_urls(lebak_ticket):
        if name in {"ticket_detail", "attachment_download"}:
            assert client.get(path).status_code == 200, name


def test_lists_and_search_show_only_the_own_regencys_tickets(lebak_ticket):
    for slug in ("dumai", "balangan"):
        client = regency_client(slug, regency_user(slug, admin=True))
        for path in ("/help/", "/help/tickets/?show=all"):
            html = client.get(path).content.decode()
            assert (
                lebak_ticket.subject not in html and f'data-ticket="{lebak_ticket.pk}"' not in html
            )


def test_a_follow_up_cannot_point_at_another_regencys_ticket(lebak_ticket):
    client = regency_client("dumai", regency_user("dumai", admin=True))
    form = client.get("/help/tickets/new/", {"follow_up": lebak_ticket.pk}).content.decode()
    assert lebak_ticket.subject not in form
    client.post(
        "/help/tickets/new/",
        {
            "subject": "Tindak lanjut",
            "category": "incident",
            "priority": "normal",
            "module": "platform",
            "body": "x",
            "follow_up_of": lebak_ticket.pk,
        },
    )
    created = Ticket.objects.get(subject="Tindak lanjut")
    assert (created.tenant.slug, created.follow_up_of_id) == ("dumai", None)


def test_a_ticket_belongs_to_the_regency_of_the_host_it_was_opened_on(regencies):
    client = regency_client("balangan", regency_user("balangan"))
    client.post(
        "/help/tickets/new/",
        {
            "subject": "Dari Balangan",
            "category": "incident",
            "priority": "normal",
            "module": "platform",
            "body": "x",
        },
    )
    assert Ticket.objects.get(subject="Dari Balangan").tenant == regencies["balangan"]


def test_attachment_files_are_kept_per_regency_and_ticket(lebak_ticket, regencies):
    dumai_ticket = open_ticket(
        regencies["dumai"], regency_user("dumai"), uploads=(pdf("dumai.pdf"),)
    )
    assert lebak_ticket.attachments.get().stored_name.startswith(
        f"support/lebak/{lebak_ticket.pk}/"
    )
    assert dumai_ticket.attachments.get().stored_name.startswith(
        f"support/dumai/{dumai_ticket.pk}/"
    )
    # An attachment id of another ticket never resolves through this ticket's URL.
    other_file = dumai_ticket.attachments.get()
    client = regency_client("dumai", regency_user("dumai", admin=True))
    assert (
        client.get(
            f"/help/tickets/{dumai_ticket.pk}/files/{lebak_ticket.attachments.get().pk}/"
        ).status_code
        == 404
    )
    assert client.get(f"/help/tickets/{dumai_ticket.pk}/files/{other_file.pk}/").status_code == 200


def test_the_same_ticket_number_on_another_regencys_host_is_404(lebak_ticket):
    """The ticket id is global; the host decides the regency, never the URL."""
    admin = regency_user("lebak", admin=True)
    client = client_at("dumai.localhost")
    with schema_context("lebak"):
        client.force_login(admin)  # a Lebak session sent to Dumai's host
    response = client.get(f"/help/tickets/{lebak_ticket.pk}/")
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")


def test_an_emailed_reply_from_another_regency_is_refused(lebak_ticket, regencies, settings):
    settings.SUPPORT_INBOUND_SECRET = "rahasia"
    outsider = regency_user("dumai", admin=True)
    dumai_ticket = open_ticket(regencies["dumai"], outsider)
    own = reply_address(ticket_id=dumai_ticket.pk, recipient=outsider.email)
    for address in (
        # The Lebak requester's reply address, used by Dumai's admin...
        reply_address(ticket_id=lebak_ticket.pk, recipient=lebak_ticket.requester_email),
        # ...or Dumai's admin's own address with Lebak's ticket number put in.
        own.replace(f"+{dumai_ticket.pk}.", f"+{lebak_ticket.pk}.", 1),
    ):
        response = client_at("localhost").post(
            "/support/inbound-mail/",
            json.dumps({"from": outsider.email, "to": address, "text": "Masuk?"}),
            content_type="application/json",
            HTTP_X_SUPPORT_INBOUND_SECRET="rahasia",
        )
        assert response.status_code == 403
    assert not TicketMessage.objects.filter(body="Masuk?").exists()


def test_support_tasks_queued_from_a_regency_run_in_public(
    regencies, monkeypatch, django_capture_on_commit_callbacks
):
    """The desk's data and the engineers it emails are in public: its tasks carry
    that schema, not the regency's the request was in."""
    sent: list[tuple[str, object]] = []

    def send_task(self, name, args=None, kwargs=None, **options):
        sent.append((name, (options.get("headers") or {}).get("_schema_name")))

    monkeypatch.setattr("celery.app.base.Celery.send_task", send_task)
    owner = regency_user("lebak")
    # The tasks are published (on commit) while the connection is still in Lebak's schema.
    with schema_context("lebak"), django_capture_on_commit_callbacks(execute=True):
        ticket = open_ticket(regencies["lebak"], owner)
    assert sent == [("support.tasks.ticket_opened_notify_task", "public")]
    assert ticket.tenant.slug == "lebak"
