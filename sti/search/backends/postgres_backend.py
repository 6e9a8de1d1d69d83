"""The PostgreSQL search backend: one table that every web host and worker shares.

Chosen with `STI_SEARCH_BACKEND=sti.search.backends.postgres_backend.PostgresBackend`. It
connects to `STI_SEARCH_DATABASE_URL` when set, else to the platform's own database when that
is PostgreSQL (the test database under tests), and creates its table itself
(`STI_SEARCH_PG_TABLE`, default `sti_search_document`): it is derived data, rebuilt by
`sti reindex`, so no Django migration carries it and SQLite installations never see it.

Vietnamese behaviour matches the tantivy backend: every record has an `exact` tsvector
(lower-cased, marks kept) and a `folded` one (marks removed, đ→d), both built in Python with
`sti.core.text` (no `unaccent`, so the database needs no extension), title at weight A and
body at weight B, positions kept for phrases. An index on `folded` finds the records;
`postgres_query` ranks them (coverage, exactness × field, proximity, phrases, expansions).
The index is RUM where the extension can be created (Debian's `postgresql-NN-rum`, which
`.ci/run` installs; `STI_SEARCH_PG_RUM=0` declines it): a ranked search then takes the
index's `RUM_CANDIDATES` best matches in the index's own rank order and ranks those, so a
broad query does not rank every match. Without RUM, a GIN index finds the matches and every
one is ranked: the same results, slower for broad queries.

Counts stop at the query's `count_limit` (1,000 by default; None: exact): the results then
say `total_is_lower_bound`, and facet values are counted over those first matches. A count
reads a row per match, so an exact count of a broad query read most of the table (0.7–1.1 s
at 300,000 records). A broad query (past its count limit) takes its candidates from a
second RUM index over the title lexemes (`TITLE_VECTOR`), whose lists are a tenth as long
as those of the whole text; when fewer titles than the page needs hold the words, from the
whole text's index.

Limits of PostgreSQL's tsvector: positions stop at 16,383 and a lexeme keeps 256 of them,
so a quoted phrase or a proximity bonus deep in a long full text (past about 16,000 words)
is not seen there; its words still match.

Snippets: the opening of the body (`EXCERPT_CHARS`) is stored; a hit whose excerpt lacks a
query word its body may hold further on takes its snippet from `full_texts` (the records in
the database), as with the tantivy backend.

Connections: one per thread (and per process: a forked worker opens its own), autocommit.
A bulk load runs in one transaction: searches see the old rows until it commits.
"""

from __future__ import annotations

import logging
import math
import os
import re
import threading
import time
from collections import Counter
from collections.abc import Iterable, Sequence
from contextlib import contextmanager
from datetime import timedelta

import psycopg
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from psycopg.copy import QueuedLibpqWriter

from sti.core import pagecache
from sti.core.text import VIETNAMESE_STOPWORDS, fold_lower, tokenize
from sti.search.backends.common import (
    BUILTIN_FACETS,
    EPOCH,
    INT_RANGE,
    PUBLIC,
    RESTRICTED,
    TAG_NAME,
    access_list,
    clamp,
    clean,
    deep_snippets,
    field_ancestors,
    micros,
    timestamp,
)
from sti.search.backends.postgres_query import (
    MAX_TOKEN_BYTES,
    RANK_WEIGHTS,
    Sql,
    folded_token,
    indexable,
    lexeme,
    text_plan,
)
from sti.search.base import (
    MAX_RESULT_WINDOW,
    REPLACE_ALL,
    SORT_NEWEST,
    SORT_OLDEST,
    SORT_TITLE,
    FacetValue,
    SearchBackend,
    SearchDocument,
    SearchHit,
    SearchQuery,
    SearchResults,
    TextLoader,
)
from sti.search.highlight import fold_aligned, highlight_all, snippet
from sti.search.querytext import parse_query

logger = logging.getLogger(__name__)

SCHEMA_VERSION = "2"
DEFAULT_TABLE = "sti_search_document"
INDEXED_BODY_CHARS = 200_000
EXCERPT_CHARS = 2_000
FACET_SIZE = 200
MAX_LIMIT = 200
# With RUM, a ranked search ranks this many of the index's best candidates (every match when
# there are fewer): the rest of a broad query's matches are counted, not ranked.
RUM_CANDIDATES = 1_000
# A broad query (more matches than its count limit) takes its candidates from a second RUM
# index over the title lexemes only (weight A): ordering every match of a common syllable
# costs the folded index 70–200 ms at 300,000 records; its title list is a tenth as long.
TITLE_VECTOR = "ts_filter(folded, '{a}')"
TITLE_CANDIDATES = 200
# A count that stops at its limit reads the table in order, not through the index, when the
# planner expects at least this share of the rows to match.
BROAD_SHARE = 0.08
# A ranked query the planner expects to match this many times its count limit is counted
# before it is ranked (and, past the limit, ranked from the title index).
BROAD_EXPECTED = 2
WORK_MEM = "64MB"  # per sort, per search connection
MAX_POSITION = 16_383  # PostgreSQL keeps no higher position
MAX_POSITIONS = 256  # positions kept per lexeme
MAX_VECTOR_BYTES = 900_000  # a tsvector holds under 1 MB
# more_like_this: document frequencies are counted up to this many records per term.
DF_CAP = 20_000
_TABLE_NAME = re.compile(r"^[a-z_][a-z0-9_]{0,40}$")
_INT_MAX = INT_RANGE[1]
COLUMNS = (
    "uid",
    "type",
    "pk",
    "title",
    "url",
    "subtitle",
    "excerpt",
    "more",
    "fields",
    "tags",
    "acl",
    "restricted",
    "year",
    "sort_date",
    "sort_title",
    "available_from",
    "created",
    "exact",
    "folded",
)
_HIT_COLUMNS = "type, pk, title, url, subtitle, excerpt, more, year, fields, created"


