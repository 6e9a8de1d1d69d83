"""The shared similarity engine on a tiny corpus of its own: no projects model involved.

Two in-memory sources (technology offers and demands, as the market app will register) with
Vietnamese texts; one `ModelSource` over the audit log checks the Django path.
"""

import unicodedata

import pytest

from sti.core import jobs
from sti.core.choices import JobState
from sti.core.models import AuditEntry, TrackedJob
from sti.core.similarity import (
    Corpus,
    Description,
    IndexNotReady,
    ModelSource,
    Source,
    all_corpora,
    get_corpus,
    register,
    unregister,
)

OFFERS = {
    1: ("Nuôi cá tra thâm canh trong ao đất", "Giảm hệ số thức ăn khi nuôi cá tra ở Đồng Tháp."),
    2: ("Chọn tạo giống lúa chịu mặn vùng ven biển", "Lai tạo giống lúa thơm cho Sóc Trăng."),
    3: ("Đường giao thông nông thôn bằng bê tông tro bay", "Làm đường bê tông ở Hậu Giang."),
    4: ("Nuôi tôm thẻ chân trắng siêu thâm canh", "Quy trình nuôi tôm thẻ trong bể lót bạt."),
    5: ("Bảo tồn nghệ thuật đờn ca tài tử Nam Bộ", "Đưa đờn ca tài tử vào trường học."),
}
DEMANDS = {
    1: ("Cần công nghệ nuôi cá tra giảm chi phí thức ăn", "Hợp tác xã thủy sản ở An Giang."),
    2: ("Cần máy sấy lúa quy mô hộ gia đình", "Sấy lúa sau thu hoạch mùa mưa."),
}


class ListSource(Source):
    """Records held in a dict; `clock` plays the part of an `updated_at` column."""

    catches_up = True

    def __init__(self, kind, rows):
        self.kind, self.rows, self.gone, self.clock = kind, {}, {}, 0
        self.reads = 0
        for pk, (title, body) in rows.items():
            self.put(pk, title, body)

    def put(self, pk, title, body):
        self.clock += 1
        self.rows[pk] = (title, body, self.clock)
        self.gone.pop(pk, None)

    def drop(self, pk):
        self.clock += 1
        del self.rows[pk]
        self.gone[pk] = self.clock

    def _text(self, pk):
        title, body, _changed = self.rows[pk]
        return f"{title}\n{title}\n{body}"

    def records(self):
        self.reads += 1
        return [(pk, self._text(pk)) for pk in self.rows]

    def count(self):
        return len(self.rows)

    def watermark(self):
        return self.clock

    def changed_since(self, mark):
        mark = mark or 0
        changed = [(pk, self._text(pk)) for pk, row in self.rows.items() if row[2] > mark]
        return changed, [pk for pk, at in self.gone.items() if at > mark]

    def describe(self, pks):
        return {
            pk: Description(self.rows[pk][0], f"{self.rows[pk][0]}\n{self.rows[pk][1]}", {"n": pk})
            for pk in pks
            if pk in self.rows
        }


@pytest.fixture
def sources():
    return ListSource("offer", OFFERS), ListSource("demand", DEMANDS)


@pytest.fixture
def corpus(settings, tmp_path, sources):
    settings.DATA_DIR = tmp_path / "data"
    corpus = register(Corpus(name="test-market", label="Cung – cầu", sources=list(sources)))
    yield corpus
    unregister(corpus.name)


def _top(corpus, text, **options):
    return [(m.kind, m.object_id) for m in corpus.find_similar(text, **options)]


def test_ranking_puts_the_closest_record_first(corpus):
    matches = corpus.find_similar("Công nghệ nuôi cá tra thâm canh giảm hệ số thức ăn", limit=4)
    assert (matches[0].kind, matches[0].object_id) in {("offer", 1), ("demand", 1)}
    assert {(m.kind, m.object_id) for m in matches[:2]} == {("offer", 1), ("demand", 1)}
    assert [m.score for m in matches] == sorted((m.score for m in matches), reverse=True)
    assert all(0 < m.score <= 1.0001 for m in matches)
    assert matches[0].metadata == {"n": matches[0].object_id}
    assert _top(corpus, "giống lúa chịu mặn", limit=1) == [("offer", 2)]


