"""The request list's filters, shared by the page and the API."""

from __future__ import annotations

import django_filters
from django import forms
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from sti.core.forms import StyledFilterSetMixin
from sti.servicedesk.choices import OPEN_STATES, RequestStatus, ServiceKind
from sti.servicedesk.models import ServiceRequest

ASSIGNEE_CHOICES = [("me", _("Của tôi")), ("none", _("Chưa phân công"))]


class RequestFilter(StyledFilterSetMixin, django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("Số yêu cầu, tiêu đề"), method="filter_q")
    status = django_filters.ChoiceFilter(label=_("Trạng thái"), choices=RequestStatus.choices)
    kind = django_filters.ChoiceFilter(label=_("Dịch vụ"), choices=ServiceKind.choices)
    assignee = django_filters.ChoiceFilter(
        label=_("Cán bộ xử lý"), choices=ASSIGNEE_CHOICES, method="filter_assignee"
    )
    overdue = django_filters.BooleanFilter(
        label=_("Quá hạn"),
        method="filter_overdue",
        widget=forms.Select(
            choices=[("", _("Tất cả")), ("true", _("Quá hạn")), ("false", _("Chưa quá hạn"))]
        ),
    )

    class Meta:
        model = ServiceRequest
        fields = ["q", "status", "kind", "assignee", "overdue"]

    def filter_q(self, queryset, name, value):
        value = (value or "").strip()
        if not value:
            return queryset
        return queryset.filter(
            Q(reference__iexact=value)
            | Q(subject__icontains=value)
            | Q(requester_organization__icontains=value)
        )

    def filter_assignee(self, queryset, name, value):
        if value == "none":
            return queryset.filter(assignee__isnull=True, status__in=OPEN_STATES)
        if value == "me":
            user = getattr(self.request, "user", None)
            return queryset.filter(assignee_id=getattr(user, "pk", None))
        return queryset

    def filter_overdue(self, queryset, name, value):
        if value is None:
            return queryset
        overdue = Q(status__in=OPEN_STATES, due_on__lt=timezone.localdate())
        return queryset.filter(overdue) if value else queryset.exclude(overdue)

    @property
    def active_count(self) -> int:
        return sum(1 for name in self.form.fields if self.data.get(name))
