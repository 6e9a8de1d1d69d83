"""`sti requeue_ocr`: after installing Tesseract, queue again the files kept waiting for OCR."""

from django.core.management.base import BaseCommand

from sti.library import services


class Command(BaseCommand):
    help = "Requeue the text extraction of files that waited because OCR was unavailable."

    def handle(self, *args, **options):
        count = services.requeue_waiting_for_ocr()
        self.stdout.write(f"{count} tệp được đưa lại vào hàng đợi")
