"""The course filters, shared by the list page and the API."""

from __future__ import annotations

import django_filters
from django import forms
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from sti.core.forms import StyledFilterSetMixin, province_filter
from sti.core.models import FieldOfScience
from sti.core.text import fold_lower
from sti.training.choices import CourseStatus, DeliveryKind
from sti.training.models import Course


def _field_choices():
    return FieldOfScience.objects.current().filter(level__lte=2).choices()


class CourseFilter(StyledFilterSetMixin, django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("Tên khóa học"), method="filter_q")
    status = django_filters.ChoiceFilter(
        label=_("Trạng thái"), choices=CourseStatus.choices, empty_label=_("Tất cả")
    )
    upcoming = django_filters.BooleanFilter(
        label=_("Sắp diễn ra"),
        method="filter_upcoming",
        widget=forms.Select(choices=[("", _("Tất cả")), ("true", _("Có")), ("false", _("Không"))]),
    )
    year = django_filters.NumberFilter(
        label=_("Năm"), field_name="starts_on", lookup_expr="year", min_value=1990, max_value=2100
    )
    field = django_filters.ChoiceFilter(
        label=_("Lĩnh vực"), choices=_field_choices, method="filter_field", empty_label=_("Tất cả")
    )
    delivery = django_filters.ChoiceFilter(
        label=_("Hình thức"), choices=DeliveryKind.choices, empty_label=_("Tất cả")
    )

    province = province_filter("organizer__admin_unit_id")

    class Meta:
        model = Course
        fields = ["q", "status", "upcoming", "year", "field", "delivery", "province"]

    def filter_q(self, queryset, name, value):
        for word in fold_lower(value).split():
            queryset = queryset.filter(title_folded__contains=word)
        return queryset

    def filter_upcoming(self, queryset, name, value):
        if value is None:
            return queryset
        today = timezone.localdate()
        upcoming = Q(starts_on__gte=today) & ~Q(status=CourseStatus.CANCELLED)
        return queryset.filter(upcoming) if value else queryset.exclude(upcoming)

    def filter_field(self, queryset, name, value):
        if not value:
            return queryset
        through = Course.fields.through
        matching = through.objects.filter(
            fieldofscience__code__startswith=value, fieldofscience__version__is_current=True
        ).values("course_id")
        return queryset.filter(pk__in=matching)

    @property
    def active_count(self) -> int:
        return sum(1 for key in self.form.fields if self.data.get(key))
