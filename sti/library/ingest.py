"""Text extraction and OCR for uploaded files, with a quality verdict.

PDF text comes from pypdfium2 (poppler's `pdftotext` when the result looks garbled), DOCX
text from python-docx. A PDF or image with no usable text layer is OCR'd by Tesseract
(`vie`) through OCRmyPDF, run as a subprocess with its own temporary folder: we keep its
searchable PDF, and read each page's text and word confidences from the hOCR files it leaves
there. Each page then goes through quality control (`ocrqc`): its image says how much text it
holds; a page read badly is read again (other segmentation modes, deskewed, binarised) and
flagged ok, low quality, blank or noise. Only ok pages make the file's text; the others wait
for an editor. (The searchable PDF keeps OCRmyPDF's first reading as its text layer.)

Nothing is silently accepted: empty or near-empty text, low OCR confidence and a suspicious
character mix are flagged for an editor (`QualityFlag`).
"""

from __future__ import annotations

import functools
import logging
import os
import re
import shutil
import subprocess
import sys
import tempfile
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

from django.utils.translation import gettext as _

from sti.core.text import fold, normalize
from sti.library.choices import QualityFlag, TextMethod
from sti.library.storage import DOCX, IMAGES, PDF

logger = logging.getLogger(__name__)

OCR_TIMEOUT_S = 3600
# Below this many visible characters per page a PDF's text layer is treated as absent.
MIN_CHARS_PER_PAGE = 40
# Below this many visible characters in all, text is "empty or near-empty".
MIN_CHARS = 30
LOW_CONFIDENCE = 60.0
SUSPICIOUS_SHARE = 0.12
_PUNCTUATION = set(".,;:!?()[]{}\"'%-–—/…“”‘’«»+=*&#@°§<>|_~^$€₫")
_WORD = re.compile(r"class=['\"]ocrx_word['\"][^>]*x_wconf (\d+)[^>]*>(.*?)</span>", re.S)


@dataclass
class Extraction:
    text: str
    method: str
    pages: int | None = None
    confidence: float | None = None
    ocr_pdf: Path | None = None
    ocr_sha256: str = ""
    # OCR only: each page's best reading, flag and reason (ocrqc.PageResult). `text` then
    # holds only the pages flagged ok.
    page_results: list = field(default_factory=list)


class OcrUnavailable(RuntimeError):
    """Tesseract, its Vietnamese model or OCRmyPDF is missing on this machine."""


# ---------------------------------------------------------------------------
# Availability
# ---------------------------------------------------------------------------
@functools.lru_cache(maxsize=1)
def ocr_status() -> tuple[bool, str]:
    """(available, reason). Checked once per process: the packages do not come and go."""
    tesseract = shutil.which("tesseract")
    if not tesseract:
        return False, _("chưa cài Tesseract (gói hệ thống tesseract-ocr, tesseract-ocr-vie)")
    try:
        langs = subprocess.run(
            [tesseract, "--list-langs"], capture_output=True, text=True, timeout=30
        )
    except (OSError, subprocess.SubprocessError):
        return False, _("không chạy được Tesseract")
    if "vie" not in (langs.stdout + langs.stderr).split():
        return False, _("Tesseract thiếu dữ liệu tiếng Việt (gói tesseract-ocr-vie)")
    if not shutil.which("gs"):
        return False, _("chưa cài Ghostscript (gói ghostscript), OCRmyPDF cần nó")
    try:
        import ocrmypdf  # noqa: F401
    except ImportError:
        return False, _("chưa cài OCRmyPDF")
    return True, ""


def ocr_available() -> bool:
    return ocr_status()[0]


# ---------------------------------------------------------------------------
# Extraction
# ---------------------------------------------------------------------------
def visible_chars(text: str) -> int:
    return sum(1 for ch in text if not ch.isspace())


def extract_pdf(path: Path) -> Extraction:
    import pypdfium2 as pdfium

    pdf = pdfium.PdfDocument(str(path))
    try:
        pages = []
        for page in pdf:
            textpage = page.get_textpage()
            pages.append(textpage.get_text_range())
            textpage.close()
            page.close()
    finally:
        pdf.close()
    text = normalize("\n\n".join(pages))
    extraction = Extraction(text=text, method=TextMethod.PDF_TEXT, pages=len(pages))
    if text and suspicious_share(text) > SUSPICIOUS_SHARE and shutil.which("pdftotext"):
        # pdfium sometimes maps glyphs of legacy Vietnamese fonts (VNI, TCVN3) badly.
        result = subprocess.run(
            ["pdftotext", "-enc", "UTF-8", str(path), "-"], capture_output=True, timeout=300
        )
        other = normalize(result.stdout.decode("utf-8", "replace"))
        if other and suspicious_share(other) < suspicious_share(text):
            extraction.text, extraction.method = other, TextMethod.PDFTOTEXT
    return extraction


