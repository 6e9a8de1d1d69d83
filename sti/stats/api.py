"""REST API of the statistics app (mounted at /api/stats/).

Submissions are read through `visible_to(user)` (the organization's reporters and editors;
a plain member sees none) and written with a bearer token through the same services as the
pages: the values are parsed and validated exactly like the online form and the Excel upload,
and an invalid body stores nothing (400, one error per cell, `loc` = ["body", cell key]).
"""

from __future__ import annotations

from datetime import date, datetime

from django.shortcuts import get_object_or_404
from ninja import Router, Schema

from sti.accounts.api_auth import optional_user, token_auth
from sti.core.api import PayloadSchema
from sti.stats import services, validation
from sti.stats.models import Submission

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
