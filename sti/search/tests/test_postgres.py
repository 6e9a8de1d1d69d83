"""The contract against the PostgreSQL backend, plus what is particular to it: several
processes share one table, bulk loads are atomic, the table follows its schema version.

It runs where DATABASE_URL points to PostgreSQL (each test in a table of its own, dropped
afterwards) and skips, saying why, on SQLite.
"""

import threading
import time
import uuid

import psycopg
import pytest
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

from sti.search.backends.postgres_backend import MAX_POSITION, PostgresBackend, vectors
from sti.search.base import REPLACE_ALL, SearchQuery
from sti.search.tests.contract import BackendContract, doc, pks, skip_unless, with_database

NOT_POSTGRES = "the PostgreSQL search backend: DATABASE_URL does not point to PostgreSQL"


def postgres_url() -> str:
    url = settings.DATABASE_URL or ""
    return url if url.startswith(("postgres://", "postgresql://")) else ""


def make(table: str | None = None, rum: bool | None = None) -> PostgresBackend:
    skip_unless(bool(postgres_url()), NOT_POSTGRES)
    return PostgresBackend(
        dsn=postgres_url(), table=table or f"sti_test_{uuid.uuid4().hex[:12]}", rum=rum
    )


@pytest.fixture
def tables():
    """Backends on fresh tables, dropped afterwards."""
    made: list[PostgresBackend] = []

    def new(table=None, rum=None):
        backend = make(table, rum)
        made.append(backend)
        return with_database(backend)

    yield new
    for backend in reversed(made):
        backend.drop()


class TestPostgresContract(BackendContract):
    """With the RUM index where the extension is installed (.ci/run installs it)."""

    @pytest.fixture
    def backend(self, tables):
        return tables()


class TestPostgresGinContract(BackendContract):
    """With the plain GIN index (no extension)."""

    @pytest.fixture
    def backend(self, tables):
        backend = tables(rum=False)
        assert not backend.rum
        return backend


def test_rum_ranks_its_best_candidates_and_counts_every_match(tables, monkeypatch):
    backend = tables()
    skip_unless(backend.rum, "the RUM extension is not installed (postgresql-NN-rum)")
    monkeypatch.setattr("sti.search.backends.postgres_backend.RUM_CANDIDATES", 3)
    backend.index([doc(n, f"Báo cáo số {n}", body="về lúa") for n in range(10)])
    backend.index([doc(99, "Lúa chịu mặn", body="lúa lúa lúa")])
    # Three candidates ranked for two hits; the exact count asked for apart.
    found = backend.search(_query("lúa", limit=2, count_limit=None))
    assert found.total == 11
    assert pks(found)[0] == "99"
    assert len(found.hits) == 2


@pytest.mark.parametrize("rum", [None, False])
def test_counts_and_facets_stop_at_the_count_limit(tables, monkeypatch, rum):
    backend = tables(rum=rum)
    backend.index([doc(n, f"Lúa {n}", body="lúa", year=2000 + n % 2) for n in range(12)])
    backend.index([doc(99, "Cá tra")])
    for share in (1.0, 0.0):  # through the index, and reading the table in order
        monkeypatch.setattr("sti.search.backends.postgres_backend.BROAD_SHARE", share)
        found = backend.search(_query("lua", count_limit=5, facets=["year"]))
        assert (found.total, found.total_is_lower_bound) == (5, True)
        assert sum(value.count for value in found.facets["year"]) == 5
        assert len(found.hits) == 10
        browse = backend.search(_query("", count_limit=5))
        assert (browse.total, browse.total_is_lower_bound) == (5, True)
        exact = backend.search(_query("lua", count_limit=None, facets=["year"]))
        assert (exact.total, exact.total_is_lower_bound) == (12, False)
        assert {v.value: v.count for v in exact.facets["year"]} == {"2000": 6, "2001": 6}
        assert backend.search(_query("ca tra", count_limit=5)).total == 1


def test_a_broad_query_takes_its_candidates_from_the_titles(tables, monkeypatch):
    backend = tables()
    skip_unless(backend.rum, "the RUM extension is not installed (postgresql-NN-rum)")
    # Counted first whatever the planner expects of this small table.
    monkeypatch.setattr("sti.search.backends.postgres_backend.BROAD_EXPECTED", 0)
    backend.index([doc(n, f"Báo cáo {n}", body="về lúa và cá") for n in range(30)])
    backend.index([doc(100 + n, f"Lúa mùa {n}", body="lúa") for n in range(3)])
    found = backend.search(_query("lúa", count_limit=5, limit=3))
    assert found.total_is_lower_bound
    assert sorted(pks(found)) == ["100", "101", "102"]
    # Fewer titles than the page holds the word: the candidates come from every match.
    page = backend.search(_query("lúa", count_limit=5, limit=10))
    assert len(page.hits) == 10 and set(pks(page)) >= {"100", "101", "102"}
    only_bodies = backend.search(_query("ca", count_limit=5, limit=10))
    assert len(only_bodies.hits) == 10


