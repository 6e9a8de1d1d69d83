"""Small building blocks of the apps' named report methods (the figures sti.analytics reads):
a grouped count or sum in one query, and a date-range filter. Each app's QuerySet states what
it counts; these only keep the GROUP BY the same everywhere."""

from __future__ import annotations

from datetime import date

from django.db.models import Count, QuerySet


def counts_by(queryset: QuerySet, *fields: str, value=None) -> dict:
    """{group: value} over `fields` in one query: the key is the field's value for one field
    and a tuple of values for several; `value` is an aggregate (default: the number of rows)."""
    rows = queryset.order_by().values_list(*fields).annotate(_value=value or Count("pk"))
    if len(fields) == 1:
        return {row[0]: row[-1] for row in rows}
    return {tuple(row[:-1]): row[-1] for row in rows}


def between(queryset: QuerySet, field: str, start: date | None, end: date | None) -> QuerySet:
    """Rows whose `field` falls from `start` to `end`, both included; None leaves that side
    open. For a datetime, name its local date: `between(qs, "created_at__date", …)`."""
    if start is not None:
        queryset = queryset.filter(**{f"{field}__gte": start})
    if end is not None:
        queryset = queryset.filter(**{f"{field}__lte": end})
    return queryset
