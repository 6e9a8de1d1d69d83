"""The production files in deploy/ agree with the settings and are accepted by their tools: the
nginx site passes `nginx -t` (with a throw-away certificate; skipped, saying so, without nginx
or openssl), its internal download location is the one the environment file names, its body
limit lets the platform's own upload limit speak first, and the units run the `sti` commands."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[3]
DEPLOY = ROOT / "deploy"


def _env_file() -> dict[str, str]:
    pairs = {}
    for line in (DEPLOY / "sti.env.example").read_text().splitlines():
        if line.strip() and not line.startswith("#"):
            key, _, value = line.partition("=")
            pairs[key] = value
    return pairs


def test_the_nginx_site_matches_the_environment_file():
    site = (DEPLOY / "nginx" / "sti.conf").read_text()
    env = _env_file()
    prefix = env["STI_X_ACCEL_PREFIX"]
    internal = re.search(r"location (\S+) \{\s*internal;\s*alias (\S+);", site)
    assert internal, "no internal location for X-Accel-Redirect"
    assert internal.group(1) == prefix and internal.group(2).rstrip("/") == env["MEDIA_ROOT"]
    static = re.search(r"location /static/ \{\s*alias (\S+);", site)
    assert static and static.group(1).rstrip("/") == env["STATIC_ROOT"]
    body = int(re.search(r"client_max_body_size (\d+)m;", site).group(1))
    assert body > int(env["STI_MAX_UPLOAD_MB"])
    assert "ssl_certificate " in site and "X-Forwarded-Proto $scheme" in site
    assert env["BEHIND_PROXY"] == "true"


def test_the_units_run_the_sti_commands_with_the_environment_file():
    web = (DEPLOY / "systemd" / "sti-web.service").read_text()
    worker = (DEPLOY / "systemd" / "sti-worker@.service").read_text()
    for unit in (web, worker):
        assert "EnvironmentFile=/etc/sti/sti.env" in unit
        assert f"ReadWritePaths={_env_file()['STI_DATA_DIR']}" in unit
    assert re.search(r"ExecStart=\S+/sti serve --host 127\.0\.0\.1 --port 8000", web)
    assert "server 127.0.0.1:8000;" in (DEPLOY / "nginx" / "sti.conf").read_text()
    assert re.search(r"ExecStart=\S+/sti worker$", worker, re.M)


def test_nginx_accepts_the_site(tmp_path):
    nginx, openssl = shutil.which("nginx"), shutil.which("openssl")
    if not nginx or not openssl:
        pytest.skip("nginx or openssl not installed: the site's syntax is not checked")
    subprocess.run(
        [openssl, "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-subj", "/CN=t"]
        + ["-keyout", str(tmp_path / "k.pem"), "-out", str(tmp_path / "c.pem")],
        check=True,
        capture_output=True,
    )
    site = (DEPLOY / "nginx" / "sti.conf").read_text()
    site = re.sub(r"ssl_certificate\s+(\S+);", f"ssl_certificate {tmp_path / 'c.pem'};", site)
    site = re.sub(
        r"ssl_certificate_key\s+(\S+);", f"ssl_certificate_key {tmp_path / 'k.pem'};", site
    )
    (tmp_path / "site.conf").write_text(site)
    (tmp_path / "nginx.conf").write_text(
        f"pid {tmp_path}/nginx.pid;\nerror_log {tmp_path}/error.log;\nevents {{}}\n"
        f"http {{\n  access_log off;\n  include {tmp_path}/site.conf;\n}}\n"
    )
    checked = subprocess.run(
        [nginx, "-t", "-c", str(tmp_path / "nginx.conf")], capture_output=True, text=True
    )
    assert checked.returncode == 0, checked.stderr