def test_a_version_1_table_gains_the_title_index_and_keeps_its_rows(tables):
    backend = tables()
    skip_unless(backend.rum, "the RUM extension is not installed (postgresql-NN-rum)")
    backend.index([doc(1, "Cần Thơ")])
    backend._execute(f"DROP INDEX {backend.table}_title")
    backend._execute(f"COMMENT ON TABLE {backend.table} IS 'sti search 1 rum'")
    again = tables(backend.table)
    assert again.rum and again.count() == 1
    assert f"{backend.table}_title" in _index_names(again)


def _query(text, **options):
    return SearchQuery(text=text, principals=None, **options)


def test_two_hosts_share_one_index(tables):
    web_a = tables()
    web_b = tables(web_a.table)
    web_a.index([doc(1, "Đường Cần Thơ")])
    assert pks(web_b.search(_query("duong"))) == ["1"]  # no reload, no delay
    web_b.delete(["document:1"])
    assert web_a.search(_query("duong")).total == 0


def test_bulk_load_is_one_transaction(tables):
    backend = tables()
    other = tables(backend.table)
    backend.index([doc(1, "Lúa cũ", type="task")])
    with backend.bulk_loader(replace="task") as add:
        add(doc(2, "Lúa mới", type="task"))
        # Another host still sees the old rows while the load runs.
        assert pks(other.search(_query("lua"))) == ["1"]
    assert pks(other.search(_query("lua"))) == ["2"]
    with pytest.raises(RuntimeError), backend.bulk_loader(replace="task") as add:
        add(doc(3, "Lúa hỏng", type="task"))
        raise RuntimeError("the rebuild failed")
    assert pks(other.search(_query("lua"))) == ["2"]


def _index_names(backend) -> set[str]:
    rows = backend._execute(
        "SELECT indexname FROM pg_indexes WHERE tablename = %s", (backend.table,)
    )
    return {row[0] for row in rows}


def test_full_rebuild_builds_a_new_table_and_swaps_it_in(tables):
    backend = tables()
    other = tables(backend.table)
    indexes = _index_names(backend)
    backend.index([doc(1, "Lúa cũ", type="task"), doc(2, "Cá tra", type="document")])
    with backend.bulk_loader(replace=REPLACE_ALL) as add:
        add(doc(3, "Lúa mới", type="task"))
        add(doc(3, "Lúa mới nhất", type="task"))  # the last version of a uid wins
        assert sorted(pks(other.search(_query("lua")))) == ["1"]  # the old rows meanwhile
    # Everything replaced: the record the rebuild did not add is gone.
    assert backend.count() == 1
    found = other.search(_query("lua"))
    assert pks(found) == ["3"] and found.hits[0].title == "Lúa mới nhất"
    # The new table has the same indexes, under the same names, and is found by them.
    assert _index_names(backend) == indexes
    assert {f"{backend.table}_folded", f"{backend.table}_pkey"} <= indexes
    assert tables(backend.table).rum == backend.rum
    other.index([doc(4, "Lúa lai", type="task")])  # writers go on into the new table
    assert sorted(pks(backend.search(_query("lua")))) == ["3", "4"]
    # A rebuild that fails leaves the table as it was.
    with pytest.raises(RuntimeError), backend.bulk_loader(replace=REPLACE_ALL) as add:
        add(doc(5, "Lúa hỏng", type="task"))
        raise RuntimeError("the rebuild failed")
    assert sorted(pks(other.search(_query("lua")))) == ["3", "4"]


class _PauseBeforeDrop:
    """The swap's connection, holding the table locked just before it drops the old one
    until another session waits on that lock (or 10 s pass)."""

    def __init__(self, connection, table: str, started: threading.Event):
        self._connection, self._table, self._started = connection, table, started

    def execute(self, statement, *args):
        if statement == f"DROP TABLE {self._table}":
            self._started.set()
            with psycopg.connect(postgres_url(), autocommit=True) as watcher:
                for _ in range(200):
                    waiting = watcher.execute(
                        "SELECT count(*) FROM pg_locks WHERE NOT granted AND relation = %s::regclass",
                        (self._table,),
                    ).fetchone()[0]
                    if waiting:
                        break
                    time.sleep(0.05)
        return self._connection.execute(statement, *args)

    def __getattr__(self, name):
        return getattr(self._connection, name)