def test_kinds_restrict_the_candidates(corpus):
    assert _top(corpus, "nuôi cá tra", limit=5, kinds=["demand"]) == [("demand", 1)]
    assert ("demand", 1) not in _top(corpus, "nuôi cá tra", limit=5, kinds=["offer"])


def test_folding_diacritics_d_bar_nfd_and_case(corpus):
    assert _top(corpus, "nuoi ca tra tham canh", limit=1) == [("offer", 1)]
    assert _top(corpus, "duong giao thong nong thon", limit=1) == [("offer", 3)]
    assert _top(corpus, "ĐƯỜNG GIAO THÔNG NÔNG THÔN", limit=1) == [("offer", 3)]
    assert _top(corpus, "don ca tai tu", limit=1) == [("offer", 5)]
    nfd = unicodedata.normalize("NFD", "Nghệ thuật đờn ca tài tử Nam Bộ")
    assert nfd != unicodedata.normalize("NFC", nfd)
    assert _top(corpus, nfd, limit=1) == [("offer", 5)]
    assert corpus.find_similar("", limit=3) == []
    assert corpus.find_similar("… — !", limit=3) == []


def test_added_edited_and_removed_records_without_a_rebuild(corpus, sources):
    offers, _demands = sources
    index = corpus.get_index()
    reads = offers.reads
    offers.put(6, "Sản xuất khí sinh học từ lục bình", "Biogas cho hộ gia đình nông thôn.")
    corpus.mark_stale()
    assert _top(corpus, "khí sinh học biogas từ lục bình", limit=1) == [("offer", 6)]
    offers.put(6, "Máy gặt đập liên hợp cỡ nhỏ", "Cơ giới hóa thu hoạch lúa.")
    corpus.mark_stale()
    assert ("offer", 6) not in _top(corpus, "khí sinh học biogas từ lục bình", limit=3)
    assert _top(corpus, "máy gặt đập liên hợp", limit=1) == [("offer", 6)]
    offers.drop(1)
    corpus.mark_stale()
    assert ("offer", 1) not in _top(corpus, "nuôi cá tra thâm canh", limit=5)
    assert corpus.get_index() is index and offers.reads == reads  # caught up, never rebuilt
    assert len(index) == len(OFFERS) + len(DEMANDS)  # 5 - 1 + 1 offers, 2 demands


def test_an_empty_corpus_answers_and_then_catches_up(settings, tmp_path):
    settings.DATA_DIR = tmp_path / "data"
    offers = ListSource("offer", {})
    corpus = Corpus(name="test-empty", label="x", sources=[offers])
    assert len(corpus.rebuild()) == 0  # a fresh install
    assert corpus.find_similar("nuôi cá tra") == []
    offers.put(1, "Nuôi cá tra thâm canh", "")
    corpus.mark_stale()
    assert _top(corpus, "nuôi cá tra", limit=1) == [("offer", 1)]


def test_the_matrix_is_reloaded_from_the_disk_cache(corpus, sources):
    offers, _demands = sources
    corpus.rebuild()
    assert corpus.cache_path().exists()
    assert corpus.cache_path().parent.name == "similarity"
    before = _top(corpus, "nuôi tôm thẻ chân trắng", limit=3)
    offers.put(7, "Chế phẩm vi sinh xử lý nước ao nuôi tôm", "Men vi sinh cho ao tôm.")
    corpus.reset()  # a new process: nothing in memory
    reads = offers.reads
    assert _top(corpus, "nuôi tôm thẻ chân trắng", limit=3)[0] == before[0]
    assert offers.reads == reads  # loaded, not rebuilt
    assert _top(corpus, "chế phẩm vi sinh xử lý nước ao tôm", limit=1) == [("offer", 7)]


