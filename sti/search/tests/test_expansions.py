"""`services.search` asks the thesaurus (`sti.core.expansion`) for other words when the
caller gave none, never for quoted phrases, and the backend finds them below the typed word."""

import pytest

from sti.core import expansion
from sti.core.expansion import Expansion
from sti.search import services
from sti.search.base import SearchDocument, SearchQuery
from sti.search.querytext import free_text


def maize(text: str) -> list[Expansion]:
    if "bắp" not in text.lower():
        return []
    return [Expansion(term="bắp", alternative="ngô", weight=0.6, source="test")]


@pytest.fixture
def maize_expander():
    expansion.register_expander("test-maize", maize)
    yield
    expansion.unregister_expander("test-maize")


def pairs(query: SearchQuery) -> list[tuple[str, str]]:
    return [(item.term, item.alternative) for item in query.expansions]


def test_search_fills_expansions_from_the_registry(maize_expander):
    query = SearchQuery(text="Sâu hại BẮP")
    services.search(None, query)
    assert pairs(query) == [("bắp", "ngô")]


def test_quoted_and_excluded_words_are_not_expanded(maize_expander):
    for text in ('"sâu hại bắp"', "lúa -bắp", 'lúa -"bắp"'):
        query = SearchQuery(text=text)
        services.search(None, query)
        assert query.expansions == [], text
    query = SearchQuery(text='"sâu hại" bắp')
    services.search(None, query)
    assert pairs(query) == [("bắp", "ngô")]


def test_the_callers_expansions_are_kept(maize_expander):
    own = [Expansion(term="bắp", alternative="bẹ", weight=0.5)]
    query = SearchQuery(text="bắp", expansions=own)
    services.search(None, query)
    assert query.expansions == own


def test_without_an_expander_nothing_is_added():
    query = SearchQuery(text="bắp")
    services.search(None, query)
    assert list(query.expansions) == []


def test_free_text_keeps_the_typed_words_outside_quotes():
    assert free_text('Bệnh "đạo ôn" trên BẮP -ngô -"lúa mì"') == "Bệnh trên BẮP"
    assert free_text('"chỉ cụm từ"') == ""


def test_expanded_words_are_found_through_the_service(maize_expander):
    backend = services.get_backend()
    backend.index(
        [
            SearchDocument(type="document", pk="1", title="Trồng bắp nếp sau lúa"),
            SearchDocument(type="document", pk="2", title="Giống ngô lai chịu hạn"),
            SearchDocument(type="document", pk="3", title="Đậu xanh"),
        ]
    )
    found = services.search(None, SearchQuery(text="bắp"))
    assert [hit.pk for hit in found.hits] == ["1", "2"]
    assert found.hits[0].score > found.hits[1].score
    assert [hit.pk for hit in services.search(None, SearchQuery(text='"bắp"')).hits] == ["1"]


def test_a_rarer_alternative_does_not_outrank_the_typed_word(maize_expander):
    """BM25 rewards rarity: a name that appears once ("Ngô", a surname) would outscore the
    typed word that many records hold, unless the alternative is brought to its rarity."""
    backend = services.get_backend()
    typed = [
        SearchDocument(type="document", pk=str(n), title=f"Sữa bắp {name}")
        for n, name in enumerate(["Giai Xuân", "Mười Lăng", "Phong Điền", "Cờ Đỏ", "Ô Môn"])
    ]
    backend.index(
        [
            *typed,
            SearchDocument(type="researcher", pk="9", title="ThS. Ngô Thanh Phúc", body="Ngô"),
            *(SearchDocument(type="document", pk=f"x{n}", title=f"Lúa {n}") for n in range(20)),
        ]
    )
    found = services.search(None, SearchQuery(text="bắp"))
    assert [hit.pk for hit in found.hits][-1] == "9"
    assert len(found.hits) == 6


def citrus(text: str) -> list[Expansion]:
    if "cây ăn quả có múi" not in text.lower():
        return []
    return [
        Expansion(term="cây ăn quả có múi", alternative="bưởi", weight=0.36, source="test"),
    ]


def test_an_alternative_for_several_words_scores_at_their_rarity():
    """One common syllable of a five-syllable group ("cây") must not set the weight of an
    alternative that stands for the whole group: a record on "bưởi" outranks those that
    only hold common words of the query ("cây", "ăn")."""
    backend = services.get_backend()
    if not backend.ranks_by_rarity:
        pytest.skip(f"{type(backend).__name__} does not weigh words by their rarity")
    backend.index(
        [
            SearchDocument(type="document", pk="citrus", title="Bệnh vàng lá gân xanh trên bưởi"),
            SearchDocument(type="document", pk="fruit", title="Giữ nước cho cây ăn trái"),
            *(
                SearchDocument(type="document", pk=f"x{n}", title=f"Cây lúa {n}; thức ăn cho cá")
                for n in range(10)
            ),
            *(SearchDocument(type="document", pk=f"y{n}", title=f"Lúa {n}") for n in range(20)),
        ]
    )
    expansion.register_expander("test-citrus", citrus)
    try:
        found = services.search(None, SearchQuery(text="cây ăn quả có múi"))
    finally:
        expansion.unregister_expander("test-citrus")
    ranked = [hit.pk for hit in found.hits]
    assert "citrus" in ranked
    assert all(ranked.index("citrus") < ranked.index(pk) for pk in ranked if pk.startswith("x"))
