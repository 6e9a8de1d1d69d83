"""Load benchmark: 50 simulated users against `sti serve` on the demo data (locust, headless).

    python bench/load.py [--users 50] [--seconds 60] [--page-seconds 10] [--data DIR]
    sti bench load --seconds 30

A throw-away data folder gets what `sti demo` sets up (migrations, sample data, search
index); `sti serve` is started on a free port of 127.0.0.1 with it (workers and threads from
STI_WEB_WORKERS / STI_WEB_THREADS, else its defaults) and stopped at the end. Nothing but
the loopback address is ever contacted.

Phase 1, simulated users: `--users` visitors, each opening home, search, the library list,
a document page, the task list and an API list in random order with 0.5–1.5 s between
pages, for `--seconds`. Phase 2, without pause: for each page alone, `--users` connections
asking again as soon as answered, for `--page-seconds` each. Each phase prints requests/s,
p50/p95/p99 (ms) and errors per page and overall. Goals on a 2-core machine: no error, p95
under 300 ms in phase 1, at least 150 requests/s on every page in phase 2. The last line is
one JSON object with the figures.
"""

# gevent's monkey patching (locust) must come before anything imports ssl, socket or threads.
from locust import HttpUser, between, constant, task  # isort: skip
from locust.env import Environment  # isort: skip

import argparse  # noqa: E402
import json  # noqa: E402
import os  # noqa: E402
import random  # noqa: E402
import re  # noqa: E402
import shutil  # noqa: E402
import socket  # noqa: E402
import subprocess  # noqa: E402
import sys  # noqa: E402
import tempfile  # noqa: E402
import time  # noqa: E402
import urllib.request  # noqa: E402
from pathlib import Path  # noqa: E402

import gevent  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))
HOST = "127.0.0.1"
GOAL_P95_MS = 300
GOAL_RPS = 150


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--users", type=int, default=50, help="simulated users / connections")
    parser.add_argument("--seconds", type=float, default=60, help="phase 1 length (default 60)")
    parser.add_argument(
        "--page-seconds", type=float, default=10, help="phase 2 length per page (default 10)"
    )
    parser.add_argument("--query", default="lúa", help="the search page's query")
    parser.add_argument("--keep", action="store_true", help="keep the data folder (printed)")
    parser.add_argument(
        "--data",
        help="a data folder prepared before (bench/pages.py --keep, or --keep here): skips "
        "the set-up, which takes minutes on a busy machine",
    )
    parser.add_argument(
        "--start-timeout", type=float, default=180, help="seconds sti serve may take to answer"
    )
    return parser.parse_args(argv)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind((HOST, 0))
        return probe.getsockname()[1]


def sti(*args: str, env: dict, **kwargs) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "sti.cli", *args], env=env, cwd=ROOT, check=True, **kwargs
    )


def prepare(data_dir: Path, prepared: bool = False) -> dict:
    """The environment of a demo on `data_dir`, set up as `sti demo` does (unless
    `prepared`)."""
    env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "REDIS_URL"}}
    env.update(
        STI_DATA_DIR=str(data_dir),
        DJANGO_SETTINGS_MODULE="sti.settings",
        STI_TASK_BACKEND="immediate",
        PYTHONPATH=str(ROOT),
    )
    if prepared:
        return env
    started = time.perf_counter()
    print("Migrating, loading the demo data, building the search index…", flush=True)
    quiet = {"stdout": subprocess.DEVNULL}
    sti("migrate", "--no-input", "-v", "0", env=env, **quiet)
    sti("loaddemo", env=env, stderr=subprocess.DEVNULL, **quiet)
    sti("reindex", env=env, stderr=subprocess.DEVNULL, **quiet)
    print(f"Demo data ready in {time.perf_counter() - started:.1f} s", flush=True)
    return env


def get(url: str, timeout: float = 5) -> str:
    with urllib.request.urlopen(url, timeout=timeout) as response:  # noqa: S310 (loopback)
        return response.read().decode("utf-8", "replace")