def test_an_unreadable_or_foreign_cache_is_rebuilt(corpus, sources, settings):
    offers, demands = sources
    corpus.rebuild()
    corpus.cache_path().write_bytes(b"not a pickle")
    corpus.reset()
    reads = offers.reads
    assert _top(corpus, "nuôi cá tra", limit=1)[0][1] == 1
    assert offers.reads == reads + 1
    # Same name, sources in another order: the kind codes differ, the cache is not used.
    swapped = Corpus(name=corpus.name, label="x", sources=[demands, offers])
    assert swapped._load() is None and corpus._load() is not None


def test_highlighting_marks_shared_passages_with_the_marks_kept(corpus):
    match = corpus.find_similar("Kỹ thuật nuôi cá tra thâm canh <b>mới</b>", limit=1)[0]
    assert (match.kind, match.object_id) == ("offer", 1)
    assert "<mark>nuôi cá tra thâm canh</mark>" in match.query_html
    assert "&lt;b&gt;" in match.query_html  # the query is escaped
    assert match.match_html.startswith("<mark>Nuôi cá tra thâm canh</mark> trong ao đất")
    bare = corpus.find_similar("bao ton don ca tai tu", limit=1)[0]
    # Folded for comparison, marked as written (đ and all); "nghệ thuật" is not shared, and
    # "tử" folds to "tu" like the function word "từ".
    assert bare.match_html.startswith("<mark>Bảo tồn</mark> nghệ thuật <mark>đờn ca</mark> tài")
    nfd = corpus.find_similar(unicodedata.normalize("NFD", "đờn ca tài tử Nam Bộ"), limit=1)[0]
    assert nfd.query_html == "<mark>đờn ca</mark> tài tử <mark>Nam Bộ</mark>"  # NFC out
    plain = corpus.find_similar("nuôi cá tra", limit=1, highlight=False)[0]
    assert plain.query_html == plain.match_html == ""


def test_a_large_corpus_is_built_by_the_worker(
    db, corpus, settings, django_capture_on_commit_callbacks
):
    settings.STI_SIMILARITY_INLINE_MAX = 3
    assert not corpus.available()
    with pytest.raises(IndexNotReady):
        corpus.find_similar("nuôi cá tra")
    with django_capture_on_commit_callbacks() as callbacks:
        assert corpus.request_rebuild() is True
    assert len(callbacks) == 1
    callbacks[0]()  # queues the core rebuild task; the immediate backend runs it
    assert corpus.cache_path().exists() and not corpus.rebuild_pending()
    assert TrackedJob.objects.get(kind="similarity.test-market").state == JobState.DONE
    assert corpus.available()
    assert _top(corpus, "nuôi cá tra thâm canh", limit=1) == [("offer", 1)]
    jobs.create(corpus.job_kind)  # queued by another process
    with django_capture_on_commit_callbacks() as callbacks:
        assert corpus.request_rebuild() is False
    assert callbacks == []


def test_registry_names_and_kinds(corpus, sources):
    assert get_corpus("test-market") is corpus
    assert register(corpus) is corpus  # the same corpus again: harmless
    with pytest.raises(ValueError):
        register(Corpus(name="test-market", label="x", sources=[ListSource("offer", {})]))
    with pytest.raises(LookupError):
        get_corpus("khong-co")
    with pytest.raises(ValueError):
        Corpus(name="Cung Cầu", label="x", sources=[ListSource("offer", {})])
    with pytest.raises(ValueError):
        Corpus(name="dup", label="x", sources=[ListSource("a", {}), ListSource("a", {})])
    with pytest.raises(ValueError):
        ModelSource("note", AuditEntry, fields={"note": 0})
    with pytest.raises(ImportError):  # a mistyped worker job fails at start-up
        register(Corpus(name="typo", label="x", sources=[sources[0]], rebuild_task="sti.no.job"))
    assert "typo" not in [c.name for c in all_corpora()]