def extract_docx(path: Path) -> Extraction:
    import docx

    document = docx.Document(str(path))
    parts = [paragraph.text for paragraph in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            parts.append(" | ".join(cell.text for cell in row.cells))
    return Extraction(text=normalize("\n".join(parts)), method=TextMethod.DOCX)


def image_to_pdf(path: Path, out: Path) -> None:
    """Wrap a scanned image in a PDF page (img2pdf keeps the pixels; alpha is flattened first)."""
    import img2pdf
    from PIL import Image

    with Image.open(path) as image:
        if image.mode in ("RGBA", "LA", "P") or image.format not in ("JPEG", "PNG", "TIFF"):
            flattened = out.with_suffix(".png")
            image.convert("RGB").save(flattened, dpi=image.info.get("dpi", (300, 300)))
            path = flattened
    out.write_bytes(img2pdf.convert(str(path), rotation=img2pdf.Rotation.ifvalid))


def run_ocr(pdf_path: Path, workdir: Path, *, quality_control: bool = True) -> Extraction:
    """OCR a PDF with OCRmyPDF + Tesseract `vie`; the searchable PDF is left in `workdir`.

    Without `quality_control` (the benchmark's baseline) the first reading of every page is
    the text, as before page checks existed."""
    ok, reason = ocr_status()
    if not ok:
        raise OcrUnavailable(reason)
    output = workdir / "ocr.pdf"
    scratch = workdir / "scratch"
    scratch.mkdir()
    command = [
        sys.executable,
        "-m",
        "ocrmypdf",
        "--language",
        "vie",
        "--force-ocr",
        "--output-type",
        "pdf",
        "--optimize",
        "0",
        "--keep-temporary-files",
        "--quiet",
        str(pdf_path),
        str(output),
    ]
    # Our own TMPDIR keeps OCRmyPDF's work files (the hOCR with word confidences) for us.
    env = {**os.environ, "TMPDIR": str(scratch), "OMP_THREAD_LIMIT": "1"}
    result = subprocess.run(command, capture_output=True, timeout=OCR_TIMEOUT_S, env=env)
    if result.returncode != 0:
        detail = result.stderr.decode("utf-8", "replace").strip().splitlines()[-1:] or [""]
        raise RuntimeError(
            _("OCRmyPDF lỗi (mã %(code)s): %(detail)s")
            % {"code": result.returncode, "detail": detail[0][:200]}
        )
    import pypdfium2 as pdfium

    pdf = pdfium.PdfDocument(str(output))
    pages = len(pdf)
    pdf.close()
    if not quality_control:
        readings = [hocr_reading(path) for path in sorted(scratch.rglob("*_ocr_hocr.hocr"))]
        words = [(r.confidence, r.chars) for r in readings if r.confidence is not None]
        total = sum(chars for _c, chars in words)
        return Extraction(
            text=normalize("\n\n".join(r.text for r in readings if r.text)),
            method=TextMethod.OCR,
            pages=pages,
            confidence=round(sum(c * n for c, n in words) / total, 1) if total else None,
            ocr_pdf=output,
        )
    results = check_pages(scratch, pages)
    return Extraction(
        text=released_text(results),
        method=TextMethod.OCR,
        pages=pages,
        confidence=mean_confidence(results),
        ocr_pdf=output,
        page_results=results,
    )


def check_pages(scratch: Path, pages: int) -> list:
    """Quality control of each page OCRmyPDF read: its page image and hOCR are in `scratch`;
    a page whose first reading looks bad is read again (ocrqc.recognise)."""
    from PIL import Image

    from sti.library import ocrqc

    results = []
    for number in range(1, pages + 1):
        stem = f"{number:06d}_ocr"
        images = sorted(scratch.rglob(f"{stem}.png"))
        hocr = next(iter(scratch.rglob(f"{stem}_hocr.hocr")), None)
        first = hocr_reading(hocr) if hocr else None
        if not images:  # OCRmyPDF skipped the page: nothing to check it against
            reading = first or ocrqc.Reading("", None, "psm3")
            layout = ocrqc.Layout(0, 0, 0.0, 0.0, 0.0, 0)
            flag, reason = ocrqc.judge(reading, layout)
            results.append(ocrqc.PageResult(number, flag, reason, reading, layout))
            continue
        with Image.open(images[0]) as image:
            dpi = round((image.info.get("dpi") or (300, 300))[0])
            results.append(ocrqc.recognise(image.convert("L"), dpi, number, first))
    return results


def hocr_reading(path: Path):
    """A page's first reading from OCRmyPDF's hOCR: text by line and mean word confidence."""
    import html

    from sti.library import ocrqc

    source = path.read_text(encoding="utf-8", errors="replace")
    paragraphs, confidences = [], []
    for paragraph in re.split(r"<p class=['\"]ocr_par['\"]", source)[1:]:
        lines = []
        for line in re.split(r"class=['\"]ocr_(?:line|caption|textfloat|header)['\"]", paragraph)[
            1:
        ]:
            words = []
            for conf, word in _WORD.findall(line):
                word = html.unescape(re.sub(r"<[^>]+>", "", word)).strip()
                if word:
                    words.append(word)
                    confidences.append(int(conf))
            if words:
                lines.append(" ".join(words))
        if lines:
            paragraphs.append("\n".join(lines))
    confidence = round(sum(confidences) / len(confidences), 1) if confidences else None
    return ocrqc.Reading(normalize("\n\n".join(paragraphs)), confidence, "psm3")


def released_text(results) -> str:
    """The text of the pages flagged ok, in page order."""
    from sti.library import ocrqc

    return normalize("\n\n".join(r.text for r in results if r.flag == ocrqc.OK and r.text))


def mean_confidence(results) -> float | None:
    weighted = [(r.reading.confidence, r.reading.chars) for r in results if r.reading.confidence]
    total = sum(chars for _c, chars in weighted)
    if not total:
        return None
    return round(sum(c * chars for c, chars in weighted) / total, 1)


def assess_pages(results) -> tuple[str, str]:
    """(QualityFlag, note) of a file from its pages: ok when every page with text is ok
    (blank pages are named in the note); otherwise the flag of the held pages and, page by
    page, why."""
    from sti.library import ocrqc

    held = [r for r in results if r.flag != ocrqc.OK]
    blank = [r for r in held if r.flag == ocrqc.BLANK]
    if not held:
        return QualityFlag.OK, ""
    if len(blank) == len(held) and len(blank) < len(results):
        return QualityFlag.OK, _("Trang trắng (không đưa vào văn bản): %(p)s.") % {
            "p": ", ".join(str(r.number) for r in blank)
        }
    worst = next(
        flag
        for flag in (ocrqc.LOW_QUALITY, ocrqc.NOISE, ocrqc.BLANK)
        if any(r.flag == flag for r in held)
    )
    note = " ".join(
        _("Trang %(n)s: %(r)s") % {"n": r.number, "r": r.reason} for r in held if r.flag != "ok"
    )
    return QualityFlag(worst), note[:300]


def extract(
    path: Path, mime_type: str, *, allow_ocr: bool = True, workdir: Path | None = None
) -> Extraction:
    """Text of a stored file; OCR when the file is an image or a PDF without a text layer.

    Raises OcrUnavailable when OCR is needed but cannot run.
    """
    if mime_type == DOCX:
        return extract_docx(path)
    if mime_type == PDF:
        extraction = extract_pdf(path)
        pages = extraction.pages or 1
        if visible_chars(extraction.text) >= MIN_CHARS_PER_PAGE * pages or not allow_ocr:
            return extraction
        if not ocr_available():
            raise OcrUnavailable(ocr_status()[1])
        return run_ocr(path, workdir)
    if mime_type in IMAGES:
        if not ocr_available():
            raise OcrUnavailable(ocr_status()[1])
        pdf = workdir / "image.pdf"
        image_to_pdf(path, pdf)
        return run_ocr(pdf, workdir)
    raise ValueError(mime_type)


def extract_file(path: Path, mime_type: str) -> Extraction:
    with tempfile.TemporaryDirectory(prefix="sti-ocr-") as folder:
        extraction = extract(path, mime_type, workdir=Path(folder))
        if extraction.ocr_pdf is not None:
            # Copy the searchable PDF out of the temporary folder before it disappears.
            from sti.library.storage import store_bytes_file

            extraction.ocr_sha256 = store_bytes_file(extraction.ocr_pdf)
            extraction.ocr_pdf = None
        return extraction


# ---------------------------------------------------------------------------
# Quality
# ---------------------------------------------------------------------------
def _plausible(ch: str) -> bool:
    if ch.isspace() or ch.isdigit() or ch in _PUNCTUATION:
        return True
    if ch.isalpha():
        base = fold(ch)
        return base.isascii() and base.isalpha()
    return False


def suspicious_share(text: str) -> float:
    """Share of characters that are neither Latin/Vietnamese letters, digits nor punctuation."""
    sample = unicodedata.normalize("NFC", text[:50_000])
    if not sample:
        return 0.0
    odd = sum(1 for ch in sample if not _plausible(ch))
    return odd / len(sample)


def assess(text: str, pages: int | None, confidence: float | None) -> tuple[str, str]:
    """(QualityFlag, note) for extracted text."""
    chars = visible_chars(text)
    pages = max(pages or 1, 1)
    if chars < MIN_CHARS or chars < 10 * pages:
        return QualityFlag.EMPTY, _("Chỉ lấy được %(n)s ký tự cho %(p)s trang.") % {
            "n": chars,
            "p": pages,
        }
    if confidence is not None and confidence < LOW_CONFIDENCE:
        return QualityFlag.LOW_CONFIDENCE, _("Độ tin cậy OCR trung bình %(c)s%%.") % {
            "c": confidence
        }
    share = suspicious_share(text)
    words = text.split()
    single = sum(1 for word in words if len(word) == 1 and word.isalpha()) / max(len(words), 1)
    if share > SUSPICIOUS_SHARE or single > 0.35:
        return QualityFlag.SUSPICIOUS, _("%(odd)s%% ký tự lạ, %(single)s%% từ một ký tự.") % {
            "odd": round(share * 100, 1),
            "single": round(single * 100, 1),
        }
    return QualityFlag.OK, ""
