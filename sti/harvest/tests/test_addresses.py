"""An editor cannot make the server fetch its own network (SSRF): a source whose host name
resolves to a loopback, private, link-local or reserved address is refused at registration
and at every harvest request, unless the name is listed in STI_HARVEST_PRIVATE_HOSTS."""

from __future__ import annotations

import socket

import pytest
from django.core.exceptions import ValidationError

from sti.harvest import client, jobs, services
from sti.harvest.choices import RunOutcome
from sti.harvest.models import Source

INTERNAL = [
    "http://127.0.0.1:8000/oai",
    "http://localhost/oai",
    "http://LOCALHOST./oai",
    "http://10.1.2.3/oai",
    "http://172.16.0.1/oai",
    "http://192.168.1.1/oai",
    "http://169.254.169.254/latest/meta-data",  # cloud metadata
    "http://100.64.0.1/oai",  # shared address space (carrier NAT)
    "http://0.0.0.0/oai",
    "http://240.0.0.1/oai",
    "http://[::1]/oai",
    "http://[fe80::1]/oai",
    "http://[fd00::1]/oai",
    "http://[::ffff:127.0.0.1]/oai",
    "http://2130706433/oai",  # 127.0.0.1 written as one number
]


@pytest.fixture
def no_private_hosts(settings):
    settings.STI_HARVEST_PRIVATE_HOSTS = []
    return settings


def resolving_to(monkeypatch, *addresses):
    """Let any host name resolve to `addresses` (tests never use the network's DNS)."""

    def getaddrinfo(host, port, *args, **kwargs):
        family = {4: socket.AF_INET, 6: socket.AF_INET6}
        return [
            (family[6 if ":" in a else 4], socket.SOCK_STREAM, 6, "", (a, port)) for a in addresses
        ]

    monkeypatch.setattr(socket, "getaddrinfo", getaddrinfo)


@pytest.mark.parametrize("url", INTERNAL)
def test_internal_addresses_are_refused(no_private_hosts, url):
    with pytest.raises(client.AddressRefused, match="địa chỉ nội bộ"):
        client.check_address(url)


@pytest.mark.parametrize("url", ["ftp://kho.example.vn/oai", "file:///etc/passwd", "http:///oai"])
def test_only_http_urls(no_private_hosts, url):
    with pytest.raises(client.AddressRefused, match="http:// hoặc https://"):
        client.check_address(url)


def test_every_address_of_the_name_is_checked(no_private_hosts, monkeypatch):
    resolving_to(monkeypatch, "203.113.131.1", "10.0.0.7")
    with pytest.raises(client.AddressRefused, match="10.0.0.7"):
        client.check_address("https://thuvien.example.vn/oai")
    resolving_to(monkeypatch, "203.113.131.1", "2001:ee0:4141::1")
    client.check_address("https://thuvien.example.vn/oai")  # public only: allowed


def test_a_listed_host_name_is_allowed(no_private_hosts):
    no_private_hosts.STI_HARVEST_PRIVATE_HOSTS = ["thuvien.noibo"]
    client.check_address("http://thuvien.noibo:8080/oai")  # not even resolved
    with pytest.raises(client.AddressRefused):
        client.check_address("http://127.0.0.1/oai")


def test_registration_refuses_an_internal_address_with_a_clear_message(
    db, editor, no_private_hosts
):
    with pytest.raises(ValidationError) as refused:
        services.discover_source(editor, "http://169.254.169.254/oai")
    assert "Không được thu thập từ địa chỉ nội bộ" in refused.value.messages[0]
    assert not Source.objects.exists()


def test_the_registration_page_says_why(client_for, editor, no_private_hosts):
    response = client_for(editor).post(
        "/mang-luoi/nguon/them/", {"name": "Nội bộ", "base_url": "http://192.168.0.10/oai"}
    )
    assert response.status_code == 200
    assert "Không được thu thập từ địa chỉ nội bộ" in response.content.decode()
    assert not Source.objects.exists()


def test_a_harvest_checks_the_address_again(db, no_private_hosts):
    """A source registered while its name was public that now points inside is not fetched."""
    source = Source.objects.create(
        name="Đổi địa chỉ",
        base_url="http://127.0.0.1:9/oai",
        formats_offered=[{"prefix": "oai_dc", "namespace": ""}],
        metadata_prefix="oai_dc",
    )
    with pytest.raises(client.AddressRefused):
        jobs.harvest(source)
    source.refresh_from_db()
    assert "địa chỉ nội bộ" in source.last_error
    assert source.runs.get().outcome == RunOutcome.FAILED


