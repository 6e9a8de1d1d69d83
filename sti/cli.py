"""The `sti` command: run the platform and its chores.

sti demo [--port N]     migrate, load sample data, build the index, serve + worker
sti serve [--port N]    the web server (gunicorn; STI_WEB_WORKERS, STI_WEB_THREADS,
                        STI_WEB_KEEPALIVE)
sti worker [--batch]    the background task worker (takes again jobs a dead worker left)
sti reindex [TYPE ...]  rebuild the search index from the database, with a progress bar
sti createadmin         create an administrator account
sti generate --scale N  add N synthetic records for benchmarks
sti bench NAME          a benchmark in bench/: search, library, duplicates, catalogue, pages,
                        load
sti <django command>    any Django management command (migrate, shell, ...)
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

OWN_COMMANDS = {"demo", "serve", "worker"}


def _setup_env() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "sti.settings")


def _django(argv: list[str]) -> None:
    from django.core.management import execute_from_command_line

    execute_from_command_line(["sti", *argv])


def _port(argv: list[str], default: int = 8000) -> tuple[int, str]:
    port, host = default, "127.0.0.1"
    for index, arg in enumerate(argv):
        if arg == "--port" and index + 1 < len(argv):
            port = int(argv[index + 1])
        elif arg.startswith("--port="):
            port = int(arg.split("=", 1)[1])
        elif arg == "--host" and index + 1 < len(argv):
            host = argv[index + 1]
    return port, host


def _cores() -> int:
    """CPU cores this process may use (the container's share where one is set)."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except (AttributeError, OSError):
        return max(1, os.cpu_count() or 1)


def _positive_env(names: tuple[str, ...], default: int) -> int:
    """The first of the environment variables `names` that is set, as a whole number ≥ 1."""
    for name in names:
        value = os.environ.get(name, "").strip()
        if value:
            if not value.isdigit() or int(value) < 1:
                raise SystemExit(f"{name} phải là một số nguyên dương (đang là {value!r}).")
            return int(value)
    return default


def server_size() -> tuple[int, int]:
    """(worker processes, threads per worker) of the web server: STI_WEB_WORKERS (or the
    conventional WEB_CONCURRENCY) and STI_WEB_THREADS, by default 2 × cores + 1 processes
    (pages are rendered in Python, one core per process at a time) and 4 threads each (a
    thread waiting on the database or the disk lets another answer)."""
    from dotenv import load_dotenv  # as the settings do: a `.env` file fills in what is unset

    load_dotenv(Path.cwd() / ".env", override=False)
    workers = _positive_env(("STI_WEB_WORKERS", "WEB_CONCURRENCY"), min(2 * _cores() + 1, 12))
    threads = _positive_env(("STI_WEB_THREADS",), 4)
    return workers, threads


# A Unix socket path holds at most 107 bytes (sun_path, Linux).
MAX_SOCKET_PATH = 107


def _control_socket() -> list[str]:
    """gunicorn's control socket, one per data folder: by default gunicorn (≥ 23) puts it in
    the home folder, where two servers on different ports would share it."""
    from django.conf import settings

    path = Path(settings.DATA_DIR) / "gunicorn.ctl"
    if len(os.fsencode(path)) > MAX_SOCKET_PATH:
        return ["--no-control-socket"]
    return ["--control-socket", str(path)]


def _server_command(port: int, host: str, *, quiet: bool = False) -> list[str]:
    """The gunicorn command line; `quiet` leaves out its English start-up lines (`sti demo`
    prints its own Vietnamese banner), warnings and errors still show."""
    workers, threads = server_size()
    return [
        sys.executable,
        "-m",
        "gunicorn",
        "sti.wsgi:application",
        "--bind",
        f"{host}:{port}",
        "--workers",
        str(workers),
        "--threads",
        str(threads),
        "--access-logfile",
        "-",
        "--graceful-timeout",
        "5",
        # An idle keep-alive connection is closed after this many seconds. gunicorn's 2 s
        # races a client that reuses its connection a little later on a busy server (the
        # load bench saw "connection reset by peer" on a few requests in a thousand).
        "--keep-alive",
        str(_positive_env(("STI_WEB_KEEPALIVE",), 5)),
        # The application is imported once and the workers forked from it: they start in a
        # second instead of each importing Django (over a minute on a busy 2-core machine),
        # and share the memory of the code.
        "--preload",
        *(["--log-level", "warning"] if quiet else []),
        *_control_socket(),
    ]


def _worker_command() -> list[str]:
    return [sys.executable, "-m", "sti.cli", "run_worker", "--interval", "0.5"]


def _run_together(commands: list[list[str]], banner: str) -> int:
    """Run processes side by side; Ctrl-C (or one exiting) stops them all cleanly."""
    processes = [subprocess.Popen(command) for command in commands]
    print(banner, flush=True)
    stopping = False

    def stop(*_args):
        nonlocal stopping
        stopping = True

    signal.signal(signal.SIGINT, stop)
    signal.signal(signal.SIGTERM, stop)
    try:
        while not stopping and all(process.poll() is None for process in processes):
            time.sleep(0.3)
    finally:
        for process in processes:
            if process.poll() is None:
                process.send_signal(signal.SIGTERM)
        deadline = time.monotonic() + 10
        for process in processes:
            try:
                process.wait(timeout=max(0.1, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                process.kill()
        print("Đã dừng máy chủ và tiến trình nền.", flush=True)
    codes = [process.returncode or 0 for process in processes]
    return 0 if stopping else max(codes)


def demo(argv: list[str]) -> int:
    port, host = _port(argv)
    # The demo partners are served by this platform on `host`: harvesting them is allowed
    # (sti.harvest.client.check_address), here and in the server and worker started below.
    os.environ.setdefault("STI_HARVEST_PRIVATE_HOSTS", host)
    print(">> Cập nhật cơ sở dữ liệu…", flush=True)
    _django(["migrate", "--no-input", "-v", "0"])
    print(">> Nạp dữ liệu mẫu…", flush=True)
    # The demo partners are harvested from this address (sti.harvest.sample).
    os.environ.setdefault("STI_DEMO_URL", f"http://{host}:{port}")
    _django(["loaddemo"])
    print(">> Lập chỉ mục tìm kiếm…", flush=True)
    _django(["reindex"])
    print(">> Khởi động máy chủ web và tiến trình nền…", flush=True)
    url = f"http://{host}:{port}"
    banner = (
        f"\n  Nền tảng thông tin KH&CN đang chạy tại {url}\n"
        f"  Tài khoản mẫu: bientap / demo-bientap (biên tập viên), quantri / demo-quantri (quản trị)\n"
        f"  Nhấn Ctrl-C để dừng.\n"
    )
    return _run_together([_server_command(port, host, quiet=True), _worker_command()], banner)


def serve(argv: list[str]) -> int:
    port, host = _port(argv)
    os.execv(sys.executable, _server_command(port, host))
    return 0


def worker(argv: list[str]) -> int:
    _django(["run_worker", *argv])
    return 0


def bench(argv: list[str]) -> int:
    if not argv:
        print(
            "usage: sti bench search|library|duplicates|catalogue|pages|load [options]",
            file=sys.stderr,
        )
        return 2
    script = Path(__file__).resolve().parent.parent / "bench" / f"{argv[0]}.py"
    if not script.exists():
        print(f"no benchmark named {argv[0]!r} ({script})", file=sys.stderr)
        return 2
    return subprocess.call([sys.executable, str(script), *argv[1:]])


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    _setup_env()
    if not argv or argv[0] in {"-h", "--help", "help"}:
        print(__doc__)
        return 0
    command, rest = argv[0], argv[1:]
    if command == "demo":
        return demo(rest)
    if command == "serve":
        return serve(rest)
    if command == "worker":
        return worker(rest)
    if command == "bench":
        return bench(rest)
    _django(argv)
    return 0


if __name__ == "__main__":
    sys.exit(main())
