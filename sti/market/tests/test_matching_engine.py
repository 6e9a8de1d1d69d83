"""The matching engine on plain records: explanations, thesaurus bridging, no match, and the
labelled set's shape. The thesaurus is the migrated one (`sti/thesaurus/data/thesaurus.csv`),
reached through `sti.core.expansion` as in production."""

import pytest

from sti.market.matching import Query, Record
from sti.market.matching.engine import THRESHOLD, Matcher
from sti.market.matching.labelled import demands, offers

MILLION = 1_000_000

OFFERS = [
    Record(
        "offer",
        1,
        "Hệ thống sục khí đáy và điều khiển quạt nước theo cảm biến oxy hòa tan (DO)",
        "Cảm biến DO đo liên tục, tự bật quạt nước khi oxy hòa tan dưới 4 mg/L lúc rạng "
        "sáng; ngăn hiện tượng thiếu oxy trong ao nuôi tôm thẻ chân trắng.",
        field="405",
        trl=7,
        price=85 * MILLION,
    ),
    Record(
        "offer",
        2,
        "Quy trình phòng trừ bệnh thán thư (Colletotrichum gloeosporioides) trên xoài",
        "Bao trái, xử lý nước nóng 52 độ C sau thu hoạch, giảm vết bệnh trên vỏ trái khi chín.",
        field="401",
        trl=7,
        price=10 * MILLION,
    ),
    Record(
        "offer",
        3,
        "Máy sấy lúa tĩnh vỉ ngang đảo chiều gió dùng lò đốt trấu",
        "Sấy lúa ướt vụ hè thu từ ẩm độ 28% xuống 14%, hạt khô đều, ít nứt gãy.",
        field="203",
        trl=9,
        price=150 * MILLION,
    ),
    Record(
        "offer",
        4,
        "Vaccine bất hoạt phòng bệnh gan thận mủ do Edwardsiella ictaluri trên cá tra",
        "Vaccine ngâm và tiêm cho cá tra giống, tỷ lệ bảo hộ 70–80%, giảm dùng kháng sinh.",
        field="403",
        trl=7,
    ),
]


@pytest.fixture
def matcher(db):
    return Matcher.from_records(OFFERS)


def test_a_farmers_symptom_finds_the_technical_offer_through_the_thesaurus(matcher):
    query = Query(text="Tôm nổi đầu chết rải rác lúc gần sáng, xin chỉ cách.")
    found = matcher.match(query, limit=3)
    assert found and found[0].object_id == 1
    bridged = {(e.term, e.alternative, e.source) for e in found[0].expanded}
    assert ("tôm nổi đầu", "thiếu oxy", "thesaurus") in bridged


def test_regional_word_without_marks_still_bridges(matcher):
    # "ca tra" typed without marks; the thesaurus maps the symptom to the disease.
    found = matcher.match(Query(text="ca tra mo ra thay gan than co dom trang"), limit=3)
    assert found and found[0].object_id == 4


def test_explanation_lists_shared_and_expanded_terms_field_trl_and_budget(matcher):
    query = Query(
        text="Tôm nổi đầu lúc gần sáng trong ao nuôi.",
        field="405",
        trl=6,
        budget_max=50 * MILLION,
    )
    match = matcher.match(query, limit=1)[0]
    assert match.object_id == 1
    assert "ao nuôi" in match.shared
    assert any(e.source == "thesaurus" for e in match.expanded)
    assert match.field_fit.query_field == "405" and match.field_fit.fit == 1.0
    assert not match.field_fit.inferred
    assert (match.trl_fit.fit, match.trl_fit.wanted, match.trl_fit.offered) == (1.0, 6, 7)
    # 85 million against a budget of 50: more than half again over, so it does not fit.
    assert match.budget_fit.fit == 0.0
    reasons = " ".join(match.reasons)
    assert "ao nuôi" in reasons
    assert "“tôm nổi đầu” → “thiếu oxy”" in reasons
    assert "TRL 7" in reasons and "85 triệu" in reasons and "50 triệu" in reasons


def test_field_is_inferred_when_the_requester_gives_none(matcher):
    match = matcher.match(Query(text="Trái xoài bị thán thư, đốm đen khi chín"), limit=1)[0]
    assert match.object_id == 2
    assert match.field_fit.inferred and match.field_fit.query_field == "401"


def test_nothing_close_is_no_match(matcher):
    assert matcher.match(Query(text="Cần phần mềm kế toán tính lương cho hợp tác xã")) == []
    assert matcher.match(Query(text="")) == []
    assert matcher.match(Query(text="!!! ... ???")) == []


def test_a_huge_query_is_answered(matcher):
    text = "Tôm nổi đầu chết rải rác. " * 2000
    found = matcher.match(Query(text=text), limit=2)
    assert found[0].object_id == 1


def test_scores_are_ordered_and_above_the_threshold(matcher):
    found = matcher.match(Query(text="sấy lúa ướt mùa mưa, lúa lên mộng"), limit=4)
    assert found[0].object_id == 3
    assert all(m.score >= THRESHOLD for m in found)


def test_the_labelled_set_has_its_promised_shape():
    labelled = demands()
    ids = {offer.id for offer in offers()}
    assert len(ids) >= 100
    assert sum(1 for d in labelled if d.right) >= 60
    assert sum(1 for d in labelled if not d.right) >= 15
    assert all(d.right <= ids for d in labelled)


def test_the_documented_counts_are_those_of_the_labelled_set():
    """docs/benchmarks.md and the data README give the set as 112 offers and 127 demands:
    109 (D…) with their right offer(s) and 18 (N…) that no offer answers."""
    from pathlib import Path

    labelled = demands()
    answered = [d for d in labelled if d.right]
    unanswered = [d for d in labelled if not d.right]
    assert (len(offers()), len(labelled)) == (112, 127)
    assert (len(answered), len(unanswered)) == (109, 18)
    assert {d.code[0] for d in answered} == {"D"} and {d.code[0] for d in unanswered} == {"N"}
    root = Path(__file__).resolve().parents[3]
    bench = " ".join((root / "docs" / "benchmarks.md").read_text(encoding="utf-8").split())
    assert "112 offers in technical words and 127 demands in farmers' words" in bench
    assert "109 with their right offer(s) and 18 that no offer answers" in bench
