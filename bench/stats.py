"""Statistics benchmark: aggregate a period of 1,000 organizations × 5 forms.

    python bench/stats.py [--organizations 1000] [--runs 5]
    sti bench stats --organizations 200

A throw-away SQLite database gets the TT 15/2018 regime, N synthetic organizations (types,
economic sectors, S&T fields, administrative units before and after the 2025 merger) and
one accepted submission of each of the forms 01, 02, 03, 04 and 08 per organization, every
numeric cell filled (`sti.stats.aggregation_synthetic`, not timed). Then the same code the
worker runs after an acceptance (`aggregation.rebuild`: read the accepted cells, sum them
over organizations for every breakdown, compute the national indicators 1401–1407, replace
the stored rows) is timed `--runs` times; the median is the figure (target < 2 s). The
published copy (`aggregation.publish`) and one read (`aggregation.aggregate`) are timed too.

The yearbook of that period (target < 60 s) is timed in the section marked YEARBOOK below.
The last line is one JSON object with the figures.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))
YEAR = 2024
TARGET_S = 2.0


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--organizations", type=int, default=1000)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--seed", type=int, default=42)
    return parser.parse_args(argv)


def setup(data_dir: Path) -> None:
    os.environ["DJANGO_SETTINGS_MODULE"] = "sti.settings"
    os.environ["STI_DATA_DIR"] = str(data_dir)
    os.environ.pop("DATABASE_URL", None)
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def populate(count: int, seed: int):
    """The period and its accepted submissions: (period, editor, cells written)."""
    from sti.accounts.models import User
    from sti.core.models import AdminUnit, FieldOfScience
    from sti.directory.choices import EconomicSector, OrganizationKind
    from sti.directory.models import Organization
    from sti.stats import aggregation_synthetic, layout, regimes, services
    from sti.stats.models import SubmissionValue

    rng = random.Random(seed)
    editor = User.objects.create_user("bench-editor", password="x", role="editor")
    regime, _notes = regimes.load_file(ROOT / "sti" / "stats" / "data" / "tt15_2018.yaml")
    period = services.open_period(editor, YEAR, regime)
    units = list(AdminUnit.objects.all())
    fields = list(FieldOfScience.objects.current().filter(level__lte=2))
    organizations = []
    for i in range(count):
        org = Organization(
            name=f"Tổ chức KH&CN số {i}",
            kind=rng.choice(OrganizationKind.values),
            sector=rng.choice(EconomicSector.values),
            admin_unit=rng.choice(units),
        )
        org.refresh_folded()
        organizations.append(org)
    organizations = Organization.objects.bulk_create(organizations)
    Organization.fields.through.objects.bulk_create(
        [
            Organization.fields.through(organization_id=o.pk, fieldofscience_id=f.pk)
            for o in organizations
            for f in rng.sample(fields, rng.randint(1, 2))
        ]
    )
    forms = list(regime.forms.all())
    grids = {form.pk: layout.build(form) for form in forms}
    entries = [
        (org.pk, form, aggregation_synthetic.form_values(grids[form.pk], rng))
        for org in organizations
        for form in forms
    ]
    aggregation_synthetic.file_accepted(period, entries)
    return period, editor, SubmissionValue.objects.count()


def timed(function, runs: int, cpu: list | None = None) -> list[float]:
    """Wall-clock seconds of each run (and the process CPU seconds into `cpu`)."""
    out = []
    for _run in range(runs):
        started, started_cpu = time.perf_counter(), time.process_time()
        function()
        out.append(time.perf_counter() - started)
        if cpu is not None:
            cpu.append(time.process_time() - started_cpu)
    return out


def bench_aggregation(period, editor, runs: int) -> dict:
    from sti.stats import aggregation
    from sti.stats.models import AggregateValue

    cpu: list[float] = []
    rebuild = timed(lambda: aggregation.rebuild(period), runs, cpu)
    publish = timed(lambda: aggregation.publish(editor, period), max(1, runs // 2))
    read = timed(lambda: aggregation.aggregate(period, "org_type"), runs)
    built = aggregation.aggregate_set(period)
    return {
        "rebuild_median_s": round(statistics.median(rebuild), 3),
        "rebuild_runs_s": [round(s, 3) for s in rebuild],
        "rebuild_cpu_median_s": round(statistics.median(cpu), 3),
        "publish_median_s": round(statistics.median(publish), 3),
        "read_by_org_type_median_ms": round(1000 * statistics.median(read), 1),
        "aggregate_rows": AggregateValue.objects.filter(period=period, published=False).count(),
        "organizations_aggregated": built.organizations,
        "submissions_aggregated": built.submissions,
    }


# ---------------------------------------------------------------------------
# YEARBOOK: the yearbook of the same (published) period, DOCX + PDF with its tables and
# charts, as the worker builds it (`yearbook.build_files`); target < 60 s.
# ---------------------------------------------------------------------------
YEARBOOK_TARGET_S = 60.0


def bench_yearbook(period) -> dict:
    import pypdfium2

    from sti.publishing.report import Figure, Table
    from sti.stats import yearbook

    folder = Path(tempfile.mkdtemp(prefix="sti-bench-yearbook-"))
    try:
        started, started_cpu = time.perf_counter(), time.process_time()
        docx_path, pdf_path, report = yearbook.build_files(period, folder, "yearbook")
        seconds = time.perf_counter() - started
        cpu = time.process_time() - started_cpu
        blocks = [b for chapter in report.chapters for b in chapter.blocks]
        return {
            "yearbook_s": round(seconds, 2),
            "yearbook_cpu_s": round(cpu, 2),
            "yearbook_pages": len(pypdfium2.PdfDocument(pdf_path)),
            "yearbook_tables": sum(isinstance(b, Table) for b in blocks),
            "yearbook_figures": sum(isinstance(b, Figure) for b in blocks),
            "yearbook_pdf_kb": round(pdf_path.stat().st_size / 1024),
            "yearbook_docx_kb": round(docx_path.stat().st_size / 1024),
            "yearbook_target_s": YEARBOOK_TARGET_S,
        }
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def main(argv=None) -> int:
    args = parse_args(argv)
    data_dir = Path(tempfile.mkdtemp(prefix="sti-bench-stats-"))
    try:
        setup(data_dir)
        started = time.perf_counter()
        period, editor, cells = populate(args.organizations, args.seed)
        populate_s = time.perf_counter() - started
        figures = {
            "bench": "stats",
            "organizations": args.organizations,
            "forms": 5,
            "cells": cells,
            "populate_s": round(populate_s, 1),
            **bench_aggregation(period, editor, args.runs),
            # after bench_aggregation: the yearbook reads the published copy
            **bench_yearbook(period),
            "target_s": TARGET_S,
            # The machine may be shared: its load says how far wall time is from CPU time.
            "load_average_1m": round(os.getloadavg()[0], 1),
        }
        figures["ok"] = (
            figures["rebuild_median_s"] < TARGET_S
            and figures["submissions_aggregated"] == 5 * args.organizations
            and figures["yearbook_s"] < YEARBOOK_TARGET_S
        )
        print(
            f"{args.organizations} organizations × 5 forms ({cells} cells): aggregation "
            f"median {figures['rebuild_median_s']} s over {args.runs} runs "
            f"{figures['rebuild_runs_s']} (CPU median {figures['rebuild_cpu_median_s']} s, load "
            f"{figures['load_average_1m']}), {figures['aggregate_rows']} aggregate rows; "
            f"publish {figures['publish_median_s']} s; read by type "
            f"{figures['read_by_org_type_median_ms']} ms"
        )
        print(
            f"yearbook: {figures['yearbook_s']} s (CPU {figures['yearbook_cpu_s']} s), "
            f"{figures['yearbook_pages']} PDF pages, {figures['yearbook_tables']} tables, "
            f"{figures['yearbook_figures']} charts (target < {YEARBOOK_TARGET_S:.0f} s)"
        )
        print(json.dumps(figures, ensure_ascii=False))
        return 0 if figures["ok"] else 1
    finally:
        shutil.rmtree(data_dir, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
