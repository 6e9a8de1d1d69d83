"""Search benchmark: index N synthetic Vietnamese records, then time queries.

    python bench/search.py [--records 300000] [--queries 200] [--phrases 50] [--no-pg]
    python bench/search.py --backend postgres --records 30000 --pg-url postgres://… [--pg-reuse]
    sti bench search --records 30000

Records are streamed from a seeded generator (`SyntheticText.texts`): title ~12 syllables,
abstract ~150 syllables, Zipf vocabulary of ~6,400 syllables with diacritics. Queries go
through `get_backend().search(SearchQuery(...))` as the search page sends them: top 10,
total hit count, highlighted title and snippet, anonymous access rules. When PostgreSQL is
reachable (`--pg-url`), the same records and queries run through tsvector + GIN + ts_rank
(`simple` configuration over `unaccent`), and the ratio of the p95 latencies is printed.

With `--backend postgres`, the platform's PostgreSQL backend (`PostgresBackend`, the same
interface, ranking, facets and highlights) loads the same records through its bulk loader
and answers the same queries, and both backends are printed side by side.

The last line of output is one JSON object with the figures.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import resource
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

SOURCE_TYPES = ["bai_bao", "de_tai", "luan_van", "sach", "bao_cao", "sang_che"]
PG_URL = "postgres://postgres@127.0.0.1:5432/test"
PG_TABLE = "bench_search_records"


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--records", type=int, default=300_000, help="records to index (default 300000)"
    )
    parser.add_argument(
        "--queries", type=int, default=200, help="one-to-three-term queries (default 200)"
    )
    parser.add_argument(
        "--phrases", type=int, default=50, help="quoted phrase queries (default 50)"
    )
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument(
        "--index-dir", help="where to build the index (default: a temporary folder, removed)"
    )
    parser.add_argument("--pg-url", default=os.environ.get("STI_BENCH_PG_URL", PG_URL))
    parser.add_argument("--no-pg", action="store_true", help="skip the PostgreSQL comparison")
    parser.add_argument(
        "--keep-pg", action="store_true", help="keep the PostgreSQL table afterwards"
    )
    parser.add_argument(
        "--pg-reuse",
        action="store_true",
        help="--backend postgres: keep its table, and reuse it when it already holds the records",
    )
    parser.add_argument(
        "--pg-exact",
        type=int,
        default=40,
        help="--backend postgres: also time this many queries with exact counts "
        "(count_limit=None, as before the count limit), interleaved (default 40)",
    )
    parser.add_argument(
        "--backend",
        choices=("tantivy", "postgres"),
        default="tantivy",
        help="postgres: also run the PostgreSQL search backend, side by side with tantivy",
    )
    parser.add_argument("--no-progress", action="store_true")
    return parser.parse_args(argv)


def setup_django(index_dir: Path) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "sti.settings")
    os.environ["STI_SEARCH_INDEX_DIR"] = str(index_dir)
    import django

    django.setup()


# ----------------------------------------------------------------------
# Records
# ----------------------------------------------------------------------
def generate(count: int, seed: int):
    """Yield (id, title, abstract, field, year, source_type) for `count` records, reproducibly."""
    from sti.core.synthetic import FIELD_CODES, SyntheticText

    text = SyntheticText(seed)
    rng = random.Random(seed + 7)
    for number, (title, abstract) in enumerate(text.texts(count), start=1):
        yield (
            number,
            title,
            abstract,
            rng.choice(FIELD_CODES) + str(rng.randint(1, 9)).zfill(2),
            rng.randint(2000, 2025),
            rng.choice(SOURCE_TYPES),
        )


def write_records(path: Path, count: int, seed: int, progress: bool) -> float:
    """Generate the records into a tab-separated file first, so that the indexing rate
    measures the search engine, not the text generator; both loaders stream it back."""
    from tqdm import tqdm

    started = time.perf_counter()
    with path.open("w", encoding="utf-8") as out:
        for record in tqdm(
            generate(count, seed),
            total=count,
            desc="Sinh dữ liệu",
            unit=" rec",
            disable=not progress,
            file=sys.stderr,
            mininterval=1,
        ):
            out.write("\t".join(map(str, record)) + "\n")
    return time.perf_counter() - started


def records(path: Path):
    with path.open(encoding="utf-8") as lines:
        for line in lines:
            number, title, abstract, field, year, source_type = line.rstrip("\n").split("\t")
            yield int(number), title, abstract, field, int(year), source_type


def text_loader(path: Path):
    """The records' bodies by uid, read back from the records file (a seek per hit): the
    index stores no bodies, and snippets come from where the records live (the database, for
    the platform: `registry.full_texts`)."""
    offsets: dict[str, int] = {}
    with path.open("rb") as lines:
        position = 0
        for line in lines:
            offsets["document:" + line.split(b"\t", 1)[0].decode()] = position
            position += len(line)

    def full_texts(uids):
        out = {}
        with path.open("rb") as lines:
            for uid in uids:
                if uid in offsets:
                    lines.seek(offsets[uid])
                    out[uid] = lines.readline().decode().rstrip("\n").split("\t")[2]
        return out

    return full_texts


def with_progress(iterable, args, desc: str):
    """`iterable` with a progress bar on stderr (unless --no-progress)."""
    from tqdm import tqdm

    return tqdm(
        iterable,
        total=args.records,
        desc=desc,
        unit=" rec",
        disable=args.no_progress,
        file=sys.stderr,
        mininterval=1,
    )


def to_document(record):
    from datetime import date

    from sti.search.base import SearchDocument

    number, title, abstract, field, year, source_type = record
    # One record in ten is restricted (registered users or one organization), as in the library.
    principals = (
        ["public"] if number % 10 else (["registered"] if number % 20 else [f"org:{number % 7}"])
    )
    return SearchDocument(
        type="document",
        pk=str(number),
        title=title,
        body=abstract,
        url=f"/thu-vien/{number}/",
        subtitle=source_type,
        fields=[field],
        year=year,
        date=date(year, 1 + number % 12, 1 + number % 28),
        tags=[("source_type", source_type), ("language", "vi")],
        principals=principals,
    )


# ----------------------------------------------------------------------
# Queries
# ----------------------------------------------------------------------
def make_queries(seed: int, count: int, phrase_count: int, sample_titles: list[str]):
    """Term queries sampled by word frequency (function words left out), half accented and
    half typed without marks; phrase queries are 2–3 consecutive syllables of real titles."""
    from sti.core.synthetic import FUNCTION_WORDS, SyntheticText
    from sti.core.text import fold_lower, tokenize

    text = SyntheticText(seed)
    rng = random.Random(seed + 99)
    skip = {word.lower() for word in FUNCTION_WORDS}
    queries = []
    while len(queries) < count:
        size = rng.choice((1, 1, 2, 2, 2, 3))
        words = [w.lower() for w in text.words(size * 3) if w.lower() not in skip][:size]
        if len(words) < size:
            continue
        query = " ".join(words)
        queries.append(fold_lower(query) if len(queries) % 2 else query)
    phrases = []
    while len(phrases) < phrase_count and sample_titles:
        tokens = [t for t in tokenize(rng.choice(sample_titles)) if t not in skip]
        size = rng.choice((2, 2, 3))
        if len(tokens) < size:
            continue
        start = rng.randrange(len(tokens) - size + 1)
        phrase = " ".join(tokens[start : start + size])
        phrases.append(f'"{fold_lower(phrase) if len(phrases) % 2 else phrase}"')
    return queries, phrases


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    if not ordered:
        return 0.0
    index = min(len(ordered) - 1, max(0, round(fraction * (len(ordered) - 1))))
    return ordered[index]


def time_queries(run, queries: list[str]) -> tuple[list[float], list[int]]:
    times, totals = [], []
    for query in queries:
        started = time.perf_counter()
        total = run(query)
        times.append((time.perf_counter() - started) * 1000)
        totals.append(total)
    return times, totals


# ----------------------------------------------------------------------
# PostgreSQL
# ----------------------------------------------------------------------
def pg_connect(url: str):
    try:
        import psycopg

        return psycopg.connect(url, connect_timeout=3, autocommit=True)
    except Exception as error:  # unreachable server, missing database: skip the comparison
        print(
            f"PostgreSQL not reachable ({str(error).strip().splitlines()[0]}); skipping it.",
            flush=True,
        )
        return None


def pg_load(conn, path: Path, count: int, progress: bool) -> float:
    from tqdm import tqdm

    started = time.perf_counter()
    conn.execute("CREATE EXTENSION IF NOT EXISTS unaccent")
    # unaccent() is only STABLE; an IMMUTABLE wrapper naming its dictionary may be indexed.
    conn.execute(
        "CREATE OR REPLACE FUNCTION bench_unaccent(text) RETURNS text LANGUAGE sql IMMUTABLE "
        "PARALLEL SAFE STRICT AS $$ SELECT public.unaccent('public.unaccent'::regdictionary, $1) $$"
    )
    conn.execute(f"DROP TABLE IF EXISTS {PG_TABLE}")
    conn.execute(
        f"CREATE TABLE {PG_TABLE} (id integer PRIMARY KEY, title text NOT NULL, abstract text NOT NULL, "
        "field text, year integer, source_type text)"
    )
    with (
        conn.cursor() as cursor,
        cursor.copy(
            f"COPY {PG_TABLE} (id, title, abstract, field, year, source_type) FROM STDIN"
        ) as copy,
    ):
        for record in tqdm(
            records(path),
            total=count,
            desc="PostgreSQL COPY",
            unit=" rec",
            disable=not progress,
            file=sys.stderr,
            mininterval=1,
        ):
            copy.write_row(record)
    print("PostgreSQL: building tsvector column and GIN index…", flush=True)
    conn.execute(
        f"ALTER TABLE {PG_TABLE} ADD COLUMN tsv tsvector GENERATED ALWAYS AS ("
        "setweight(to_tsvector('simple', bench_unaccent(lower(title))), 'A') || "
        "setweight(to_tsvector('simple', bench_unaccent(lower(abstract))), 'B')) STORED"
    )
    conn.execute(f"CREATE INDEX {PG_TABLE}_tsv ON {PG_TABLE} USING gin (tsv)")
    conn.execute(f"VACUUM ANALYZE {PG_TABLE}")
    return time.perf_counter() - started


def pg_runner(conn):
    sql = (
        "SELECT id, title, ts_rank(tsv, q) AS rank, count(*) OVER () AS total "
        f"FROM {PG_TABLE}, {{fn}}('simple', bench_unaccent(lower(%s))) q "
        "WHERE tsv @@ q ORDER BY rank DESC LIMIT 10"
    )
    plain, phrase = sql.format(fn="plainto_tsquery"), sql.format(fn="phraseto_tsquery")

    def run(query: str) -> int:
        statement = phrase if query.startswith('"') else plain
        rows = conn.execute(statement, (query.strip('"'),)).fetchall()
        return rows[0][3] if rows else 0

    return run


# ----------------------------------------------------------------------
# The PostgreSQL search backend, through the platform's interface
# ----------------------------------------------------------------------
PG_BACKEND_TABLE = "bench_search_documents"


def run_postgres_backend(args, data_file: Path, queries: list[str], phrases: list[str]):
    """Load the records into `PostgresBackend` (its bulk loader into the emptied table: COPY
    into a staging table, a new table filled and indexed after, swapped in, one transaction)
    and time the same queries as the tantivy run, the same way."""

    from sti.search.backends.postgres_backend import PostgresBackend
    from sti.search.base import SearchQuery

    try:
        backend = PostgresBackend(dsn=args.pg_url, table=PG_BACKEND_TABLE)
    except Exception as error:  # unreachable server, missing database
        print(f"PostgreSQL backend not available ({str(error).strip().splitlines()[0]})")
        return None
    try:
        started, cpu_started = time.perf_counter(), time.process_time()
        reused = args.pg_reuse and backend.count() == args.records
        if reused:
            print(f"PostgresBackend: reusing the {args.records:,} records of {PG_BACKEND_TABLE}")
        else:
            backend.clear()
            with backend.bulk_loader() as add:
                for record in with_progress(records(data_file), args, "PostgresBackend"):
                    add(to_document(record))
        index_seconds = time.perf_counter() - started
        index_cpu = time.process_time() - cpu_started
        indexed = backend.count()
        size_mb = (
            backend._execute("SELECT pg_total_relation_size(%s::regclass)", (PG_BACKEND_TABLE,))[0][
                0
            ]
            / 2**20
        )
        print(
            f"PostgresBackend: table and indexes {size_mb:.1f} MB"
            if reused
            else f"PostgresBackend: indexed {indexed:,} records in {index_seconds:.1f} s "
            f"({args.records / index_seconds:,.0f} records/s, this process {index_cpu:.1f} CPU s); "
            f"table and indexes {size_mb:.1f} MB",
            flush=True,
        )
        backend.full_texts = text_loader(data_file)

        capped = []

        def run(text: str, facets=(), **options) -> int:
            found = backend.search(
                SearchQuery(text=text, limit=10, highlight=True, facets=facets, **options)
            )
            capped.append(found.total_is_lower_bound)
            return found.total

        def run_page(text: str) -> int:
            return run(text, facets=("type", "field", "year", "source_type"))

        for warm in queries[:10]:
            run(warm)
        # Before (exact counts: every match counted, as before the count limit) and after,
        # interleaved on the same queries so that the machine's load weighs on both alike.
        sample = queries[: args.pg_exact]
        exact_times, limited_times = [], []
        for text in sample:
            for options, out in (({"count_limit": None}, exact_times), ({}, limited_times)):
                began = time.perf_counter()
                run(text, **options)
                out.append((time.perf_counter() - began) * 1000)
        capped.clear()
        times, totals = time_queries(run, queries)
        lower_bounds = sum(capped)
        phrase_times, phrase_totals = time_queries(run, phrases)
        page_times, _ = time_queries(run_page, queries)
        browse_times, _ = time_queries(run_page, [""] * 20)
        slowest = sorted(zip(times, queries, strict=False), reverse=True)[:3]
        print("PostgresBackend slowest: " + "; ".join(f"{q!r} {t:.1f} ms" for t, q in slowest))
        print(
            f"PostgresBackend, {len(sample)} queries interleaved: exact counts p50 "
            f"{percentile(exact_times, 0.5):.1f} / p95 {percentile(exact_times, 0.95):.1f} ms, "
            f"counts limited p50 {percentile(limited_times, 0.5):.1f} / p95 "
            f"{percentile(limited_times, 0.95):.1f} ms; {lower_bounds} of {len(queries)} "
            "totals are lower bounds"
        )
        return {
            "indexed": indexed,
            "reused": reused,
            "index_records_per_s": None if reused else round(args.records / index_seconds),
            "index_s": None if reused else round(index_seconds, 1),
            "exact_sample_p50_ms": round(percentile(exact_times, 0.5), 2),
            "exact_sample_p95_ms": round(percentile(exact_times, 0.95), 2),
            "limited_sample_p50_ms": round(percentile(limited_times, 0.5), 2),
            "limited_sample_p95_ms": round(percentile(limited_times, 0.95), 2),
            "totals_lower_bound": lower_bounds,
            "index_cpu_s": round(index_cpu, 1),
            "p50_ms": round(percentile(times, 0.5), 2),
            "p95_ms": round(percentile(times, 0.95), 2),
            "phrase_p50_ms": round(percentile(phrase_times, 0.5), 2),
            "phrase_p95_ms": round(percentile(phrase_times, 0.95), 2),
            "with_facets_p95_ms": round(percentile(page_times, 0.95), 2),
            "browse_with_facets_p95_ms": round(percentile(browse_times, 0.95), 2),
            "median_hits": int(statistics.median(totals)) if totals else 0,
            "median_phrase_hits": int(statistics.median(phrase_totals)) if phrase_totals else 0,
            "index_mb": round(size_mb, 1),
        }
    finally:
        if not (args.keep_pg or args.pg_reuse):
            backend.drop()
        backend.close()


def print_side_by_side(tantivy: dict, postgres: dict) -> None:
    rows = [
        ("records indexed/s", "index_records_per_s"),
        ("index s", "index_s"),
        ("queries p50 ms", "p50_ms"),
        ("queries p95 ms", "p95_ms"),
        ("phrases p50 ms", "phrase_p50_ms"),
        ("phrases p95 ms", "phrase_p95_ms"),
        ("page with facets p95 ms", "with_facets_p95_ms"),
        ("median hits", "median_hits"),
        ("median phrase hits", "median_phrase_hits"),
        ("index MB", "index_mb"),
    ]
    print(f"{'':26}{'tantivy':>14}{'PostgreSQL':>14}")
    for label, key in rows:
        print(f"{label:26}{tantivy.get(key)!s:>14}{postgres.get(key)!s:>14}")


# ----------------------------------------------------------------------
def du_mb(path: Path) -> float:
    return sum(f.stat().st_size for f in path.rglob("*") if f.is_file()) / 1024 / 1024


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux


def main(argv=None) -> int:
    args = parse_args(argv)
    temporary = args.index_dir is None
    index_dir = Path(args.index_dir or tempfile.mkdtemp(prefix="sti-bench-search-"))
    if index_dir.exists() and any(index_dir.iterdir()):
        shutil.rmtree(index_dir)
    setup_django(index_dir)

    from sti.search import services
    from sti.search.base import SearchQuery

    backend = services.get_backend()
    backend.clear()
    print(
        f"Search benchmark: {args.records:,} records, backend {type(backend).__name__}, index {index_dir}",
        flush=True,
    )
    data_file = Path(tempfile.mkstemp(prefix="sti-bench-records-", suffix=".tsv")[1])
    generation_seconds = write_records(data_file, args.records, args.seed, not args.no_progress)
    print(
        f"Generated {args.records:,} records in {generation_seconds:.1f} s ({data_file.stat().st_size / 2**20:.0f} MB)",
        flush=True,
    )

    # --- indexing -----------------------------------------------------
    sample_titles: list[str] = []
    started, cpu_started, main_started = (
        time.perf_counter(),
        time.process_time(),
        time.thread_time(),
    )
    with backend.bulk_loader() as add:
        for record in with_progress(records(data_file), args, "Lập chỉ mục"):
            if record[0] % 997 == 0 or len(sample_titles) < 20:
                sample_titles.append(record[1])
            add(to_document(record))
    index_seconds = time.perf_counter() - started
    index_cpu = time.process_time() - cpu_started
    index_main_cpu = time.thread_time() - main_started
    rate = args.records / index_seconds
    indexed = backend.count()
    index_mb = du_mb(index_dir)
    print(
        f"Indexed {indexed:,} records in {index_seconds:.1f} s: {rate:,.0f} records/s; index {index_mb:.1f} MB",
        flush=True,
    )
    if indexed != args.records:
        print(f"ERROR: the index holds {indexed} records, expected {args.records}", file=sys.stderr)
        return 1

    # --- queries ------------------------------------------------------
    backend.full_texts = text_loader(data_file)
    queries, phrases = make_queries(args.seed, args.queries, args.phrases, sample_titles)

    def run(text: str, facets=()) -> int:
        results = backend.search(SearchQuery(text=text, limit=10, highlight=True, facets=facets))
        return results.total

    def run_page(text: str) -> int:
        return run(text, facets=("type", "field", "year", "source_type"))

    for warm in queries[:10]:  # open the files once
        run(warm)
    times, totals = time_queries(run, queries)
    phrase_times, phrase_totals = time_queries(run, phrases)
    page_times, _ = time_queries(run_page, queries)
    figures = {
        "records": args.records,
        "index_records_per_s": round(rate),
        "p50_ms": round(percentile(times, 0.5), 2),
        "p95_ms": round(percentile(times, 0.95), 2),
        "phrase_p50_ms": round(percentile(phrase_times, 0.5), 2),
        "phrase_p95_ms": round(percentile(phrase_times, 0.95), 2),
        "with_facets_p95_ms": round(percentile(page_times, 0.95), 2),
        "median_hits": int(statistics.median(totals)) if totals else 0,
        "median_phrase_hits": int(statistics.median(phrase_totals)) if phrase_totals else 0,
        "pg_p50_ms": None,
        "pg_p95_ms": None,
        "pg_phrase_p95_ms": None,
        "pg_ratio_p95": None,
        "index_mb": round(index_mb, 1),
        "generation_s": round(generation_seconds, 1),
        "index_s": round(index_seconds, 1),
        # CPU seconds of the whole process (the engine's indexing threads too) and of the
        # feeding thread: on a shared machine, the rate two free cores would reach is
        # records / max(feeding thread, all threads / 2).
        "index_cpu_s": round(index_cpu, 1),
        "index_main_cpu_s": round(index_main_cpu, 1),
        "index_records_per_s_2_free_cores": round(
            args.records / max(index_main_cpu, index_cpu / 2, 1e-6)
        ),
        "peak_rss_mb": 0.0,
    }
    print(
        f"Queries ({len(queries)}, 1–3 terms, half without marks): p50 {figures['p50_ms']} ms, "
        f"p95 {figures['p95_ms']} ms; median hits {figures['median_hits']:,}"
    )
    print(
        f"Phrases ({len(phrases)}): p50 {figures['phrase_p50_ms']} ms, p95 {figures['phrase_p95_ms']} ms"
    )
    print(
        f"With facets (type, field, year, source_type), as the search page: p95 {figures['with_facets_p95_ms']} ms"
    )
    slowest = sorted(zip(times, queries, strict=False), reverse=True)[:3]
    print("Slowest: " + "; ".join(f"{q!r} {t:.1f} ms" for t, q in slowest), flush=True)
    figures["peak_rss_mb"] = round(peak_rss_mb(), 1)  # before PostgreSQL: its rows are not ours

    # --- the PostgreSQL search backend, side by side ---------------------
    if args.backend == "postgres":
        postgres = run_postgres_backend(args, data_file, queries, phrases)
        figures["postgres"] = postgres
        if postgres is not None:
            print_side_by_side(figures, postgres)

    # --- PostgreSQL, a bare tsvector table ------------------------------
    conn = None if args.no_pg or args.backend == "postgres" else pg_connect(args.pg_url)
    if conn is not None:
        try:
            load_seconds = pg_load(conn, data_file, args.records, not args.no_progress)
            print(f"PostgreSQL loaded and indexed in {load_seconds:.1f} s", flush=True)
            pg_run = pg_runner(conn)
            for warm in queries[:10]:
                pg_run(warm)
            pg_times, pg_totals = time_queries(pg_run, queries)
            pg_phrase_times, _ = time_queries(pg_run, phrases)
            figures["pg_p50_ms"] = round(percentile(pg_times, 0.5), 2)
            figures["pg_p95_ms"] = round(percentile(pg_times, 0.95), 2)
            figures["pg_phrase_p95_ms"] = round(percentile(pg_phrase_times, 0.95), 2)
            figures["pg_ratio_p95"] = round(figures["pg_p95_ms"] / max(figures["p95_ms"], 0.001), 1)
            print(
                f"PostgreSQL tsvector+GIN+ts_rank: p50 {figures['pg_p50_ms']} ms, p95 {figures['pg_p95_ms']} ms, "
                f"phrase p95 {figures['pg_phrase_p95_ms']} ms; median hits {int(statistics.median(pg_totals)):,}"
            )
            print(f"Ratio PostgreSQL / {type(backend).__name__} at p95: {figures['pg_ratio_p95']}×")
        finally:
            if not args.keep_pg:
                conn.execute(f"DROP TABLE IF EXISTS {PG_TABLE}")
            conn.close()

    print(
        f"Index size on disk: {figures['index_mb']} MB; peak memory of the process: {figures['peak_rss_mb']} MB"
    )
    targets = args.records >= 300_000
    if targets:
        checks = {
            "p95 < 10 ms": figures["p95_ms"] < 10,
            "indexing ≥ 10,000 records/s": figures["index_records_per_s"] >= 10_000,
            "peak memory < 1 GB": figures["peak_rss_mb"] < 1024,
        }
        if figures.get("postgres"):
            checks["PostgreSQL backend p95 < 50 ms"] = figures["postgres"]["p95_ms"] < 50
        print(
            "Targets: "
            + ", ".join(f"{name} {'OK' if ok else 'MISSED'}" for name, ok in checks.items())
        )
    data_file.unlink(missing_ok=True)
    if temporary:
        services.reset_backend()
        shutil.rmtree(index_dir, ignore_errors=True)
    figures["load_average"] = [round(value, 2) for value in os.getloadavg()]
    print(f"Load average (1, 5, 15 min): {figures['load_average']}")
    print(json.dumps(figures), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
