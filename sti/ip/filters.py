"""Filters of the IP register, shared by the list page and the API (one definition)."""

from __future__ import annotations

import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from sti.core.forms import StyledFilterSetMixin, province_filter
from sti.core.text import fold_lower
from sti.core.validators import MAX_PK, as_pk
from sti.directory.models import Organization
from sti.ip.choices import FilingStatus, IPKind
from sti.ip.models import Filing


class FilingFilter(StyledFilterSetMixin, django_filters.FilterSet):
    """Filters of `ip:filing_list` and `GET /api/ip/filings`. Text compares folded, so
    "nhan hieu gao" finds "Nhãn hiệu gạo"."""

    q = django_filters.CharFilter(label=_("Tên, số đơn hoặc số văn bằng"), method="filter_q")
    kind = django_filters.ChoiceFilter(
        label=_("Loại đối tượng"), choices=IPKind.choices, empty_label=_("Tất cả")
    )
    status = django_filters.ChoiceFilter(
        label=_("Trạng thái"), choices=FilingStatus.choices, empty_label=_("Tất cả")
    )
    # Bounded: a year outside the calendar (0, 10**20) is a form error, not a 500.
    year = django_filters.NumberFilter(
        label=_("Năm nộp đơn"),
        field_name="filed_on",
        lookup_expr="year",
        min_value=1900,
        max_value=2100,
    )
    granted_year = django_filters.NumberFilter(
        label=_("Năm cấp văn bằng"),
        field_name="granted_on",
        lookup_expr="year",
        min_value=1900,
        max_value=2100,
    )
    organization = django_filters.CharFilter(
        label=_("Tổ chức nộp đơn"),
        method="filter_organization",
        help_text=_("Mã số, tên viết tắt hoặc một phần tên tổ chức."),
    )
    task = django_filters.NumberFilter(
        label=_("Nhiệm vụ"), field_name="task_id", min_value=1, max_value=MAX_PK
    )

    province = province_filter("applicant_organization__admin_unit_id")

    class Meta:
        model = Filing
        fields = ["q", "kind", "status", "year", "granted_year", "organization", "task", "province"]

    def filter_q(self, queryset, name, value):
        for term in fold_lower(value).split():
            queryset = queryset.filter(title_folded__contains=term)
        return queryset

    def filter_organization(self, queryset, name, value):
        value = value.strip()
        if value.isdigit():
            pk = as_pk(value)
            by_pk = Q(applicant_organization_id=pk) if pk else Q(pk__in=[])
            return queryset.filter(by_pk | Q(applicant_organization__identifier=value))
        organizations = Organization.objects.all()
        for term in fold_lower(value).split():
            organizations = organizations.filter(name_folded__contains=term)
        return queryset.filter(applicant_organization__in=organizations.values("pk"))
