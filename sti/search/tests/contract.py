"""The contract every search backend must pass.

A backend's test module subclasses `BackendContract` and says how to build one:

    class TestTantivyContract(BackendContract):
        def make_backend(self, path):
            return TantivyBackend(path / "index", writer_heap_mb=20)

A backend that needs a service or a package that is absent skips itself with
`skip_unless(...)` inside `make_backend`, so the suite runs wherever the backend exists
(django-modelsearch's `tests/test_backends.py` does the same). Nothing here needs the
database: the contract is about the engine behind `sti.search.base.SearchBackend`.
"""

from __future__ import annotations

import unicodedata
from contextlib import contextmanager
from datetime import UTC, date, datetime, timedelta

import pytest

from sti.search.base import (
    SORT_NEWEST,
    SORT_OLDEST,
    SORT_TITLE,
    SearchBackend,
    SearchDocument,
    SearchQuery,
)

__all__ = ["BackendContract", "skip_unless", "doc", "with_database"]


def skip_unless(condition: bool, reason: str) -> None:
    """Skip the calling test when a backend's requirement is missing."""
    if not condition:
        pytest.skip(reason)


def with_database(backend: SearchBackend) -> SearchBackend:
    """Give `backend` the texts of what it indexes as its `full_texts`, standing for the
    database (`registry.full_texts`) that engines storing no whole bodies read snippets from."""
    bodies: dict[str, str] = {}
    index, bulk_loader = backend.index, backend.bulk_loader

    def recording_index(documents):
        documents = list(documents)
        bodies.update((document.uid, document.body) for document in documents)
        return index(documents)

    @contextmanager
    def recording_loader(replace=None):
        with bulk_loader(replace) as add:

            def recording_add(document):
                bodies[document.uid] = document.body
                add(document)

            yield recording_add

    backend.index, backend.bulk_loader = recording_index, recording_loader
    backend.full_texts = lambda uids: {uid: bodies[uid] for uid in uids if uid in bodies}
    return backend


def doc(pk, title, body="", type="document", **extra) -> SearchDocument:
    return SearchDocument(
        type=type, pk=str(pk), title=title, body=body, url=f"/{type}/{pk}/", **extra
    )


def pks(results) -> list[str]:
    hits = results.hits if hasattr(results, "hits") else results
    return [hit.pk for hit in hits]


def facet(results, name) -> dict[str, int]:
    return {value.value: value.count for value in results.facets.get(name, [])}


ANONYMOUS = ["public"]
REGISTERED = ["public", "registered", "user:7"]