def test_model_source_reads_rows_and_catches_up_with_new_ones(db, settings, tmp_path):
    settings.DATA_DIR = tmp_path / "data"

    def entry(repr_, note):
        return AuditEntry.objects.create(
            action="update", object_type="market.offer", object_id="1", object_repr=repr_, note=note
        )

    first = entry("Chào bán công nghệ sấy lúa bằng năng lượng mặt trời", "Đã duyệt.")
    entry("Chào bán giống bưởi da xanh sạch bệnh", "Đã duyệt.")
    withdrawn = AuditEntry.objects.create(
        action="delete", object_type="x", object_id="3", object_repr="Sấy lúa năng lượng mặt trời"
    )
    corpus = Corpus(
        name="test-audit",
        label="Nhật ký",
        sources=[
            ModelSource(
                "entry",
                AuditEntry,
                fields={"object_repr": 2, "note": 1},
                title_field="object_repr",
                changed_field="created_at",
                queryset=lambda: AuditEntry.objects.exclude(action="delete"),
                metadata_fields=("object_type",),
            )
        ],
    )
    found = corpus.find_similar("say lua nang luong mat troi", limit=3)
    assert [m.object_id for m in found] == [first.pk]  # the excluded row is no candidate
    assert withdrawn.pk not in [m.object_id for m in found]
    assert found[0].title.startswith("Chào bán công nghệ sấy lúa")
    assert found[0].metadata == {"object_type": "market.offer"}
    assert corpus.corpus_size() == 2
    later = entry("Chào bán máy bóc vỏ hạt điều", "")
    corpus.mark_stale()
    assert [m.object_id for m in corpus.find_similar("máy bóc vỏ hạt điều", limit=1)] == [later.pk]
    assert ModelSource("x", "khong.CoModel", fields={"a": 1}).count() == 0


# ---------------------------------------------------------------------------
# The memory-mapped matrix
# ---------------------------------------------------------------------------
def test_the_chunked_build_gives_the_cosines_of_an_in_memory_tfidf(monkeypatch, tmp_path):
    import numpy as np
    from sklearn.feature_extraction.text import TfidfTransformer

    from sti.core.similarity import engine

    texts = [f"{t}\n{t}\n{b}" for t, b in [*OFFERS.values(), *DEMANDS.values()]]
    texts.append("")  # an empty record has a row and matches nothing
    monkeypatch.setattr(engine, "CHUNK", 2)  # several chunks, spilled to several blocks
    index = engine.SimilarityIndex.build(
        [(0, pk, text) for pk, text in enumerate(texts, start=1)], directory=tmp_path / "m"
    )
    # Memory-mapped files, not arrays read into the process.
    assert isinstance(index.data.base, np.memmap) and isinstance(index.row_data.base, np.memmap)
    counts = engine._hasher().transform(texts)
    reference = TfidfTransformer(sublinear_tf=True).fit_transform(counts)
    expected = (reference @ reference[0].T).toarray().ravel()
    got = index.scores(index.vector(texts[0]))
    assert np.allclose(got, expected, atol=1e-5)
    assert index.nnz == reference.nnz and len(index) == len(texts)
    assert [i for _k, i, _s in index.search(texts[3], limit=1)] == [4]
    # The checks re-rank candidates on their stored rows: the same cosines.
    query = index.vector(texts[2])
    assert np.allclose(index.exact(query, np.arange(len(texts))), index.scores(query), atol=1e-6)
    top = index.search(texts[2], limit=3)
    assert [s for _k, _i, s in top] == pytest.approx(sorted(index.scores(query))[::-1][:3])


