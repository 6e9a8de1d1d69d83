"""Fixtures of the library tests: documents made through the services, generated files
(scanned Vietnamese pages, text PDFs, DOCX) and an edit-distance for OCR error rates."""

from __future__ import annotations

import io
import random
import textwrap
import unicodedata

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

FONT = "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"

VIETNAMESE_PAGE = (
    "Nghiên cứu chọn tạo giống lúa thơm chịu mặn phục vụ vùng ven biển Sóc Trăng. "
    "Đề tài đã đánh giá hai mươi bốn dòng lúa trên đất nhiễm mặn ở huyện Trần Đề và Mỹ Xuyên. "
    "Kết quả cho thấy ba dòng triển vọng có năng suất đạt sáu tấn trên héc ta, "
    "chịu được độ mặn bốn phần nghìn ở giai đoạn mạ. Quy trình canh tác được chuyển giao "
    "cho hợp tác xã nông nghiệp Mỹ Xuyên và Trung tâm Ứng dụng tiến bộ khoa học và công nghệ Cần Thơ. "
    "Đường bờ bao, cống thủy lợi và lịch xuống giống được điều chỉnh theo dự báo xâm nhập mặn."
)


def normalize_for_cer(text: str) -> str:
    return " ".join(unicodedata.normalize("NFC", text).split())


def levenshtein(a: str, b: str) -> int:
    previous = list(range(len(b) + 1))
    for i, ca in enumerate(a, start=1):
        current = [i]
        for j, cb in enumerate(b, start=1):
            current.append(min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (ca != cb)))
        previous = current
    return previous[-1]


def cer(reference: str, hypothesis: str) -> float:
    reference, hypothesis = normalize_for_cer(reference), normalize_for_cer(hypothesis)
    return levenshtein(reference, hypothesis) / max(len(reference), 1)


def render_page(text: str, dpi: int = 300, degrade: bool = False, seed: int = 7):
    """A white A4 page with `text` in 12 pt DejaVu Sans; optionally noisy and ~1° skewed."""
    from PIL import Image, ImageDraw, ImageFilter, ImageFont

    width, height = int(8.27 * dpi), int(11.69 * dpi)
    image = Image.new("L", (width, height), 255)
    draw = ImageDraw.Draw(image)
    font = ImageFont.truetype(FONT, int(12 * dpi / 72))
    y = dpi
    for line in textwrap.wrap(text, 62):
        draw.text((dpi, y), line, font=font, fill=0)
        y += int(20 * dpi / 72)
    if degrade:
        image = image.rotate(1.0, resample=Image.BICUBIC, expand=False, fillcolor=255)
        rng = random.Random(seed)
        pixels = image.load()
        for _ in range(width * height // 60):  # ~1.7 % salt-and-pepper noise
            pixels[rng.randrange(width), rng.randrange(height)] = rng.choice((0, 90, 200, 255))
        image = image.filter(ImageFilter.GaussianBlur(0.4))
    return image


def image_pdf(image, dpi: int) -> bytes:
    """An image-only PDF (no text layer), as a scanner produces."""
    import img2pdf

    buffer = io.BytesIO()
    image.save(buffer, format="PNG", dpi=(dpi, dpi))
    return img2pdf.convert(buffer.getvalue())


def text_pdf(text: str) -> bytes:
    """A born-digital PDF with a Vietnamese text layer (fpdf2 with an embedded DejaVu font)."""
    from fpdf import FPDF

    pdf = FPDF()
    pdf.add_page()
    pdf.add_font("DejaVu", fname=FONT)
    pdf.set_font("DejaVu", size=12)
    pdf.multi_cell(0, 8, text)
    return bytes(pdf.output())


def docx_bytes(text: str) -> bytes:
    import docx

    document = docx.Document()
    for paragraph in text.split("\n"):
        document.add_paragraph(paragraph)
    table = document.add_table(rows=1, cols=2)
    table.rows[0].cells[0].text = "Chỉ tiêu"
    table.rows[0].cells[1].text = "Độ mặn 4‰"
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def upload(
    name: str, content: bytes, content_type: str = "application/octet-stream"
) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type=content_type)


@pytest.fixture
def make_document(editor):
    """`make_document(title=..., access=..., **data)` catalogued (published) by the editor."""
    from sti.library import services

    def make(
        title="Tài liệu thử nghiệm",
        *,
        creators=("Nguyễn Văn A",),
        collections=None,
        fields=None,
        **data,
    ):
        data.setdefault("source_type", "report")
        data.setdefault("year", 2024)
        data.setdefault("language", "vie")
        data["title"] = title
        return services.create_document(
            editor,
            data,
            creators=list(creators),
            collections=collections,
            fields=fields,
        )

    return make


@pytest.fixture
def ocr_ready():
    from sti.library.ingest import ocr_status

    ok, reason = ocr_status()
    if not ok:
        pytest.skip(f"OCR không khả dụng trên máy này: {reason}")
