"""Export columns and rows of news articles (CSV, XLSX, JSON through `sti.core.exports`).
The rows come from a queryset already filtered by `visible_to`, so an export shows exactly
what the list page shows."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

COLUMNS = [
    ("id", _("Mã")),
    ("title", _("Tiêu đề")),
    ("status", _("Trạng thái")),
    ("publish_at", _("Thời điểm đăng")),
    ("organization", _("Đơn vị đưa tin")),
    ("category", _("Chuyên mục")),
    ("tags", _("Thẻ")),
    ("fields", _("Lĩnh vực KH&CN")),
    ("summary", _("Tóm tắt")),
    ("url", _("Địa chỉ")),
]


def rows(articles, absolute_url):
    for article in articles.select_related("organization", "category").prefetch_related(
        "tags", "fields"
    ):
        yield {
            "id": article.pk,
            "title": article.title,
            "status": article.get_status_display(),
            "publish_at": article.publish_at,
            "organization": article.organization.name,
            "category": article.category.name if article.category_id else "",
            "tags": "; ".join(tag.name for tag in article.tags.all()),
            "fields": "; ".join(field.code for field in article.fields.all()),
            "summary": article.summary,
            "url": absolute_url(article.get_absolute_url()),
        }
