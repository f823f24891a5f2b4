"""The nginx edge (infra/nginx/sukowati.conf.template), rendered as the nginx image
renders it and run by a real nginx in front of a stand-in for gunicorn: the root
domain, a regency subdomain and a custom domain all reach the web upstream with
their Host intact and X-Forwarded-Proto https; plain HTTP is redirected."""

import http.client
import json
import shutil
import socket
import ssl
import subprocess
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest
from cryptography import x509

from infra import render_nginx
from infra.render_nginx import MissingVariable, render, render_template, template_variables

ROOT = Path(__file__).resolve().parents[2]
DEV_CERTS = ROOT / "infra" / "dev-certs.sh"
DOMAIN = "example.test"

VALUES = {
    "ROOT_DOMAIN": DOMAIN,
    "WEB_UPSTREAM": "web:8000",
    "DNS_RESOLVER": "127.0.0.11",
    "HTTP_PORT": "80",
    "HTTPS_PORT": "443",
    "TLS_CERTIFICATE": "/etc/nginx/certs/fullchain.pem",
    "TLS_CERTIFICATE_KEY": "/etc/nginx/certs/privkey.pem",
}


def nginx_binary() -> str | None:
    return shutil.which("nginx") or next(
        (path for path in ("/usr/sbin/nginx",) if Path(path).exists()), None
    )


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


# --- rendering --------------------------------------------------------------------------


def test_the_renderer_knows_every_variable_of_the_template():
    assert template_variables(render_nginx.TEMPLATE.read_text()) == set(render_nginx.VARIABLES)


def test_rendering_names_the_root_domain_and_its_subdomains():
    config = render_template(VALUES)
    assert f"server_name {DOMAIN} *.{DOMAIN} _;" in config
    assert "set $sukowati_web http://web:8000;" in config
    assert "${" not in config


def test_rendering_leaves_nginx_variables_alone():
    config = render_template(VALUES)
    for variable in ("$host", "$request_uri", "$scheme", "$remote_addr", "$sukowati_web"):
        assert variable in config


def test_a_variable_without_a_value_is_refused_by_name():
    with pytest.raises(MissingVariable, match="TLS_CERTIFICATE_KEY"):
        render_template({**VALUES, "TLS_CERTIFICATE_KEY": ""})


def test_named_variables_are_substituted_in_both_forms_and_nginx_ones_kept():
    assert render("$A ${A}; ${B} $host", {"A": "x", "B": "y"}) == "x x; y $host"


def test_an_upper_case_variable_the_renderer_does_not_know_is_refused():
    """The image would leave it in the file, and nginx fail on it at start-up."""
    with pytest.raises(MissingVariable, match="AB"):
        render("$A $AB", {"A": "x"})


@pytest.mark.skipif(shutil.which("envsubst") is None, reason="envsubst (gettext-base) missing")
def test_the_renderer_matches_the_nginx_images_envsubst():
    """The image runs `envsubst '${NAME} ...'` over the template with the values in
    its environment; the renderer the tests use must produce the same file."""
    template = render_nginx.TEMPLATE.read_text()
    shell_format = " ".join(f"${{{name}}}" for name in render_nginx.VARIABLES)
    result = subprocess.run(
        ["envsubst", shell_format],
        input=template,
        env={"PATH": "/usr/bin:/bin", **VALUES},
        capture_output=True,
        text=True,
        check=True,
    )
    assert result.stdout == render_template(VALUES)


# --- the development certificate ----------------------------------------------------------


@pytest.fixture(scope="module")
def certificates(tmp_path_factory: pytest.TempPathFactory) -> Path:
    if shutil.which("openssl") is None:
        pytest.skip("the openssl binary is not installed; infra/dev-certs.sh needs it")
    directory = tmp_path_factory.mktemp("certs")
    subprocess.run(["sh", str(DEV_CERTS), DOMAIN, str(directory)], check=True, capture_output=True)
    return directory


def test_dev_certs_cover_the_root_domain_and_every_subdomain(certificates):
    certificate = x509.load_pem_x509_certificate((certificates / "fullchain.pem").read_bytes())
    names = certificate.extensions.get_extension_for_class(x509.SubjectAlternativeName).value
    assert names.get_values_for_type(x509.DNSName) == [DOMAIN, f"*.{DOMAIN}"]
    assert (certificates / "privkey.pem").stat().st_mode & 0o077 == 0


# --- a real nginx ------------------------------------------------------------------------


@dataclass
class Edge:
    http_port: int
    https_port: int
    cafile: Path
    seen: list[dict[str, Any]]


class Recorder(BaseHTTPRequestHandler):
    """Stands in for gunicorn: answers with what it received."""

    seen: list[dict[str, Any]]

    def do_GET(self) -> None:
        request = {
            "upstream": "web",
            "path": self.path,
            "host": self.headers.get("Host"),
            "x_forwarded_proto": self.headers.get("X-Forwarded-Proto"),
            "x_forwarded_for": self.headers.get("X-Forwarded-For"),
        }
        self.seen.append(request)
        body = json.dumps(request).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: Any) -> None:
        pass


