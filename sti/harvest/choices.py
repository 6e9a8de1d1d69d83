"""Choices of the harvester (TextChoices only)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class HarvestMode(models.TextChoices):
    FULL = "full", _("Toàn bộ")
    INCREMENTAL = "incremental", _("Gia tăng (từ lần trước)")


class RunOutcome(models.TextChoices):
    RUNNING = "running", _("Đang chạy")
    SUCCEEDED = "succeeded", _("Thành công")
    FAILED = "failed", _("Thất bại")
