"""Worker-side work of the library, run as tracked jobs (core.jobs): text extraction and OCR.

Below the services: `tasks.py` wraps these functions with `@task`; services create the job
and enqueue the task after their commit. Nothing here checks a user's access: callers did.
"""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext as _

from sti.core import files, jobs
from sti.core.models import TrackedJob
from sti.library import ingest, storage
from sti.library.choices import DigitizationState, QualityFlag, TextMethod
from sti.library.models import DocumentFile, OcrPage

INGEST = "library.ingest"


def _ocr_unavailable(reason) -> jobs.Waiting:
    return jobs.Waiting(
        _("OCR không khả dụng: %(reason)s. Tệp được giữ trong hàng đợi.") % {"reason": reason}
    )


def run_ingest(job_id: int) -> TrackedJob:
    """Extract a file's text (OCR if needed), assess it and save the outcome on the file.

    Without OCR the job waits; `sti requeue_ocr` (services.requeue_waiting_for_ocr) queues it
    again once Tesseract is installed."""
    job = TrackedJob.objects.get(pk=job_id)
    file = DocumentFile.objects.select_related("document").get(pk=job.target_id)

    def work(progress: jobs.Progress, job) -> str:
        progress(10, message=_("Đang trích xuất văn bản…"))
        # The stored file itself on local storage, a temporary download on S3 (this worker
        # may run on another host than the web process that received the upload).
        with files.local_copy(storage.blob(file.sha256)) as path:
            needs_ocr = file.mime_type in storage.IMAGES
            if file.mime_type == storage.PDF:
                quick = ingest.extract_pdf(path)
                needs_ocr = ingest.visible_chars(quick.text) < ingest.MIN_CHARS_PER_PAGE * (
                    quick.pages or 1
                )
            if needs_ocr:
                ok, reason = ingest.ocr_status()
                if not ok:
                    raise _ocr_unavailable(reason)
                progress(30, message=_("Đang nhận dạng ký tự (OCR tiếng Việt)…"))
            try:
                extraction = ingest.extract_file(path, file.mime_type)
            except ingest.OcrUnavailable as error:
                raise _ocr_unavailable(error) from error
        progress(90, message=_("Đang đánh giá chất lượng…"))
        if extraction.page_results:
            flag, note = ingest.assess_pages(extraction.page_results)
        else:
            flag, note = ingest.assess(extraction.text, extraction.pages, extraction.confidence)
        summary = _("%(chars)s ký tự, cách lấy: %(method)s, chất lượng: %(quality)s.") % {
            "chars": f"{len(extraction.text):,}".replace(",", "."),
            "method": TextMethod(extraction.method).label,
            "quality": QualityFlag(flag).label,
        }
        # The text and the job's "done" in one transaction, by the worker holding the job: a
        # job taken again after its worker died writes the file's text once.
        with transaction.atomic():
            file.text = extraction.text
            file.text_method = extraction.method
            file.char_count = len(extraction.text)
            file.page_count = extraction.pages
            file.ocr_confidence = extraction.confidence
            file.ocr_sha256 = extraction.ocr_sha256
            file.quality, file.quality_note = flag, note
            file.quality_checked_by = None
            file.text_by_page = bool(extraction.page_results)
            file.save()
            save_pages(file, extraction.page_results)
            document = file.document
            if extraction.method == TextMethod.OCR and document.digitization in (
                DigitizationState.PAPER,
                DigitizationState.SCANNED,
            ):
                document.digitization = DigitizationState.OCR
                document.save(update_fields=["digitization"])
            jobs.complete(job, summary)
        return summary

    return jobs.run(job.pk, work)


def save_pages(file: DocumentFile, results) -> None:
    """Replace the file's OCR pages with this run's (none for a text layer or a DOCX)."""
    file.ocr_pages.all().delete()
    OcrPage.objects.bulk_create(
        OcrPage(
            file=file,
            number=result.number,
            text=result.text,
            flag=result.flag,
            reason=result.reason[:300],
            confidence=result.reading.confidence,
            chars=result.reading.chars,
            expected_chars=result.layout.expected_chars,
            method=result.reading.method[:80],
            details=result.as_dict(),
        )
        for result in results
    )
