"""Pre-filling a form from what the registry already knows.

A provider is registered per indicator code: `register_prefill("04.02", fn)` where
`fn(organization, period)` returns {option key or "" (the total): number}. The directory and
the task registry register theirs below; another app (the IP register) registers its own from
its `AppConfig.ready()`. The reporter sees pre-filled cells marked and confirms or corrects
them; nothing is submitted without the reporter.
"""

from __future__ import annotations

from collections.abc import Callable

from django.db.models import Count, Q

from sti.stats.models import TOTAL, cell_key

Provider = Callable[[object, object], dict[str, int]]
_providers: dict[str, list[Provider]] = {}


def register_prefill(indicator_code: str, provider: Provider) -> None:
    _providers.setdefault(indicator_code, []).append(provider)


def providers() -> dict[str, list[Provider]]:
    return dict(_providers)


def prefill_values(layout, organization, period) -> dict[str, str]:
    """Canonical values for the cells of `layout` some provider knows."""
    values = {}
    for code in layout.indicators:
        for provider in _providers.get(code, []):
            for option, number in (provider(organization, period) or {}).items():
                key = cell_key(code, option)
                if key in layout.cells and number:  # a registry without records says nothing
                    values[key] = str(int(number))
    return values


# ---------------------------------------------------------------------------
# The directory: researchers by degree, title and gender (form 02)
# ---------------------------------------------------------------------------
DEGREE_OPTIONS = {"TS": "TS", "ThS": "ThS", "ĐH": "DH", "CĐ": "CD", "khac": "KHAC"}


def _researchers(organization, *, female: bool = False) -> dict[str, int]:
    from sti.directory.models import Researcher

    people = Researcher.objects.filter(organization=organization)
    if female:
        people = people.filter(gender="female")
    out = {TOTAL: people.count()}
    for row in people.values("degree").annotate(n=Count("pk")):
        option = DEGREE_OPTIONS.get(row["degree"] or "khac", "KHAC")
        out[f"qual.{option}"] = out.get(f"qual.{option}", 0) + row["n"]
    for row in people.exclude(academic_title="").values("academic_title").annotate(n=Count("pk")):
        out[f"title.{row['academic_title']}"] = row["n"]
    return out


def researchers_total(organization, period) -> dict[str, int]:
    return _researchers(organization)


def researchers_female(organization, period) -> dict[str, int]:
    return _researchers(organization, female=True)


# ---------------------------------------------------------------------------
# The task registry: tasks hosted by the organization, by level and progress (form 04)
# ---------------------------------------------------------------------------
PROJECT_KINDS = ("du_an_sxtn", "du_an_khcn")
LEVELS = {"quoc_gia": 0, "bo_nganh": 1, "tinh": 2, "co_so": 3}  # else: "khác" (4)


def _tasks(organization, period, *, projects: bool, level_index: int | None):
    import datetime as dt

    from sti.projects.choices import COMPLETED_STATES, DRAFT_STATES, ONGOING_STATES, TaskStatus
    from sti.projects.models import Task

    year_start, year_end = dt.date(period.year, 1, 1), dt.date(period.year, 12, 31)
    tasks = Task.objects.filter(host=organization).exclude(
        status__in=[*DRAFT_STATES, TaskStatus.CANCELLED]
    )
    kind = Q(form__in=PROJECT_KINDS)
    tasks = tasks.filter(kind if projects else ~kind)
    if level_index is not None:
        codes = [code for code, index in LEVELS.items() if index == level_index]
        level = Q(level__code__in=codes) if codes else ~Q(level__code__in=list(LEVELS))
        if not codes:
            level |= Q(level__isnull=True)
        tasks = tasks.filter(level)
    started = Q(actual_start__isnull=False, actual_start__lte=year_end) | Q(
        actual_start__isnull=True, planned_start__lte=year_end
    )
    tasks = tasks.filter(started)
    counts = tasks.aggregate(
        total=Count("pk"),
        female=Count("pk", filter=Q(principal__gender="female")),
        new=Count(
            "pk",
            filter=Q(actual_start__gte=year_start)
            | Q(actual_start__isnull=True, planned_start__gte=year_start),
        ),
        ongoing=Count("pk", filter=Q(status__in=ONGOING_STATES)),
        accepted=Count("pk", filter=Q(status__in=COMPLETED_STATES)),
        applied=Count("pk", filter=Q(status=TaskStatus.APPLIED)),
    )
    return {
        TOTAL: counts["total"],
        "prog.NU": counts["female"],
        "prog.MOI": counts["new"],
        "prog.CT": max(counts["ongoing"] - counts["new"], 0),
        "prog.NT": counts["accepted"],
        "prog.UD": counts["applied"],
    }


def _task_provider(projects: bool, level_index: int | None) -> Provider:
    def provider(organization, period):
        return _tasks(organization, period, projects=projects, level_index=level_index)

    return provider


# ---------------------------------------------------------------------------
# The IP register: applications filed and grants issued in the year, by object (form 08)
# ---------------------------------------------------------------------------
IP_ROWS = {  # form 08's rows in the order of sti.ip's kinds; "08.01" is their total
    "08.02": "sang_che",
    "08.03": "gphi",
    "08.04": "kdcn",
    "08.05": "nhan_hieu",
    "08.06": "cddl",
    "08.07": "giong",
}


def _ip_counts(organization, period) -> dict[str, dict]:
    import datetime as dt

    from sti.ip.services import counts

    found = counts(
        by=("kind",),
        start=dt.date(period.year, 1, 1),
        end=dt.date(period.year, 12, 31),
        organization_ids=[organization.pk],
    )
    return {
        "ipstat.DON": {key[0]: n for key, n in found["applications"].items()},
        "ipstat.VB": {key[0]: n for key, n in found["grants"].items()},
    }


def _ip_provider(kind: str | None) -> Provider:
    def provider(organization, period):
        return {
            column: (sum(by_kind.values()) if kind is None else by_kind.get(kind, 0))
            for column, by_kind in _ip_counts(organization, period).items()
        }

    return provider


def register_builtin() -> None:
    """The providers of the apps this one reads (called once from `StatsConfig.ready()`)."""
    register_prefill("02.01", researchers_total)
    register_prefill("02.02", researchers_female)
    for base, projects in (("04.0", False), ("04.1", True)):
        register_prefill(f"{base}1", _task_provider(projects, None))
        for index in range(5):
            register_prefill(f"{base}{index + 2}", _task_provider(projects, index))
    register_prefill("08.01", _ip_provider(None))
    for code, kind in IP_ROWS.items():
        register_prefill(code, _ip_provider(kind))
