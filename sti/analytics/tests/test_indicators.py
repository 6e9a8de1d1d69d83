"""Every indicator equals an independent computation over the generated records (conftest),
for the whole period, single years, and areas in both schemes of the 2025 merger."""

from __future__ import annotations

import datetime as dt
from collections import Counter

import pytest

from sti.analytics.indicators import (
    Figure,
    Indicator,
    Scope,
    all_indicators,
    define,
    figure,
    get_indicator,
    register_indicator,
    series,
)

PUBLIC_TASK_STATES = {
    "ky_hop_dong",
    "dang_thuc_hien",
    "dieu_chinh",
    "gia_han",
    "cho_nghiem_thu",
    "nghiem_thu_dat",
    "da_dang_ky_ket_qua",
    "thanh_ly",
    "ung_dung",
    "nghiem_thu_khong_dat",
    "dung",
}
DIGITIZED = {"scanned", "ocr", "catalogued", "published"}

SCOPES = [
    Scope(dt.date(2019, 1, 1), dt.date(2025, 12, 31)),
    Scope.year(2021),
    Scope.year(2023),
    Scope(dt.date(2020, 7, 1), dt.date(2022, 6, 30)),
    Scope.year(2022, admin_unit="92"),
    Scope(dt.date(2019, 1, 1), dt.date(2025, 12, 31), admin_unit="92", scheme="before"),
    Scope(dt.date(2019, 1, 1), dt.date(2025, 12, 31), admin_unit="93", scheme="before"),
    Scope.year(2024, admin_unit="94", scheme="before"),
    Scope.year(2024, admin_unit="77"),  # a code of no province: nothing
]


def _within(day, scope: Scope) -> bool:
    return day is not None and scope.start <= day <= scope.end


def _drop_zeros(counts) -> dict:
    return {k: v for k, v in counts.items() if v}


def expected(w, code: str, s: Scope):
    """(value, {key: part}) computed from the generated lists."""
    area = lambda org: org is not None and w.in_area(org, s.admin_unit, s.scheme)  # noqa: E731
    if not s.admin_unit:
        area = lambda org: True  # noqa: E731
    orgs = {o.pk: o for o in w.orgs}
    if code == "organizations.by_kind":
        parts = Counter(o.kind for o in w.orgs if o.pk in w.active and area(o.pk))
        return sum(parts.values()), parts
    if code.startswith("researchers."):
        people = [r for r in w.researchers if r["org"] in w.active and area(r["org"])]
        parts = Counter(r["degree" if code.endswith("degree") else "gender"] for r in people)
        return len(people), parts

    def running(t):
        started = t["start"] <= s.end
        ended_after = t["actual_end"] >= s.start if t["actual_end"] else t["end"] >= s.start
        return t["status"] in PUBLIC_TASK_STATES and started and ended_after

    tasks = [t for t in w.tasks if area(t["org"])]
    started = [t for t in tasks if t["status"] in PUBLIC_TASK_STATES and _within(t["start"], s)]
    if code == "tasks.by_level":
        parts = Counter(t["level"] for t in tasks if running(t))
        return sum(parts.values()), parts
    if code == "tasks.by_status":
        parts = Counter(t["status"] for t in tasks if running(t))
        return sum(parts.values()), parts
    if code == "tasks.started":
        parts = Counter(t["level"] for t in started)
        return len(started), parts
    if code == "tasks.accepted":
        ids = {
            a["task"] for a in w.acceptances if a["rating"] != "khong_dat" and _within(a["date"], s)
        }
        parts = Counter(t["level"] for t in tasks if t["pk"] in ids)
        return sum(parts.values()), parts
    if code == "tasks.budget":
        state = sum(t["state"] for t in started)
        other = sum(t["other"] for t in started)
        return float(sum(t["total"] for t in started)), {
            "state": float(state),
            "other": float(other),
        }
    if code == "evaluations.by_council":
        parts = Counter(
            e["kind"] for e in w.evaluations if area(e["org"]) and _within(e["date"], s)
        )
        return sum(parts.values()), parts
    pubs = [
        p
        for p in w.publications
        if s.start.year <= p["year"] <= s.end.year and (not s.admin_unit or area(p["org"]))
    ]
    if code == "publications.by_kind":
        return len(pubs), Counter(p["kind"] for p in pubs)
    if code == "publications.international":
        return sum(1 for p in pubs if p["intl"]), {}
    filings = [f for f in w.filings if not s.admin_unit or area(f["org"])]
    if code == "ip.filings":
        parts = Counter(f["kind"] for f in filings if _within(f["filed"], s))
        return sum(parts.values()), parts
    if code == "ip.grants":
        parts = Counter(
            f["kind"] for f in filings if f["status"] == "granted" and _within(f["granted"], s)
        )
        return sum(parts.values()), parts
    docs = [
        d
        for d in w.documents
        if not d["deleted"]
        and d["status"] == "published"
        and (d["published"] or d["created"]) <= s.end
        and (not s.admin_unit or any(area(o) for o in d["orgs"]))
    ]
    if code == "library.documents":
        return len(docs), {"full_text": sum(1 for d in docs if d["text"])}
    if code == "library.digitized":
        digitized = sum(1 for d in docs if d["digitization"] in DIGITIZED)
        return digitized, {"ocr": sum(1 for d in docs if d["ocr"])}
    if code == "market.demands":
        parts = Counter(
            d["state"]
            for d in w.demands
            if _within(d["date"], s) and (not s.admin_unit or area(d["org"]))
        )
        return sum(parts.values()), parts
    if code == "market.matches":
        found = [
            p for p in w.proposals if _within(p["date"], s) and (not s.admin_unit or area(p["org"]))
        ]
        return len(found), {}
    contracts = [
        c
        for c in w.contracts
        if _within(c["date"], s) and (not s.admin_unit or any(area(o) for o in c["orgs"]))
    ]
    if code == "market.contracts":
        return len(contracts), Counter(c["kind"] for c in contracts)
    if code == "market.contract_value":
        parts = Counter()
        for c in contracts:
            parts[c["kind"]] += c["value"] / 1_000_000
        return sum(parts.values()), parts
    held = [
        i
        for i, c in enumerate(w.courses)
        if c["status"] not in ("draft", "cancelled") and _within(c["start"], s) and area(c["org"])
    ]
    if code == "training.courses":
        return len(held), Counter(w.courses[i]["delivery"] for i in held)
    if code == "training.learners":
        parts = Counter(
            r["gender"]
            for r in w.registrations
            if r["course"] in held and r["status"] == "confirmed"
        )
        return sum(parts.values()), parts
    if code == "services.requests":
        if s.admin_unit:
            return None, {}
        parts = Counter(r["kind"] for r in w.requests if _within(r["date"], s))
        return sum(parts.values()), parts
    if code == "news.articles":
        parts = Counter(
            a["category"]
            for a in w.articles
            if a["status"] == "published" and _within(a["date"], s) and area(a["org"])
        )
        return sum(parts.values()), parts
    if code.startswith("stats."):
        return None, {}  # no statistics period in this world; see test_statistics_aggregates
    del orgs
    raise AssertionError(f"no independent computation for {code}")


