"""A real platform for the browser tests: `sti demo` (migrate, sample data, search index, web
server and its task worker) on a fresh data folder and a free loopback port."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

READY_BANNER = "đang chạy tại"  # printed by `sti demo` once its web server and worker start
START_TIMEOUT_S = 420  # migrate + sample data + index on a busy 2-core machine take ~1.5 min


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _answers(url: str) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return response.status == 200
    except (urllib.error.URLError, OSError):
        return False


class DemoServer:
    """`sti demo` in its own process group, its output in `log_path`."""

    def __init__(self, data_dir: Path, log_path: Path, port: int | None = None):
        self.port = port or free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.data_dir, self.log_path = data_dir, log_path
        self.process: subprocess.Popen | None = None

    def start(self) -> None:
        env = {
            **os.environ,
            # The real settings (tasks in the database, run by the worker), not the test settings
            # pytest-django loaded in this process.
            "DJANGO_SETTINGS_MODULE": "sti.settings",
            "STI_DATA_DIR": str(self.data_dir),
            "DEBUG": "false",
            # Two cores here: more web processes only compete with the browser.
            "STI_WEB_WORKERS": os.environ.get("STI_WEB_WORKERS", "2"),
            "PYTHONUNBUFFERED": "1",
        }
        env.pop("STI_TESTING", None)  # set by the test settings on import (immediate tasks)
        env.pop("DATABASE_URL", None)  # the demo's own SQLite file in its data folder
        self.log_path.parent.mkdir(parents=True, exist_ok=True)
        log = self.log_path.open("wb")
        self.process = subprocess.Popen(
            [sys.executable, "-m", "sti.cli", "demo", "--port", str(self.port)],
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        deadline = time.monotonic() + START_TIMEOUT_S
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"`sti demo` stopped early:\n{self.log_tail()}")
            # The banner first: while loading its sample data, `sti demo` serves the same port
            # briefly (its partners' first harvest) before it starts the real server.
            if READY_BANNER in self._log_text() and _answers(self.url + "/"):
                return
            time.sleep(1)
        self.stop()
        raise RuntimeError(f"`sti demo` did not answer in {START_TIMEOUT_S} s:\n{self.log_tail()}")

    def stop(self) -> None:
        if self.process is None or self.process.poll() is not None:
            return
        # `sti demo` stops its web server and worker on SIGTERM; the group catches stragglers.
        self.process.send_signal(signal.SIGTERM)
        try:
            self.process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait()

    def _log_text(self) -> str:
        try:
            return self.log_path.read_text(encoding="utf-8", errors="replace")
        except OSError:
            return ""

    def log_tail(self, lines: int = 40) -> str:
        return "\n".join(self._log_text().splitlines()[-lines:])
