"""The article list's filters, shared by the page, the feeds' links and the API.

Full-text search with accent folding is the search page's job (`/tim-kiem/?type=article`);
`q` here narrows the list by words of the title."""

from __future__ import annotations

import django_filters
from django.utils.translation import gettext_lazy as _

from sti.core.forms import StyledFilterSetMixin, province_filter
from sti.core.models import current_field_choices
from sti.news.choices import ArticleStatus
from sti.news.models import Article, Category, Tag


def _field_choices():
    """The first two levels of the current S&T fields (remembered: no query per page)."""
    return current_field_choices(max_level=2)


class ArticleFilter(StyledFilterSetMixin, django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("Từ khóa trong tiêu đề"), method="filter_words")
    category = django_filters.ModelChoiceFilter(
        label=_("Chuyên mục"),
        queryset=Category.objects.only("name", "slug"),
        to_field_name="slug",
        empty_label=_("Tất cả chuyên mục"),
    )
    tag = django_filters.ModelChoiceFilter(
        label=_("Thẻ"), queryset=Tag.objects.only("name", "slug"), to_field_name="slug"
    )
    field = django_filters.ChoiceFilter(
        label=_("Lĩnh vực KH&CN"), choices=_field_choices, method="filter_field"
    )
    status = django_filters.ChoiceFilter(label=_("Trạng thái"), choices=ArticleStatus.choices)
    # Bounded: `publish_at__year=0` makes Django compute the bounds of year 0 (a 500).
    year = django_filters.NumberFilter(
        label=_("Năm"),
        field_name="publish_at",
        lookup_expr="year",
        min_value=1900,
        max_value=2100,
    )

    province = province_filter("organization__admin_unit_id")

    class Meta:
        model = Article
        fields = ["q", "category", "tag", "field", "status", "year", "province"]

    def filter_words(self, queryset, name, value):
        for word in value.split()[:8]:
            queryset = queryset.filter(title__icontains=word)
        return queryset

    def filter_field(self, queryset, name, value):
        """Articles filed under the field or any field below it (same code prefix)."""
        matching = Article.fields.through.objects.filter(
            fieldofscience__code__startswith=value
        ).values("article_id")
        return queryset.filter(pk__in=matching)
