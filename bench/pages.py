"""Page benchmark: server time of the list pages on the demo data, anonymous and as an editor.

    python bench/pages.py [--repeat 60] [--warmup 5]
    sti bench pages --repeat 100

A throw-away data folder (SQLite, search index) gets what `sti demo` sets up: migrations, the
sample data (`sti loaddemo`) and the search index (`sti reindex`). Each page is then asked
for through Django's test client (the whole request: middleware, view, template, no network)
`--repeat` times after `--warmup` unmeasured requests, once as an anonymous visitor and once
logged in as the demo editor, with the anonymous page cache off; then as the page cache
serves anonymous visitors ("cached", CPU time only in the table). A page that does not answer 200 is an error. The table gives
the median and the 95th percentile in milliseconds, the median CPU time of this process (on
a machine shared with other work the wall time is inflated, the CPU time much less) and the
queries of one request; the target is a median under 20 ms on every list page. `--data`
reuses a folder a run with `--keep` prepared, so two versions of the code can be measured
side by side on the same data. The last line is one JSON object with the figures.
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
EDITOR_ONLY = "*"  # a page name starting so is measured as the editor only


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
        ("news", "/tin-tuc/"),
        ("training", "/dao-tao/"),
        # Lists for signed-in users only: measured as the editor (anonymous visitors are
        # sent to the login page).
        (EDITOR_ONLY + "requests", "/yeu-cau-dich-vu/"),
        (EDITOR_ONLY + "proposals", "/nhiem-vu/de-xuat/"),
        ("api_tasks", "/api/projects/tasks"),
        ("api_organizations", "/api/directory/organizations"),
    ]
    return [(name, url) for name, url in listed if url]


def measure(client, url: str, repeat: int, warmup: int) -> dict:
    """Wall time and CPU time of `repeat` requests (CPU time: this process only, so other
    work on a shared machine inflates it far less than the wall time), and the queries."""
    from django.db import connection

    errors = 0
    for _ in range(warmup):
        client.get(url)
    queries = []

    def count(execute, sql, params, many, context):
        queries.append(sql)
        return execute(sql, params, many, context)

    with connection.execute_wrapper(count):
        client.get(url)
    wall, cpu = [], []
    for _ in range(repeat):
        started, started_cpu = time.perf_counter(), time.process_time()
        response = client.get(url)
        cpu.append((time.process_time() - started_cpu) * 1000)
        wall.append((time.perf_counter() - started) * 1000)
        if response.status_code != 200:
            errors += 1
    return {
        "median_ms": round(statistics.median(wall), 2),
        "p95_ms": percentile(wall, 0.95),
        "cpu_median_ms": round(statistics.median(cpu), 2),
        "cpu_p95_ms": percentile(cpu, 0.95),
        "queries": len(queries),
        "errors": errors,
    }


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return round(ordered[min(len(ordered) - 1, int(fraction * len(ordered)))], 2)


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
        from django.conf import settings

        page_cache = getattr(settings, "PAGE_CACHE_SECONDS", None)
        # "anonymous" and "editor" measure the rendering (the page cache off); "cached" the
        # anonymous page as the page cache serves it (sti.core.pagecache), when there is one.
        personas = [("anonymous", anonymous, 0), ("editor", editor, 0)]
        if page_cache is not None:
            personas.insert(1, ("cached", anonymous, 60))
        for persona, client, seconds in personas:
            if page_cache is not None:
                settings.PAGE_CACHE_SECONDS = seconds
            for name, url in targets:
                if name.startswith(EDITOR_ONLY) and persona == "anonymous":
                    continue
                if name.startswith(EDITOR_ONLY) and persona == "cached":
                    continue
                figures = measure(client, url, args.repeat, args.warmup)
                results.setdefault(name, {"url": url})[persona] = figures
                print(
                    f"  {persona:<9} {name:<18} median {figures['median_ms']:7.2f} ms"
                    f" (CPU {figures['cpu_median_ms']:6.2f})  p95 {figures['p95_ms']:7.2f} ms"
                    f"  {figures['queries']:3d} queries",
                    flush=True,
                )
        print()
        print(
            f"{'page':<18} {'anon med':>9} {'anon p95':>9} {'anon CPU':>9} {'ed med':>8} "
            f"{'ed p95':>8} {'ed CPU':>8} {'queries a/e':>12} {'cached CPU':>11}"
        )
        for name, row in results.items():
            a, e, c = row.get("anonymous"), row["editor"], row.get("cached")
            anonymous_cells = (
                f"{a['median_ms']:9.2f} {a['p95_ms']:9.2f} {a['cpu_median_ms']:9.2f}"
                if a
                else f"{'–':>9} {'–':>9} {'–':>9}"
            )
            print(
                f"{name:<18} {anonymous_cells} "
                f"{e['median_ms']:8.2f} {e['p95_ms']:8.2f} {e['cpu_median_ms']:8.2f} "
                f"{a['queries'] if a else '–':>6}/{e['queries']:<5} "
                f"{c['cpu_median_ms'] if c else '–':>11}"
            )
        measured = [
            (n, p, row[p]) for n, row in results.items() for p in row if p not in ("url", "cached")
        ]
        slowest = max((f["median_ms"], n, p) for n, p, f in measured)
        slowest_cpu = max((f["cpu_median_ms"], n, p) for n, p, f in measured)
        errors = sum(row[p]["errors"] for row in results.values() for p in row if p != "url")
        for label, (value, name, persona) in (("wall", slowest), ("CPU", slowest_cpu)):
            verdict = "met" if value < TARGET_MS else "NOT met"
            print(
                f"Slowest median ({label} time): {name} ({persona}) {value:.2f} ms; "
                f"target under {TARGET_MS:.0f} ms: {verdict}"
            )
        print(f"Errors: {errors}", flush=True)
        summary = {
            "bench": "pages",
            "repeat": args.repeat,
            "target_ms": TARGET_MS,
            "slowest_median_ms": slowest[0],
            "slowest_cpu_median_ms": slowest_cpu[0],
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
