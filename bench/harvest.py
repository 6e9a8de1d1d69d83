"""Harvester benchmark: records harvested per second from a local partner over HTTP, and the
union catalogue's search page p95 with local and harvested records.

    python bench/harvest.py [--records 5000] [--page-size 50] [--local 300000]
                            [--harvested 300000] [--queries 200] [--port 8180]
    sti bench harvest --records 2000 --local 0

Steps, in a throw-away data folder (SQLite + tantivy index, removed afterwards):
1. migrate; N records in a demo partner repository (`sti.harvest.sample.partner_records`);
2. a second process serves the platform (threaded WSGI) on 127.0.0.1:PORT; a source is
   registered on its partner endpoint through discovery and harvested in full (pages of
   --page-size), timed end to end: HTTP, parsing, writing, clustering, indexing;
3. `load_and_measure`, twice: --local documents (`sti.library.sample.generate`), then
   --harvested union-catalogue records (`sti.harvest.sample.generate`: the harvester's own
   store, `jobs.store_records`, fed in bulk), each indexed by the bulk path
   (`sti.search.services.reindex`) and followed by `/mang-luoi/?q=…` (the union page,
   "nguồn" facet) through the Django test client: p50/p95 over --queries queries after a
   warm-up, with the load average; after the harvested records, the library's own page too.

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
    parser.add_argument("--local", type=int, default=300_000)
    parser.add_argument("--harvested", type=int, default=300_000)
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
    # Every query renders: the anonymous page cache would answer the warm-up's repeats.
    os.environ["STI_PAGE_CACHE_SECONDS"] = "0"
    os.environ["STI_HARVEST_DELAY_SECONDS"] = "0"
    os.environ["STI_HARVEST_PRIVATE_HOSTS"] = "127.0.0.1"  # the partner is on loopback
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


def main(argv=None) -> int:
    args = parse_args(argv)
    if args.serve:
        return serve(args)
    began = time.perf_counter()
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
    figures["total_s"] = round(time.perf_counter() - began, 1)
    figures["total_cpu_s"] = round(time.process_time(), 1)
    figures["load_average"] = load_average()
    print(json.dumps(figures, ensure_ascii=False))
    return 0


def search_figures(args) -> dict:
    """The union page over the local documents (beside the --records harvested over HTTP
    before), then over local + harvested records, in the same process one after the other
    (and the library's own page at the end, local documents only)."""
    from django.test import Client

    from sti.harvest.sample import generate as generate_harvested
    from sti.library.sample import generate as generate_local
    from sti.search.signals import indexing_paused

    def local(count):
        with indexing_paused():
            generate_local(count, 42, None, write_files=False)

    client = Client()
    figures = {"local_records": args.local, "harvested_records": args.harvested + args.records}
    figures.update(
        load_and_measure(client, args, "local", args.local, local, "document", {"": "/mang-luoi/"})
    )
    figures.update(
        load_and_measure(
            client,
            args,
            "harvested",
            args.harvested,
            lambda count: generate_harvested(count, 42, None),
            "harvested",
            {"": "/mang-luoi/", "library_": "/thu-vien/"},
        )
    )
    # The figures of the whole union (300,000 + 300,000) under the names earlier runs used.
    figures["local_phase_search_p50_ms"] = figures["local_search_p50_ms"]
    figures["local_phase_search_p95_ms"] = figures["local_search_p95_ms"]
    figures["search_p50_ms"] = figures["harvested_search_p50_ms"]
    figures["search_p95_ms"] = figures["harvested_search_p95_ms"]
    figures["library_search_p95_ms"] = figures["harvested_library_search_p95_ms"]
    return figures


def load_and_measure(client, args, name, count, generate, search_type, pages) -> dict:
    """Add `count` records (`generate(count)`), index their type by the bulk path
    (`sti.search.services.reindex`), then time each page of `pages` ({figure prefix: path})
    over --queries queries after a warm-up: p50 and p95 in ms, with the load average."""
    from sti.search import services as search_services

    figures = {}
    # Wall time and this process's CPU time (all its threads): on a shared machine the CPU
    # time says what a quiet one would take.
    started, cpu = time.perf_counter(), time.process_time()
    generate(count)
    figures[f"{name}_generate_s"] = round(time.perf_counter() - started, 1)
    figures[f"{name}_generate_cpu_s"] = round(time.process_time() - cpu, 1)
    started, cpu = time.perf_counter(), time.process_time()
    search_services.reindex(types=[search_type])
    figures[f"{name}_index_s"] = round(time.perf_counter() - started, 1)
    figures[f"{name}_index_cpu_s"] = round(time.process_time() - cpu, 1)
    print(
        f"{count:,} {name} records generated in {figures[f'{name}_generate_s']} s "
        f"(CPU {figures[f'{name}_generate_cpu_s']} s), indexed in "
        f"{figures[f'{name}_index_s']} s (CPU {figures[f'{name}_index_cpu_s']} s; "
        f"load average {load_average()})",
        flush=True,
    )
    for prefix, path in pages.items():
        for query in QUERIES[:5]:
            client.get(path, {"q": query})
        timings = []
        for index in range(args.queries):
            began = time.perf_counter()
            response = client.get(path, {"q": QUERIES[index % len(QUERIES)]})
            timings.append((time.perf_counter() - began) * 1000)
            assert response.status_code == 200, (path, response.status_code)
        key = f"{name}_{prefix}search"
        figures[f"{key}_p50_ms"] = round(statistics.median(timings), 1)
        figures[f"{key}_p95_ms"] = round(percentile(timings, 0.95), 1)
        figures[f"{key}_load"] = load_average()
        print(
            f"{path} after the {name} records: p50 {figures[f'{key}_p50_ms']} ms, "
            f"p95 {figures[f'{key}_p95_ms']} ms over {args.queries} queries "
            f"(load average {figures[f'{key}_load']})",
            flush=True,
        )
    return figures


def load_average() -> str:
    return " ".join(f"{value:.2f}" for value in os.getloadavg())


if __name__ == "__main__":
    sys.exit(main())
