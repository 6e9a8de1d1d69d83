from django.db import models
from django.utils.translation import gettext_lazy as _


class SourceType(models.TextChoices):
    """Loại nguồn tin (DOMAIN.md §4, TaiLieu)."""

    BOOK = "book", _("Sách")
    ARTICLE = "article", _("Bài báo tạp chí")
    REPORT = "report", _("Báo cáo kết quả nghiên cứu")
    THESIS = "thesis", _("Luận án, luận văn")
    STANDARD = "standard", _("Tiêu chuẩn")
    BULLETIN = "bulletin", _("Bản tin")
    MULTIMEDIA = "multimedia", _("Đa phương tiện")


# Dublin Core / COAR-like type words used in OAI-PMH and schema.org output.
DC_TYPES = {
    SourceType.BOOK: "Text",
    SourceType.ARTICLE: "Text",
    SourceType.REPORT: "Text",
    SourceType.THESIS: "Text",
    SourceType.STANDARD: "Text",
    SourceType.BULLETIN: "Text",
    SourceType.MULTIMEDIA: "MovingImage",
}
SCHEMA_ORG_TYPES = {
    SourceType.BOOK: "Book",
    SourceType.ARTICLE: "ScholarlyArticle",
    SourceType.REPORT: "Report",
    SourceType.THESIS: "Thesis",
    SourceType.STANDARD: "CreativeWork",
    SourceType.BULLETIN: "PublicationIssue",
    SourceType.MULTIMEDIA: "MediaObject",
}


class AccessLevel(models.TextChoices):
    PUBLIC = "public", _("Công khai")
    REGISTERED = "registered", _("Người dùng đã đăng ký")
    STAFF = "staff", _("Chỉ cán bộ trung tâm")
    EMBARGOED = "embargoed", _("Hạn chế đến ngày")


class DocumentStatus(models.TextChoices):
    """Editorial state: a deposit goes draft → submitted → published | returned | rejected."""

    DRAFT = "draft", _("Nháp")
    SUBMITTED = "submitted", _("Chờ duyệt")
    RETURNED = "returned", _("Trả lại để bổ sung")
    REJECTED = "rejected", _("Từ chối")
    PUBLISHED = "published", _("Đã công bố")
    WITHDRAWN = "withdrawn", _("Đã rút (xóa)")


class DigitizationState(models.TextChoices):
    """Số hóa: giấy → quét → OCR → biên mục → công bố."""

    PAPER = "paper", _("Bản giấy")
    SCANNED = "scanned", _("Đã quét")
    OCR = "ocr", _("Đã nhận dạng (OCR)")
    CATALOGUED = "catalogued", _("Đã biên mục")
    PUBLISHED = "published", _("Đã công bố")
    BORN_DIGITAL = "born_digital", _("Bản số gốc")


class TextMethod(models.TextChoices):
    """How a file's text was obtained."""

    NONE = "", _("Chưa trích xuất")
    PDF_TEXT = "pdf_text", _("Lớp văn bản PDF (pypdfium2)")
    PDFTOTEXT = "pdftotext", _("Lớp văn bản PDF (pdftotext)")
    DOCX = "docx", _("Văn bản DOCX (python-docx)")
    OCR = "ocr", _("Nhận dạng ký tự (Tesseract qua OCRmyPDF)")
    PLAIN = "plain", _("Văn bản thuần")


class QualityFlag(models.TextChoices):
    OK = "ok", _("Đạt")
    EMPTY = "empty", _("Không có hoặc gần như không có chữ")
    LOW_CONFIDENCE = "low_confidence", _("Độ tin cậy OCR rất thấp")
    SUSPICIOUS = "suspicious", _("Tỷ lệ ký tự bất thường")
    LOW_QUALITY = "low_quality", _("Nhận dạng kém")
    BLANK = "blank", _("Trang trắng")
    NOISE = "noise", _("Nhiễu, không có chữ")
    PENDING = "pending", _("Chưa đánh giá")


# Flags whose text stays out of the index and the document's text until an editor accepts it.
HELD_FLAGS = (
    QualityFlag.EMPTY,
    QualityFlag.LOW_CONFIDENCE,
    QualityFlag.SUSPICIOUS,
    QualityFlag.LOW_QUALITY,
    QualityFlag.BLANK,
    QualityFlag.NOISE,
)


class CreatorRole(models.TextChoices):
    CREATOR = "creator", _("Tác giả")
    CONTRIBUTOR = "contributor", _("Người đóng góp")


LANGUAGES = [
    ("vie", _("Tiếng Việt")),
    ("eng", _("Tiếng Anh")),
    ("fra", _("Tiếng Pháp")),
    ("other", _("Khác")),
]
