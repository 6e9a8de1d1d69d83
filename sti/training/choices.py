from django.db import models
from django.utils.translation import gettext_lazy as _


class CourseStatus(models.TextChoices):
    DRAFT = "draft", _("Bản nháp")
    OPEN = "open", _("Đang nhận đăng ký")
    CLOSED = "closed", _("Đã đóng đăng ký")
    RUNNING = "running", _("Đang diễn ra")
    FINISHED = "finished", _("Đã kết thúc")
    CANCELLED = "cancelled", _("Đã hủy")


class DeliveryKind(models.TextChoices):
    ONSITE = "onsite", _("Trực tiếp")
    ONLINE = "online", _("Trực tuyến")
    BLENDED = "blended", _("Kết hợp trực tiếp và trực tuyến")


class RegistrationStatus(models.TextChoices):
    CONFIRMED = "confirmed", _("Đã xác nhận")
    WAITING = "waiting", _("Danh sách chờ")
    CANCELLED = "cancelled", _("Đã hủy")


class LearnerGender(models.TextChoices):
    MALE = "male", _("Nam")
    FEMALE = "female", _("Nữ")
    OTHER = "other", _("Khác")
    UNSTATED = "unstated", _("Không muốn nêu")
