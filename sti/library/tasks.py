"""Background tasks of the library (run by the worker)."""

from django_tasks import task


@task()
def ingest_file(job_id: int) -> str:
    """Extract a file's text, with OCR where it has no text layer; returns the job's state."""
    from sti.library import services

    return services.run_ingest(job_id).state


@task()
def requeue_waiting_for_ocr() -> int:
    """Requeue files kept waiting while OCR was unavailable (run after installing Tesseract)."""
    from sti.library import services

    return services.requeue_waiting_for_ocr()
