"""The thesaurus expander on the shipped data (loaded by the first migration)."""

from __future__ import annotations

import time

import pytest

from sti.core import expansion
from sti.thesaurus import expander, services
from sti.thesaurus.data import read_rows
from sti.thesaurus.models import Concept, Term

pytestmark = pytest.mark.django_db


def alternatives(text: str) -> dict[str, float]:
    return {item.alternative: item.weight for item in expansion.expansions(text, limit=100)}


def test_the_shipped_file_is_loaded_whole():
    rows = read_rows()
    assert len(rows) >= 300
    assert Term.objects.count() == len(rows)
    assert all(0 < row.weight < 1 for row in rows)


def test_accented_regional_word():
    found = alternatives("bệnh đạo ôn trên bắp")
    assert found["ngô"] == pytest.approx(0.8)
    assert "Pyricularia oryzae" in found
    assert "bắp" not in found


def test_unaccented_text_finds_the_terms():
    found = alternatives("dau phong va bap")
    assert "lạc" in found and "Arachis hypogaea" in found
    assert "ngô" in found


def test_a_syllable_typed_with_marks_must_carry_them():
    assert "vừng" in alternatives("hạt mè")
    assert "vừng" not in alternatives("mẹ")
    assert "vừng" in alternatives("me den")  # unaccented: either may be meant


def test_the_longest_multi_syllable_term_wins():
    items = expansion.expansions("nuôi tôm thẻ chân trắng siêu thâm canh", limit=100)
    found = {item.alternative: item for item in items}
    assert found["Litopenaeus vannamei"].term == "tôm thẻ chân trắng"
    # "tôm thẻ" inside the longer term is not looked up again on its own
    assert "tôm thẻ" in found and found["tôm thẻ"].term == "tôm thẻ chân trắng"


def test_scientific_name_back_to_common_name():
    found = alternatives("Oryza sativa chịu mặn")
    assert "lúa" in found
    assert found["lúa"] < 1


def test_abbreviations_match_as_typed_in_any_case():
    assert "đồng bằng sông Cửu Long" in alternatives("lúa ĐBSCL")
    assert "đồng bằng sông Cửu Long" in alternatives("lua dbscl")
    assert "khoa học và công nghệ" in alternatives("Sở KH&CN Cần Thơ")
    assert "ĐBSCL" in alternatives("đồng bằng sông Cửu Long")


def test_short_abbreviation_needs_a_capital():
    assert "trí tuệ nhân tạo" in alternatives("ứng dụng AI")
    assert "trí tuệ nhân tạo" not in alternatives("ai cung biet")
    assert "thực hành nông nghiệp tốt" not in alternatives("gap go")


def test_every_weight_is_below_the_typed_word():
    text = " ".join(row.term for row in read_rows()[:200])
    items = expansion.expansions(text, limit=10_000)
    assert len(items) > 100
    assert all(0 < item.weight < 1 for item in items)


def test_a_twenty_word_query_expands_in_well_under_a_millisecond():
    text = (
        "phòng trừ rầy nâu và bệnh đạo ôn trên lúa ở ĐBSCL, nuoi tom the chan trang trong bap lai"
    )
    assert len(text.split()) == 20
    assert expander.expand(text)  # builds the map
    runs = 2000
    start = time.perf_counter()
    for _ in range(runs):
        expander.expand(text)
    per_call = (time.perf_counter() - start) / runs
    assert per_call < 0.001, f"{per_call * 1e6:.0f} µs per call"


def test_no_query_per_call(django_assert_num_queries):
    expander.expand("bắp")
    with django_assert_num_queries(0):
        for _ in range(50):
            expander.expand("đậu phộng")


def test_an_edit_reaches_the_map_after_commit(editor, run_on_commit):
    concept = Concept.objects.get(key="ngô")
    assert "bẹ" not in alternatives("bẹ")
    with run_on_commit():
        services.create_term(editor, concept, {"text": "bẹ", "relation": "regional"})
    assert alternatives("bẹ")["ngô"] == pytest.approx(0.8)


def test_other_processes_see_the_revision_after_the_check_interval(editor, settings):
    expander.expand("bắp")
    concept = Concept.objects.get(key="ngô")
    # Written as another process would: the counter moves, this process's flag does not.
    Term.objects.create(concept=concept, text="bắp nếp", relation="synonym", weight=0.7)
    services.bump_revision()
    # (a test transaction runs no on_commit: this process has not been told either)
    assert "bắp nếp" not in alternatives("ngô")
    settings.STI_THESAURUS_CHECK_SECONDS = 0
    assert "bắp nếp" in alternatives("ngô")


def test_a_longer_term_shields_its_syllables():
    # "đậu bắp" (okra) and "bắp cải" (cabbage) are not maize
    assert "ngô" not in alternatives("trồng đậu bắp")
    assert "ngô" not in alternatives("sâu hại bắp cải")
    assert "Abelmoschus esculentus" in alternatives("trồng đậu bắp")


def test_a_group_finds_its_kinds_but_a_kind_not_its_group():
    """ "cây có múi" finds "bưởi" and "cam" (narrower, weaker than a synonym); "bưởi" finds
    neither the group nor the other kinds, only its own names."""
    group = alternatives("sâu vẽ bùa trên cây ăn quả có múi")
    assert {"bưởi", "cam", "quýt", "cây có múi", "cây ăn trái có múi"} <= set(group)
    assert group["bưởi"] < group["cây có múi"] < 1
    kind = alternatives("bưởi da xanh và bưởi Năm Roi")
    assert "cây có múi" not in kind and "cam" not in kind and "quýt" not in kind
    assert "Citrus maxima" in kind


def test_a_narrower_term_added_by_an_editor_is_one_way(editor, run_on_commit):
    with run_on_commit():
        concept = services.create_concept(editor, {"label": "rau ăn lá"})
        services.create_term(editor, concept, {"text": "cải xanh", "relation": "narrower"})
    assert alternatives("trồng rau ăn lá")["cải xanh"] == pytest.approx(0.4)
    assert "rau ăn lá" not in alternatives("trồng cải xanh")


def test_a_persons_name_is_not_expanded():
    """ "Ngô" is maize, but not in "Ngô Văn Hùng"; the words around the name still are."""
    assert "bắp" in alternatives("ngô lai")
    assert "bắp" in alternatives("Ngô lai chịu hạn")  # one capital: the start of a sentence
    assert "bắp" in alternatives("NGÔ LAI")  # all capitals: a shouted query, not a name
    names = alternatives("đề tài của Ngô Văn Hùng về đậu phộng")
    assert "bắp" not in names and "lạc" in names
    assert "bắp" not in alternatives("TS. Ngô Thị Tâm")
    assert "vừng" not in alternatives("Mai Thị Mè")