def _main_config(directory: Path, site: Path) -> str:
    temp = {name: directory / name for name in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi")}
    return f"""
worker_processes 1;
pid {directory}/nginx.pid;
error_log {directory}/error.log warn;
events {{ worker_connections 64; }}
http {{
    access_log off;
    client_body_temp_path {temp["client_body"]};
    proxy_temp_path {temp["proxy"]};
    fastcgi_temp_path {temp["fastcgi"]};
    uwsgi_temp_path {temp["uwsgi"]};
    scgi_temp_path {temp["scgi"]};
    include {site};
}}
"""


def _wait_for_port(port: int, process: subprocess.Popen[bytes], log: Path) -> None:
    for _ in range(200):
        if process.poll() is not None:
            pytest.fail(f"nginx exited: {log.read_text() if log.exists() else ''}")
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            return
        except OSError:
            time.sleep(0.05)
    pytest.fail(f"nginx did not listen on {port}")


@pytest.fixture(scope="module")
def edge(tmp_path_factory: pytest.TempPathFactory, certificates: Path) -> Iterator[Edge]:
    nginx = nginx_binary()
    if nginx is None:
        pytest.skip("nginx is not installed (.ci/run installs Debian's nginx-light)")
    seen: list[dict[str, Any]] = []
    handler = type("Handler", (Recorder,), {"seen": seen})
    upstream = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=upstream.serve_forever, daemon=True).start()

    directory = tmp_path_factory.mktemp("nginx")
    http_port, https_port = free_port(), free_port()
    site = directory / "sukowati.conf"
    site.write_text(
        render_template(
            {
                "ROOT_DOMAIN": DOMAIN,
                "WEB_UPSTREAM": f"127.0.0.1:{upstream.server_address[1]}",
                "DNS_RESOLVER": "127.0.0.1",
                "HTTP_PORT": str(http_port),
                "HTTPS_PORT": str(https_port),
                "TLS_CERTIFICATE": str(certificates / "fullchain.pem"),
                "TLS_CERTIFICATE_KEY": str(certificates / "privkey.pem"),
            }
        )
    )
    main = directory / "nginx.conf"
    main.write_text(_main_config(directory, site))
    command = [nginx, "-p", str(directory), "-c", str(main)]
    check = subprocess.run([*command, "-t"], capture_output=True, text=True)
    assert check.returncode == 0, check.stderr

    process = subprocess.Popen(
        [*command, "-g", "daemon off;"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    try:
        _wait_for_port(https_port, process, directory / "error.log")
        _wait_for_port(http_port, process, directory / "error.log")
        yield Edge(http_port, https_port, certificates / "fullchain.pem", seen)
    finally:
        process.terminate()
        process.wait(timeout=30)
        upstream.shutdown()
        upstream.server_close()


class _HTTPSTo127(http.client.HTTPSConnection):
    """HTTPS to 127.0.0.1 with `server_name` as SNI and certificate name, as a
    browser resolving it to this machine would."""

    def __init__(self, server_name: str, port: int, context: ssl.SSLContext) -> None:
        super().__init__(server_name, port, context=context, timeout=30)
        self._tls = context

    def connect(self) -> None:
        raw = socket.create_connection(("127.0.0.1", self.port), self.timeout)
        self.sock = self._tls.wrap_socket(raw, server_hostname=self.host)


def https_get(
    edge: Edge, host: str, path: str, *, headers: dict[str, str] | None = None
) -> tuple[int, dict[str, Any]]:
    context = ssl.create_default_context(cafile=str(edge.cafile))
    if not (host == DOMAIN or host.endswith(f".{DOMAIN}")):
        # A custom domain has no certificate of its own here; the chain is still checked.
        context.check_hostname = False
    connection = _HTTPSTo127(host, edge.https_port, context)
    try:
        connection.request("GET", path, headers={"Host": host, **(headers or {})})
        response = connection.getresponse()
        return response.status, json.loads(response.read())
    finally:
        connection.close()


def test_the_root_domain_reaches_the_web_upstream_as_https(edge):
    status, seen = https_get(edge, DOMAIN, "/console/")
    assert status == 200
    assert seen == {
        "upstream": "web",
        "path": "/console/",
        "host": DOMAIN,
        "x_forwarded_proto": "https",
        "x_forwarded_for": "127.0.0.1",
    }


def test_a_regency_subdomain_reaches_the_web_upstream_with_its_host(edge):
    status, seen = https_get(edge, f"lebak.{DOMAIN}", "/permits/?page=2")
    assert status == 200
    assert seen["upstream"] == "web"
    assert seen["host"] == f"lebak.{DOMAIN}"
    assert seen["path"] == "/permits/?page=2"
    assert seen["x_forwarded_proto"] == "https"


def test_a_custom_domain_is_passed_through_for_the_app_to_decide(edge):
    status, seen = https_get(edge, "layanan.lebakkab.go.id", "/")
    assert status == 200
    assert seen["host"] == "layanan.lebakkab.go.id"
    assert seen["x_forwarded_proto"] == "https"


def test_forwarded_headers_from_the_client_are_replaced(edge):
    _, seen = https_get(
        edge,
        f"dumai.{DOMAIN}",
        "/",
        headers={"X-Forwarded-Proto": "http", "X-Forwarded-For": "203.0.113.9"},
    )
    assert seen["x_forwarded_proto"] == "https"
    assert seen["x_forwarded_for"] == "127.0.0.1"


def test_plain_http_is_redirected_to_https_without_reaching_the_app(edge):
    before = len(edge.seen)
    connection = http.client.HTTPConnection("127.0.0.1", edge.http_port, timeout=30)
    try:
        connection.request("GET", "/permits/?page=2", headers={"Host": f"balangan.{DOMAIN}"})
        response = connection.getresponse()
        response.read()
    finally:
        connection.close()
    assert response.status == 301
    assert response.getheader("Location") == f"https://balangan.{DOMAIN}/permits/?page=2"
    assert len(edge.seen) == before