@pytest.mark.parametrize("write", ["index", "delete", "type_load"])
def test_writes_during_the_swap_of_a_full_rebuild_go_to_the_new_table(tables, monkeypatch, write):
    """A write waiting on the swap's lock, a record indexed or a type's load that began
    before the swap, finishes without error in the new table, and so does the rebuild."""
    rebuild = tables()
    writer = tables(rebuild.table)
    writer.index([doc(1, "Lúa cũ", type="task"), doc(2, "Cá tra", type="task")])
    started, errors = threading.Event(), []
    swap = rebuild._swap
    monkeypatch.setattr(
        rebuild,
        "_swap",
        lambda connection, *args, **kw: swap(
            _PauseBeforeDrop(connection, rebuild.table, started), *args, **kw
        ),
    )

    def write_meanwhile():
        try:
            if write == "type_load":
                # Staged before the swap locks the table, written while it holds it.
                with writer.bulk_loader(replace="task") as add:
                    add(doc(7, "Lúa bảy", type="task"))
                    started.wait(10)
            else:
                started.wait(10)
                if write == "index":
                    writer.index([doc(7, "Lúa bảy", type="task")])
                else:
                    writer.delete(["task:3"])
        except Exception as error:  # reported below
            errors.append(error)

    thread = threading.Thread(target=write_meanwhile)
    thread.start()
    with rebuild.bulk_loader(replace=REPLACE_ALL) as add:
        add(doc(3, "Lúa mới", type="task"))
    thread.join(20)
    assert errors == [] and started.is_set()
    expected = {"index": ["3", "7"], "delete": [], "type_load": ["7"]}[write]
    assert sorted(pks(writer.search(_query("lua")))) == expected
    assert not rebuild._execute("SELECT to_regclass(%s)", (f"{rebuild.table}_new",))[0][0]


def test_load_into_an_empty_table_keeps_what_others_wrote_meanwhile(tables):
    backend = tables()
    other = tables(backend.table)
    with backend.bulk_loader() as add:
        add(doc(1, "Lúa một"))
        other.index([doc(2, "Lúa hai"), doc(1, "Lúa cũ")])  # another host, during the load
    assert backend.count() == 2
    assert sorted(pks(other.search(_query("lua")))) == ["1", "2"]
    assert backend.search(_query("mot")).total == 1  # the load's version of uid 1 wins


def test_writers_in_threads(tables):
    backend = tables()
    errors = []

    def write(start):
        try:
            backend.index([doc(n, f"Đề tài {n} về lúa") for n in range(start, start + 20)])
        except Exception as error:  # pragma: no cover - reported below
            errors.append(error)

    threads = [threading.Thread(target=write, args=(start,)) for start in (0, 20, 40)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert backend.search(_query("lua")).total == 60


def test_schema_change_recreates_the_table(tables):
    backend = tables()
    backend.index([doc(1, "Cần Thơ")])
    backend._execute(f"COMMENT ON TABLE {backend.table} IS 'sti search 0'")
    assert tables(backend.table).count() == 0


def test_long_and_hostile_bodies_are_indexed(tables):
    backend = tables()
    words = " ".join(f"từ{n}" for n in range(24_000))  # more positions than PostgreSQL keeps
    backend.index(
        [
            doc(1, "Toàn văn", body="Mở đầu về đường lúa. " + words),
            doc(2, "x" * 100_000, body="\x00 lúa " + "y" * 5_000),
        ]
    )
    assert sorted(pks(backend.search(_query("lúa")))) == ["1", "2"]
    assert pks(backend.search(_query('"duong lua"'))) == ["1"]
    assert pks(backend.search(_query("từ23999"))) == ["1"]  # past the last position


def test_vectors_keep_title_and_body_apart():
    exact, folded = vectors("Cần Thơ", "thơ mới")
    assert exact == "'cần':2A 'thơ':3A,5B 'mới':6B"
    assert folded == "'can':2A 'tho':3A,5B 'moi':6B"
    # A syllable typed without marks joins the same one folded from marked text.
    assert vectors("Dương", "duong")[1] == "'duong':2A,4B"
    deep = vectors("", "a " * (MAX_POSITION + 10))[1]
    assert deep.count(",") == 255  # 256 positions per lexeme


def test_without_postgresql_the_backend_says_what_it_needs(settings):
    from django.db import connection

    settings.STI_SEARCH_DATABASE_URL = ""
    if connection.vendor == "postgresql":
        backend = PostgresBackend(table=f"sti_test_{uuid.uuid4().hex[:12]}")
        backend.drop()
    else:
        with pytest.raises(ImproperlyConfigured, match="needs PostgreSQL"):
            PostgresBackend()


@pytest.mark.django_db
def test_the_platform_searches_through_postgresql(settings, org_a, run_on_commit):
    """Chosen by settings, the backend uses the platform's database and serves
    `services.search` (records saved, indexed on commit, found folded)."""
    skip_unless(bool(postgres_url()), NOT_POSTGRES)
    from sti.directory.models import Organization
    from sti.search import services

    settings.STI_SEARCH_BACKEND = "sti.search.backends.postgres_backend.PostgresBackend"
    settings.STI_SEARCH_PG_TABLE = f"sti_test_{uuid.uuid4().hex[:12]}"
    services.reset_backend()
    backend = services.get_backend()
    try:
        assert isinstance(backend, PostgresBackend)
        with run_on_commit():
            Organization.objects.create(
                name="Sở Khoa học và Công nghệ TP. Cần Thơ", kind="state_agency"
            )
        results = services.search(None, SearchQuery(text="so khoa hoc can tho"))
        assert [hit.title for hit in results.hits][0] == "Sở Khoa học và Công nghệ TP. Cần Thơ"
        assert "<mark>Cần</mark>" in results.hits[0].title_html
    finally:
        backend.drop()
        services.reset_backend()
