"""Statistics computed from known data, the page for editors only, and its export."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from sti.servicedesk import stats
from sti.servicedesk.models import ServiceRequest

pytestmark = pytest.mark.django_db
TODAY = dt.date(2026, 5, 20)


def at(day: dt.date, hour: int = 9) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour)))


@pytest.fixture
def known(make_request):
    """Information requests of March 2026 answered after 1, 2, …, 10 days (due after 7),
    one technology request open and overdue, one open and not due yet; ratings 5, 4, 3."""
    made = []
    for days in range(1, 11):
        req = make_request(kind="information")
        received = at(dt.date(2026, 3, 2))
        ServiceRequest.objects.filter(pk=req.pk).update(
            year=2026,
            received_at=received,
            first_answered_at=received + dt.timedelta(days=days),
            answered_at=received + dt.timedelta(days=days),
            due_on=dt.date(2026, 3, 9),
            status="closed",
        )
        made.append(req)
    for req, rating in zip(made[:3], (5, 4, 3), strict=True):
        ServiceRequest.objects.filter(pk=req.pk).update(rating=rating)
    late = make_request(kind="technology")
    ServiceRequest.objects.filter(pk=late.pk).update(
        year=2026, received_at=at(dt.date(2026, 4, 1)), due_on=dt.date(2026, 4, 16)
    )
    fresh = make_request(kind="technology")
    ServiceRequest.objects.filter(pk=fresh.pk).update(
        year=2026, received_at=at(dt.date(2026, 5, 19)), due_on=dt.date(2026, 6, 3)
    )
    other_year = make_request(kind="consulting")
    ServiceRequest.objects.filter(pk=other_year.pk).update(
        year=2025, received_at=at(dt.date(2025, 12, 1)), due_on=dt.date(2025, 12, 16)
    )


def test_figures_from_known_data(known, editor):
    figures = stats.compute(editor, year=2026, today=TODAY)
    assert figures.total == 12
    info = next(k for k in figures.kinds if k.kind == "information")
    assert info.times.count == 10
    assert info.times.median == pytest.approx(5.5)
    assert info.times.p90 == pytest.approx(9.0)  # nearest rank: the 9th of 10
    assert (info.answered_on_time, info.answered_late) == (7, 3)  # days 1–7 by the 9th
    assert info.rating_average == pytest.approx(4.0) and info.rating_count == 3
    assert info.by_status["closed"] == 10
    tech = next(k for k in figures.kinds if k.kind == "technology")
    assert tech.open_overdue == 1 and tech.by_status["received"] == 2
    assert tech.times.median is None
    assert figures.open_overdue == 1
    march = [m for m in figures.months if m.month == "2026-03"]
    assert [(m.kind, m.received, m.times.count) for m in march] == [("information", 10, 10)]
    assert figures.status_totals["received"] == 2
    assert stats.compute(editor, year=None, today=TODAY).total == 13
    assert stats.years(editor) == [2026, 2025]


def test_figures_follow_the_access_rule(known, registered):
    assert stats.compute(registered, year=2026).total == 0


def test_nearest_rank():
    assert stats.nearest_rank([], 0.9) is None
    assert stats.nearest_rank([3.0], 0.9) == 3.0
    assert stats.nearest_rank([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11], 0.9) == 10


@pytest.mark.parametrize(
    "persona,status", [("editor", 200), ("registered", 403), ("member_a", 403), (None, 302)]
)
def test_statistics_page_for_editors_only(request, client_for, known, persona, status):
    user = request.getfixturevalue(persona) if persona else None
    client = client_for(user)
    response = client.get("/yeu-cau-dich-vu/thong-ke/", {"nam": "2026"})
    assert response.status_code == status
    export = client.get("/yeu-cau-dich-vu/thong-ke/xuat.csv", {"nam": "2026"})
    assert export.status_code == status
    listing = client.get("/yeu-cau-dich-vu/xuat.csv")
    assert listing.status_code == status
    if status == 200:
        assert "requestChart" in response.content.decode()
        rows = export.content.decode("utf-8-sig").splitlines()
        assert rows[0].startswith("Tháng")
        assert any(r.startswith("2026-03,Tìm tin theo yêu cầu,10,10,5.5,9.0") for r in rows), rows
        assert (
            len(
                b"".join(listing.streaming_content if listing.streaming else [listing.content])
                .decode("utf-8-sig")
                .splitlines()
            )
            == 14
        )


@pytest.mark.parametrize("value", ["abc", "99999999999999999999", "-1", "1800"])
def test_bad_year_is_ignored(client_for, editor, value):
    assert client_for(editor).get("/yeu-cau-dich-vu/thong-ke/", {"nam": value}).status_code == 200
