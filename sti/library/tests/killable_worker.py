"""Helper of test_worker_kill.py, run as `python -m sti.library.tests.killable_worker CMD`
against a file-based SQLite database (STI_DATA_DIR) with the database task backend.

setup   an editor, a document and a scanned PDF (a text PDF where OCR is missing): the
        file's extraction job is queued; prints {"job": id, "file": id, "ocr": bool}
worker  `sti worker ARGS`, counting the writes of a file's text in text-writes.log; with
        HANG=1 the extraction never ends (a long OCR), so that the test can kill the worker
"""

from __future__ import annotations

import json
import os
import sys
import time


def _django():
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "sti.settings")
    import django

    django.setup()


def setup() -> None:
    _django()
    from django.core.files.uploadedfile import SimpleUploadedFile

    from sti.accounts.models import User
    from sti.library import ingest, services
    from sti.library.tests.conftest import VIETNAMESE_PAGE, image_pdf, render_page, text_pdf

    editor = User.objects.create_user("bientap", password="pw", role="editor")
    document = services.create_document(
        editor,
        {"title": "Báo cáo quét 12 trang", "source_type": "report", "year": 2024},
        creators=["Nguyễn Văn A"],
    )
    ocr, _reason = ingest.ocr_status()
    content = (
        image_pdf(render_page(VIETNAMESE_PAGE, dpi=150), 150) if ocr else text_pdf(VIETNAMESE_PAGE)
    )
    upload = SimpleUploadedFile("bao-cao-quet.pdf", content, content_type="application/pdf")
    file = services.add_file(editor, document, upload)
    print(json.dumps({"job": file.latest_job().pk, "file": file.pk, "ocr": ocr}))


def worker(argv: list[str]) -> int:
    _django()
    from django.conf import settings

    from sti.library import ingest
    from sti.library.models import DocumentFile

    log = settings.DATA_DIR / "text-writes.log"
    save = DocumentFile.save

    def counting_save(self, *args, **kwargs):
        if self.text:
            with log.open("a") as handle:
                handle.write(f"{self.pk} {os.getpid()}\n")
        return save(self, *args, **kwargs)

    DocumentFile.save = counting_save
    if os.environ.get("HANG") == "1":

        def hanging_extract(*args, **kwargs):
            time.sleep(600)  # an OCR of many pages: the test kills the worker meanwhile

        ingest.extract_file = hanging_extract
    from sti import cli

    return cli.main(["worker", *argv])


if __name__ == "__main__":
    command, rest = sys.argv[1], sys.argv[2:]
    if command == "setup":
        setup()
    else:
        sys.exit(worker(rest))
