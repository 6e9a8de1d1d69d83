#!/usr/bin/env python
"""Property-based test of the REST API with schemathesis (a step of `.ci/run`).

Sets up a throwaway platform (a temporary STI_DATA_DIR: SQLite database, files and search
index, with the demo data), serves it with `sti serve` on a free loopback port, creates an
API token for the demo editor, and runs `schemathesis run` over /api/openapi.json with every
check, twice: anonymously and with the editor's token (writes included: the data folder is
thrown away). Bounded in examples per operation and in time. Exits non-zero on any 5xx,
schema violation or other failed check.

    .venv/bin/python scripts/api_fuzz.py [--max-examples N] [--max-time SECONDS]
"""

from __future__ import annotations

import argparse
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
EDITOR = "bientap"  # the demo editor (sti/accounts/sample.py)

TOKEN_SCRIPT = f"""
from django.contrib.auth import get_user_model
from sti.accounts.tokens import create_token
print(create_token(get_user_model().objects.get(username={EDITOR!r}), "schemathesis"))
"""


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def wait_for(url: str, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while True:
        try:
            with urllib.request.urlopen(url, timeout=5) as response:
                if response.status == 200:
                    return
        except OSError:
            pass
        if time.monotonic() > deadline:
            raise SystemExit(f"the server did not answer {url} within {timeout:.0f} s")
        time.sleep(0.3)


def sti(env: dict, *args: str, capture: bool = False) -> str:
    started = time.monotonic()
    result = subprocess.run(
        [str(BIN / "sti"), *args],
        env=env,
        cwd=ROOT,
        check=True,
        text=True,
        stdout=subprocess.PIPE if capture else subprocess.DEVNULL,
    )
    print(f"  sti {args[0]}: {time.monotonic() - started:.0f} s", flush=True)
    return result.stdout or ""


def schemathesis(schema_url: str, label: str, args, extra: list[str], workdir: Path) -> int:
    command = [
        str(BIN / "schemathesis"),
        "--config-file",
        str(Path(__file__).with_name("schemathesis.toml")),
        "run",
        schema_url,
        "--checks",
        "all",
        "--max-examples",
        str(args.max_examples),
        "--max-time",
        str(args.max_time),
        # One worker: with two, hypothesis' lambda-source cache races on `ast.parse`
        # ("AST constructor recursion depth mismatch"), an error of the tool, not of the API.
        "--workers",
        "1",
        "--seed",
        str(args.seed),
        "--generation-database",
        "none",
        "--request-timeout",
        "30",
        "--no-color",
        *extra,
    ]
    print(f"\n--- schemathesis ({label})", flush=True)
    started = time.monotonic()
    # In the throwaway folder: schemathesis keeps a cache of its findings in its working folder.
    code = subprocess.call(command, cwd=workdir)
    print(f"--- {label}: exit {code} in {time.monotonic() - started:.0f} s", flush=True)
    return code


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--max-examples", type=int, default=25)
    parser.add_argument("--max-time", type=int, default=35, help="per run (seconds)")
    parser.add_argument("--seed", type=int, default=9)
    parser.add_argument("--keep", action="store_true", help="keep the data folder")
    args = parser.parse_args()

    started = time.monotonic()
    data_dir = Path(tempfile.mkdtemp(prefix="sti-api-fuzz-"))
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in {"DATABASE_URL", "REDIS_URL", "DJANGO_SETTINGS_MODULE"}
    }
    env.update(
        STI_DATA_DIR=str(data_dir),
        DEBUG="false",
        WEB_CONCURRENCY="2",
        # Each schemathesis example is a request: no login throttling or e-mail.
        EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend",
        # The contract under test is the API's: a generated request line longer than the web
        # server's limit (gunicorn 4,094 bytes, nginx 8 KB in deploy/) is refused with a 414
        # before it reaches the API, which the schema cannot and need not document.
        GUNICORN_CMD_ARGS="--limit-request-line 0",
    )
    server = server_log = None
    try:
        print(f"Preparing the demo data in {data_dir}", flush=True)
        sti(env, "migrate", "--no-input", "-v", "0")
        sti(env, "loaddemo")
        sti(env, "reindex")
        token = sti(env, "shell", "-c", TOKEN_SCRIPT, capture=True).strip().splitlines()[-1]
        port = free_port()
        base = f"http://127.0.0.1:{port}"
        # The server's log goes to a file: a pipe nobody reads while the run goes on fills up
        # (every refused request logs a line) and then blocks the server's workers.
        server_log = (data_dir / "server.log").open("w+", encoding="utf-8")
        server = subprocess.Popen(
            [str(BIN / "sti"), "serve", "--port", str(port)],
            env=env,
            cwd=ROOT,
            stdout=subprocess.DEVNULL,
            stderr=server_log,
            text=True,
            start_new_session=True,
        )
        wait_for(f"{base}/api/openapi.json", 60)
        print(f"Server up on {base} after {time.monotonic() - started:.0f} s", flush=True)
        schema = f"{base}/api/openapi.json"
        codes = [
            schemathesis(schema, "anonymous", args, [], data_dir),
            schemathesis(
                schema,
                "editor token",
                args,
                ["--header", f"Authorization: Bearer {token}"],
                data_dir,
            ),
        ]
    finally:
        if server is not None:
            os.killpg(server.pid, signal.SIGTERM)
            try:
                server.wait(timeout=15)
            except subprocess.TimeoutExpired:
                os.killpg(server.pid, signal.SIGKILL)
                server.wait()
            server_log.seek(0)
            errors = server_log.read()
            server_log.close()
            tracebacks = [line for line in (errors or "").splitlines() if "Traceback" in line]
            if tracebacks:
                print(f"The server logged {len(tracebacks)} tracebacks:\n{errors[-6000:]}")
        if not args.keep:
            shutil.rmtree(data_dir, ignore_errors=True)
    print(f"API fuzzing took {time.monotonic() - started:.0f} s in all", flush=True)
    return 0 if not any(codes) else 1


if __name__ == "__main__":
    sys.exit(main())
