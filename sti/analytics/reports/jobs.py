"""Worker-side build of an analytical report as a tracked job (core.jobs): progress on the
job, the files and the job's "done" written together. The service checked access."""

from __future__ import annotations

import tempfile
import time
from pathlib import Path

from django.core.files import File
from django.db import transaction
from django.utils.text import slugify
from django.utils.translation import gettext as _

from sti.analytics.reports import builder
from sti.analytics.reports.models import ReportBuild
from sti.core import jobs
from sti.publishing.report import Figure, Table


def build_report(build_id: int) -> ReportBuild:
    build = ReportBuild.objects.select_related("draft").get(pk=build_id)

    def work(progress: jobs.Progress, job) -> str:
        started = time.perf_counter()
        progress(message=_("Đang tính số liệu"))
        stem = f"{slugify(build.draft.template_key)}-{build.draft.period_label}-{build.pk}"
        with tempfile.TemporaryDirectory() as tmp:
            docx_path, pdf_path, report = builder.build_files(
                build.draft, Path(tmp), stem, lambda f: progress.fraction(0.98 * f)
            )
            with docx_path.open("rb") as handle:
                build.docx.save(docx_path.name, File(handle), save=False)
            with pdf_path.open("rb") as handle:
                build.pdf.save(pdf_path.name, File(handle), save=False)
        blocks = [b for c in report.chapters for b in c.blocks]
        build.tables = sum(isinstance(b, Table) for b in blocks)
        build.figures = sum(isinstance(b, Figure) for b in blocks)
        build.footnotes = sum(len(b.footnotes) for b in blocks)
        build.seconds = round(time.perf_counter() - started, 2)
        summary = _("%(t)s bảng, %(f)s hình, %(n)s chú thích") % {
            "t": build.tables,
            "f": build.figures,
            "n": build.footnotes,
        }
        with transaction.atomic():
            build.save(update_fields=["docx", "pdf", "tables", "figures", "footnotes", "seconds"])
            jobs.complete(job, summary)
        return summary

    jobs.run(build.job_id, work)
    build.refresh_from_db()
    return build