def test_a_redirect_is_not_followed(live_server, fast_harvest):
    """The answer is read only from the address checked: a redirect (which could lead inside)
    is reported, not followed."""
    url = f"{live_server.url}/mang-luoi"  # APPEND_SLASH answers 301 to /mang-luoi/
    with pytest.raises(client.HarvestError, match="HTTP 301.*/mang-luoi/"):
        client.discover(url)


def test_the_demo_says_which_setting_lets_it_harvest_itself(
    db, editor, no_private_hosts, monkeypatch
):
    """`sti loaddemo` without `sti demo` (which allows its own host) explains the skip."""
    from sti.harvest.sample import harvest_demo_partners

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    monkeypatch.setenv("STI_DEMO_URL", f"http://127.0.0.1:{port}")
    lines = []
    harvest_demo_partners(lines.append)
    assert "địa chỉ nội bộ" in lines[-1] and "STI_HARVEST_PRIVATE_HOSTS=127.0.0.1" in lines[-1]
    assert not Source.objects.exists()


@pytest.fixture
def loopback_partner():
    """A tiny HTTP server on 127.0.0.1 answering every request with an Identify, and the
    Host headers it was sent."""
    import threading
    from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

    hosts = []
    body = (
        b'<?xml version="1.0"?><OAI-PMH xmlns="http://www.openarchives.org/OAI/2.0/">'
        b"<responseDate>2026-01-01T00:00:00Z</responseDate><Identify><repositoryName>"
        b"Kho ghim</repositoryName></Identify></OAI-PMH>"
    )

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self):
            hosts.append(self.headers["Host"])
            self.send_response(200)
            self.send_header("Content-Type", "text/xml")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server.server_address[1], hosts
    server.shutdown()
    server.server_close()


def test_the_connection_goes_to_the_address_checked_not_a_rebound_one(
    no_private_hosts, monkeypatch, loopback_partner
):
    """DNS rebinding: the name answers a harmless address to the check, then an internal one
    to whoever asks next. The request resolves once, checks, and connects to the address it
    checked (here the test's server, taken for a public one), never asking the name again."""
    port, hosts = loopback_partner
    real_getaddrinfo = socket.getaddrinfo
    asked = []

    def getaddrinfo(host, port, *args, **kwargs):
        if host != "kho.doi-tac.test":
            return real_getaddrinfo(host, port, *args, **kwargs)
        asked.append(host)
        address = "127.0.0.1" if len(asked) == 1 else "10.255.255.1"  # rebound inside
        return [(socket.AF_INET, socket.SOCK_STREAM, 6, "", (address, port))]

    monkeypatch.setattr(socket, "getaddrinfo", getaddrinfo)
    real_internal = client._internal
    monkeypatch.setattr(client, "_internal", lambda a: str(a) != "127.0.0.1" and real_internal(a))
    url = f"http://kho.doi-tac.test:{port}/oai"
    xml, retries = client.fetch(client.client(url, timeout=3), {"verb": "Identify"})
    assert xml.findtext(f".//{client.OAI_NS}repositoryName") == "Kho ghim" and retries == 0
    assert asked == ["kho.doi-tac.test"]  # resolved once, by the check
    assert hosts == [f"kho.doi-tac.test:{port}"]  # the request still names the partner
    # The next request resolves again and is refused: the name now points inside.
    with pytest.raises(client.AddressRefused, match="10.255.255.1"):
        client.fetch(client.client(url, timeout=3), {"verb": "Identify"})
    assert hosts == [f"kho.doi-tac.test:{port}"]


def test_an_allowed_host_name_is_connected_to_by_name(no_private_hosts, loopback_partner):
    port, hosts = loopback_partner
    no_private_hosts.STI_HARVEST_PRIVATE_HOSTS = ["localhost"]
    assert client.check_address(f"http://localhost:{port}/oai") is None
    client.fetch(client.client(f"http://localhost:{port}/oai"), {"verb": "Identify"})
    assert hosts == [f"localhost:{port}"]


def test_a_pinned_https_connection_keeps_the_name_for_tls(loopback_partner):
    """The socket goes to the address checked; the name stays the connection's host, which
    urllib3 sends as the TLS server name and checks the certificate against."""
    port, _hosts = loopback_partner
    adapter = client.PinnedAdapter("127.0.0.1")
    pool = adapter.poolmanager.connection_from_url(f"https://kho.doi-tac.test:{port}/oai")
    connection = pool.ConnectionCls(host=pool.host, port=pool.port, timeout=3)
    sock = connection._new_conn()
    try:
        assert sock.getpeername() == ("127.0.0.1", port)
        assert connection.host == "kho.doi-tac.test"
    finally:
        sock.close()
