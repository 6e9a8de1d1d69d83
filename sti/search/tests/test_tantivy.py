"""The contract against the tantivy backend, plus what is particular to tantivy: one writer
per index across processes, readers that see other processes' commits, schema changes."""

import subprocess
import sys
import textwrap
import threading
import time

import pytest

from sti.search.tests.contract import BackendContract, doc, pks, skip_unless, with_database

try:
    from sti.search.backends.tantivy_backend import RELOAD_CHECK_SECONDS, TantivyBackend
except ImportError:  # pragma: no cover - tantivy is a dependency; a slim install may lack it
    TantivyBackend = None
    RELOAD_CHECK_SECONDS = 0


def make(path):
    skip_unless(TantivyBackend is not None, "tantivy is not installed")
    return with_database(TantivyBackend(path, writer_heap_mb=20))


class TestTantivyContract(BackendContract):
    def make_backend(self, path):
        return make(path / "index")


def test_second_writer_waits_for_the_first(tmp_path):
    first, second = make(tmp_path / "index"), make(tmp_path / "index")
    finished = threading.Event()
    with first.bulk_loader() as add:
        add(doc(1, "Cần Thơ"))
        worker = threading.Thread(
            target=lambda: (second.index([doc(2, "Hậu Giang")]), finished.set())
        )
        worker.start()
        time.sleep(0.5)
        # The second writer cannot start while the first holds the lock.
        assert not finished.is_set()
    worker.join(timeout=20)
    assert finished.is_set()
    time.sleep(RELOAD_CHECK_SECONDS + 0.05)
    assert first.count() == 2
    assert second.count() == 2


def test_writer_in_another_process_blocks_then_releases(tmp_path):
    """The worker (another process) writes while a web process tries to: it waits."""
    path = tmp_path / "index"
    script = textwrap.dedent(
        f"""
        import sys, time
        from sti.search.backends.tantivy_backend import TantivyBackend
        from sti.search.base import SearchDocument
        backend = TantivyBackend({str(path)!r}, writer_heap_mb=20)
        with backend.bulk_loader() as add:
            add(SearchDocument(type="document", pk="1", title="Đường Cần Thơ"))
            print("locked", flush=True)
            time.sleep(1.5)
        print("released", flush=True)
        """
    )
    make(path)  # create the index (and its schema) before the child opens it
    child = subprocess.Popen([sys.executable, "-c", script], stdout=subprocess.PIPE, text=True)
    try:
        assert child.stdout.readline().strip() == "locked"
        web = make(path)
        started = time.monotonic()
        web.index([doc(2, "Đường Hậu Giang")])
        waited = time.monotonic() - started
        assert child.wait(timeout=30) == 0
    finally:
        if child.poll() is None:
            child.kill()
    assert waited >= 0.5
    # The child's commit and ours are both visible.
    assert sorted(pks(web.search(_query("duong")))) == ["1", "2"]


def test_reader_sees_commits_of_another_instance(tmp_path):
    writer, reader = make(tmp_path / "index"), make(tmp_path / "index")
    assert reader.search(_query("can tho")).total == 0
    writer.index([doc(1, "Cần Thơ")])
    time.sleep(RELOAD_CHECK_SECONDS + 0.05)
    assert pks(reader.search(_query("can tho"))) == ["1"]
    writer.delete(["document:1"])
    time.sleep(RELOAD_CHECK_SECONDS + 0.05)
    assert reader.search(_query("can tho")).total == 0


def test_schema_change_clears_the_index(tmp_path):
    path = tmp_path / "index"
    backend = make(path)
    backend.index([doc(1, "Cần Thơ")])
    (path / "sti-schema-version").write_text("0")
    assert make(path).count() == 0


@pytest.mark.parametrize("size", [1, 3])
def test_long_bodies_are_cut_but_searchable_at_the_start(tmp_path, size):
    backend = make(tmp_path / "index")
    body = "Mở đầu về đường lúa. " + "nội dung " * (30_000 * size)
    backend.index([doc(1, "Toàn văn", body=body)])
    hit = backend.search(_query("duong lua")).hits[0]
    assert "<mark>đường</mark> <mark>lúa</mark>" in hit.snippet_html
    assert len(hit.snippet_html) < 400


def _query(text):
    from sti.search.base import SearchQuery

    return SearchQuery(text=text, principals=None)


