"""Harvester benchmark: records harvested per second from a local partner over HTTP, and the
union catalogue's search page p95 with local and harvested records.

    python bench/harvest.py [--records 5000] [--page-size 50] [--local 20000]
                            [--harvested 20000] [--queries 200] [--port 8180]
    sti bench harvest --records 2000 --local 0

Steps, in a throw-away data folder (SQLite + tantivy index, removed afterwards):
1. migrate; N records in a demo partner repository (`sti.harvest.sample.partner_records`);
2. a second process serves the platform (threaded WSGI) on 127.0.0.1:PORT; a source is
   registered on its partner endpoint through discovery and harvested in full (pages of
   --page-size), timed end to end: HTTP, parsing, writing, clustering, indexing;
3. --local documents (`sti.library.sample.generate`) and --harvested union-catalogue records
   written straight to the database, reindexed, then `/mang-luoi/?q=…` (both kinds, "nguồn"
   facet) through the Django test client: p50/p95 over --queries queries after a warm-up.

The last line of output is one JSON object with the figures.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))
QUERIES = [
    "lúa chịu mặn",
    "tom cang xanh",
    "xâm nhập mặn",
    "khóm VietGAP",
    "xoài",
    "rơm rạ",
    "cá tra",
    "rừng tràm",
    "năng lượng mặt trời",
    "IoT độ mặn",
    "phan bon huu co",
    "du lịch sinh thái",
    "chuyển đổi số",
    "sạt lở",
    "truy xuất nguồn gốc",
    "Sóc Trăng",
    "An Giang",
    "nghien cuu",
    "mô hình",
    "giải pháp phát triển",
]


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--records", type=int, default=5000)
    parser.add_argument("--page-size", type=int, default=50)
    parser.add_argument("--local", type=int, default=20_000)
    parser.add_argument("--harvested", type=int, default=20_000)
    parser.add_argument("--queries", type=int, default=200)
    parser.add_argument("--port", type=int, default=8180)
    parser.add_argument("--profile", action="store_true", help="cProfile the harvest")
    parser.add_argument("--serve", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--data-dir", help=argparse.SUPPRESS)
    return parser.parse_args(argv)


def setup_django(data_dir: Path, page_size: int) -> None:
    os.environ["DJANGO_SETTINGS_MODULE"] = "sti.settings"
    os.environ["STI_DATA_DIR"] = str(data_dir)
    os.environ["STI_SEARCH_INDEX_DIR"] = str(data_dir / "index")
    os.environ["STI_TASK_BACKEND"] = "immediate"
    os.environ["STI_HARVEST_DELAY_SECONDS"] = "0"
    os.environ["STI_HARVEST_PARTNER_PAGE_SIZE"] = str(page_size)
    os.environ["ALLOWED_HOSTS"] = "127.0.0.1,localhost,testserver"
    os.environ.pop("DATABASE_URL", None)
    import django

    django.setup()


def serve(args) -> int:
    """The partner: this platform in another process, serving until killed."""
    setup_django(Path(args.data_dir), args.page_size)
    from sti.harvest.sample import serve_briefly

    serve_briefly(f"http://127.0.0.1:{args.port}")
    print("serving", flush=True)
    while True:
        time.sleep(3600)


def percentile(values, share):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(share * (len(ordered) - 1))))]


def harvested_rows(n: int):
    """Union-catalogue rows written straight to the database (for the search figure)."""
    from sti.harvest import client, dedup
    from sti.harvest.models import HarvestedRecord, Source
    from sti.harvest.sample import partner_records

    source = Source.objects.create(name="Kho thử", base_url="http://127.0.0.1:1/oai")
    rows = []
    for record in partner_records("soc-trang", n):
        values = client._finish(client._from_dc(record.metadata))
        rows.append(
            HarvestedRecord(
                source=source,
                identifier=f"oai:bench:{record.local_id}",
                datestamp="2025-01-01T00:00:00Z",
                needs_cluster=False,
                **values,
            )
        )
    HarvestedRecord.objects.bulk_create(rows, batch_size=2000)
    assert dedup  # keys were computed by client._finish


def main(argv=None) -> int:
    args = parse_args(argv)
    if args.serve:
        return serve(args)
    data_dir = Path(tempfile.mkdtemp(prefix="sti-bench-harvest-"))
    setup_django(data_dir, args.page_size)
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    from sti.accounts.models import User
    from sti.harvest import jobs, services
    from sti.harvest.models import HarvestedRecord, PartnerRecord
    from sti.harvest.sample import partner_records

    figures = {"records": args.records, "page_size": args.page_size}
    PartnerRecord.objects.bulk_create(partner_records("an-giang", args.records), batch_size=2000)
    server = subprocess.Popen(
        [
            sys.executable,
            __file__,
            "--serve",
            "--data-dir",
            str(data_dir),
            "--port",
            str(args.port),
            "--page-size",
            str(args.page_size),
        ],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert server.stdout.readline().strip() == "serving"
        editor = User.objects.create_user("bench", password="x", role="editor")
        url = f"http://127.0.0.1:{args.port}/mang-luoi/doi-tac/an-giang/oai"
        source = services.register_source(
            editor, url, {"name": "An Giang", "metadata_prefix": "oai_dc", "delay_seconds": 0}
        )
        started = time.perf_counter()
        if args.profile:
            import cProfile
            import pstats

            profiler = cProfile.Profile()
            run = profiler.runcall(jobs.harvest, source)
            pstats.Stats(profiler).sort_stats("cumulative").print_stats(25)
        else:
            run = jobs.harvest(source)
        elapsed = time.perf_counter() - started
    finally:
        server.terminate()
        server.wait()
    stored = HarvestedRecord.objects.filter(source=source).count()
    assert run.added == stored == args.records, (run.added, stored)
    figures["harvest_s"] = round(elapsed, 2)
    figures["harvest_records_per_s"] = round(args.records / elapsed, 1)
    print(
        f"harvested {args.records:,} records in {elapsed:.1f} s "
        f"({figures['harvest_records_per_s']} records/s, pages of {args.page_size})",
        flush=True,
    )
    if args.local or args.harvested:
        figures.update(search_figures(args))
    shutil.rmtree(data_dir, ignore_errors=True)
    print(json.dumps(figures, ensure_ascii=False))
    return 0


def search_figures(args) -> dict:
    from django.test import Client

    from sti.library.sample import generate
    from sti.search import services as search_services
    from sti.search.signals import indexing_paused

    started = time.perf_counter()
    with indexing_paused():
        if args.local:
            generate(args.local, 42, None)
        if args.harvested:
            harvested_rows(args.harvested)
    search_services.reindex(types=["document", "harvested"])
    print(f"loaded and indexed in {time.perf_counter() - started:.0f} s", flush=True)
    client = Client()

    def timed(path):
        for query in QUERIES[:5]:
            client.get(path, {"q": query})
        timings = []
        for index in range(args.queries):
            began = time.perf_counter()
            response = client.get(path, {"q": QUERIES[index % len(QUERIES)]})
            timings.append((time.perf_counter() - began) * 1000)
            assert response.status_code == 200
        return timings

    timings = timed("/mang-luoi/")
    # Baseline, measured the same moment: the library's own search page (local only).
    library = timed("/thu-vien/")
    figures = {
        "local_records": args.local,
        "harvested_records": args.harvested + args.records,
        "search_p50_ms": round(statistics.median(timings), 1),
        "search_p95_ms": round(percentile(timings, 0.95), 1),
        "library_search_p95_ms": round(percentile(library, 0.95), 1),
    }
    print(
        f"union search over {args.local:,} local + {args.harvested + args.records:,} harvested: "
        f"p50 {figures['search_p50_ms']} ms, p95 {figures['search_p95_ms']} ms "
        f"(library page, local only: p95 {figures['library_search_p95_ms']} ms)",
        flush=True,
    )
    return figures


if __name__ == "__main__":
    sys.exit(main())
