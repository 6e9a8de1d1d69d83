"""The news app's choices: an article's editorial states, periodical kinds and issue states."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class ArticleStatus(models.TextChoices):
    """Where an article stands in the editorial workflow (`lifecycle.ARTICLE`)."""

    DRAFT = "draft", _("Bản nháp")
    REVIEW = "review", _("Chờ duyệt")
    SCHEDULED = "scheduled", _("Hẹn giờ đăng")
    PUBLISHED = "published", _("Đã đăng")
    ARCHIVED = "archived", _("Lưu trữ (đã gỡ)")


class SeriesKind(models.TextChoices):
    """The periodicals the charter asks the center to publish (seed 000)."""

    SELECTED = "selected", _("Bản tin chọn lọc")
    FLASH = "flash", _("Bản tin nhanh")
    RURAL = "rural", _("Bản tin nông nghiệp – nông thôn")
    REVIEW = "review", _("Tổng luận")
    THEMATIC = "thematic", _("Chuyên đề")
    JOURNAL = "journal", _("Tạp chí")
    ANNUAL = "annual", _("Tổng quan hàng năm")


class IssueStatus(models.TextChoices):
    """An issue is prepared as a draft, then published (and becomes a library document)."""

    DRAFT = "draft", _("Đang biên tập")
    PUBLISHED = "published", _("Đã phát hành")
