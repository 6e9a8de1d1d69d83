from django.db import models
from django.utils.translation import gettext_lazy as _


class AdminUnitKind(models.TextChoices):
    CITY = "city", _("Thành phố trực thuộc TW")
    DISTRICT = "district", _("Quận/huyện (trước 2025)")
    WARD = "ward", _("Phường")
    COMMUNE = "commune", _("Xã")
    PROVINCE = "province", _("Tỉnh (trước sáp nhập)")


class AuditAction(models.TextChoices):
    CREATE = "create", _("Tạo mới")
    UPDATE = "update", _("Sửa")
    DELETE = "delete", _("Xóa")
    TRANSITION = "transition", _("Chuyển trạng thái")
    IMPORT = "import", _("Nhập dữ liệu")
    EXPORT = "export", _("Xuất dữ liệu")
    LOGIN = "login", _("Đăng nhập")


class JobState(models.TextChoices):
    """The state of a tracked background job (core.jobs)."""

    QUEUED = "queued", _("Đang chờ")
    RUNNING = "running", _("Đang xử lý")
    DONE = "done", _("Hoàn tất")
    FAILED = "failed", _("Lỗi")
    # Stopped for a missing condition (e.g. OCR not installed); requeued once it is met.
    WAITING = "waiting", _("Tạm dừng, chờ điều kiện")
