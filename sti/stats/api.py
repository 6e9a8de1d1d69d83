"""REST API of the statistics app (mounted at /api/stats/).

Published aggregates and national indicators are public (`/aggregates/…`, `/indicators/…`):
only the copy an editor published is ever read there, never an organization's figures or the
current, unpublished build.

Submissions are read through `visible_to(user)` (the organization's reporters and editors;
a plain member sees none) and written with a bearer token through the same services as the
pages: the values are parsed and validated exactly like the online form and the Excel upload,
and an invalid body stores nothing (400, one error per cell, `loc` = ["body", cell key]).
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Literal

from django.shortcuts import get_object_or_404
from ninja import Router, Schema

from sti.accounts.api_auth import optional_user, token_auth
from sti.core.api import PayloadSchema
from sti.stats import aggregation, services, validation
from sti.stats.models import Period, Submission

router = Router(tags=["stats"])


class RuleIssueOut(Schema):
    cell: str
    level: str
    message: str
    rule: str


class SubmissionOut(Schema):
    id: int
    year: int
    form: str
    organization: int
    status: str
    deadline: date
    values: dict[str, str]
    prefilled: list[str]
    submitted_at: datetime | None
    review_note: str
    versions: list[int]

    @staticmethod
    def resolve_year(obj) -> int:
        return obj.period.year

    @staticmethod
    def resolve_form(obj) -> str:
        return obj.form.code

    @staticmethod
    def resolve_organization(obj) -> int:
        return obj.organization_id

    @staticmethod
    def resolve_deadline(obj) -> date:
        return obj.period.deadline

    @staticmethod
    def resolve_versions(obj) -> list[int]:
        return [v.number for v in obj.versions.all()]


class ValuesIn(PayloadSchema):
    values: dict[str, str | int | float | None]
    submit: bool = False


class SavedOut(Schema):
    submission: SubmissionOut
    issues: list[RuleIssueOut]


def _submissions(user):
    return (
        Submission.objects.visible_to(user)
        .select_related("period", "form")
        .prefetch_related("versions")
    )


def _issues(issues: list[validation.Issue]) -> list[dict]:
    return [{"cell": i.key, "level": i.level, "message": i.message, "rule": i.rule} for i in issues]


@router.get("/submissions", response=list[SubmissionOut], summary="Báo cáo thống kê được xem")
def list_submissions(request, year: int | None = None):
    submissions = _submissions(optional_user(request))
    if year is not None:
        submissions = submissions.filter(period__year=year)
    return submissions.order_by("-period__year", "form__order", "pk")[:500]


@router.get("/submissions/{pk}", response=SubmissionOut, summary="Một báo cáo thống kê")
def get_submission(request, pk: int):
    return get_object_or_404(_submissions(optional_user(request)), pk=pk)


@router.put(
    "/submissions/{pk}/values",
    auth=token_auth,
    response={200: SavedOut},
    summary="Ghi số liệu của báo cáo (và nộp, với submit=true)",
)
def put_values(request, pk: int, payload: ValuesIn):
    submission = get_object_or_404(_submissions(request.auth), pk=pk)
    issues = services.save_values(
        request.auth, submission, payload.values, source="api", strict=True
    )
    if payload.submit:
        services.submit_submission(request.auth, submission)
    submission = _submissions(request.auth).get(pk=pk)
    return {"submission": submission, "issues": _issues(issues)}


# ---------------------------------------------------------------------------
# Published aggregates and national indicators (public, read only)
# ---------------------------------------------------------------------------
class AggregateOut(Schema):
    form: str
    indicator: str
    option: str
    by: str
    group: str
    group_label: str
    value: float
    organizations: int


class AggregatePeriodOut(Schema):
    year: int
    regime: str
    organizations: int
    published_at: datetime


class AggregatesOut(Schema):
    year: int
    by: str
    published_at: datetime
    rows: list[AggregateOut]


class IndicatorPartOut(Schema):
    key: str
    label: str
    value: float | None


class IndicatorGroupOut(Schema):
    group: str
    label: str
    value: float


class NationalIndicatorOut(Schema):
    code: str
    name: str
    unit: str
    periodicity: str
    definition: str
    computation: str
    official_breakdowns: str
    source: str
    computed: bool
    value: float | None
    organizations: int
    parts: list[IndicatorPartOut]
    groups: list[IndicatorGroupOut]


def _published_period(year: int) -> Period:
    """The period of `year` if its aggregates are published (404 otherwise: an unpublished
    period looks exactly like a missing one)."""
    return get_object_or_404(aggregation.published_periods(), year=year)


# The breakdowns, declared as an enum (a value outside it is a 422 naming `by`).
By = Literal[tuple(aggregation.GROUPINGS)]


@router.get(
    "/aggregates", response=list[AggregatePeriodOut], summary="Các kỳ đã công bố số liệu tổng hợp"
)
def list_aggregate_periods(request):
    return [
        {
            "year": p.year,
            "regime": p.regime.code,
            "organizations": p.aggregate_set.organizations,
            "published_at": p.aggregate_set.published_at,
        }
        for p in aggregation.published_periods().select_related("regime", "aggregate_set")
    ]


@router.get("/aggregates/{year}", response=AggregatesOut, summary="Số liệu tổng hợp đã công bố")
def get_aggregates(request, year: int, by: By | None = None, indicator: str | None = None):
    period = _published_period(year)
    by = by or ""
    labels = aggregation.group_labels(by)
    rows = aggregation.aggregate(
        period, by, published=True, indicators=[indicator] if indicator else None
    )
    return {
        "year": period.year,
        "by": by,
        "published_at": period.aggregate_set.published_at,
        "rows": [
            {
                "form": r.form,
                "indicator": r.indicator,
                "option": r.option,
                "by": r.by,
                "group": r.group,
                "group_label": labels.get(r.group, r.group),
                "value": float(r.value),
                "organizations": r.organizations,
            }
            for r in rows
        ],
    }


@router.get(
    "/indicators/{year}",
    response=list[NationalIndicatorOut],
    summary="Chỉ tiêu thống kê quốc gia 1401–1407 đã công bố, kèm định nghĩa",
)
def get_indicators(request, year: int, by: By | None = None):
    period = _published_period(year)
    results = aggregation.national_indicators(period, published=True, by=by or "")
    return [
        {
            "code": r.indicator.code,
            "name": r.indicator.label,
            "unit": r.indicator.unit,
            "periodicity": r.indicator.periodicity,
            "definition": r.indicator.definition_text,
            "computation": r.indicator.computation_text,
            "official_breakdowns": r.indicator.official_breakdowns,
            "source": r.indicator.source,
            "computed": r.indicator.computed,
            "value": float(r.total) if r.total is not None else None,
            "organizations": r.organizations,
            "parts": [
                {"key": p.key, "label": p.label, "value": float(v) if v is not None else None}
                for p, v in r.parts
            ],
            "groups": [{"group": g, "label": lbl, "value": float(v)} for g, lbl, v in r.groups],
        }
        for r in results
    ]
