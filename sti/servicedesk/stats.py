"""Statistics of the service desk for editors: requests per kind and state, response time
(intake → first answer) per kind and month, deadlines kept and missed, satisfaction.

Percentiles use the nearest-rank method (p90 of n values is the ⌈0.9·n⌉-th smallest), so
each figure is a response time that really occurred. Months are those of intake, in the
site's time zone.
"""

from __future__ import annotations

import math
import statistics
from collections import defaultdict
from dataclasses import dataclass, field

from django.utils import timezone

from sti.servicedesk.choices import OPEN_STATES, RequestStatus, ServiceKind
from sti.servicedesk.models import ServiceRequest


def nearest_rank(values: list[float], share: float) -> float | None:
    if not values:
        return None
    ordered = sorted(values)
    return ordered[max(1, math.ceil(share * len(ordered))) - 1]


def median(values: list[float]) -> float | None:
    return statistics.median(values) if values else None


@dataclass
class TimeFigures:
    """Response times (days) of a group of answered requests."""

    days: list[float] = field(default_factory=list)

    @property
    def count(self) -> int:
        return len(self.days)

    @property
    def median(self) -> float | None:
        return median(self.days)

    @property
    def p90(self) -> float | None:
        return nearest_rank(self.days, 0.9)


@dataclass
class KindRow:
    kind: str
    label: str
    by_status: dict[str, int]
    total: int
    times: TimeFigures
    open_overdue: int
    answered_late: int
    answered_on_time: int
    rating_count: int
    rating_average: float | None


@dataclass
class MonthRow:
    month: str  # "2026-03"
    kind: str
    label: str
    received: int
    times: TimeFigures


@dataclass
class Statistics:
    year: int | None
    kinds: list[KindRow]
    months: list[MonthRow]
    statuses: list[tuple[str, str]]
    total: int
    status_totals: dict[str, int]
    times: TimeFigures
    open_overdue: int
    answered_late: int
    answered_on_time: int
    rating_count: int
    rating_average: float | None
    chart: dict


FIELDS = (
    "kind",
    "status",
    "received_at",
    "first_answered_at",
    "due_on",
    "rating",
)


def compute(user, *, year: int | None = None, today=None) -> Statistics:
    """The figures over the requests `user` may see (editors: all), for one intake year or
    for all years. One query; the grouping is done here."""
    today = today or timezone.localdate()
    queryset = ServiceRequest.objects.visible_to(user)
    if year is not None:
        queryset = queryset.filter(year=year)
    rows = list(queryset.order_by().values(*FIELDS))

    labels = dict(ServiceKind.choices)
    per_kind: dict[str, dict] = {
        kind: {
            "status": defaultdict(int),
            "times": TimeFigures(),
            "overdue": 0,
            "late": 0,
            "on_time": 0,
            "ratings": [],
        }
        for kind in ServiceKind.values
    }
    per_month: dict[tuple[str, str], dict] = defaultdict(
        lambda: {"received": 0, "times": TimeFigures()}
    )
    for row in rows:
        group = per_kind.setdefault(
            row["kind"],
            {
                "status": defaultdict(int),
                "times": TimeFigures(),
                "overdue": 0,
                "late": 0,
                "on_time": 0,
                "ratings": [],
            },
        )
        group["status"][row["status"]] += 1
        month = timezone.localtime(row["received_at"]).strftime("%Y-%m")
        cell = per_month[(month, row["kind"])]
        cell["received"] += 1
        if row["first_answered_at"] is not None:
            days = (row["first_answered_at"] - row["received_at"]).total_seconds() / 86400
            group["times"].days.append(days)
            cell["times"].days.append(days)
            answered_on = timezone.localtime(row["first_answered_at"]).date()
            if answered_on > row["due_on"]:
                group["late"] += 1
            else:
                group["on_time"] += 1
        elif row["status"] in OPEN_STATES and row["due_on"] < today:
            group["overdue"] += 1
        if row["rating"] is not None:
            group["ratings"].append(row["rating"])

    kinds = []
    for kind, group in per_kind.items():
        ratings = group["ratings"]
        kinds.append(
            KindRow(
                kind=kind,
                label=str(labels.get(kind, kind)),
                by_status={
                    status: group["status"].get(status, 0) for status in RequestStatus.values
                },
                total=sum(group["status"].values()),
                times=group["times"],
                open_overdue=group["overdue"],
                answered_late=group["late"],
                answered_on_time=group["on_time"],
                rating_count=len(ratings),
                rating_average=(sum(ratings) / len(ratings)) if ratings else None,
            )
        )
    months = [
        MonthRow(month, kind, str(labels.get(kind, kind)), cell["received"], cell["times"])
        for (month, kind), cell in sorted(per_month.items())
    ]
    all_times = TimeFigures([d for k in kinds for d in k.times.days])
    all_ratings = [r for g in per_kind.values() for r in g["ratings"]]
    month_keys = sorted({m.month for m in months})
    chart = {
        "months": month_keys,
        "series": [
            {
                "label": k.label,
                "received": [
                    per_month[(m, k.kind)]["received"] if (m, k.kind) in per_month else 0
                    for m in month_keys
                ],
                "median": [
                    _round(per_month[(m, k.kind)]["times"].median)
                    if (m, k.kind) in per_month
                    else None
                    for m in month_keys
                ],
            }
            for k in kinds
        ],
    }
    return Statistics(
        year=year,
        kinds=kinds,
        months=months,
        statuses=list(RequestStatus.choices),
        total=len(rows),
        status_totals={s: sum(k.by_status[s] for k in kinds) for s in RequestStatus.values},
        times=all_times,
        open_overdue=sum(k.open_overdue for k in kinds),
        answered_late=sum(k.answered_late for k in kinds),
        answered_on_time=sum(k.answered_on_time for k in kinds),
        rating_count=len(all_ratings),
        rating_average=(sum(all_ratings) / len(all_ratings)) if all_ratings else None,
        chart=chart,
    )


def _round(value):
    return None if value is None else round(value, 1)


def years(user) -> list[int]:
    return list(
        ServiceRequest.objects.visible_to(user)
        .order_by("-year")
        .values_list("year", flat=True)
        .distinct()
    )