def test_a_day_starts_at_midnight_where_the_platform_is(settings):
    """Embargo dates lift in search at the same moment as on the pages (local midnight)."""
    import datetime as dt
    from zoneinfo import ZoneInfo

    from sti.search.backends.tantivy_backend import _timestamp

    settings.TIME_ZONE = "Asia/Ho_Chi_Minh"
    local_midnight = dt.datetime(2026, 6, 1, tzinfo=ZoneInfo("Asia/Ho_Chi_Minh"))
    assert _timestamp(dt.date(2026, 6, 1)) == int(local_midnight.timestamp())


def _deep_body(words="Cần Thơ"):
    return "Mở đầu. " + "nội dung chung. " * 500 + f"Kết quả tại {words}. " + "kết luận. " * 50


@pytest.mark.parametrize("excerpt", [0, 1_000])
def test_only_the_excerpt_of_a_long_body_is_stored(tmp_path, monkeypatch, excerpt):
    monkeypatch.setattr("sti.search.backends.tantivy_backend.EXCERPT_CHARS", excerpt)
    backend = make(tmp_path / "index")
    backend.index([doc(1, "Toàn văn", body=_deep_body())])
    searcher = backend._searcher()
    stored = searcher.doc(searcher.search(backend._combine([]), 1).hits[0][1]).to_dict()
    assert "body" not in stored
    assert excerpt <= len(bytes(stored["meta"][0]).decode()) < excerpt + 20
    assert pks(backend.search(_query("can tho"))) == ["1"]  # the whole body is searchable


def test_full_texts_is_asked_only_for_hits_whose_excerpt_lacks_a_word(tmp_path, monkeypatch):
    monkeypatch.setattr("sti.search.backends.tantivy_backend.EXCERPT_CHARS", 1_000)
    backend = make(tmp_path / "index")
    short = "Cần Thơ, tóm tắt ngắn."
    backend.index([doc(1, "Sâu", body=_deep_body()), doc(2, "Ngắn", body=short)])
    backend.index([doc(3, "Đầu", body="Cần Thơ. " + _deep_body())])
    asked = []

    def full_texts(uids):
        asked.append(sorted(uids))
        return {"document:1": _deep_body()}

    backend.full_texts = full_texts
    hits = {hit.pk: hit for hit in backend.search(_query("can tho")).hits}
    assert asked == [["document:1"]]
    assert "tại <mark>Cần</mark> <mark>Thơ</mark>." in hits["1"].snippet_html
    assert "<mark>Cần</mark> <mark>Thơ</mark>. " in hits["3"].snippet_html
    from sti.search.base import SearchQuery

    backend.search(SearchQuery(text="can tho", principals=None, highlight=False))
    assert asked == [["document:1"]]  # no highlights, no texts


def test_with_no_excerpt_every_hit_with_a_body_is_read_in_one_call(tmp_path):
    backend = make(tmp_path / "index")
    backend.index(
        [doc(1, "Cần Thơ"), doc(2, "Hai", body="Cần Thơ, hai."), doc(3, "Ba", body="ở Cần Thơ")]
    )
    asked = []
    texts = backend.full_texts
    backend.full_texts = lambda uids: asked.append(sorted(uids)) or texts(uids)
    hits = {hit.pk: hit for hit in backend.search(_query("can tho")).hits}
    assert asked == [["document:2", "document:3"]]
    assert hits["1"].snippet_html == ""
    assert hits["2"].snippet_html == "<mark>Cần</mark> <mark>Thơ</mark>, hai."
    assert hits["3"].snippet_html == "ở <mark>Cần</mark> <mark>Thơ</mark>"


@pytest.mark.parametrize(("excerpt", "snippet"), [(0, ""), (1_000, "Mở đầu.")])
def test_a_failing_full_texts_keeps_the_excerpt_snippet(tmp_path, monkeypatch, excerpt, snippet):
    monkeypatch.setattr("sti.search.backends.tantivy_backend.EXCERPT_CHARS", excerpt)
    backend = make(tmp_path / "index")
    backend.index([doc(1, "Cần Thơ", body=_deep_body("Hậu Giang"))])

    def full_texts(uids):
        raise RuntimeError("database away")

    backend.full_texts = full_texts
    hit = backend.search(_query("hau giang")).hits[0]
    assert hit.snippet_html.startswith(snippet)
    assert backend.more_like_this("document", "1", principals=None) == []


