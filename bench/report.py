"""Analytical report benchmark: the three-year Resolution 02-NQ/TU report over a period with
1,000 organizations (target < 60 s).

    python bench/report.py [--organizations 1000] [--scale 2000]

A throw-away SQLite database gets N organizations, each with one accepted submission of the
statistics forms 01, 02, 03, 04 and 08 for the last year of the report (the statistics
benchmark's `populate`, aggregated), and the other apps' synthetic records (`sti generate
--scale S`: tasks, researchers, IP filings, documents, market, training, services). Not
timed. Then a draft of the template `nq02-ba-nam` for the three years is computed (every
figure, table, chart and consistency check, as the page does) and built as DOCX and PDF
(`reports.builder.build_files`, as the worker does): that build is the figure. The last line
is one JSON object with the figures.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "bench")]

import stats as stats_bench  # noqa: E402 — bench/stats.py: the same database and forms

TARGET_S = 60.0


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--organizations", type=int, default=1000)
    parser.add_argument("--scale", type=int, default=2000, help="records per other app")
    parser.add_argument("--seed", type=int, default=42)
    return parser.parse_args(argv)


def bench_report(editor) -> dict:
    import pypdfium2

    from sti.analytics.reports import builder, services
    from sti.publishing.report import Figure, Table

    year = stats_bench.YEAR
    draft = services.create_draft(editor, "nq02-ba-nam", year - 2, year)
    folder = Path(tempfile.mkdtemp(prefix="sti-bench-report-"))
    try:
        started = time.perf_counter()
        computed = builder.compute_draft(draft)
        compute_s = time.perf_counter() - started
        started, started_cpu = time.perf_counter(), time.process_time()
        docx_path, pdf_path, report = builder.build_files(draft, folder, "report")
        seconds = time.perf_counter() - started
        blocks = [b for chapter in report.chapters for b in chapter.blocks]
        return {
            "page_compute_s": round(compute_s, 2),
            "report_s": round(seconds, 2),
            "report_cpu_s": round(time.process_time() - started_cpu, 2),
            "report_pages": len(pypdfium2.PdfDocument(pdf_path)),
            "report_tables": sum(isinstance(b, Table) for b in blocks),
            "report_figures": sum(isinstance(b, Figure) for b in blocks),
            "report_footnotes": sum(len(b.footnotes) for b in blocks),
            "disagreements": sum(d.differs for d in computed.disagreements),
        }
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def main(argv=None) -> int:
    args = parse_args(argv)
    data_dir = Path(tempfile.mkdtemp(prefix="sti-bench-report-"))
    try:
        stats_bench.setup(data_dir)
        from django.core.management import call_command

        from sti.directory.models import Organization
        from sti.stats import aggregation

        started = time.perf_counter()
        period, editor, cells = stats_bench.populate(args.organizations, args.seed)
        aggregation.rebuild(period)
        aggregation.publish(editor, period)
        call_command("generate", scale=args.scale, seed=args.seed, no_progress=True)
        populate_s = time.perf_counter() - started
        figures = {
            "bench": "report",
            "organizations": Organization.objects.count(),
            "statistics_cells": cells,
            "populate_s": round(populate_s, 1),
            **bench_report(editor),
            "target_s": TARGET_S,
            "load_average_1m": round(os.getloadavg()[0], 1),
        }
        figures["ok"] = figures["report_s"] < TARGET_S
        print(
            f"{figures['organizations']} organizations: report of "
            f"{figures['report_pages']} pages ({figures['report_tables']} tables, "
            f"{figures['report_figures']} charts, {figures['report_footnotes']} footnotes) built "
            f"in {figures['report_s']} s (target < {TARGET_S:.0f} s); the page computes in "
            f"{figures['page_compute_s']} s"
        )
        print(json.dumps(figures, ensure_ascii=False))
        return 0 if figures["ok"] else 1
    finally:
        shutil.rmtree(data_dir, ignore_errors=True)


if __name__ == "__main__":
    raise SystemExit(main())