def test_a_check_reads_its_rarest_postings_first(monkeypatch, tmp_path):
    import numpy as np

    from sti.core.similarity import engine

    common = "nghiên cứu ứng dụng"
    texts = [f"{common} số {n}" for n in range(40)] + [f"{common} nuôi cá tra thâm canh"]
    index = engine.SimilarityIndex.build(
        [(0, pk, text) for pk, text in enumerate(texts)], directory=tmp_path / "m"
    )
    monkeypatch.setattr(engine, "POSTINGS_BUDGET", 10)
    monkeypatch.setattr(engine, "MIN_COLUMNS", 1)
    query = index.vector(f"{common} cá tra")
    rows = index.candidates(query, count=5)
    # Only the rare n-grams were read: the one record that has them is the only candidate.
    assert list(rows) == [40]
    assert index.search(f"{common} cá tra", limit=1)[0][1] == 40
    assert np.count_nonzero(index.scores(query)) == len(texts)  # every row shares "nghien_cuu"


def test_a_newer_build_saved_by_another_process_is_picked_up(corpus, sources):
    offers, _demands = sources
    corpus.rebuild()
    first = corpus.get_index()
    worker = Corpus(name=corpus.name, label="x", sources=list(sources))  # another process
    offers.put(8, "Máy bóc vỏ hạt điều bán tự động", "Cho hộ chế biến điều ở Bình Phước.")
    worker.rebuild()
    folders = sorted(p.name for p in corpus.cache_path().parent.iterdir() if p.is_dir())
    assert folders == [worker.get_index().directory.name]  # the old build was removed
    corpus.mark_stale()
    assert _top(corpus, "máy bóc vỏ hạt điều", limit=1) == [("offer", 8)]
    assert corpus.get_index() is not first
    # The first process's matrix still reads its (unlinked) mapped files.
    assert first.search("nuôi cá tra thâm canh", limit=1)[0][:2] == (0, 1)
    corpus.reset(delete_cache=True)
    assert not corpus.cache_path().exists()
    assert not [p for p in corpus.cache_path().parent.iterdir() if p.is_dir()]


def test_registered_expansions_join_the_query_at_their_lower_weight(corpus, sources):
    from sti.core import expansion
    from sti.core.text import fold_lower

    offers, _demands = sources
    offers.put(9, "Tuyển chọn giống ngô nếp lai cho đất lúa", "Ngô nếp trồng luân canh với lúa.")
    corpus.mark_stale()
    assert corpus.find_similar("bắp", limit=3) == []
    plain = corpus.find_similar("giống bắp nếp lai", limit=1)[0].score

    def regional(text):
        return [expansion.Expansion("bắp", "ngô", 0.6)] if "bap" in fold_lower(text) else []

    expansion.register_expander("test-regional", regional)
    try:
        assert _top(corpus, "bắp", limit=3) == [("offer", 9)]
        found = corpus.find_similar("giống bắp nếp lai", limit=3)
        assert (found[0].kind, found[0].object_id) == ("offer", 9)
        typed = corpus.find_similar("giống ngô nếp lai", limit=1)[0]
        assert plain < found[0].score < typed.score  # helps, but less than the typed word
        # Folded and in context: "giong bap nep" becomes "giong ngo nep" too.
        assert corpus.find_similar("GIONG BAP NEP LAI", limit=1)[0].score > plain
        corpus.expand = False
        assert corpus.find_similar("bắp", limit=3) == []
    finally:
        corpus.expand = True
        expansion.unregister_expander("test-regional")


def test_a_save_keeps_a_build_still_being_written_by_another_process(corpus):
    import os
    import time

    corpus.rebuild()
    elsewhere = corpus.cache_path().parent / f"{corpus.name}-inprogress"
    elsewhere.mkdir()  # no meta.json yet: another process is writing it
    abandoned = corpus.cache_path().parent / f"{corpus.name}-crashed"
    abandoned.mkdir()
    day_ago = time.time() - 86400
    os.utime(abandoned, (day_ago, day_ago))
    index = corpus.rebuild()
    left = sorted(p.name for p in corpus.cache_path().parent.iterdir() if p.is_dir())
    assert left == sorted([elsewhere.name, index.directory.name])
