"""A worker killed (SIGKILL, as an out-of-memory kill or a reboot would) in the middle of an
OCR job: the status page shows the stale job, another worker takes it and finishes it, and
the file gets its text once. Real `sti worker` processes on a file-based SQLite database with
the database task backend; the first worker's extraction is made to last (HANG=1) so that
the kill lands mid-job every time."""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]
HELPER = "sti.library.tests.killable_worker"
LEASE = 1.5


def _env(data_dir: Path, **extra) -> dict:
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("STI_", "DATABASE_URL", "REDIS_URL", "DJANGO_SETTINGS"))
    }
    env.update(
        STI_DATA_DIR=str(data_dir),
        STI_TESTING="1",  # fast password hashing; the task backend is set explicitly:
        STI_TASK_BACKEND="database",
        STI_JOB_LEASE_SECONDS=str(LEASE),
        DJANGO_SETTINGS_MODULE="sti.settings",
        PYTHONPATH=str(ROOT),
        **extra,
    )
    return env


def _run(env, *args, check=True) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, *args],
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        check=check,
    )


def _report(data_dir: Path) -> dict:
    """The job, its file and its tasks, read straight from the SQLite file (no Django start)."""
    with sqlite3.connect(data_dir / "sti.sqlite3", timeout=10) as db:
        db.row_factory = sqlite3.Row
        job = db.execute(
            "SELECT * FROM core_trackedjob WHERE kind = 'library.ingest' ORDER BY id DESC"
        ).fetchone()
        file = db.execute(
            "SELECT text, text_method FROM library_documentfile WHERE id = ?", (job["target_id"],)
        ).fetchone()
        results = db.execute(
            "SELECT status FROM django_tasks_database_dbtaskresult WHERE task_path = ?",
            ("sti.library.tasks.ingest_file",),
        ).fetchall()
    lease = job["lease_until"]
    return {
        **dict(job),
        "stale": job["state"] == "running"
        and lease is not None
        and datetime.fromisoformat(lease).replace(tzinfo=UTC) < datetime.now(UTC),
        "text": file["text"],
        "text_method": file["text_method"],
        "results": sorted(row["status"] for row in results),
    }


def test_a_killed_worker_s_ocr_job_is_finished_by_another_worker_once(tmp_path):
    data = tmp_path / "data"
    env = _env(data)
    _run(env, "-m", "sti.cli", "migrate", "-v", "0")
    made = json.loads(_run(env, "-m", HELPER, "setup").stdout.strip().splitlines()[-1])
    working = "Đang nhận dạng ký tự" if made["ocr"] else "Đang trích xuất"

    # Worker 1 takes the job and is killed in the middle of it.
    first = subprocess.Popen(
        [sys.executable, "-m", HELPER, "worker", "--interval", "0.2"],
        env={**env, "HANG": "1"},
        cwd=ROOT,
        start_new_session=True,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 40
        while True:
            seen = _report(data)
            if seen["state"] == "running" and working in seen["message"]:
                break
            assert time.monotonic() < deadline, seen
            time.sleep(0.2)
    finally:
        os.killpg(first.pid, signal.SIGKILL)  # the worker and any OCR child: no clean-up
        first.wait(10)
    assert seen["worker"].endswith(f":{first.pid}") and seen["attempts"] == 1

    # Its lease runs out: the job is stale, and the status page says so (an error).
    time.sleep(LEASE + 0.5)
    stale = _report(data)
    assert stale["state"] == "running" and stale["stale"] and stale["text"] == ""
    status = _run(env, "-m", "sti.cli", "status", check=False)
    assert status.returncode == 1, status.stdout
    line = next(line for line in status.stdout.splitlines() if "bao-cao-quet.pdf" in line)
    assert line.startswith("XX") and f":{first.pid}" in line

    # Another worker starts, takes the job again and finishes it.
    second = _run(env, "-m", HELPER, "worker", "--batch")
    done = _report(data)
    assert done["state"] == "done", (done, second.stderr[-2000:])
    assert done["attempts"] == 2 and not done["worker"].endswith(f":{first.pid}")
    assert done["text_method"] == ("ocr" if made["ocr"] else "pdf_text")
    assert "Cần Thơ" in done["text"] or "lúa" in done["text"]
    # The dead worker's task is closed as failed, the second one succeeded.
    assert done["results"] == ["FAILED", "SUCCESSFUL"]
    # The file's text was written once, by the second worker.
    writes = (tmp_path / "data" / "text-writes.log").read_text().split()
    assert len(writes) == 2 and writes[0] == str(made["file"]) and writes[1] != str(first.pid)
    status = _run(env, "-m", "sti.cli", "status", check=False)
    assert "bao-cao-quet.pdf" not in status.stdout
