"""Worker-side work of the news app. Nothing here checks a user's access: the services did
(or the work is the worker's own: publishing what fell due).

- `publish_due` runs about every minute in every worker (registered with
  `registries.register_periodic` in `NewsConfig.ready()`): it moves scheduled articles whose
  moment has come to "published". Readers never wait for it (the access rule shows a due
  article already); it keeps the workflow state and the audit trail true.
- `build_issue` builds an issue's PDF and DOCX with the shared publishing builders, as a
  tracked job (progress, lease, retry: `sti.core.jobs`).
"""

from __future__ import annotations

import logging
import tempfile
from pathlib import Path

from django.core.files import File
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from sti.core import jobs
from sti.core.statemachine import TransitionError
from sti.news import bulletins, lifecycle
from sti.news.choices import ArticleStatus
from sti.news.models import Article, Issue

logger = logging.getLogger(__name__)
BUILD = "news.issue_build"


def publish_due(now=None) -> list[int]:
    """Publish the scheduled articles whose moment has come; returns their ids. Safe when
    several workers run it at once: the move locks the row, and the second finds it done."""
    now = now or timezone.now()
    published = []
    for pk in Article.objects.due(now).order_by("publish_at").values_list("pk", flat=True):
        try:
            lifecycle.ARTICLE.move(None, pk, ArticleStatus.PUBLISHED, note=_("Đến giờ đăng"))
        except TransitionError:
            continue  # another worker published it, or an editor moved it meanwhile
        published.append(pk)
    if published:
        logger.info("published scheduled articles %s", published)
    return published


def build_issue(issue_id: int) -> Issue:
    """Build the PDF and DOCX of an issue from its items; progress and failure go on the job."""
    issue = Issue.objects.select_related("series").get(pk=issue_id)

    def work(progress: jobs.Progress, job) -> str:
        catalogue = bulletins.collect(issue)
        progress.fraction(0.05)
        stem = f"{issue.series.slug}-{issue.year}-{issue.number}"
        with tempfile.TemporaryDirectory() as tmp:
            docx_path, pdf_path = bulletins.build_files(
                catalogue, Path(tmp), stem, lambda f: progress.fraction(0.05 + 0.94 * f)
            )
            with docx_path.open("rb") as handle:
                issue.docx.save(docx_path.name, File(handle), save=False)
            with pdf_path.open("rb") as handle:
                issue.pdf.save(pdf_path.name, File(handle), save=False)
            summary = _("%(n)s bài") % {"n": catalogue.entry_count}
            # The files and the job's "done" together, by the worker holding the job.
            with transaction.atomic():
                issue.save(update_fields=["docx", "pdf", "updated_at"])
                jobs.complete(job, summary)
        return summary

    jobs.run(issue.build_job_id, work)
    issue.refresh_from_db()
    return issue
