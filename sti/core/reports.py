"""Small building blocks of the apps' named report methods (the figures sti.analytics reads):
a grouped count or sum in one query, the same for several periods at once (a dashboard's
total and its trend year by year: one query, not one per year), and a date-range filter.
Each app's QuerySet states what it counts; these only keep the GROUP BY the same everywhere.

A report method takes `periods`, a list of (start, end) dates, and answers one result per
period in the same order: `[(date(2024, 1, 1), date(2024, 12, 31))]` for one figure."""

from __future__ import annotations

import operator
from collections.abc import Callable, Sequence
from datetime import date
from functools import reduce

from django.db.models import Count, Q, QuerySet

Period = tuple[date | None, date | None]


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


def _count(condition: Q):
    return Count("pk", filter=condition) if condition else Count("pk")


def per_period(
    queryset: QuerySet,
    periods: Sequence[Period],
    condition: Callable[[date | None, date | None], Q],
    *fields: str,
    value: Callable[[Q], object] = _count,
) -> list:
    """`counts_by` for each (start, end) of `periods`, in ONE query: a row counts in a period
    when it meets `condition(start, end)`, and each period is a conditional aggregate
    (`value(condition)`: the number of rows by default, or a dict of named aggregates).
    One result per period: {group: value} over `fields` (keys as in `counts_by`, groups
    without a value left out), or the bare value (a dict for named aggregates) with no
    `fields`. A row may count in several periods (a task running through three years)."""
    periods = list(periods)
    if not periods:
        return []
    made = [value(condition(start, end)) for start, end in periods]
    named: dict[str, object] = {}
    for i, aggregate in enumerate(made):
        if isinstance(aggregate, dict):
            named.update({f"_p{i}_{key}": item for key, item in aggregate.items()})
        else:
            named[f"_p{i}"] = aggregate
    rows_of = queryset.filter(reduce(operator.or_, (condition(*p) for p in periods))).order_by()
    if fields:
        rows = list(rows_of.values(*fields).annotate(**named))
    else:
        rows = [rows_of.aggregate(**named)]

    def read(row: dict, i: int):
        if isinstance(made[i], dict):
            return {key: row[f"_p{i}_{key}"] for key in made[i]}
        return row[f"_p{i}"]

    if not fields:
        return [read(rows[0], i) for i in range(len(periods))]
    results = []
    for i in range(len(periods)):
        result = {}
        for row in rows:
            found = read(row, i)
            if any(found.values() if isinstance(found, dict) else [found]):
                key = row[fields[0]] if len(fields) == 1 else tuple(row[f] for f in fields)
                result[key] = found
        results.append(result)
    return results


def within(field: str) -> Callable[[date | None, date | None], Q]:
    """The condition of `per_period` for rows whose `field` falls in the period (the Q form
    of `between`)."""

    def condition(start: date | None, end: date | None) -> Q:
        q = Q()
        if start is not None:
            q &= Q(**{f"{field}__gte": start})
        if end is not None:
            q &= Q(**{f"{field}__lte": end})
        return q

    return condition
