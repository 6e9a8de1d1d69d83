"""Fixtures of the browser tests (`make e2e`): one real platform for the session, Debian's
Chromium driven by Playwright, a page at desktop or phone width, axe-core on every page.

Environment:
  STI_E2E_URL        test an already running platform (its demo data loaded) instead of starting one
  STI_E2E_PORT       the port of the platform started here (default: a free one)
  STI_E2E_CHROMIUM   the browser (default /usr/bin/chromium; never a downloaded build)
  STI_E2E_ARTIFACTS  screenshots, axe-core results and the server's log (default artifacts/e2e)
"""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path

import pytest

from e2e.audit import Auditor
from e2e.server import DemoServer

CHROMIUM = os.environ.get("STI_E2E_CHROMIUM", "/usr/bin/chromium")
ARTIFACTS = Path(os.environ.get("STI_E2E_ARTIFACTS", "artifacts/e2e")).resolve()
VIEWPORTS = {"desktop": {"width": 1280, "height": 900}, "phone": {"width": 390, "height": 844}}
PASSWORDS = {
    "bientap": "demo-bientap",
    "nguoidung": "demo-nguoidung",
    "baocao_dhct": "demo-baocao",
    "baocao_vienlua": "demo-baocao",
}


def pytest_collection_modifyitems(items):
    here = Path(__file__).parent
    for item in items:
        if item.path.is_relative_to(here):
            item.add_marker(pytest.mark.e2e)


@pytest.fixture(scope="session")
def artifacts() -> Path:
    if ARTIFACTS.exists():
        shutil.rmtree(ARTIFACTS)
    ARTIFACTS.mkdir(parents=True)
    return ARTIFACTS


@pytest.fixture(scope="session")
def base_url(artifacts):
    if os.environ.get("STI_E2E_URL"):
        yield os.environ["STI_E2E_URL"].rstrip("/")
        return
    port = int(os.environ["STI_E2E_PORT"]) if os.environ.get("STI_E2E_PORT") else None
    with tempfile.TemporaryDirectory(prefix="sti-e2e-") as data_dir:
        server = DemoServer(Path(data_dir), artifacts / "server.log", port)
        server.start()
        try:
            yield server.url
        finally:
            server.stop()


@pytest.fixture(scope="session")
def browser():
    if not Path(CHROMIUM).exists():
        pytest.skip(f"no Chromium at {CHROMIUM} (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        # --no-sandbox: CI runs as root, where Chromium's sandbox refuses to start.
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        yield browser
        browser.close()


@pytest.fixture(params=list(VIEWPORTS), ids=list(VIEWPORTS))
def viewport(request) -> dict:
    return VIEWPORTS[request.param]


@pytest.fixture
def width(viewport) -> int:
    return viewport["width"]


@pytest.fixture
def new_page(browser, base_url, viewport):
    """`new_page()` opens a page in a fresh browser context (its own cookies: one user) at the
    test's viewport, a phone's with touch."""
    contexts = []

    def open_page():
        phone = viewport["width"] < 600
        context = browser.new_context(
            base_url=base_url, viewport=viewport, locale="vi-VN", is_mobile=phone, has_touch=phone
        )
        context.set_default_timeout(30_000)
        contexts.append(context)
        return context.new_page()

    yield open_page
    for context in contexts:
        context.close()


@pytest.fixture
def audit(request, artifacts, width) -> Auditor:
    return Auditor(artifacts, request.node.originalname, width)


@pytest.fixture
def login(audit):
    """`login(page, username)`: signs in through the login page (audited too)."""

    def sign_in(page, username: str):
        page.goto("/tai-khoan/dang-nhap/")
        audit(page, f"login {username}")
        page.get_by_label("Tên đăng nhập").fill(username)
        page.get_by_label("Mật khẩu").fill(PASSWORDS[username])
        page.get_by_role("main").get_by_role("button", name="Đăng nhập").click()
        page.wait_for_url(lambda url: "/dang-nhap/" not in url)
        return page

    return sign_in
