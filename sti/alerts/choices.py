from django.db import models
from django.utils.translation import gettext_lazy as _


class AlertKind(models.TextChoices):
    SEARCH = "search", _("Tìm kiếm đã lưu")
    FOLLOW = "follow", _("Theo dõi")


class DigestFrequency(models.TextChoices):
    DAILY = "daily", _("Hằng ngày")
    WEEKLY = "weekly", _("Hằng tuần")
    NONE = "none", _("Không gửi thư (chỉ nguồn tin RSS)")
