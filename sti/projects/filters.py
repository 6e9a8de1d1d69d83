"""One filter definition for the task list page, the API and the exports."""

from __future__ import annotations

import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from sti.core.forms import StyledFilterSetMixin, province_filter
from sti.core.models import TaskLevel, current_field_choices
from sti.core.text import fold_lower
from sti.directory.models import Organization
from sti.projects.access import results_disclosed_q
from sti.projects.choices import (
    COMPLETED_STATES,
    DRAFT_STATES,
    ONGOING_STATES,
    TaskKind,
    TaskStatus,
)
from sti.projects.models import Task

STATUS_GROUPS = {
    "dang_tien_hanh": ONGOING_STATES,
    "da_hoan_thanh": COMPLETED_STATES,
    "du_thao": DRAFT_STATES,
}


def field_choices() -> list[tuple[str, str]]:
    """The current S&T field classification, each level indented under its parent."""
    return current_field_choices()


class TaskFilterSet(StyledFilterSetMixin, django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("Tên hoặc mã số"), method="filter_q")
    level = django_filters.ModelChoiceFilter(
        label=_("Cấp quản lý"),
        queryset=TaskLevel.objects.filter(version__is_current=True),
        to_field_name="code",
        empty_label=_("Tất cả"),
    )
    field = django_filters.ChoiceFilter(
        label=_("Lĩnh vực KH&CN"),
        method="filter_field",
        choices=field_choices,
        empty_label=_("Tất cả"),
    )
    year = django_filters.NumberFilter(
        label=_("Năm thực hiện"), method="filter_year", min_value=1, max_value=9999
    )
    organization = django_filters.ModelChoiceFilter(
        label=_("Tổ chức chủ trì"),
        # The names are all the select shows (a full organization is some 25 columns).
        queryset=Organization.objects.only("name"),
        field_name="host",
        empty_label=_("Tất cả"),
    )
    status = django_filters.ChoiceFilter(
        label=_("Trạng thái"), choices=TaskStatus.choices, empty_label=_("Tất cả")
    )
    group = django_filters.ChoiceFilter(
        label=_("Nhóm"),
        method="filter_group",
        choices=[
            ("dang_tien_hanh", _("Đang tiến hành")),
            ("da_hoan_thanh", _("Đã hoàn thành")),
            ("du_thao", _("Dự thảo, chưa công bố")),
        ],
        empty_label=_("Tất cả"),
    )
    form = django_filters.ChoiceFilter(
        label=_("Hình thức"), choices=TaskKind.choices, empty_label=_("Tất cả")
    )

    province = province_filter("host__admin_unit_id")

    class Meta:
        model = Task
        fields = [
            "q",
            "level",
            "field",
            "year",
            "organization",
            "status",
            "group",
            "form",
            "province",
        ]

    def __init__(self, *args, viewer=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.viewer = viewer

    def filter_q(self, queryset, name, value):
        """Words of the title; a task's code only where its results are disclosed to the
        viewer (an ongoing task's code is not public, TT 14/2014 Art. 23 §2)."""
        folded = fold_lower(value).strip()
        if not folded:
            return queryset
        by_code = Q(code__iexact=value.strip()) & results_disclosed_q(self.viewer)
        return queryset.filter(Q(title_folded__contains=folded) | by_code)

    def filter_field(self, queryset, name, value):
        # "401" selects 401 and every 401xx below it.
        return (
            queryset.filter(fields__code__startswith=value.strip()).distinct()
            if value.strip()
            else queryset
        )

    def filter_year(self, queryset, name, value):
        year = int(value)
        return queryset.filter(planned_start__year__lte=year).filter(
            Q(planned_end__year__gte=year) | Q(planned_end__isnull=True)
        )

    def filter_group(self, queryset, name, value):
        return queryset.filter(status__in=STATUS_GROUPS[value])