def _scores(backend, text):
    from sti.search.base import SearchQuery

    return {
        hit.pk: hit.score
        for hit in backend.search(SearchQuery(text=text, principals=None, limit=100)).hits
    }


def test_a_full_rebuild_scores_as_a_fresh_index(tmp_path):
    """Documents replaced stay counted in tantivy's term statistics until their segments
    merge; a rebuild with REPLACE_ALL drops the old segments, so the scores are a fresh
    index's (those of the same data restored from a backup)."""
    from sti.search.base import REPLACE_ALL

    documents = [
        doc(1, "Lúa chịu mặn ở Sóc Trăng", "giống lúa mới chịu mặn"),
        doc(2, "Nuôi tôm ở Bạc Liêu", "tôm sú và lúa tôm"),
        doc(3, "Xâm nhập mặn ở đồng bằng", "mặn lúa đồng bằng sông Cửu Long", type="task"),
    ]
    live = make(tmp_path / "live")
    live.index([*documents, doc(4, "Hồ sơ đã xóa khỏi cơ sở dữ liệu: lúa", type="organization")])
    for round_ in range(3):  # edits: each leaves a deleted copy behind
        live.index([doc(1, "Lúa chịu mặn ở Sóc Trăng", f"lúa lúa mặn bản {round_}")])
    with live.bulk_loader(REPLACE_ALL) as add:
        for document in documents:
            add(document)
    fresh = make(tmp_path / "fresh")
    with fresh.bulk_loader() as add:
        for document in documents:
            add(document)
    for text in ("lúa", "mặn", "đồng bằng"):
        expected = _scores(fresh, text)
        assert expected
        assert _scores(live, text) == pytest.approx(expected, rel=1e-6), text
    assert live.count() == 3


def _one_pass(backend, text):
    """(pk, score) of every match, the proximity bonuses scored over all of them at once."""
    from sti.search.querytext import parse_query

    searcher = backend._searcher()
    full = backend._combine(backend._text_query(parse_query(text)))
    hits = searcher.search(full, 100).hits
    return [(searcher.doc(address).to_dict()["pk"][0], score) for score, address in hits]


def _proximity_library():
    docs = []
    for pk in range(1, 41):
        # Every document holds both words; some side by side, in title or body, some apart.
        if pk % 4 == 0:
            title, body = f"Công nghệ thực phẩm {pk}", "thực phẩm sạch"
        elif pk % 4 == 1:
            title, body = f"Công nghệ thông tin {pk}", "công nghệ thực phẩm " * (pk % 3 + 1)
        elif pk % 4 == 2:
            title, body = f"Thực phẩm {pk}", "công nghệ mới, " * (pk % 5 + 1) + "thực phẩm"
        else:
            title, body = f"Nông nghiệp {pk}", "thực phẩm và công nghệ"
        docs.append(doc(pk, title, body=body))
    return docs


@pytest.mark.parametrize("candidates", [200, 5])
def test_proximity_scored_on_the_candidates_ranks_as_one_pass(tmp_path, monkeypatch, candidates):
    """The proximity bonuses are scored on the best matches by the words alone: with every
    match among the candidates, ranks and scores are those of one pass over all matches;
    with fewer candidates than matches, the total still counts every match and a page is
    the best of at least as many candidates as it reaches."""
    from sti.search.base import SearchQuery

    monkeypatch.setattr("sti.search.backends.tantivy_backend.RESCORE_CANDIDATES", candidates)
    monkeypatch.setattr("sti.search.backends.tantivy_backend.RESCORE_ABOVE", 0)
    backend = make(tmp_path / "index")
    backend.index(_proximity_library())
    expected = _one_pass(backend, "công nghệ thực phẩm")
    first, second = (
        backend.search(
            SearchQuery(text="công nghệ thực phẩm", principals=None, limit=10, offset=offset)
        )
        for offset in (0, 10)
    )
    assert first.total == second.total == 40
    assert len(first.hits) == len(second.hits) == 10
    # The words side by side in the title (pk 4, 8…) outrank them apart.
    assert first.hits[0].title.startswith("Công nghệ thực phẩm")
    if candidates >= 40:
        assert pks(first) + pks(second) == [pk for pk, _score in expected[:20]]
        for hit, (_pk, score) in zip(first.hits + second.hits, expected, strict=False):
            assert hit.score == pytest.approx(score, rel=1e-5)