class BackendContract:
    """Tests any `SearchBackend` must pass. Subclasses define `make_backend(path)`."""

    def make_backend(self, path) -> SearchBackend:  # pragma: no cover - abstract
        raise NotImplementedError

    @pytest.fixture
    def backend(self, tmp_path) -> SearchBackend:
        return with_database(self.make_backend(tmp_path))

    def search(self, backend, text="", **options):
        options.setdefault("principals", None)
        return backend.search(SearchQuery(text=text, **options))

    # ------------------------------------------------------------------
    # Writing: index, replace, delete, clear, count
    # ------------------------------------------------------------------
    def test_index_count_and_replace_by_uid(self, backend):
        assert backend.count() == 0
        written = backend.index(
            [doc(1, "Lúa chịu mặn"), doc(2, "Tôm thẻ chân trắng"), doc(1, "x", type="task")]
        )
        assert written == 3
        assert backend.count() == 3
        assert backend.count("document") == 2
        assert backend.count("task") == 1
        assert backend.count("unknown") == 0

        backend.index([doc(1, "Giống lúa thơm")])
        assert backend.count("document") == 2
        assert pks(self.search(backend, "thơm")) == ["1"]
        assert self.search(backend, "mặn").total == 0

    def test_delete_by_uid_ignores_unknown(self, backend):
        backend.index([doc(1, "Cần Thơ"), doc(2, "Cần Thơ"), doc(1, "Cần Thơ", type="task")])
        backend.delete(["document:1", "document:999", "nothing"])
        backend.delete([])
        assert sorted(pks(self.search(backend, "can tho"))) == ["1", "2"]
        assert backend.count() == 2
        assert backend.count("document") == 1

    def test_clear_one_type_or_all(self, backend):
        backend.index(
            [doc(1, "Cần Thơ"), doc(2, "Cần Thơ", type="task"), doc(3, "Cần Thơ", type="task")]
        )
        backend.clear("task")
        assert backend.count() == 1
        assert backend.count("task") == 0
        backend.clear()
        assert backend.count() == 0
        assert self.search(backend).total == 0

    def test_bulk_loader_adds_and_replaces(self, backend):
        backend.index([doc(1, "cũ")])
        with backend.bulk_loader() as add:
            for number in range(1, 31):
                add(doc(number, f"Đề tài số {number} về đường giao thông"))
            add(doc(5, "Đề tài số năm, bản sửa"))
        assert backend.count() == 30
        assert self.search(backend, "cũ").total == 0
        assert pks(self.search(backend, "sửa")) == ["5"]

    def test_every_write_makes_the_anonymous_pages_stale(self, backend, settings):
        """A commit of the index moves the page cache's shared generation, so that no
        process keeps serving a search page or count from before it (the writes of the
        index engine do not pass through Django's connections, which the cache watches)."""
        from sti.core import pagecache

        settings.PAGE_CACHE_SECONDS = 60

        def shared() -> str:  # what other processes (and hosts) see, not this one's counter
            return pagecache.generation().rsplit(".", 1)[0]

        def load():
            with backend.bulk_loader() as add:
                add(doc(3, "Nạp lô"))

        writes = {
            "index": lambda: backend.index([doc(1, "Cần Thơ"), doc(2, "Huế")]),
            "delete": lambda: backend.delete(["document:1"]),
            "clear one type": lambda: backend.clear("document"),
            "bulk load": load,
            "clear": backend.clear,
        }
        for name, write in writes.items():
            before = shared()
            write()
            assert shared() != before, name

    # ------------------------------------------------------------------
    # Vietnamese matching
    # ------------------------------------------------------------------
    def test_query_without_marks_finds_accented_text(self, backend):
        backend.index(
            [
                doc(1, "Sở Khoa học và Công nghệ thành phố Cần Thơ"),
                doc(2, "Quy hoạch đường giao thông nông thôn"),
                doc(3, "Hà Nội"),
            ]
        )
        assert pks(self.search(backend, "can tho")) == ["1"]
        assert pks(self.search(backend, "CAN THO")) == ["1"]
        assert pks(self.search(backend, "duong")) == ["2"]
        assert pks(self.search(backend, "Cần Thơ")) == ["1"]

    def test_d_with_stroke_folds_to_d(self, backend):
        backend.index(
            [doc(1, "ĐẠI HỌC ĐỒNG THÁP"), doc(2, "Đường Đinh Tiên Hoàng", body="đê điều")]
        )
        assert pks(self.search(backend, "dai hoc")) == ["1"]
        assert pks(self.search(backend, "đại học")) == ["1"]
        assert pks(self.search(backend, "DONG THAP")) == ["1"]
        assert pks(self.search(backend, "dinh tien hoang")) == ["2"]
        assert pks(self.search(backend, "de dieu")) == ["2"]
        assert pks(self.search(backend, "Đê")) == ["2"]

    def test_nfd_input_is_indexed_and_queried(self, backend):
        nfd_title = unicodedata.normalize("NFD", "Nuôi tôm ở Sóc Trăng")
        assert nfd_title != unicodedata.normalize("NFC", nfd_title)
        backend.index([doc(1, nfd_title, body=unicodedata.normalize("NFD", "Mô hình đường lúa"))])
        assert pks(self.search(backend, "Sóc Trăng")) == ["1"]
        assert pks(self.search(backend, unicodedata.normalize("NFD", "Sóc Trăng"))) == ["1"]
        assert pks(self.search(backend, "soc trang")) == ["1"]
        assert pks(self.search(backend, unicodedata.normalize("NFD", "đường"))) == ["1"]
        hit = self.search(backend, "soc trang").hits[0]
        assert hit.title == "Nuôi tôm ở Sóc Trăng"  # stored NFC
        assert "<mark>Sóc</mark>" in hit.title_html

    def test_exact_diacritics_rank_above_folded_only(self, backend):
        backend.index(
            [
                doc(1, "Cây dương liễu ven sông", body="dương"),
                doc(2, "Đường giao thông nông thôn", body="đường"),
                doc(3, "Đương đầu với hạn mặn", body="đương"),
            ]
        )
        assert pks(self.search(backend, "đường"))[0] == "2"
        assert pks(self.search(backend, "dương"))[0] == "1"
        assert pks(self.search(backend, "đương"))[0] == "3"
        assert sorted(pks(self.search(backend, "duong"))) == ["1", "2", "3"]

    def test_exact_match_in_body_ranks_above_folded_match_in_body(self, backend):
        backend.index(
            [
                doc(1, "Báo cáo A", body="Nghiên cứu giống dương năng suất cao"),
                doc(2, "Báo cáo B", body="Nghiên cứu giống đường năng suất cao"),
            ]
        )
        assert pks(self.search(backend, "đường")) == ["2", "1"]

    def test_phrases_in_quotes_keep_word_order(self, backend):
        backend.index(
            [
                doc(1, "Giống lúa chịu mặn cho vùng ven biển"),
                doc(2, "Mặn chịu lúa: một thử nghiệm đảo từ"),
                doc(3, "Lúa và khả năng chịu mặn"),
            ]
        )
        assert pks(self.search(backend, '"lúa chịu mặn"')) == ["1"]
        assert pks(self.search(backend, '"lua chiu man"')) == ["1"]
        assert sorted(pks(self.search(backend, "lúa chịu mặn"))) == ["1", "2", "3"]
        assert pks(self.search(backend, '"chịu mặn" vùng')) == ["1"]

    def test_exact_phrase_ranks_above_folded_only_phrase(self, backend):
        backend.index(
            [
                doc(1, "Báo cáo một", body="Kết quả trồng dương liễu ven sông Hậu"),
                doc(2, "Báo cáo hai", body="Kết quả trồng đường liễu ven sông Hậu"),
                doc(3, "Báo cáo ba", body="Liễu trồng ven đường"),
            ]
        )
        assert pks(self.search(backend, '"đường liễu"')) == ["2", "1"]
        assert pks(self.search(backend, '"dương liễu"')) == ["1", "2"]

    # ------------------------------------------------------------------
    # Ranking: coverage, proximity, exactness across fields, expansions, case
    # ------------------------------------------------------------------
    def test_coverage_finds_documents_missing_a_word_and_ranks_more_words_higher(self, backend):
        backend.index(
            [
                doc(1, "Đất phù sa ven sông"),
                doc(2, "Giồng cát ven biển Trà Vinh"),
                doc(3, "Cải tạo đất cát ven biển"),
                doc(4, "Cải tạo đất giồng cát trồng hành tím"),
            ]
        )
        # Five words: a document need not hold them all; more of them rank higher.
        assert pks(self.search(backend, "cải tạo đất giồng cát")) == ["4", "3", "2"]
        # Up to two words, all are required.
        assert sorted(pks(self.search(backend, "giồng cát"))) == ["2", "4"]
        assert pks(self.search(backend, "đất giồng")) == ["4"]

    def test_function_words_do_not_count_towards_coverage(self, backend):
        backend.index([doc(1, "Sâu keo hại ngô"), doc(2, "Giống ngô và lúa của vùng")])
        # "trên", "của" add to the score only: "sâu hại ngô" still needs two of its three words.
        assert pks(self.search(backend, "sâu hại trên ngô của")) == ["1"]

    def test_multi_syllable_word_beats_its_syllables_apart(self, backend):
        backend.index(
            [
                doc(1, "Công nghệ thông tin truy xuất thực phẩm"),
                doc(2, "Đào tạo kỹ sư ngành công nghệ thực phẩm ở Cần Thơ"),
                doc(3, "Thanh niên Vĩnh Long"),
                doc(4, "Bệnh đốm nâu trên cành và trái thanh long ở Chợ Gạo"),
            ]
        )
        assert pks(self.search(backend, "công nghệ thực phẩm"))[0] == "2"
        assert pks(self.search(backend, "cong nghe thuc pham"))[0] == "2"
        assert pks(self.search(backend, "thanh long")) == ["4", "3"]

    def test_exact_match_in_body_beats_wrong_diacritics_in_title(self, backend):
        backend.index(
            [
                doc(1, "Kỹ thuật trồng dừa xiêm", body="Dừa xiêm xanh xuất khẩu"),
                doc(2, "Cây ăn trái chịu phèn", body="Cây dứa chịu phèn tốt nhất trong các cây"),
                doc(3, "Dưa hấu", body="Trồng dưa hấu sau lúa"),
            ]
        )
        assert pks(self.search(backend, "dứa"))[0] == "2"
        assert pks(self.search(backend, "dừa"))[0] == "1"
        assert pks(self.search(backend, "dưa"))[0] == "3"
        assert sorted(pks(self.search(backend, "dua"))) == ["1", "2", "3"]

    def test_expansions_match_at_a_lower_weight_and_are_never_required(self, backend):
        from sti.core.expansion import Expansion

        backend.index(
            [
                doc(1, "Sâu keo hại bắp"),
                doc(2, "Sâu keo hại ngô"),
                doc(3, "Giống ngô lai"),
                doc(4, "Đậu xanh"),
            ]
        )
        to_maize = [Expansion(term="bắp", alternative="ngô", weight=0.6)]
        assert pks(self.search(backend, "bắp")) == ["1"]
        with_maize = pks(self.search(backend, "bắp", expansions=to_maize))
        assert with_maize[0] == "1"
        assert sorted(with_maize[1:]) == ["2", "3"]
        # The alternative stands in for its word, but counts no more than it: "sâu bắp"
        # needs both slots, "ngô" alone fills one.
        assert pks(self.search(backend, "sâu bắp", expansions=to_maize)) == ["1", "2"]
        found = self.search(backend, "sâu bắp", expansions=to_maize)
        assert found.hits[0].score > found.hits[1].score
        # Quoted phrases are never expanded.
        assert pks(self.search(backend, '"hại bắp"', expansions=to_maize)) == ["1"]
        # Several words standing for one: "đậu phộng" ↔ "lạc".
        backend.index([doc(5, "Giống lạc L14"), doc(6, "Trồng đậu phộng trên giồng cát")])
        peanut = [Expansion(term="đậu phộng", alternative="lạc", weight=0.7)]
        assert pks(self.search(backend, "đậu phộng", expansions=peanut)) == ["6", "5"]

    def test_upper_case_queries_behave_like_lower_case(self, backend):
        backend.index(
            [
                doc(1, "Đánh giá xâm nhập mặn ở Sóc Trăng", body="mặn"),
                doc(2, "Xâm nhập thị trường mận hậu sấy dẻo"),
                doc(3, "Đê biển Gò Công"),
                doc(4, "Nuôi dê thịt", body="để biển báo"),
            ]
        )
        for lower, upper in (("xâm nhập mặn", "XÂM NHẬP MẶN"), ("đê biển", "ĐÊ BIỂN")):
            assert pks(self.search(backend, upper)) == pks(self.search(backend, lower))
        assert pks(self.search(backend, "XÂM NHẬP MẶN"))[0] == "1"
        assert pks(self.search(backend, "ĐÊ BIỂN"))[0] == "3"

    def test_exclusions(self, backend):
        backend.index([doc(1, "Nuôi tôm và lúa"), doc(2, "Trồng lúa thơm"), doc(3, "Nuôi tôm")])
        assert pks(self.search(backend, "lúa -tôm")) == ["2"]
        assert pks(self.search(backend, "lua -tom")) == ["2"]
        assert pks(self.search(backend, 'lúa -"tôm"')) == ["2"]
        assert sorted(pks(self.search(backend, "-tôm"))) == ["2"]

    # ------------------------------------------------------------------
    # Filters and facets
    # ------------------------------------------------------------------
    @pytest.fixture
    def catalogue(self, backend):
        backend.index(
            [
                doc(
                    1,
                    "Lúa Cần Thơ",
                    fields=["40107"],
                    year=2020,
                    tags=[("language", "vi"), ("collection", "5")],
                ),
                doc(2, "Lúa Hậu Giang", fields=["40201"], year=2021, tags=[("language", "en")]),
                doc(
                    3,
                    "Lúa Sóc Trăng",
                    fields=["10101"],
                    year=2021,
                    tags=[("language", "vi")],
                    type="task",
                ),
                doc(4, "Lúa Bạc Liêu", fields=["401"], year=2019, type="organization"),
            ]
        )
        return backend

    def test_filter_by_type_or_within_a_name(self, catalogue):
        assert pks(self.search(catalogue, "lúa", filters={"type": ["task"]})) == ["3"]
        found = self.search(catalogue, "lúa", filters={"type": ["task", "organization"]})
        assert sorted(pks(found)) == ["3", "4"]

    def test_filter_by_field_matches_ancestor_codes(self, catalogue):
        assert sorted(pks(self.search(catalogue, "lua", filters={"field": ["4"]}))) == [
            "1",
            "2",
            "4",
        ]
        assert sorted(pks(self.search(catalogue, "lua", filters={"field": ["401"]}))) == ["1", "4"]
        assert pks(self.search(catalogue, "lua", filters={"field": ["40107"]})) == ["1"]
        assert pks(self.search(catalogue, "lua", filters={"field": ["403"]})) == []

    def test_filter_by_year_and_tags_and_across_names(self, catalogue):
        assert sorted(pks(self.search(catalogue, filters={"year": ["2021"]}))) == ["2", "3"]
        assert sorted(pks(self.search(catalogue, filters={"language": ["vi"]}))) == ["1", "3"]
        assert pks(self.search(catalogue, filters={"language": ["vi"], "year": ["2021"]})) == ["3"]
        assert pks(self.search(catalogue, filters={"collection": ["5"]})) == ["1"]
        both = self.search(catalogue, filters={"language": ["vi", "en"], "type": ["document"]})
        assert sorted(pks(both)) == ["1", "2"]

    def test_year_range(self, catalogue):
        assert sorted(pks(self.search(catalogue, year_from=2020))) == ["1", "2", "3"]
        assert sorted(pks(self.search(catalogue, year_to=2020))) == ["1", "4"]
        assert pks(self.search(catalogue, year_from=2020, year_to=2020)) == ["1"]
        assert pks(self.search(catalogue, year_from=2030)) == []

    def test_facet_counts_ignore_their_own_filter(self, catalogue):
        found = self.search(
            catalogue,
            "lua",
            filters={"type": ["document"]},
            facets=["type", "year", "language", "field"],
        )
        assert found.total == 2
        # The type facet still shows the other types, with their counts.
        assert facet(found, "type") == {"document": 2, "task": 1, "organization": 1}
        assert [value.value for value in found.facets["type"] if value.selected] == ["document"]
        # The other facets follow the type filter.
        assert facet(found, "year") == {"2020": 1, "2021": 1}
        assert facet(found, "language") == {"vi": 1, "en": 1}
        assert facet(found, "field")["4"] == 2
        assert facet(found, "field")["401"] == 1

    def test_facets_without_filters_and_year_order(self, catalogue):
        found = self.search(catalogue, facets=["year", "language", "type"])
        assert [value.value for value in found.facets["year"]] == ["2021", "2020", "2019"]
        assert facet(found, "year") == {"2021": 2, "2020": 1, "2019": 1}
        assert facet(found, "language") == {"vi": 2, "en": 1}

    def test_facet_counts_follow_access_rules(self, backend):
        backend.index(
            [
                doc(1, "Hồ sơ công khai", type="researcher"),
                doc(2, "Hồ sơ ẩn", type="researcher", principals=["staff", "org:3"]),
            ]
        )
        found = self.search(backend, "ho so", principals=ANONYMOUS, facets=["type"])
        assert found.total == 1
        assert facet(found, "type") == {"researcher": 1}
        assert facet(self.search(backend, "ho so", principals=None, facets=["type"]), "type") == {
            "researcher": 2
        }

    # ------------------------------------------------------------------
    # Pagination and sorting
    # ------------------------------------------------------------------
    def test_pagination_offset_and_total(self, backend):
        backend.index(
            [doc(n, f"Đề tài nông nghiệp {n}", date=date(2000 + n, 1, 1)) for n in range(25)]
        )
        pages = [
            self.search(backend, "nong nghiep", offset=offset, limit=10) for offset in (0, 10, 20)
        ]
        assert [page.total for page in pages] == [25, 25, 25]
        assert [len(page.hits) for page in pages] == [10, 10, 5]
        seen = [pk for page in pages for pk in pks(page)]
        assert sorted(seen, key=int) == [str(n) for n in range(25)]
        assert pages[2].page == 3
        assert pages[0].num_pages == 3
        beyond = self.search(backend, "nong nghiep", offset=40, limit=10)
        assert beyond.total == 25
        assert beyond.hits == []

    def test_count_limit_gives_a_lower_bound_or_the_exact_count(self, backend):
        """A backend may stop counting at `count_limit` and say so; the hits are the same,
        and an exact count is there when asked for (None)."""
        backend.index(
            [doc(n, f"Lúa chịu mặn {n}", type="task" if n % 2 else "document") for n in range(7)]
        )
        for text in ("lua", ""):
            limited = self.search(backend, text, count_limit=3, facets=["type"])
            exact = self.search(backend, text, count_limit=None, facets=["type"])
            assert exact.total == 7 and not exact.total_is_lower_bound
            assert sorted(pks(limited)) == sorted(pks(exact)) == [str(n) for n in range(7)]
            if limited.total_is_lower_bound:
                assert limited.total == 3
                assert sum(facet(limited, "type").values()) == 3  # over the first three
            else:
                assert limited.total == 7
            assert facet(exact, "type") == {"document": 4, "task": 3}
            roomy = self.search(backend, text, count_limit=7)
            assert (roomy.total, roomy.total_is_lower_bound) == (7, False)
            for sort in (SORT_NEWEST, SORT_TITLE):
                assert self.search(backend, text, count_limit=7, sort=sort).total == 7

    def test_sorts(self, backend):
        backend.index(
            [
                doc(1, "Bình minh trên sông", date=date(2021, 5, 1)),
                doc(2, "Ánh sáng sông nước", date=date(2023, 5, 1)),
                doc(3, "An toàn sông ngòi", date=datetime(2019, 5, 1, tzinfo=UTC)),
            ]
        )
        assert pks(self.search(backend, "song", sort=SORT_NEWEST)) == ["2", "1", "3"]
        assert pks(self.search(backend, "song", sort=SORT_OLDEST)) == ["3", "1", "2"]
        assert pks(self.search(backend, "song", sort=SORT_TITLE)) == ["3", "2", "1"]
        # Browsing (no words) lists the newest first.
        assert pks(self.search(backend)) == ["2", "1", "3"]

    # ------------------------------------------------------------------
    # Highlights
    # ------------------------------------------------------------------
    def test_highlight_marks_accented_words_for_unaccented_query(self, backend):
        body = (
            "Mở đầu. "
            + "Nội dung chung. " * 40
            + "Kết quả tại Cần Thơ cho thấy năng suất tăng. "
            + "Kết luận. " * 40
        )
        backend.index([doc(1, "Nghiên cứu ở Cần Thơ", body=body)])
        hit = self.search(backend, "can tho").hits[0]
        assert hit.title_html == "Nghiên cứu ở <mark>Cần</mark> <mark>Thơ</mark>"
        assert "<mark>Cần</mark> <mark>Thơ</mark>" in hit.snippet_html
        assert len(hit.snippet_html) < len(body)

    def test_highlight_a_match_deep_in_a_long_body(self, backend):
        """A full text's match far past its opening is shown highlighted, exact and folded;
        an engine that stores only the opening reads the rest through `full_texts`."""
        body = (
            "Mở đầu. "
            + "Nội dung chung về giống lúa. " * 2_000
            + "Kết quả tại Cần Thơ cho thấy năng suất tăng. "
            + "Kết luận. " * 500
        )
        documents = {"document:1": body, "document:2": "Cần Thơ ở đầu. " + body}
        backend.index([doc(1, "Toàn văn", body=body), doc(2, "Khác", body=documents["document:2"])])
        asked = []

        def full_texts(uids):
            asked.append(sorted(uids))
            return {uid: documents[uid] for uid in uids}

        backend.full_texts = full_texts
        hits = {hit.pk: hit for hit in self.search(backend, "can tho").hits}
        assert "<mark>Cần</mark> <mark>Thơ</mark> cho thấy" in hits["1"].snippet_html
        assert "<mark>Cần</mark> <mark>Thơ</mark> ở đầu" in hits["2"].snippet_html
        assert len(hits["1"].snippet_html) < 400
        assert len(asked) <= 1  # one call for the page at most
        exact = {hit.pk: hit for hit in self.search(backend, "Cần Thơ").hits}
        assert "<mark>Cần</mark> <mark>Thơ</mark> cho thấy" in exact["1"].snippet_html

    def test_highlight_escapes_html(self, backend):
        backend.index([doc(1, "<script>alert(1)</script> đường", body="<b>đường</b> & <i>x</i>")])
        hit = self.search(backend, "duong").hits[0]
        assert "<script>" not in hit.title_html
        assert "&lt;script&gt;" in hit.title_html
        assert "<mark>đường</mark>" in hit.title_html
        assert "<b>" not in hit.snippet_html
        assert "&lt;b&gt;<mark>đường</mark>&lt;/b&gt; &amp;" in hit.snippet_html

    def test_no_highlight_when_not_asked(self, backend):
        backend.index([doc(1, "Cần Thơ", body="Cần Thơ")])
        hit = self.search(backend, "can tho", highlight=False).hits[0]
        assert "<mark>" not in hit.title_html + hit.snippet_html

    # ------------------------------------------------------------------
    # Access: principals and embargoes
    # ------------------------------------------------------------------
    @pytest.fixture
    def restricted(self, backend):
        backend.index(
            [
                doc(1, "Báo cáo công khai"),
                doc(2, "Báo cáo cho thành viên", principals=["registered"]),
                doc(3, "Báo cáo của tổ chức ba", principals=["staff", "org:3"]),
                doc(4, "Báo cáo nội bộ", principals=["staff"]),
                doc(5, "Báo cáo riêng", principals=["user:7"]),
            ]
        )
        return backend

    def test_principals(self, restricted):
        def visible(principals):
            return sorted(pks(self.search(restricted, "bao cao", principals=principals)))

        assert visible(ANONYMOUS) == ["1"]
        assert visible(REGISTERED) == ["1", "2", "5"]
        assert visible(["public", "registered", "user:8", "org:3"]) == ["1", "2", "3"]
        assert visible(["public", "registered", "org:4"]) == ["1", "2"]
        assert visible(None) == ["1", "2", "3", "4", "5"]
        assert visible([]) == ["1"]
        assert self.search(restricted, "bao cao", principals=ANONYMOUS).total == 1

    def test_available_from_embargo(self, backend):
        future = datetime.now(UTC) + timedelta(days=30)
        past = datetime.now(UTC) - timedelta(days=1)
        backend.index(
            [
                doc(1, "Luận văn cấm công bố", available_from=future),
                doc(2, "Luận văn đã công bố", available_from=past),
                doc(3, "Luận văn mở", available_from=date(2001, 1, 1)),
            ]
        )
        assert sorted(pks(self.search(backend, "luan van", principals=REGISTERED))) == ["2", "3"]
        assert sorted(pks(self.search(backend, "luan van", principals=None))) == ["1", "2", "3"]

    def test_created_window(self, backend):
        """Records that became visible in (after, until]: listed then, or, for a restricted
        searcher, listed earlier and out of embargo then; exact to the microsecond."""
        now = datetime.now(UTC).replace(microsecond=500_000)
        start, end = now - timedelta(days=7), now - timedelta(days=1)
        backend.index(
            [
                doc(1, "Bản tin cũ", created=start - timedelta(days=3)),
                doc(2, "Bản tin trong tuần", created=start + timedelta(days=2)),
                doc(3, "Bản tin ngay sau mốc", created=start + timedelta(microseconds=1)),
                doc(4, "Bản tin đúng mốc", created=start),
                doc(5, "Bản tin sau kỳ", created=end + timedelta(hours=1)),
                doc(6, "Bản tin không ngày"),
                # Listed long ago, embargo lifted inside the window: new to the public then.
                doc(
                    7,
                    "Bản tin hết cấm",
                    created=start - timedelta(days=30),
                    available_from=start + timedelta(days=1),
                ),
                # Listed inside the window, embargo lifting after it: not new to the public yet.
                doc(
                    8,
                    "Bản tin còn cấm",
                    created=start + timedelta(days=1),
                    available_from=end + timedelta(hours=2),
                ),
                doc(9, "Bản tin nội bộ", created=start + timedelta(days=3), principals=["staff"]),
            ]
        )

        def window(principals, **bounds):
            found = self.search(backend, "ban tin", principals=principals, limit=50, **bounds)
            return sorted(pks(found), key=int)

        bounds = {"created_after": start, "created_until": end}
        assert window(ANONYMOUS, **bounds) == ["2", "3", "7"]
        assert window(REGISTERED, **bounds) == ["2", "3", "7"]
        assert window(None, **bounds) == ["2", "3", "8", "9"]
        assert window(REGISTERED, created_after=end) == ["5", "8"]
        assert window(None, created_until=start) == ["1", "4", "7"]
        assert self.search(backend, "", principals=ANONYMOUS, **bounds).total == 3
        listed = self.search(backend, '"trong tuần"', principals=None).hits
        assert listed[0].created == start + timedelta(days=2)
        assert self.search(backend, '"không ngày"', principals=None).hits[0].created is None

    def test_more_like_this_excludes_itself_and_respects_access(self, backend):
        text = "giống lúa chịu mặn vùng ven biển đồng bằng sông Cửu Long năng suất"
        backend.index(
            [
                doc(1, "Giống lúa chịu mặn", body=text),
                doc(2, "Lúa chịu mặn ven biển", body=text),
                doc(3, "Lúa chịu mặn nội bộ", body=text, principals=["staff"]),
                doc(4, "Lúa chịu mặn (đề tài)", body=text, type="task"),
                doc(5, "Máy tính lượng tử", body="vật lý lượng tử qubit siêu dẫn"),
            ]
        )
        similar = pks(backend.more_like_this("document", "1", principals=ANONYMOUS, limit=5))
        assert "1" not in similar
        assert "3" not in similar
        assert "5" not in similar
        assert set(similar) == {"2", "4"}
        assert "3" in pks(backend.more_like_this("document", "1", principals=None))
        only_tasks = backend.more_like_this("document", "1", principals=ANONYMOUS, types=["task"])
        assert [(hit.type, hit.pk) for hit in only_tasks] == [("task", "4")]
        assert backend.more_like_this("document", "999", principals=None) == []

    # ------------------------------------------------------------------
    # Hostile input never raises
    # ------------------------------------------------------------------
    @pytest.mark.parametrize(
        "text",
        [
            "",
            "   ",
            "lúa " * 25_000,  # 100k characters
            "x" * 100_000,
            "!!! ??? ... ,,, ---",
            '"',
            '"lúa chịu',
            'lúa "chịu" mặn"',
            "-",
            "--tôm",
            '-""',
            "\x00\x01 \u200b\ufeff lúa",
            "🌾🦐 漢字 عربى",
            "a AND (b OR c) title:x *:* ~2 ^3 [1 TO 5]",
        ],
    )
    def test_hostile_queries_never_raise(self, backend, text):
        backend.index([doc(1, "Giống lúa chịu mặn", body="lúa chịu mặn"), doc(2, "Tôm")])
        found = self.search(
            backend, text, principals=ANONYMOUS, facets=["type", "year", "field", "language"]
        )
        assert found.total >= 0
        assert len(found.hits) <= 2

    def test_hostile_options_never_raise(self, backend):
        backend.index([doc(1, "Giống lúa", year=2020)])
        for options in (
            {"limit": 0},
            {"limit": -5},
            {"limit": 10**9},
            {"offset": -3},
            {"offset": 10**12},
            {"filters": {"year": ["abc", "2020x"]}},
            {"filters": {"year": ["99999999999999999999999"]}},
            {"filters": {"field": [""], "nonsense": ["a=b"]}},
            {"year_from": -(10**30), "year_to": 10**30},
            {"facets": ["type", "bad name=*", "field"]},
            {"sort": "no-such-sort"},
        ):
            found = self.search(backend, "lua", principals=ANONYMOUS, **options)
            assert found.total in (0, 1), options

    def test_unmatched_quote_still_searches_the_words(self, backend):
        backend.index([doc(1, "Giống lúa chịu mặn"), doc(2, "Tôm")])
        assert pks(self.search(backend, '"lúa chịu')) == ["1"]
