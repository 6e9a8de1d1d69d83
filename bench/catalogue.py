"""Catalogue benchmark: build the yearly "Kết quả các nhiệm vụ KH&CN" for N tasks.

    python bench/catalogue.py [--tasks 1000]
    sti bench catalogue --tasks 200

A throw-away SQLite database gets N synthetic completed tasks accepted in one year (with
field codes, host organizations, abstracts and archive numbers), then the same code the
background task runs (`catalogues.collect` + `build_files`) writes the DOCX and the PDF.
The files are re-opened (python-docx, pypdfium2) and every entry title is looked for.
The last line is one JSON object with the figures; the target is under 30 s.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import re
import shutil
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))
YEAR = 2024


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--tasks", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument(
        "--keep", action="store_true", help="keep the files (their folder is printed)"
    )
    return parser.parse_args(argv)


def setup(data_dir: Path) -> None:
    os.environ["DJANGO_SETTINGS_MODULE"] = "sti.settings"
    os.environ["STI_DATA_DIR"] = str(data_dir)
    os.environ.pop("DATABASE_URL", None)
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def populate(count: int, seed: int) -> list[str]:
    from sti.core.models import FieldOfScience, TaskLevel
    from sti.core.synthetic import SyntheticText
    from sti.directory.models import Organization
    from sti.projects.models import Acceptance, ResultRegistration, Task

    text, rng = SyntheticText(seed), random.Random(seed)
    hosts = Organization.objects.bulk_create(
        [
            Organization(
                name=text.organization_name() + f" {i}", kind="institute", name_folded=f"org {i}"
            )
            for i in range(40)
        ]
    )
    fields = list(FieldOfScience.objects.current().filter(level__gte=2))
    level = TaskLevel.objects.get(code="tinh", version__is_current=True)
    tasks = []
    for i, (title, abstract) in enumerate(text.texts(count, abstract_syllables=120)):
        task = Task(
            code=f"CT.{YEAR}.{i:04d}",
            title=title,
            abstract=abstract,
            objectives=abstract[:200],
            host=rng.choice(hosts),
            principal_name=text.person_name()[0],
            level=level,
            status="da_dang_ky_ket_qua",
            planned_start=date(YEAR - 2, 1, 1),
            planned_end=date(YEAR, 6, 30),
        )
        task.refresh_folded()
        tasks.append(task)
    Task.objects.bulk_create(tasks)
    Task.fields.through.objects.bulk_create(
        [Task.fields.through(task_id=t.pk, fieldofscience_id=rng.choice(fields).pk) for t in tasks]
    )
    Acceptance.objects.bulk_create(
        [Acceptance(task=t, date=date(YEAR, rng.randint(1, 12), 10), rating="dat") for t in tasks]
    )
    ResultRegistration.objects.bulk_create(
        [
            ResultRegistration(task=t, status="da_cap_gcn", archive_number=f"{YEAR}-{i + 1}/KQNC")
            for i, t in enumerate(tasks)
        ]
    )
    return [t.title for t in tasks]


def main(argv=None) -> int:
    args = parse_args(argv)
    data_dir = Path(tempfile.mkdtemp(prefix="sti-bench-cat-"))
    try:
        setup(data_dir)
        import pypdfium2
        from docx import Document as DocxDocument

        from sti.projects.catalogues import build_files, collect
        from sti.projects.choices import CatalogueKind

        titles = populate(args.tasks, args.seed)
        started = time.perf_counter()
        catalogue = collect(YEAR, CatalogueKind.RESULTS)
        collect_s = time.perf_counter() - started
        t0 = time.perf_counter()
        marks = {}
        docx_path, pdf_path = build_files(
            catalogue,
            data_dir / "out",
            f"ket-qua-{YEAR}",
            progress=lambda f: (
                marks.setdefault("docx_done", time.perf_counter()) if f >= 0.3 else None
            ),
        )
        build_s = time.perf_counter() - t0
        total_s = time.perf_counter() - started
        docx_text = re.sub(
            r"\s+", " ", "\n".join(p.text for p in DocxDocument(docx_path).paragraphs)
        )
        pdf = pypdfium2.PdfDocument(pdf_path)
        pages = len(pdf)
        pdf_text = re.sub(
            r"\s+", " ", " ".join(pdf[i].get_textpage().get_text_range() for i in range(pages))
        )
        pdf.close()
        missing_docx = sum(1 for t in titles if t.upper() not in docx_text)
        missing_pdf = sum(1 for t in titles if t.upper() not in pdf_text)
        figures = {
            "bench": "catalogue",
            "tasks": args.tasks,
            "entries": catalogue.entry_count,
            "sections": len(catalogue.sections),
            "collect_s": round(collect_s, 2),
            "docx_s": round(marks.get("docx_done", t0) - t0, 2),
            "pdf_s": round(build_s - (marks.get("docx_done", t0) - t0), 2),
            "total_s": round(total_s, 2),
            "pdf_pages": pages,
            "docx_kb": docx_path.stat().st_size // 1024,
            "pdf_kb": pdf_path.stat().st_size // 1024,
            "missing_in_docx": missing_docx,
            "missing_in_pdf": missing_pdf,
            "target_s": 30,
            "ok": total_s < 30 and missing_docx == 0 and missing_pdf == 0,
        }
        print(
            f"{args.tasks} tasks → DOCX + PDF ({pages} pages) in {total_s:.1f} s "
            f"(collect {collect_s:.1f} s, DOCX {figures['docx_s']} s, PDF {figures['pdf_s']} s)"
        )
        if args.keep:
            print(f"files kept in {data_dir / 'out'}")
        print(json.dumps(figures, ensure_ascii=False))
        return 0 if figures["ok"] else 1
    finally:
        if not args.keep:
            shutil.rmtree(data_dir, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
