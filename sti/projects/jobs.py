"""Worker-side work of the task registry, run as tracked jobs (core.jobs).

Below the services: `tasks.py` wraps these functions with `@task`; services enqueue those
tasks after their commit. Nothing here checks a user's access: callers did.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

from django.core.files import File
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from sti.core import audit, jobs
from sti.core.choices import AuditAction
from sti.projects import catalogues, lifecycle
from sti.projects.choices import ProposalStatus
from sti.projects.models import CatalogueBuild, DuplicateMatch, Proposal

CATALOGUE = "projects.catalogue"


# ---------------------------------------------------------------------------
# Catalogues
# ---------------------------------------------------------------------------
def build_catalogue(build_id: int) -> CatalogueBuild:
    """Build the DOCX and PDF of a CatalogueBuild; progress and failure go on its job."""
    build = CatalogueBuild.objects.get(pk=build_id)

    def work(progress: jobs.Progress, job) -> str:
        catalogue = catalogues.collect(build.year, build.kind)
        progress.fraction(0.05)
        stem = f"{build.kind}-{build.year}-{build.pk}"
        with tempfile.TemporaryDirectory() as tmp:
            docx_path, pdf_path = catalogues.build_files(
                catalogue, Path(tmp), stem, lambda f: progress.fraction(0.05 + 0.94 * f)
            )
            with docx_path.open("rb") as handle:
                build.docx.save(docx_path.name, File(handle), save=False)
            with pdf_path.open("rb") as handle:
                build.pdf.save(pdf_path.name, File(handle), save=False)
            build.entry_count = catalogue.entry_count
            summary = _("%(n)s mục") % {"n": catalogue.entry_count}
            # The files and the job's "done" together, by the worker holding the job.
            with transaction.atomic():
                build.save(update_fields=["docx", "pdf", "entry_count"])
                jobs.complete(job, summary)
        return summary

    jobs.run(build.job_id, work)
    build.refresh_from_db()
    return build


# ---------------------------------------------------------------------------
# The duplicate check
# ---------------------------------------------------------------------------
def rebuild_similarity(job_id: int) -> int:
    """Recompute the duplicate-check matrix from every task and library document, then run
    the checks of proposals submitted while it was missing; returns the matrix size."""
    from sti.projects.similarity import duplicates

    size = 0

    def work(progress: jobs.Progress, job) -> str:
        nonlocal size
        size = len(duplicates.rebuild())
        progress.fraction(0.8)
        checked = check_pending_proposals()
        return _("%(size)s bản ghi; %(checked)s đề xuất chờ đã được tra cứu") % {
            "size": size,
            "checked": checked,
        }

    jobs.run(job_id, work)
    return size


def check_pending_proposals() -> int:
    """Run the checks of proposals submitted while the matrix was missing (worker, after a
    rebuild); returns how many were checked."""
    count = 0
    for proposal in Proposal.objects.check_pending().order_by("submitted_at", "pk"):
        run_duplicate_check(None, proposal)
        count += 1
    return count


def run_duplicate_check(actor, proposal: Proposal, *, limit: int = 10) -> list[DuplicateMatch]:
    """Compare the proposal with every task and library document and store the closest
    matches; the proposal becomes "searched". The caller has checked access (or is the worker).
    Raises sti.core.similarity.IndexNotReady while the worker rebuilds a large matrix."""
    from sti.projects.similarity import duplicates

    results = [
        match
        for match in duplicates.find_similar(proposal.text_for_matching(), limit=limit + 1)
        # Once ordered, the proposal's own task would match it perfectly: leave it out.
        if not (match.kind == "task" and match.object_id == proposal.task_id)
    ][:limit]
    threshold = duplicates.threshold()
    with transaction.atomic():
        proposal.matches.all().delete()
        matches = [
            DuplicateMatch(
                proposal=proposal,
                rank=rank,
                kind=match.kind,
                object_id=match.object_id,
                task_id=match.object_id if match.kind == "task" else None,
                title=match.title[:500],
                score=round(match.score, 4),
                proposal_html=match.query_html,
                match_html=match.match_html,
            )
            for rank, match in enumerate(results, start=1)
        ]
        DuplicateMatch.objects.bulk_create(matches)
        proposal.top_score = matches[0].score if matches else 0.0
        proposal.flagged = bool(matches) and matches[0].score >= threshold
        proposal.checked_at = timezone.now()
        proposal.save(update_fields=["top_score", "flagged", "checked_at", "updated_at"])
        audit.record(
            actor,
            AuditAction.UPDATE,
            proposal,
            {"top_score": [None, proposal.top_score]},
            note=_("Tra cứu trùng lặp"),
        )
        if proposal.status == ProposalStatus.SUBMITTED:
            lifecycle.PROPOSAL.move(actor, proposal, ProposalStatus.SEARCHED)
    return matches
