"""Jobs across machines: the RQ backend on Redis with two `sti worker` processes at once. An OCR
job is taken by worker A, which is killed (SIGKILL, with its work horse) in the middle of it;
worker B, alive all along, notices the expired lease with its reaper, enqueues the task again
on Redis, takes it and finishes it; the file's text is written once, by B. Real processes,
real Redis, a file-based SQLite database shared by the processes (as PostgreSQL would be
across hosts). Skipped, saying so, when no Redis server answers at STI_TEST_REDIS_URL
(default redis://127.0.0.1:6379/13; that Redis database is emptied by the test)."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from sti.library.tests.test_worker_kill import HELPER, LEASE, ROOT, _env, _report, _run

REDIS_URL = os.environ.get("STI_TEST_REDIS_URL", "redis://127.0.0.1:6379/13")


def _redis():
    import redis

    client = redis.Redis.from_url(REDIS_URL, socket_connect_timeout=2)
    try:
        client.ping()
    except redis.RedisError as error:
        pytest.skip(f"Redis not reachable at {REDIS_URL} ({error}): the RQ path is not tested")
    return client


def _worker(env, *, hang: bool) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-m", HELPER, "worker", "--reap-interval", "0.5", "--no-periodic"],
        env={**env, "HANG": "1" if hang else "0"},
        cwd=ROOT,
        start_new_session=True,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )


def _stop(process: subprocess.Popen, sig=signal.SIGTERM) -> str:
    if process.poll() is None:
        os.killpg(process.pid, sig)
    try:
        _out, err = process.communicate(timeout=20)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        _out, err = process.communicate(timeout=10)
    return err or ""


def _wait(data: Path, until, what: str, seconds: float = 150) -> dict:
    deadline = time.monotonic() + seconds
    while True:
        seen = _report(data)
        if until(seen):
            return seen
        brief = {key: seen[key] for key in ("state", "worker", "attempts", "message", "error")}
        assert time.monotonic() < deadline, (what, brief)
        time.sleep(0.2)


def test_rq_two_workers_a_killed_worker_s_job_is_finished_by_the_other_once(tmp_path):
    client = _redis()
    client.flushdb()
    data = tmp_path / "data"
    env = {**_env(data), "STI_TASK_BACKEND": "rq", "REDIS_URL": REDIS_URL}
    _run(env, "-m", "sti.cli", "migrate", "-v", "0")
    made = json.loads(_run(env, "-m", HELPER, "setup").stdout.strip().splitlines()[-1])
    # The upload's commit put the task on the Redis queue (not in the database queue).
    queued = [
        client.hget(f"rq:job:{key.decode()}", "description") or b""
        for key in client.lrange("rq:queue:default", 0, -1)
    ]
    assert any(b"ingest_file" in description for description in queued), queued
    working = "Đang nhận dạng ký tự" if made["ocr"] else "Đang trích xuất"

    first = _worker(env, hang=True)
    second = None
    try:
        seen = _wait(
            data,
            lambda job: job["state"] == "running" and working in job["message"],
            "worker A takes the job",
        )
        assert seen["attempts"] == 1
        # Worker B starts while A works: the job is A's (its lease is renewed), B leaves it.
        second = _worker(env, hang=False)
        time.sleep(LEASE + 1.0)
        held = _report(data)
        assert held["state"] == "running" and held["worker"] == seen["worker"], held

        # A host lost: worker A and its work horse (RQ runs each job in a forked child of its
        # own process group, the pid the job records) are killed, with no clean-up at all.
        horse = int(seen["worker"].rsplit(":", 1)[1])
        assert horse != first.pid
        os.killpg(first.pid, signal.SIGKILL)
        os.killpg(horse, signal.SIGKILL)
        first.wait(10)
        try:
            done = _wait(data, lambda job: job["state"] in ("done", "failed"), "worker B finishes")
        except AssertionError:
            raise AssertionError(_stop(second)[-3000:]) from None
        assert done["state"] == "done", done
        assert done["attempts"] == 2 and done["worker"] != seen["worker"]
        assert done["text_method"] == ("ocr" if made["ocr"] else "pdf_text")
        assert "Cần Thơ" in done["text"] or "lúa" in done["text"]
        # Written once, by worker B's process (not by A, whose work never ended).
        writes = (data / "text-writes.log").read_text().split()
        assert len(writes) == 2 and writes[0] == str(made["file"])
        assert done["worker"].endswith(f":{writes[1]}")
        # B goes on with what the text enqueued (indexing): the queue drains; B stays alive.
        deadline = time.monotonic() + 120
        while client.llen("rq:queue:default") and time.monotonic() < deadline:
            time.sleep(0.5)
        assert client.llen("rq:queue:default") == 0
        assert second.poll() is None
    finally:
        if first.poll() is None:
            os.killpg(first.pid, signal.SIGKILL)
            first.wait(10)
        if seen_horse := locals().get("horse"):
            try:
                os.killpg(seen_horse, signal.SIGKILL)
            except ProcessLookupError:
                pass
        if second is not None:
            errors = _stop(second)
            assert "Traceback" not in errors or "LeaseLost" in errors, errors[-3000:]
        client.flushdb()