def vectors(title: str, body: str) -> tuple[str, str]:
    """(exact, folded) tsvector literals: title syllables at weight A, body at weight B, a
    position apart so that no phrase spans the two. Syllables are letters and digits only
    (`tokenize`), so they need no escaping inside quotes."""
    exact: dict[str, list[str]] = {}
    folded: dict[str, list[str]] = {}
    position = 0
    for weight, text in (("A", title), ("B", body)):
        position += 1
        for token in tokenize(text):
            position += 1
            key = folded_token(token)
            if len(key) * 4 > MAX_TOKEN_BYTES and not indexable(token):
                continue
            place = f"{min(position, MAX_POSITION)}{weight}"
            places = exact.get(token)
            if places is None:
                exact[token] = [place]
            elif len(places) < MAX_POSITIONS:
                places.append(place)
            if key is token or key == token:
                continue
            places = folded.get(key)
            if places is None:
                folded[key] = [place]
            elif len(places) < MAX_POSITIONS:
                places.append(place)
    # Unmarked syllables are the same in both vectors.
    for token, places in exact.items():
        if folded_token(token) == token:
            marked = folded.get(token)
            folded[token] = places if marked is None else (marked + places)[:MAX_POSITIONS]
    exact_literal, folded_literal = _literal(exact), _literal(folded)
    if len(folded_literal) + len(exact_literal) > 2 * MAX_VECTOR_BYTES:
        # Past what a tsvector holds (a huge text of distinct words): the opening only.
        cut = len(body) * MAX_VECTOR_BYTES // (len(folded_literal) + len(exact_literal)) // 2
        return vectors(title, body[:cut])
    return exact_literal, folded_literal


def _phrase(conditions: list[Sql]) -> bool:
    """Whether a text condition holds a phrase (`<->`) in its tsquery."""
    return any("<->" in str(param) for condition in conditions for param in condition.params)


def _literal(vector: dict[str, list[str]]) -> str:
    return " ".join(f"'{word}':{','.join(places)}" for word, places in vector.items())


def _conninfo(dsn: str | None) -> str:
    if dsn:
        return dsn
    url = getattr(settings, "STI_SEARCH_DATABASE_URL", "")
    if url:
        return url
    from django.db import connections

    connection = connections["default"]
    if connection.vendor != "postgresql":
        raise ImproperlyConfigured(
            "The PostgreSQL search backend needs PostgreSQL: set DATABASE_URL or "
            "STI_SEARCH_DATABASE_URL to postgres://…"
        )
    values = connection.settings_dict
    return psycopg.conninfo.make_conninfo(
        **{
            key: str(value)
            for key, value in (
                ("dbname", values.get("NAME")),
                ("user", values.get("USER")),
                ("password", values.get("PASSWORD")),
                ("host", values.get("HOST")),
                ("port", values.get("PORT")),
            )
            if value
        }
    )


