from django.db import models
from django.utils.translation import gettext_lazy as _


class ValueKind(models.TextChoices):
    """What a cell of an indicator holds."""

    INTEGER = "integer", _("Số nguyên")
    NUMBER = "number", _("Số")
    TEXT = "text", _("Văn bản")


class RuleKind(models.TextChoices):
    REQUIRED = "required", _("Bắt buộc")
    NON_NEGATIVE = "non_negative", _("Không âm")
    COMPARE = "compare", _("So sánh (vế trái, phép so sánh, vế phải)")
    CROSS_FORM = "cross_form", _("So sánh giữa các biểu")
    YEAR_CHANGE = "year_change", _("Biến động so với năm trước")


class RuleLevel(models.TextChoices):
    ERROR = "error", _("Lỗi (chặn nộp)")
    WARNING = "warning", _("Cảnh báo")


class SubmissionStatus(models.TextChoices):
    DRAFT = "draft", _("Chưa nộp")
    SUBMITTED = "submitted", _("Đã nộp, chờ duyệt")
    RETURNED = "returned", _("Trả lại để sửa")
    ACCEPTED = "accepted", _("Đã chấp nhận")


class SubmissionSourceKind(models.TextChoices):
    ONLINE = "online", _("Nhập trực tuyến")
    EXCEL = "excel", _("Tải lên tệp Excel")
    API = "api", _("API")
    PREFILL = "prefill", _("Điền sẵn từ cơ sở dữ liệu")


class ReminderKind(models.TextChoices):
    BEFORE_DEADLINE = "before", _("Nhắc trước hạn")
    LATE = "late", _("Nhắc nộp muộn")
    MANUAL = "manual", _("Nhắc từ bảng theo dõi")


class AggregateKind(models.TextChoices):
    """What an aggregated figure sums: a form's cell, or a national indicator (1401–1407)."""

    CELL = "cell", _("Ô của biểu")
    NATIONAL = "national", _("Chỉ tiêu thống kê quốc gia")
