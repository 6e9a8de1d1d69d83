"""Worker-side build of a statistical yearbook as a tracked job (core.jobs): progress on the
job, the files and the job's "done" written together. Callers checked access."""

from __future__ import annotations

import tempfile
import time
from pathlib import Path

from django.core.files import File
from django.db import transaction
from django.utils.translation import gettext as _

from sti.core import jobs
from sti.publishing.report import Figure, Table
from sti.stats import yearbook
from sti.stats.models import Period, YearbookBuild


def build_yearbook(build_id: int) -> YearbookBuild:
    build = YearbookBuild.objects.get(pk=build_id)

    def work(progress: jobs.Progress, job) -> str:
        started = time.perf_counter()
        period = Period.objects.select_related("regime").get(year=build.year)
        stem = f"an-pham-thong-ke-khcn-{build.year}-{build.pk}"
        with tempfile.TemporaryDirectory() as tmp:
            docx_path, pdf_path, report = yearbook.build_files(
                period, Path(tmp), stem, lambda f: progress.fraction(0.98 * f)
            )
            with docx_path.open("rb") as handle:
                build.docx.save(docx_path.name, File(handle), save=False)
            with pdf_path.open("rb") as handle:
                build.pdf.save(pdf_path.name, File(handle), save=False)
        blocks = [b for c in report.chapters for b in c.blocks]
        build.tables = sum(isinstance(b, Table) for b in blocks)
        build.figures = sum(isinstance(b, Figure) for b in blocks)
        build.seconds = round(time.perf_counter() - started, 2)
        summary = _("%(t)s bảng, %(f)s hình") % {"t": build.tables, "f": build.figures}
        with transaction.atomic():
            build.save(update_fields=["docx", "pdf", "tables", "figures", "seconds"])
            jobs.complete(job, summary)
        return summary

    jobs.run(build.job_id, work)
    build.refresh_from_db()
    return build