def start_server(env: dict, port: int, log_path: Path, timeout: float) -> subprocess.Popen:
    log = open(log_path, "wb")  # noqa: SIM115 (closed with the process)
    server = subprocess.Popen(
        [sys.executable, "-m", "sti.cli", "serve", "--port", str(port), "--host", HOST],
        env=env,
        cwd=ROOT,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise SystemExit(f"sti serve stopped at start-up (log: {log_path})")
        try:
            get(f"http://{HOST}:{port}/", timeout=5)
            return server
        except OSError:
            time.sleep(0.3)
    stop_server(server)
    raise SystemExit(f"sti serve did not answer within {timeout:.0f} s (log: {log_path})")


def stop_server(server: subprocess.Popen) -> None:
    if server.poll() is None:
        server.terminate()
        try:
            server.wait(timeout=15)
        except subprocess.TimeoutExpired:
            server.kill()


def page_urls(base: str, query: str) -> dict[str, str]:
    """The pages visited; the document is the first one the library list links to."""
    from urllib.parse import urlencode

    library = get(base + "/thu-vien/")
    found = re.search(r'href="(/thu-vien/tai-lieu/\d+/)"', library)
    if not found:
        raise SystemExit("The library list links to no document: is the demo data loaded?")
    return {
        "home": "/",
        "search": "/tim-kiem/?" + urlencode({"q": query}),
        "library": "/thu-vien/",
        "document": found.group(1),
        "tasks": "/nhiem-vu/",
        "api_tasks": "/api/projects/tasks",
    }


def run_locust(base: str, user_class, users: int, seconds: float) -> tuple[dict, float]:
    """Run `users` of `user_class` for `seconds`; the stats entries by name and the time."""
    env = Environment(user_classes=[user_class], host=base)
    runner = env.create_local_runner()
    started = time.perf_counter()
    runner.start(users, spawn_rate=users)
    gevent.spawn_later(seconds, runner.quit)
    runner.greenlet.join()
    elapsed = time.perf_counter() - started
    for error in env.stats.errors.values():
        print(f"  error ×{error.occurrences} on {error.name}: {error.error}", flush=True)
    return {name: entry for (name, _method), entry in env.stats.entries.items()}, elapsed


def figures(entry, elapsed: float) -> dict:
    return {
        "requests": entry.num_requests,
        "rps": round(entry.num_requests / elapsed, 1),
        "p50_ms": entry.get_response_time_percentile(0.50) or 0,
        "p95_ms": entry.get_response_time_percentile(0.95) or 0,
        "p99_ms": entry.get_response_time_percentile(0.99) or 0,
        "errors": entry.num_failures,
    }


def print_table(title: str, rows: dict[str, dict]) -> None:
    print(f"\n{title}")
    print(
        f"{'page':<12} {'requests':>9} {'req/s':>8} {'p50 ms':>8} {'p95 ms':>8} {'p99 ms':>8} "
        f"{'errors':>7}"
    )
    for name, row in rows.items():
        print(
            f"{name:<12} {row['requests']:>9} {row['rps']:>8.1f} {row['p50_ms']:>8.0f} "
            f"{row['p95_ms']:>8.0f} {row['p99_ms']:>8.0f} {row['errors']:>7}",
            flush=True,
        )


def simulated_users(base: str, urls: dict[str, str], users: int, seconds: float) -> dict:
    names = list(urls)

    class Visitor(HttpUser):
        wait_time = between(0.5, 1.5)

        @task
        def visit(self):
            name = random.choice(names)
            self.client.get(urls[name], name=name)

    print(f"\nPhase 1: {users} simulated users for {seconds:.0f} s…", flush=True)
    entries, elapsed = run_locust(base, Visitor, users, seconds)
    rows = {name: figures(entries[name], elapsed) for name in names if name in entries}
    total = entries.get("Aggregated")
    if total is None:
        from locust.stats import StatsEntry

        total = StatsEntry(None, "Aggregated", None)
        for name in names:
            if name in entries:
                total.extend(entries[name])
    rows["overall"] = figures(total, elapsed)
    print_table(f"Simulated users ({elapsed:.0f} s)", rows)
    return rows


def without_pause(base: str, urls: dict[str, str], users: int, seconds: float) -> dict:
    rows = {}
    print(f"\nPhase 2: {users} connections without pause, {seconds:.0f} s per page…", flush=True)
    for name, url in urls.items():

        class Hammer(HttpUser):
            wait_time = constant(0)

            @task
            def visit(self, url=url, name=name):
                self.client.get(url, name=name)

        entries, elapsed = run_locust(base, Hammer, users, seconds)
        rows[name] = figures(entries[name], elapsed) if name in entries else figures_empty()
        row = rows[name]
        print(
            f"  {name:<12} {row['rps']:7.1f} req/s  p95 {row['p95_ms']:.0f} ms  "
            f"errors {row['errors']}",
            flush=True,
        )
    print_table("Without pause", rows)
    return rows


def figures_empty() -> dict:
    return {"requests": 0, "rps": 0.0, "p50_ms": 0, "p95_ms": 0, "p99_ms": 0, "errors": 0}


def main(argv=None) -> int:
    args = parse_args(argv)
    data_dir = Path(args.data or tempfile.mkdtemp(prefix="sti-bench-load-"))
    server = None
    try:
        env = prepare(data_dir, prepared=bool(args.data))
        from sti.cli import server_size

        workers, threads = server_size()
        port = free_port()
        base = f"http://{HOST}:{port}"
        print(f"Starting sti serve on {base} ({workers} workers × {threads} threads)…", flush=True)
        server = start_server(env, port, data_dir / "server.log", args.start_timeout)
        urls = page_urls(base, args.query)
        for url in urls.values():  # warm every worker's caches a little
            for _ in range(workers):
                get(base + url, timeout=30)
        phase1 = simulated_users(base, urls, args.users, args.seconds)
        phase2 = without_pause(base, urls, args.users, args.page_seconds)
        overall = phase1["overall"]
        errors = overall["errors"] + sum(row["errors"] for row in phase2.values())
        worst_p95 = max(row["p95_ms"] for name, row in phase1.items() if name != "overall")
        lowest_rps = min(row["rps"] for row in phase2.values())
        met = errors == 0 and worst_p95 < GOAL_P95_MS and lowest_rps >= GOAL_RPS
        print(
            f"\nErrors {errors}; worst page p95 with simulated users {worst_p95:.0f} ms "
            f"(goal < {GOAL_P95_MS}); lowest req/s without pause {lowest_rps:.1f} "
            f"(goal ≥ {GOAL_RPS}): {'met' if met else 'NOT met'}",
            flush=True,
        )
        summary = {
            "bench": "load",
            "users": args.users,
            "seconds": args.seconds,
            "page_seconds": args.page_seconds,
            "cores": os.cpu_count(),
            "workers": workers,
            "threads": threads,
            "errors": errors,
            "worst_p95_ms": worst_p95,
            "lowest_rps_without_pause": lowest_rps,
            "goals_met": met,
            "simulated_users": phase1,
            "without_pause": phase2,
        }
        print(json.dumps(summary, ensure_ascii=False), flush=True)
        return 0 if errors == 0 else 1
    finally:
        if server is not None:
            stop_server(server)
        if args.keep or args.data:
            print(f"Data kept in {data_dir}", file=sys.stderr)
        else:
            shutil.rmtree(data_dir, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