class PostgresBackend(SearchBackend):
    ranks_by_rarity = False  # ts_rank has no inverse document frequency (postgres_query)

    def __init__(
        self,
        path=None,
        writer_heap_mb: int = 0,
        full_texts: TextLoader | None = None,
        *,
        dsn: str | None = None,
        table: str | None = None,
        rum: bool | None = None,
    ):
        # `path` and `writer_heap_mb` are the embedded engine's settings; nothing here.
        self.full_texts = full_texts
        self.conninfo = _conninfo(dsn)
        self.table = table or getattr(settings, "STI_SEARCH_PG_TABLE", "") or DEFAULT_TABLE
        if not _TABLE_NAME.match(self.table):
            raise ImproperlyConfigured(f"STI_SEARCH_PG_TABLE: not a table name: {self.table!r}")
        # RUM (an extension; Debian's postgresql-NN-rum) keeps positions in the index, so
        # the best-ranked candidates of a broad query come from the index in rank order
        # instead of ranking every match. Without it: GIN, and every match is ranked.
        self.use_rum = getattr(settings, "STI_SEARCH_PG_RUM", True) if rum is None else rum
        self.rum = False
        self._local = threading.local()
        self._all: list[psycopg.Connection] = []
        self._all_lock = threading.Lock()
        self._create()

    # ------------------------------------------------------------------
    # Connections and the table
    # ------------------------------------------------------------------
    def _connection(self) -> psycopg.Connection:
        connection = getattr(self._local, "connection", None)
        if connection is None or connection.closed or self._local.pid != os.getpid():
            connection = self._open()
            self._local.connection, self._local.pid = connection, os.getpid()
            with self._all_lock:
                self._all.append(connection)
        return connection

    def _open(self) -> psycopg.Connection:
        connection = psycopg.connect(self.conninfo, autocommit=True, connect_timeout=10)
        # A broad query's RUM scan sorts every match by rank to hand out the best
        # candidates: with PostgreSQL's default 4 MB the sort spills to disk (EXPLAIN
        # ANALYZE at 300,000 records: 565 ms with temporary files, 268 ms without).
        connection.execute(f"SET work_mem = '{WORK_MEM}'")
        return connection

    def _execute(self, statement: str, params: Sequence = ()) -> list[tuple]:
        """Run one statement; a connection lost since the last one is opened again once."""
        for attempt in (1, 2):
            connection = self._connection()
            try:
                with connection.cursor() as cursor:
                    cursor.execute(statement, params)
                    return cursor.fetchall() if cursor.description else []
            except psycopg.OperationalError:
                if attempt == 2 or not connection.closed:
                    raise
                logger.warning("search database connection lost; reconnecting")
        return []

    def close(self) -> None:
        """Close every connection this backend opened (tests, process shutdown)."""
        with self._all_lock:
            connections, self._all = self._all, []
        for connection in connections:
            connection.close()
        self._local = threading.local()

    def _create(self) -> None:
        t = self.table
        connection = self._connection()
        with connection.transaction():
            # One process creates the table; the others wait here and find it.
            connection.execute("SELECT pg_advisory_xact_lock(hashtext(%s))", (t,))
            row = connection.execute(
                "SELECT obj_description(to_regclass(%s), 'pg_class')", (t,)
            ).fetchone()
            version = f"sti search {SCHEMA_VERSION}"
            comment = row[0] or ""
            exists = connection.execute("SELECT to_regclass(%s)", (t,)).fetchone()[0]
            if exists and comment == "sti search 1 rum":
                # Version 2 adds the title index: built over the rows in place.
                connection.execute("SET LOCAL maintenance_work_mem = '256MB'")
                self.rum = True
                name, definition = self._index_definitions()[1]
                connection.execute(f"CREATE INDEX IF NOT EXISTS {t}_{name} ON {t} {definition}")
                connection.execute(f"COMMENT ON TABLE {t} IS '{self._comment()}'")
                comment = self._comment()
            if exists and comment == "sti search 1":
                comment = version  # version 2 changed nothing without RUM
                connection.execute(f"COMMENT ON TABLE {t} IS '{version}'")
            if exists and comment not in (version, f"{version} rum"):
                logger.warning("Search table %s changed; recreating it (run `sti reindex`)", t)
                connection.execute(f"DROP TABLE {t}")
                exists = None
            if exists:
                self.rum = comment.endswith(" rum")
                return
            self.rum = self.use_rum and self._create_rum(connection)
            self._create_table(connection, t)
            self._create_indexes(connection, t, t)
            connection.execute(f"COMMENT ON TABLE {t} IS '{self._comment()}'")

    def _comment(self) -> str:
        return f"sti search {SCHEMA_VERSION}{' rum' if self.rum else ''}"

    @staticmethod
    def _create_table(connection: psycopg.Connection, table: str, *, stage: bool = False) -> None:
        """The search table, or (`stage`) a load's temporary staging table of the same
        columns plus `seq`: written out, not `LIKE` the table, so that staging holds no lock
        on the table while the rows are copied."""
        head, key, seq, tail = (
            ("CREATE TEMP TABLE", "NOT NULL", ", seq bigint NOT NULL", "ON COMMIT DROP")
            if stage  # a uid staged twice keeps its last version (`seq`)
            else ("CREATE TABLE", "PRIMARY KEY", "", "WITH (toast_tuple_target = 8160)")
        )
        connection.execute(
            f"""
            {head} {table} (
                uid text {key},
                type text NOT NULL,
                pk text NOT NULL,
                title text NOT NULL,
                url text NOT NULL DEFAULT '',
                subtitle text NOT NULL DEFAULT '',
                excerpt text NOT NULL DEFAULT '',
                more boolean NOT NULL DEFAULT false,
                fields text[] NOT NULL DEFAULT '{{}}',
                tags text[] NOT NULL DEFAULT '{{}}',
                acl text[] NOT NULL DEFAULT '{{}}',
                restricted boolean NOT NULL DEFAULT false,
                year bigint NOT NULL DEFAULT 0,
                sort_date bigint NOT NULL DEFAULT 0,
                sort_title text COLLATE "C" NOT NULL DEFAULT '',
                available_from bigint NOT NULL DEFAULT 0,
                created bigint NOT NULL DEFAULT 0,
                exact tsvector COMPRESSION lz4 NOT NULL,
                folded tsvector COMPRESSION lz4 NOT NULL{seq}
            ) {tail}
            """
        )

    def _index_definitions(self) -> tuple[tuple[str, str], ...]:
        return (
            ("folded", "USING rum (folded rum_tsvector_ops)" if self.rum else "USING gin (folded)"),
            *((("title", f"USING rum (({TITLE_VECTOR}) rum_tsvector_ops)"),) if self.rum else ()),
            ("type", "(type)"),
            ("sort_date", "(sort_date)"),
            ("sort_title", "(sort_title)"),
            ("fields", "USING gin (fields)"),
            ("tags", "USING gin (tags)"),
            ("created", "(created) WHERE created > 0"),
            ("embargo", "(available_from) WHERE available_from > 0"),
            ("restricted", "(uid) WHERE restricted"),
        )

    def _create_indexes(self, connection: psycopg.Connection, table: str, prefix: str) -> None:
        for name, definition in self._index_definitions():
            connection.execute(f"CREATE INDEX {prefix}_{name} ON {table} {definition}")

    @staticmethod
    def _create_rum(connection: psycopg.Connection) -> bool:
        """Whether the RUM extension is (or could be made) available in this database."""
        try:
            with connection.transaction():
                connection.execute("CREATE EXTENSION IF NOT EXISTS rum")
        except psycopg.Error as error:
            logger.info("RUM not available (%s); the search table uses GIN", error)
            return False
        return True

    def drop(self) -> None:
        """Remove the table (tests)."""
        self._execute(f"DROP TABLE IF EXISTS {self.table}")
        self.close()

    # ------------------------------------------------------------------
    # Writing
    # ------------------------------------------------------------------
    @staticmethod
    def _row(document: SearchDocument) -> tuple:
        title = clean(document.title)
        body = clean(document.body[:INDEXED_BODY_CHARS] if document.body else "")
        exact, folded = vectors(title, body)
        acl = access_list(document.principals)
        return (
            document.uid,
            document.type,
            str(document.pk),
            title,
            clean(document.url),
            clean(document.subtitle),
            body[:EXCERPT_CHARS],
            len(body) > EXCERPT_CHARS,
            field_ancestors(clean(code) for code in document.fields),
            [f"{clean(name)}={clean(str(value))}" for name, value in document.tags],
            acl,
            RESTRICTED in acl,
            clamp(document.year) or 0,
            timestamp(document.date),
            fold_aligned(title[:100]),
            timestamp(document.available_from),
            micros(document.created),
            exact,
            folded,
        )

    def _upsert_sql(self) -> str:
        updates = ", ".join(f"{column} = EXCLUDED.{column}" for column in COLUMNS[1:])
        values = ", ".join(["%s"] * len(COLUMNS))
        return (
            f"INSERT INTO {self.table} ({', '.join(COLUMNS)}) VALUES ({values}) "
            f"ON CONFLICT (uid) DO UPDATE SET {updates}"
        )

    def index(self, documents: Iterable[SearchDocument]) -> int:
        documents = list(documents)
        if not documents:
            return 0
        rows = {document.uid: self._row(document) for document in documents}  # last one wins
        connection = self._connection()
        with connection.transaction(), connection.cursor() as cursor:
            cursor.executemany(self._upsert_sql(), list(rows.values()))
        # This connection is not Django's, which the page cache watches: pages kept before
        # the commit (search results, counts) are stale now, in every process.
        pagecache.bump()
        return len(documents)

    def bulk_loader(self, replace: str | None = None):
        """One transaction for a whole load: rows are copied into a staging table and
        moved in at the end (a uid added twice keeps its last version); searches see the old
        rows until the commit, and an error leaves them in place.

        A full rebuild (`REPLACE_ALL`), or a load into an empty table, builds a new table
        instead: the rows go in without index upkeep, the indexes are built once over them
        (a RUM or GIN index grows far faster built than updated row by row), and the new
        table takes the old one's name in the same transaction. Rows other processes wrote
        to the old table meanwhile are carried over (not for `REPLACE_ALL`, which replaces
        everything), under a lock that keeps writers waiting for that last moment only."""

        @contextmanager
        def loader():
            # A connection of its own: what runs while the load is open (a record saved,
            # indexed at once in this thread) uses the thread's connection, not this busy one.
            with self._open() as connection:
                yield from load(connection)
            pagecache.bump()  # committed (see `index`)

        def load(connection: psycopg.Connection):
            stage = f"{self.table}_stage"
            columns = ", ".join(COLUMNS)
            # The load's transaction touches the table only at the end, and takes its lock
            # first there: a full rebuild swapping the table meanwhile is waited for, and the
            # rows then go to the new table (a lock held from the start would deadlock
            # against the swap, which drops the old table, and abort one of the two).
            with connection.transaction():
                self._create_table(connection, stage, stage=True)
                counter = [0]
                with connection.cursor() as cursor:
                    # A writer thread sends the rows while this one builds the next ones.
                    with cursor.copy(
                        f"COPY {stage} ({columns}, seq) FROM STDIN",
                        writer=QueuedLibpqWriter(cursor),
                    ) as copy:

                        def add(document: SearchDocument) -> None:
                            counter[0] += 1
                            copy.write_row((*self._row(document), counter[0]))

                        yield add
                latest = f"SELECT DISTINCT ON (uid) {columns} FROM {stage} ORDER BY uid, seq DESC"
                # Read on another connection: no lock kept. Rows written after it are
                # carried over by the swap.
                empty = replace != REPLACE_ALL and not self._execute(
                    f"SELECT 1 FROM {self.table} LIMIT 1"
                )
                if replace == REPLACE_ALL or empty:
                    self._swap(connection, latest, stage, keep=replace != REPLACE_ALL)
                else:
                    connection.execute(f"LOCK TABLE {self.table} IN ROW EXCLUSIVE MODE")
                    if replace is not None:
                        connection.execute(f"DELETE FROM {self.table} WHERE type = %s", (replace,))
                    connection.execute(
                        f"DELETE FROM {self.table} t USING {stage} s WHERE t.uid = s.uid"
                    )
                    connection.execute(f"INSERT INTO {self.table} ({columns}) {latest}")
            if counter[0] > 1000:
                connection.execute(f"ANALYZE {self.table}")

        return loader()

    def _swap(self, connection: psycopg.Connection, latest: str, stage: str, keep: bool) -> None:
        """Inside the load's transaction: a new table with the staged rows and its indexes
        built after them, renamed over the old one."""
        t, new = self.table, f"{self.table}_new"
        columns = ", ".join(COLUMNS)
        # One swap at a time (two hosts loading an empty table): the second waits here.
        connection.execute("SELECT pg_advisory_xact_lock(hashtext(%s))", (f"{t} swap",))
        connection.execute(f"DROP TABLE IF EXISTS {new}")
        self._create_table(connection, new)
        connection.execute(f"INSERT INTO {new} ({columns}) {latest}")
        connection.execute("SET LOCAL maintenance_work_mem = '256MB'")
        self._create_indexes(connection, new, new)
        # Writers wait from here to the commit; searches go on reading the old table.
        connection.execute(f"LOCK TABLE {t} IN EXCLUSIVE MODE")
        if keep:
            connection.execute(
                f"INSERT INTO {new} ({columns}) SELECT {columns} FROM {t} o "
                f"WHERE NOT EXISTS (SELECT 1 FROM {stage} s WHERE s.uid = o.uid)"
            )
        connection.execute(f"DROP TABLE {t}")
        connection.execute(f"ALTER TABLE {new} RENAME TO {t}")
        connection.execute(f"ALTER INDEX {new}_pkey RENAME TO {t}_pkey")
        for name, _definition in self._index_definitions():
            connection.execute(f"ALTER INDEX {new}_{name} RENAME TO {t}_{name}")
        connection.execute(f"COMMENT ON TABLE {t} IS '{self._comment()}'")

    def delete(self, uids: Iterable[str]) -> None:
        uids = [str(uid) for uid in uids]
        if uids:
            self._execute(f"DELETE FROM {self.table} WHERE uid = ANY(%s)", (uids,))
            pagecache.bump()  # committed (see `index`)

    def clear(self, type: str | None = None) -> None:
        if type is None:
            self._execute(f"DELETE FROM {self.table}")
        else:
            self._execute(f"DELETE FROM {self.table} WHERE type = %s", (type,))
        pagecache.bump()  # committed (see `index`)

    def count(self, type: str | None = None) -> int:
        if type is None:
            return self._execute(f"SELECT count(*) FROM {self.table}")[0][0]
        return self._execute(f"SELECT count(*) FROM {self.table} WHERE type = %s", (type,))[0][0]

    def present(self, uids: Iterable[str]) -> set[str]:
        uids = [str(uid) for uid in uids]
        if not uids:
            return set()
        rows = self._execute(f"SELECT uid FROM {self.table} WHERE uid = ANY(%s)", (uids,))
        return {row[0] for row in rows}

    # ------------------------------------------------------------------
    # Conditions
    # ------------------------------------------------------------------
    @staticmethod
    def _access(principals: Sequence[str] | None) -> list[Sql]:
        """What the principals may see. Most records are public: the condition excludes
        the few restricted ones rather than intersecting with every public one."""
        if principals is None:
            return []
        principals = [str(p) for p in principals]
        out = [Sql("available_from <= %s", [int(time.time())])]
        if PUBLIC not in principals:
            out.append(Sql("acl && %s::text[]", [principals or [PUBLIC]]))
            return out
        others = [p for p in principals if p != PUBLIC]
        if others:
            out.append(Sql("(NOT restricted OR acl && %s::text[])", [others]))
        else:
            out.append(Sql("NOT restricted"))
        return out

    @staticmethod
    def _filter(name: str, values: Sequence[str]) -> Sql:
        column = BUILTIN_FACETS.get(name)
        if column == "year":
            years = []
            for value in values:
                try:
                    years.append(clamp(int(str(value).strip())))
                except ValueError:
                    continue
            return Sql("year = ANY(%s::bigint[])", [years]) if years else Sql("false")
        if column == "type":
            return Sql("type = ANY(%s::text[])", [[str(v).strip() for v in values]])
        if column == "fields":
            return Sql("fields && %s::text[]", [[str(v).strip() for v in values]])
        return Sql("tags && %s::text[]", [[f"{name}={v}" for v in values]])

    def _filters(self, query: SearchQuery, skip: str | None = None) -> list[Sql]:
        out = [
            self._filter(name, values)
            for name, values in query.filters.items()
            if name != skip and values
        ]
        if query.year_from is not None or query.year_to is not None:
            low = clamp(query.year_from) if query.year_from is not None else INT_RANGE[0]
            high = clamp(query.year_to) if query.year_to is not None else INT_RANGE[1]
            out.append(Sql("year BETWEEN %s AND %s", [low, high]))
        if query.created_after is not None or query.created_until is not None:
            out.append(self._created(query))
        return out

    @staticmethod
    def _created(query: SearchQuery) -> Sql:
        """Records that became visible to the searcher in (created_after, created_until]:
        listed then, or (restricted searches) listed before it and out of embargo then."""
        after = micros(query.created_after) + 1 if query.created_after is not None else 1
        until = micros(query.created_until) if query.created_until is not None else None
        listed = Sql("created BETWEEN %s AND %s", [max(after, 1), until or _INT_MAX])
        if query.principals is None:  # staff see embargoed records from their listing
            return listed
        lift_low = (after - 1) // 1_000_000 + 1
        lift_high = until // 1_000_000 if until is not None else _INT_MAX
        lifted = Sql(
            "(available_from BETWEEN %s AND %s AND created BETWEEN 1 AND %s)",
            [lift_low, lift_high, until or _INT_MAX],
        )
        window = Sql(f"({listed.text} OR {lifted.text})", listed.params + lifted.params)
        if until is None:
            return window
        # Listed in the window under an embargo lifting after it: not visible yet then.
        return Sql(f"({window.text} AND available_from <= %s)", [*window.params, lift_high])

    @staticmethod
    def _where(conditions: list[Sql]) -> Sql:
        if not conditions:
            return Sql("true")
        return Sql(
            " AND ".join(f"({c.text})" for c in conditions),
            [p for c in conditions for p in c.params],
        )

    # ------------------------------------------------------------------
    # Searching
    # ------------------------------------------------------------------
    def search(self, query: SearchQuery) -> SearchResults:
        started = time.perf_counter()
        try:
            results = self._search(query)
        except (psycopg.DataError, psycopg.errors.ProgramLimitExceeded) as error:
            # A query the database cannot run is a query with no results, not a server error.
            logger.warning("search failed for %r: %s", query.text[:200], error)
            results = SearchResults(total=0, hits=[], facets={}, query=query)
        results.elapsed_ms = (time.perf_counter() - started) * 1000
        return results

    def _text_conditions(self, plan) -> list[Sql]:
        out = []
        if plan.impossible:
            return [Sql("false")]
        if plan.match is not None:
            out.append(Sql("folded @@ %s::tsquery", [plan.match]))
        if plan.extra is not None:
            out.append(plan.extra)
        return out

    def _search(self, query: SearchQuery) -> SearchResults:
        parsed = parse_query(query.text)
        plan = text_plan(parsed, query.expansions)
        text = self._text_conditions(plan)
        access = self._access(query.principals)
        where = self._where(text + access + self._filters(query))
        limit = max(1, min(int(query.limit or 0), MAX_LIMIT))
        offset = max(0, int(query.offset or 0))

        relevance = False
        if query.sort == SORT_NEWEST or (
            parsed.is_empty and query.sort not in (SORT_TITLE, SORT_OLDEST)
        ):
            order = "sort_date DESC, uid"
        elif query.sort == SORT_OLDEST:
            order = "sort_date ASC, uid"
        elif query.sort == SORT_TITLE:
            order = "sort_title ASC, uid"
        else:
            order, relevance = "score DESC, sort_date DESC, uid", True
        score = plan.score if relevance else Sql("0")

        cap = None if query.count_limit is None else max(1, int(query.count_limit))
        ranked_by_rum = self.rum and relevance and plan.match is not None
        rest = access + self._filters(query)
        facets: dict[str, list[FacetValue]] = {}
        counted: tuple[int, bool] | None = None
        if plan.impossible:
            counted = (0, False)
        elif query.facets:
            facets, counted = self._facets(query, text, access, cap, count=True)
        elif parsed.is_empty:
            counted = self._count(text, rest, cap)
        candidates = max(RUM_CANDIDATES, offset + limit)
        if ranked_by_rum and counted is None:
            # A query the planner expects to match widely is counted first, to choose its
            # candidates; the others are ranked from the whole text's index, and when fewer
            # than the candidates match, they are the count. (Phrases: the planner takes
            # `a <-> b` for `a & b`, far more matches than there are.)
            expected = self._expected(where)
            if not _phrase(text) and expected >= BROAD_EXPECTED * (cap or RUM_CANDIDATES):
                counted = self._count(text, rest, cap, expected)
            elif cap is not None:
                candidates = max(candidates, cap + 1)

        rows: list[tuple] = []
        if offset + limit <= MAX_RESULT_WINDOW and counted != (0, False):
            if parsed.is_empty:
                # Browsing: the page from the date index, the total counted apart.
                statement = (
                    f"SELECT {_HIT_COLUMNS}, 0 FROM {self.table} WHERE {where.text} "
                    f"ORDER BY {order} LIMIT %s OFFSET %s"
                )
                rows = self._execute(statement, [*where.params, limit, offset])
            else:
                ranked = None
                if ranked_by_rum and counted is not None and counted[1]:
                    # A broad query (past the count limit): the candidates are the title
                    # index's best, a far shorter list to order than every match's.
                    ranked = self._rank(
                        self._where([Sql(f"{TITLE_VECTOR} @@ %s::tsquery", [plan.match])] + rest),
                        score,
                        order,
                        limit,
                        offset,
                        plan.match,
                        TITLE_VECTOR,
                        TITLE_CANDIDATES,
                        then=self._where(text),
                    )
                    if not ranked or ranked[0][2] < min(TITLE_CANDIDATES, offset + limit):
                        ranked = None  # too few titles hold the words: every match's best
                if ranked is None:
                    ranked = self._rank(
                        where,
                        score,
                        order,
                        limit,
                        offset,
                        plan.match if ranked_by_rum else None,
                        "folded",
                        candidates,
                    )
                    # Every match ranked (no RUM, or fewer matches than candidates): counted.
                    if (
                        ranked
                        and counted is None
                        and (not ranked_by_rum or ranked[0][2] < candidates)
                    ):
                        counted = (ranked[0][2], False)
                if ranked:
                    rows = self._page(ranked)
                elif counted is None and offset == 0:
                    counted = (0, False)
        if counted is None:
            counted = self._count(text, rest, cap)

        wanted = parsed.folded_terms() if query.highlight else set()
        found = [self._hit(row, wanted, query.highlight) for row in rows]
        hits = [hit for hit, _more, _excerpt in found]
        if wanted:
            deep_snippets(found, wanted, self.full_texts, INDEXED_BODY_CHARS)
        total, capped = counted
        return SearchResults(
            total=total, hits=hits, facets=facets, query=query, total_is_lower_bound=capped
        )

    def _rank(
        self,
        where: Sql,
        score: Sql,
        order: str,
        limit: int,
        offset: int,
        match: str | None,
        vector: str,
        candidates: int,
        then: Sql | None = None,
    ) -> list[tuple]:
        """(uid, score, how many were ranked) of the page. Narrow rows are ranked (uid, sort
        keys, score: the vectors stay behind in the scan); the page's columns are read after
        for its few uids. With `match`, the candidates are the RUM index's best on `vector`
        (`folded`, or `TITLE_VECTOR`), in the index's own rank order, kept when they meet
        `then` too; without, every match."""
        source = Sql(f"{self.table} WHERE {where.text}", where.params)
        if match is not None:
            source = Sql(
                f"(SELECT uid, sort_date, sort_title, exact, folded FROM {source.text} "
                f"ORDER BY {vector} <=> %s::tsquery LIMIT %s) c",
                [*source.params, match, max(candidates, offset + limit)],
            )
        if then is not None:
            source = Sql(f"{source.text} WHERE {then.text}", source.params + then.params)
        statement = (
            f"SELECT uid, score, count(*) OVER () FROM (SELECT uid, sort_date, "
            f"sort_title, {score.text} AS score FROM {source.text} "
            f"OFFSET 0) m ORDER BY {order} LIMIT %s OFFSET %s"
        )
        return self._execute(statement, [*score.params, *source.params, limit, offset])

    def _count(
        self, text: list[Sql], rest: list[Sql], cap: int | None, expected: float | None = None
    ) -> tuple[int, bool]:
        """The number of matches, and whether it stopped at `cap` (a lower bound then)."""
        if cap is None:
            where = self._where(text + rest)
            statement = f"SELECT count(*) FROM {self.table} WHERE {where.text}"
            return self._execute(statement, where.params)[0][0], False
        where = self._capped_where(text, rest, expected)
        statement = (
            f"SELECT count(*) FROM (SELECT 1 FROM {self.table} WHERE {where.text} LIMIT %s) s"
        )
        found = self._execute(statement, [*where.params, cap + 1])[0][0]
        return min(found, cap), found > cap

    def _expected(self, where: Sql) -> float:
        """How many rows the planner expects to meet `where`."""
        plan = self._execute(
            f"EXPLAIN (FORMAT JSON) SELECT 1 FROM {self.table} WHERE {where.text}", where.params
        )
        return float(plan[0][0][0]["Plan"]["Plan Rows"])

    def _capped_where(self, text: list[Sql], rest: list[Sql], expected: float | None = None) -> Sql:
        """The conditions for a scan that stops after the first matches. When the planner
        expects a large share of the table to match (`BROAD_SHARE`), the text conditions are
        kept off the index: reading rows in table order finds the first thousand matches
        sooner than the RUM index lists every match (EXPLAIN ANALYZE at 300,000 records,
        42,524 matches: 26 ms against 145 ms). Not for phrases, whose matches the planner
        overestimates."""
        where = self._where(text + rest)
        if not text or _phrase(text):
            return where
        if expected is None:
            expected = self._expected(where)
        if expected < BROAD_SHARE * self._rows():
            return where
        return self._where([Sql(f"({c.text}) IS TRUE", c.params) for c in text] + rest)

    def _rows(self) -> float:
        """The planner's row count of the table, read again once a minute."""
        now = time.monotonic()
        cached = getattr(self, "_rows_cache", None)
        if cached is None or now - cached[0] > 60:
            rows = self._execute(
                "SELECT reltuples FROM pg_class WHERE oid = %s::regclass", (self.table,)
            )
            cached = self._rows_cache = (now, max(float(rows[0][0]) if rows else 0.0, 1.0))
        return cached[1]

    def _page(self, ranked: list[tuple]) -> list[tuple]:
        """The hit columns of ranked (uid, score, …) rows, in their order."""
        found = {
            row[0]: row[1:]
            for row in self._execute(
                f"SELECT uid, {_HIT_COLUMNS} FROM {self.table} WHERE uid = ANY(%s)",
                ([row[0] for row in ranked],),
            )
        }
        return [(*found[uid], score) for uid, score, *_rest in ranked if uid in found]

    @staticmethod
    def _hit(row: tuple, wanted: set[str], highlight: bool) -> tuple[SearchHit, bool, str]:
        type, pk, title, url, subtitle, excerpt, more, year, fields, created, score = row
        hit = SearchHit(
            type=type,
            pk=pk,
            title=title,
            url=url,
            subtitle=subtitle,
            score=float(score or 0),
            year=year or None,
            fields=[code for code in fields if len(code) >= 3],
            title_html=highlight_all(title, wanted) if highlight else "",
            snippet_html=snippet(excerpt, wanted) if highlight else "",
            created=EPOCH + timedelta(microseconds=created) if created else None,
        )
        return hit, more, excerpt

    def _facets(
        self,
        query: SearchQuery,
        text: list[Sql],
        access: list[Sql],
        cap: int | None,
        count: bool,
    ) -> tuple[dict[str, list[FacetValue]], tuple[int, bool] | None]:
        """Counts per facet; each facet ignores its own filter so other values stay visible.
        Facets whose own filter is not set share one query. With `cap`, values are counted
        over the first `cap` matches only (a broad query's counts are then a sample, and the
        results say so). With `count`, the group without a skipped filter (the query's own
        conditions) also counts the matches, up to `cap` + 1: (total, capped), else None."""
        groups: dict[str | None, list[str]] = {}
        for name in dict.fromkeys(query.facets):
            if name not in BUILTIN_FACETS and not TAG_NAME.match(name):
                continue
            groups.setdefault(name if query.filters.get(name) else None, []).append(name)
        if count:
            groups.setdefault(None, [])
        out: dict[str, list[FacetValue]] = {}
        total = None
        for skip, names in groups.items():
            rest = access + self._filters(query, skip=skip)
            where = self._where(text + rest) if cap is None else self._capped_where(text, rest)
            # The matching rows once (their facet columns only), then one grouping each.
            branches, params = [], []
            counting = skip is None and count
            if counting or cap is not None:
                branches.append("SELECT '', '', count(*) FROM f")
            if "type" in names:
                branches.append("SELECT 'type', type, count(*) FROM m GROUP BY type")
            if "field" in names:
                branches.append(
                    "SELECT 'field', code, count(*) FROM m, unnest(m.fields) code GROUP BY code"
                )
            if "year" in names:
                branches.append(
                    "SELECT 'year', year::text, count(*) FROM m WHERE year <> 0 GROUP BY year"
                )
            tag_names = [name for name in names if name not in BUILTIN_FACETS]
            if tag_names:
                branches.append(
                    "SELECT split_part(tag, '=', 1), substr(tag, strpos(tag, '=') + 1), count(*) "
                    "FROM m, unnest(m.tags) tag WHERE split_part(tag, '=', 1) = ANY(%s::text[]) "
                    "GROUP BY tag"
                )
                params.append(tag_names)
            # With a cap, one row past it tells whether it was reached; the facets leave
            # that row out (they describe the first `cap` matches).
            statement = (
                f"WITH f AS MATERIALIZED (SELECT type, fields, tags, year FROM {self.table} "
                f"WHERE {where.text}{'' if cap is None else f' LIMIT {cap + 1}'}), "
                f"m AS (SELECT * FROM f{'' if cap is None else f' LIMIT {cap}'}) "
                + " UNION ALL ".join(branches)
            )
            counts: dict[str, list[tuple[str, int]]] = {name: [] for name in names}
            for name, value, number in sorted(
                self._execute(statement, [*where.params, *params]),
                key=lambda row: (-row[2], row[1]),
            ):
                if name == "":
                    if counting:
                        total = (number, False) if cap is None else (min(number, cap), number > cap)
                elif name in counts and len(counts[name]) < FACET_SIZE:
                    counts[name].append((value, number))
            for name in names:
                selected = {str(v) for v in query.filters.get(name, ())}
                values = [
                    FacetValue(value=value, count=number, selected=value in selected)
                    for value, number in counts[name]
                ]
                if name == "year":
                    values.sort(key=lambda value: int(value.value), reverse=True)
                out[name] = values
        return out, total

    def more_like_this(self, type, pk, *, principals, limit=5, types=None) -> list[SearchHit]:
        uid = f"{type}:{pk}"
        rows = self._execute(
            f"SELECT title, excerpt, more FROM {self.table} WHERE uid = %s", (uid,)
        )
        if not rows:
            return []
        title, body, more = rows[0]
        if more and self.full_texts is not None:
            try:
                body = self.full_texts([uid]).get(uid) or body
            except Exception:  # the excerpt's words still find similar records
                logger.exception("could not load the full text of %s", uid)
        terms = self._salient_terms(f"{title} {title} " + body[:5000])
        if not terms:
            return []
        match = " | ".join(lexeme(term) for term in terms)
        conditions = [Sql("folded @@ %s::tsquery", [match]), Sql("uid <> %s", [uid])]
        if types:
            conditions.append(Sql("type = ANY(%s::text[])", [list(types)]))
        where = self._where(conditions + self._access(principals))
        rows = self._execute(
            f"SELECT {_HIT_COLUMNS}, ts_rank({RANK_WEIGHTS}, folded, %s::tsquery) AS score "
            f"FROM {self.table} WHERE {where.text} ORDER BY score DESC, uid LIMIT %s",
            [match, *where.params, max(1, min(int(limit), MAX_LIMIT))],
        )
        return [self._hit(row, set(), False)[0] for row in rows]

    def _salient_terms(self, text: str, top: int = 25, candidates: int = 60) -> list[str]:
        """The document's most distinctive folded syllables by tf·idf (document frequencies
        counted up to `DF_CAP`)."""
        counts = Counter(fold_lower(word) for word in tokenize(text))
        words = [
            (term, freq)
            for term, freq in counts.most_common(200)
            if term not in VIETNAMESE_STOPWORDS
            and len(term) >= 2
            and not term.isdigit()
            and indexable(term)
        ][:candidates]
        if not words:
            return []
        total = max(self.count(), 1)
        rows = self._execute(
            f"SELECT q, (SELECT count(*) FROM (SELECT 1 FROM {self.table} "
            f"WHERE folded @@ q::tsquery LIMIT {DF_CAP}) s) FROM unnest(%s::text[]) q",
            [[lexeme(term) for term, _freq in words]],
        )
        frequency = dict(zip([lexeme(term) for term, _ in words], [0] * len(words), strict=True))
        frequency.update({q: df for q, df in rows})
        scored = [
            (term, freq * math.log(1 + total / frequency[lexeme(term)]))
            for term, freq in words
            if frequency[lexeme(term)]
        ]
        scored.sort(key=lambda item: item[1], reverse=True)
        return [term for term, _weight in scored[:top]]
