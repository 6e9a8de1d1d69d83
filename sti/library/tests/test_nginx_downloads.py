"""Downloads through the real nginx site of deploy/ (TLS, X-Accel-Redirect): the platform
checks access and names the blob, nginx sends the bytes, ranges included; a refused file is
the platform's 404 and the internal location cannot be asked for directly. nginx runs on a
loopback port in front of the test's live server. Skipped, saying so, without nginx/openssl."""

from __future__ import annotations

import os
import re
import shutil
import signal
import socket
import ssl
import subprocess
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from sti.library import services
from sti.library.choices import AccessLevel
from sti.library.tests.conftest import docx_bytes, upload

SITE = Path(__file__).resolve().parents[3] / "deploy" / "nginx" / "sti.conf"


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def nginx(tmp_path, live_server, settings):
    binary, openssl = shutil.which("nginx"), shutil.which("openssl")
    if not binary or not openssl:
        pytest.skip("nginx or openssl not installed: downloads through nginx are not tested")
    subprocess.run(
        [openssl, "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-subj", "/CN=t"]
        + ["-keyout", str(tmp_path / "k.pem"), "-out", str(tmp_path / "c.pem")],
        check=True,
        capture_output=True,
    )
    http, https = _free_port(), _free_port()
    upstream = live_server.url.removeprefix("http://")
    site = SITE.read_text()
    site = re.sub(r"ssl_certificate\s+\S+;", f"ssl_certificate {tmp_path / 'c.pem'};", site)
    site = re.sub(r"ssl_certificate_key\s+\S+;", f"ssl_certificate_key {tmp_path / 'k.pem'};", site)
    site = re.sub(r"server 127\.0\.0\.1:8000;", f"server {upstream};", site)
    site = re.sub(r"listen (\[::\]:)?80;", f"listen 127.0.0.1:{http};", site, count=1)
    site = re.sub(r"\n\s*listen \[::\]:80;", "", site)
    site = re.sub(r"listen 443 ssl http2;", f"listen 127.0.0.1:{https} ssl http2;", site)
    site = re.sub(r"\n\s*listen \[::\]:443 ssl http2;", "", site)
    site = site.replace("alias /var/lib/sti/files/;", f"alias {settings.MEDIA_ROOT}/;")
    (tmp_path / "site.conf").write_text(site)
    user = "user root;\n" if os.geteuid() == 0 else ""  # workers read the test's own folder
    (tmp_path / "nginx.conf").write_text(
        f"{user}daemon off;\npid {tmp_path}/nginx.pid;\nerror_log {tmp_path}/error.log;\n"
        f"events {{}}\nhttp {{\n  access_log off;\n  include {tmp_path}/site.conf;\n}}\n"
    )
    process = subprocess.Popen(
        [binary, "-c", str(tmp_path / "nginx.conf"), "-p", str(tmp_path)],
        stderr=subprocess.PIPE,
        start_new_session=True,
    )
    deadline = time.monotonic() + 10
    while True:
        try:
            socket.create_connection(("127.0.0.1", https), timeout=0.5).close()
            break
        except OSError:
            assert process.poll() is None, process.stderr.read()
            assert time.monotonic() < deadline, "nginx did not start"
            time.sleep(0.1)
    settings.STI_X_ACCEL_PREFIX = "/_files/"
    yield f"https://127.0.0.1:{https}"
    os.killpg(process.pid, signal.SIGTERM)
    process.wait(10)


def _get(url: str, **headers):
    context = ssl.create_default_context()
    context.check_hostname, context.verify_mode = False, ssl.CERT_NONE
    request = urllib.request.Request(url, headers={"Host": "localhost", **headers})
    try:
        with urllib.request.urlopen(request, context=context, timeout=20) as response:
            return response.status, dict(response.headers), response.read()
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), error.read()


@pytest.mark.django_db(transaction=True)
def test_nginx_sends_the_allowed_file_with_ranges_and_refuses_the_rest(
    nginx, live_server, make_document, editor, run_on_commit, media_root
):
    content = docx_bytes("Báo cáo tuyến đường Cờ Đỏ")
    files = {}
    for key, access in (("public", AccessLevel.PUBLIC), ("staff", AccessLevel.STAFF)):
        document = make_document(f"Báo cáo {key}", access=access)
        with run_on_commit():
            files[key] = services.add_file(editor, document, upload(f"{key}.docx", content))

    # The platform alone answers with an empty body naming the blob…
    direct = urllib.request.urlopen(f"{live_server.url}/thu-vien/tep/{files['public'].pk}/")
    sha = files["public"].sha256
    assert direct.headers["X-Accel-Redirect"] == f"/_files/{sha[:2]}/{sha[2:4]}/{sha}"
    assert direct.read() == b""
    # …which nginx turns into the file.
    status, headers, body = _get(f"{nginx}/thu-vien/tep/{files['public'].pk}/")
    assert status == 200 and body == content
    assert "X-Accel-Redirect" not in headers  # nginx consumed it
    assert headers["Content-Type"] == files["public"].mime_type
    assert "public.docx" in headers["Content-Disposition"]
    assert headers["X-Content-Type-Options"] == "nosniff"

    status, headers, body = _get(f"{nginx}/thu-vien/tep/{files['public'].pk}/", Range="bytes=0-9")
    assert status == 206 and body == content[:10]
    assert headers["Content-Range"] == f"bytes 0-9/{len(content)}"

    status, _headers, body = _get(f"{nginx}/thu-vien/tep/{files['staff'].pk}/")
    assert status == 404 and body != content
    status, _headers, body = _get(f"{nginx}/_files/{sha[:2]}/{sha[2:4]}/{sha}")
    assert status == 404 and body != content  # the internal location is not public
