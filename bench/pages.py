"""Page benchmark: server time of the list pages on the demo data, anonymous and as an editor.

    python bench/pages.py [--repeat 60] [--warmup 5]
    sti bench pages --repeat 100

A throw-away data folder (SQLite, search index) gets what `sti demo` sets up: migrations, the
sample data (`sti loaddemo`) and the search index (`sti reindex`). Each page is then asked
for through Django's test client (the whole request: middleware, view, template, no network)
`--repeat` times after `--warmup` unmeasured requests, once as an anonymous visitor and once
logged in as the demo editor. A page that does not answer 200 is an error. The table gives
the median and the 95th percentile in milliseconds and the queries of one request; the
target is a median under 20 ms on every list page. The last line is one JSON object with the
figures.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

TARGET_MS = 20.0
EDITOR = "bientap"


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repeat", type=int, default=60, help="measured requests per page")
    parser.add_argument("--warmup", type=int, default=5, help="unmeasured requests first")
    parser.add_argument("--query", default="lúa", help="the search page's query")
    parser.add_argument("--keep", action="store_true", help="keep the data folder (printed)")
    parser.add_argument(
        "--data", help="a data folder a run with --keep prepared (skips the set-up)"
    )
    return parser.parse_args(argv)


def setup(data_dir: Path, prepared: bool = False) -> None:
    """What `sti demo` does before it serves: migrate, sample data, search index."""
    os.environ["DJANGO_SETTINGS_MODULE"] = "sti.settings"
    os.environ["STI_DATA_DIR"] = str(data_dir)
    for name in ("DATABASE_URL", "REDIS_URL", "STI_SEARCH_INDEX_DIR", "MEDIA_ROOT"):
        os.environ.pop(name, None)
    os.environ.setdefault("STI_TASK_BACKEND", "immediate")
    import django

    django.setup()
    from django.core.management import call_command

    if prepared:
        return
    started = time.perf_counter()
    print("Migrating a new SQLite database…", flush=True)
    call_command("migrate", verbosity=0)
    print("Loading the demo data…", flush=True)
    call_command("loaddemo", stdout=open(os.devnull, "w"))  # noqa: SIM115
    print("Building the search index…", flush=True)
    call_command("reindex", stdout=open(os.devnull, "w"))  # noqa: SIM115
    print(f"Demo data ready in {time.perf_counter() - started:.1f} s", flush=True)


def pages(query: str) -> list[tuple[str, str]]:
    """(name, URL) of the pages measured, found in the demo data."""
    from urllib.parse import urlencode

    from sti.library.models import Document

    document = Document.objects.visible_to(None).order_by("pk").first()
    listed = [
        ("home", "/"),
        ("search", "/tim-kiem/?" + urlencode({"q": query})),
        ("library", "/thu-vien/"),
        ("document", f"/thu-vien/tai-lieu/{document.pk}/" if document else None),
        ("tasks", "/nhiem-vu/"),
        ("organizations", "/danh-ba/to-chuc/"),
        ("researchers", "/danh-ba/nha-khoa-hoc/"),
        ("api_tasks", "/api/projects/tasks"),
        ("api_organizations", "/api/directory/organizations"),
    ]
    return [(name, url) for name, url in listed if url]


def measure(client, url: str, repeat: int, warmup: int) -> dict:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    errors = 0
    for _ in range(warmup):
        client.get(url)
    with CaptureQueriesContext(connection) as captured:
        client.get(url)
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        response = client.get(url)
        times.append((time.perf_counter() - started) * 1000)
        if response.status_code != 200:
            errors += 1
    times.sort()
    return {
        "median_ms": round(statistics.median(times), 2),
        "p95_ms": round(times[min(len(times) - 1, int(0.95 * len(times)))], 2),
        "queries": len(captured.captured_queries),
        "errors": errors,
    }


def main(argv=None) -> int:
    args = parse_args(argv)
    data_dir = Path(args.data or tempfile.mkdtemp(prefix="sti-bench-pages-"))
    try:
        setup(data_dir, prepared=bool(args.data))
        from django.contrib.auth import get_user_model
        from django.test import Client

        anonymous = Client()
        editor = Client()
        editor.force_login(get_user_model().objects.get(username=EDITOR))
        targets = pages(args.query)
        results: dict[str, dict[str, dict]] = {}
        for persona, client in (("anonymous", anonymous), ("editor", editor)):
            for name, url in targets:
                figures = measure(client, url, args.repeat, args.warmup)
                results.setdefault(name, {"url": url})[persona] = figures
                print(
                    f"  {persona:<9} {name:<18} median {figures['median_ms']:7.2f} ms"
                    f"  p95 {figures['p95_ms']:7.2f} ms  {figures['queries']:3d} queries",
                    flush=True,
                )
        print()
        print(
            f"{'page':<18} {'url':<34} {'anon med':>9} {'anon p95':>9} {'ed med':>8} "
            f"{'ed p95':>8} {'q anon/ed':>10}"
        )
        for name, row in results.items():
            a, e = row["anonymous"], row["editor"]
            print(
                f"{name:<18} {row['url'][:34]:<34} {a['median_ms']:9.2f} {a['p95_ms']:9.2f} "
                f"{e['median_ms']:8.2f} {e['p95_ms']:8.2f} {a['queries']:>5}/{e['queries']:<4}"
            )
        slowest = max(
            (row[p]["median_ms"], name, p)
            for name, row in results.items()
            for p in ("anonymous", "editor")
        )
        errors = sum(row[p]["errors"] for row in results.values() for p in ("anonymous", "editor"))
        print(
            f"\nSlowest median: {slowest[1]} ({slowest[2]}) {slowest[0]:.2f} ms; "
            f"target under {TARGET_MS:.0f} ms: {'met' if slowest[0] < TARGET_MS else 'NOT met'}; "
            f"errors: {errors}",
            flush=True,
        )
        summary = {
            "bench": "pages",
            "repeat": args.repeat,
            "target_ms": TARGET_MS,
            "slowest_median_ms": slowest[0],
            "errors": errors,
            "pages": results,
        }
        print(json.dumps(summary, ensure_ascii=False), flush=True)
        return 0 if errors == 0 else 1
    finally:
        if args.keep or args.data:
            print(f"Data kept in {data_dir}", file=sys.stderr)
        else:
            shutil.rmtree(data_dir, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