@pytest.mark.parametrize(
    "scope", SCOPES, ids=lambda s: f"{s.start}-{s.end}-{s.admin_unit}-{s.scheme}"
)
def test_every_indicator_equals_an_independent_count(world, scope):
    for indicator in all_indicators():
        got = figure(indicator.code, scope)
        value, parts = expected(world, indicator.code, scope)
        assert got.code == indicator.code and got.scope == scope
        assert got.value == pytest.approx(value), (indicator.code, got.value, value)
        got_parts = _drop_zeros({key: v for key, _label, v in got.breakdown})
        assert got_parts == pytest.approx(_drop_zeros(parts)), indicator.code
        assert got.source and got.unit, indicator.code


def test_the_world_is_not_trivial(world):
    """The figures above compare non-zero counts, area by area."""
    whole = Scope(dt.date(2019, 1, 1), dt.date(2025, 12, 31))
    for code in ("tasks.by_level", "ip.filings", "library.documents", "market.contracts"):
        assert figure(code, whole).value > figure(code, Scope.year(2021, admin_unit="92")).value > 0
    before = Scope(whole.start, whole.end, admin_unit="93", scheme="before")
    assert 0 < figure("tasks.started", before).value < figure("tasks.started", whole).value


def test_series_is_one_figure_per_year(world):
    points = series("ip.grants", [2020, 2021, 2022], admin_unit="92")
    assert [year for year, _f in points] == [2020, 2021, 2022]
    for year, point in points:
        assert point == figure("ip.grants", Scope.year(year, admin_unit="92"))


def test_registry_interface():
    codes = [indicator.code for indicator in all_indicators()]
    assert len(codes) == len(set(codes)) and codes[0] == "organizations.by_kind"
    assert get_indicator("tasks.by_level").group == "tasks"
    with pytest.raises(KeyError):
        get_indicator("khong.co")
    with pytest.raises(ValueError):
        register_indicator(get_indicator("ip.grants"))
    with pytest.raises(ValueError):
        Scope(dt.date(2024, 2, 1), dt.date(2024, 1, 1))
    with pytest.raises(ValueError):
        Scope.year(2024, scheme="1975")
    local = define(
        "test.local",
        "Thử",
        "Test",
        "cái",
        "Nguồn thử",
        "tasks",
        breakdown=lambda s: [("a", "Một", 2), ("b", "Hai", 3)],
        register=False,
    )
    assert isinstance(local, Indicator)
    assert local.compute(Scope.year(2024)) == Figure(
        "test.local",
        5,
        "cái",
        "Nguồn thử",
        Scope.year(2024),
        breakdown=(("a", "Một", 2), ("b", "Hai", 3)),
    )
    assert "test.local" not in codes
