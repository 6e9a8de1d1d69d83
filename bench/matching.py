"""Technology matching benchmark: the labelled set, a BM25 baseline, and latency at scale.

    python bench/matching.py [--offers 50000] [--documents 300000] [--queries 200]
    sti bench matching --offers 5000 --documents 30000

A throw-away SQLite database (under a temporary STI_DATA_DIR) is migrated, so the shared
thesaurus (`sti/thesaurus/data/thesaurus.csv`) is loaded as on any installation and the
matcher expands through `sti.core.expansion` exactly as the pages do.

Quality, on the labelled set (`sti/market/matching/data/`: 112 offers in technical
vocabulary, 109 farmers' demands with their right offers, 18 demands with none):
- top-1 / top-3: the share of the 109 demands whose first (first three) offers hold a right one;
- no-match accuracy: the share of the 18 demands with no right offer for which the matcher
  returns nothing at its operating threshold (`engine.THRESHOLD`), and beside it the share
  of the 109 that it wrongly leaves without a match;
- the same threshold chosen by 2-fold cross-validation (choose on half the demands, measure
  on the other half), so the figure does not rest on having seen the set;
- the baseline: Okapi BM25 (k1 1.2, b 0.75) over folded syllables, no expansion, no field,
  with its own best threshold chosen on the set itself (a generous baseline).

Latency: `--offers` synthetic offers and `--documents` synthetic library documents (the
seeded `SyntheticText` of `sti generate`) plus the labelled offers, in one similarity matrix
built on disk (the build is timed apart); the matcher answers the 127 labelled demands and
`--queries` more, looking records up in a SQLite table as the pages look them up in the
database; median and p95 of one demand, all steps included (expansion, feedback, field,
scoring, explanation). The last line is one JSON object.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import shutil
import sqlite3
import statistics
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--offers", type=int, default=50_000)
    parser.add_argument("--documents", type=int, default=300_000)
    parser.add_argument("--queries", type=int, default=200, help="timed demands beyond the set")
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument("--data-dir", help="reuse this folder (migrated database, matrix)")
    parser.add_argument("--quality-only", action="store_true", help="skip the latency part")
    return parser.parse_args(argv)


def setup(data_dir: Path) -> None:
    os.environ["DJANGO_SETTINGS_MODULE"] = "sti.settings"
    os.environ["STI_DATA_DIR"] = str(data_dir)
    os.environ.pop("DATABASE_URL", None)
    os.environ["STI_TASK_BACKEND"] = "immediate"
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def percentile(values, q):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, math.ceil(q / 100 * len(ordered)) - 1)]


# ---------------------------------------------------------------------------------------
# Baseline: plain BM25 over folded syllables
# ---------------------------------------------------------------------------------------
class BM25:
    def __init__(self, docs: dict[int, str], k1=1.2, b=0.75):
        from sti.core.text import VIETNAMESE_STOPWORDS, tokenize_folded

        self.tokenize = lambda text: [
            t for t in tokenize_folded(text) if t not in VIETNAMESE_STOPWORDS
        ]
        self.k1, self.b = k1, b
        self.tf = {pk: Counter(self.tokenize(text)) for pk, text in docs.items()}
        self.length = {pk: sum(c.values()) for pk, c in self.tf.items()}
        self.avg = sum(self.length.values()) / len(self.length)
        df = Counter(t for c in self.tf.values() for t in c)
        n = len(docs)
        self.idf = {t: math.log(1 + (n - d + 0.5) / (d + 0.5)) for t, d in df.items()}

    def rank(self, text: str) -> list[tuple[float, int]]:
        terms = set(self.tokenize(text))
        out = []
        for pk, counts in self.tf.items():
            score = 0.0
            norm = self.k1 * (1 - self.b + self.b * self.length[pk] / self.avg)
            for term in terms:
                f = counts.get(term)
                if f:
                    score += self.idf[term] * f * (self.k1 + 1) / (f + norm)
            out.append((score, pk))
        out.sort(reverse=True)
        return out


# ---------------------------------------------------------------------------------------
# Quality
# ---------------------------------------------------------------------------------------
def no_match_split(best: dict[str, float], labelled, threshold: float) -> tuple[float, float]:
    """(share of no-right-offer demands left without a match, share of the others left
    without one) at `threshold`."""
    none = [d for d in labelled if not d.right]
    some = [d for d in labelled if d.right]
    rejected = sum(best[d.code] < threshold for d in none) / len(none)
    missed = sum(best[d.code] < threshold for d in some) / len(some)
    return rejected, missed


def choose_threshold(best: dict[str, float], labelled) -> float:
    """The threshold maximising the mean of both accuracies (no-match rejected, matches
    kept), the middle of the widest gap among the best."""
    values = sorted(set(best[d.code] for d in labelled))
    candidates = [(a + b) / 2 for a, b in zip(values, values[1:], strict=False)] or [0.0]

    def quality(t):
        rejected, missed = no_match_split(best, labelled, t)
        return round((rejected + (1 - missed)) / 2, 6)

    top = max(quality(t) for t in candidates)
    good = [t for t in candidates if quality(t) == top]
    return good[len(good) // 2]


def cross_validated(best: dict[str, float], labelled) -> tuple[float, float]:
    folds = [labelled[0::2], labelled[1::2]]
    rejected = missed = 0.0
    for train, test in ((folds[0], folds[1]), (folds[1], folds[0])):
        threshold = choose_threshold(best, train)
        r, m = no_match_split(best, test, threshold)
        rejected += r / 2
        missed += m / 2
    return rejected, missed


def hit_rates(rankings: dict[str, list[int]], labelled) -> tuple[float, float]:
    some = [d for d in labelled if d.right]
    top1 = sum(bool(set(rankings[d.code][:1]) & d.right) for d in some) / len(some)
    top3 = sum(bool(set(rankings[d.code][:3]) & d.right) for d in some) / len(some)
    return top1, top3


def quality() -> dict:
    from sti.market.matching import engine
    from sti.market.matching.engine import Matcher
    from sti.market.matching.labelled import demands, offers

    records = offers()
    labelled = demands()
    matcher = Matcher.from_records(records)
    rankings, best, failures = {}, {}, []
    for demand in labelled:
        ranked = matcher.rank(demand.query, limit=10)
        rankings[demand.code] = [m.object_id for m in ranked]
        best[demand.code] = ranked[0].score if ranked else 0.0
        if demand.right and not set(rankings[demand.code][:3]) & demand.right:
            failures.append(demand.code)
    top1, top3 = hit_rates(rankings, labelled)
    rejected, missed = no_match_split(best, labelled, engine.THRESHOLD)
    cv_rejected, cv_missed = cross_validated(best, labelled)
    figures = {
        "demands_with_offers": sum(1 for d in labelled if d.right),
        "demands_without": sum(1 for d in labelled if not d.right),
        "offers": len(records),
        "top1": round(top1, 3),
        "top3": round(top3, 3),
        "threshold": engine.THRESHOLD,
        "no_match_accuracy": round(rejected, 3),
        "matches_lost_at_threshold": round(missed, 3),
        "threshold_best_on_set": round(choose_threshold(best, labelled), 4),
        "no_match_accuracy_cv": round(cv_rejected, 3),
        "matches_lost_cv": round(cv_missed, 3),
        "top3_failures": failures,
    }

    # Ablations: without the thesaurus; with corpus feedback drawn from the offers
    # themselves (the set has no library documents or tasks to draw it from).
    for name, options in (
        ("without_thesaurus", {"expand": lambda text: []}),
        ("feedback_from_offers", {"feedback_kinds": ("offer",)}),
    ):
        variant = Matcher.from_records(records, **options)
        ranks = {d.code: [m.object_id for m in variant.rank(d.query, limit=3)] for d in labelled}
        v_top1, v_top3 = hit_rates(ranks, labelled)
        figures[name] = {"top1": round(v_top1, 3), "top3": round(v_top3, 3)}

    bm25 = BM25({r.id: r.body for r in records})
    b_rankings, b_best = {}, {}
    for demand in labelled:
        ranked = bm25.rank(demand.query.body)
        b_rankings[demand.code] = [pk for score, pk in ranked[:10] if score > 0]
        b_best[demand.code] = ranked[0][0] if ranked else 0.0
    b_top1, b_top3 = hit_rates(b_rankings, labelled)
    b_threshold = choose_threshold(b_best, labelled)
    b_rejected, b_missed = no_match_split(b_best, labelled, b_threshold)
    b_cv_rejected, b_cv_missed = cross_validated(b_best, labelled)
    figures["baseline_bm25"] = {
        "top1": round(b_top1, 3),
        "top3": round(b_top3, 3),
        "threshold_best_on_set": round(b_threshold, 3),
        "no_match_accuracy": round(b_rejected, 3),
        "matches_lost_at_threshold": round(b_missed, 3),
        "no_match_accuracy_cv": round(b_cv_rejected, 3),
        "matches_lost_cv": round(b_cv_missed, 3),
    }
    return figures


# ---------------------------------------------------------------------------------------
# Latency at scale
# ---------------------------------------------------------------------------------------
def build_corpus(folder: Path, n_offers: int, n_documents: int, seed: int) -> dict:
    """The synthetic records in a SQLite table (the look-up) and the similarity matrix."""
    from sti.core.similarity.engine import SimilarityIndex
    from sti.core.synthetic import SyntheticText
    from sti.market.matching.labelled import offers
    from sti.market.matching.records import KIND_CODES

    fields = ["401", "402", "403", "405", "406", "211", "209", "207", "203", "202"]
    db = sqlite3.connect(folder / "records.sqlite3")
    db.execute(
        "CREATE TABLE record (kind INTEGER, id INTEGER, title TEXT, text TEXT, field TEXT,"
        " trl INTEGER, price INTEGER, PRIMARY KEY (kind, id))"
    )
    started = time.perf_counter()
    text = SyntheticText(seed)
    rows = []
    for number, (title, abstract) in enumerate(text.texts(n_offers + n_documents)):
        is_offer = number < n_offers
        kind = KIND_CODES["offer" if is_offer else "document"]
        pk = 1000 + number if is_offer else number - n_offers + 1
        rows.append(
            (
                kind,
                pk,
                title,
                abstract[:900],
                fields[number % len(fields)],
                (number % 9) + 1 if is_offer else None,
                (number % 50) * 10_000_000 if is_offer else None,
            )
        )
        if len(rows) == 5000:
            db.executemany("INSERT INTO record VALUES (?,?,?,?,?,?,?)", rows)
            rows = []
    for record in offers():
        rows.append(
            (
                KIND_CODES["offer"],
                record.id,
                record.title,
                record.text,
                record.field,
                record.trl,
                record.price,
            )
        )
    db.executemany("INSERT INTO record VALUES (?,?,?,?,?,?,?)", rows)
    db.commit()
    generated = time.perf_counter() - started

    started = time.perf_counter()

    def records():
        for kind, pk, title, body in db.execute("SELECT kind, id, title, text FROM record"):
            yield kind, pk, f"{title}. {body}"

    SimilarityIndex.build(records(), directory=folder / "matrix")
    built = time.perf_counter() - started
    db.close()
    (folder / "built.json").write_text(json.dumps({"generated_s": generated, "build_s": built}))
    return {"generated_s": generated, "build_s": built}


def latency(args, folder: Path) -> dict:
    from sti.core.similarity.engine import SimilarityIndex
    from sti.core.synthetic import SyntheticText
    from sti.market.matching.engine import FieldModel, Matcher
    from sti.market.matching.labelled import demands
    from sti.market.matching.records import KIND_NAMES, Query, Record

    marker = folder / "built.json"
    build = json.loads(marker.read_text()) if marker.exists() else None
    if build is None:
        shutil.rmtree(folder / "matrix", ignore_errors=True)
        (folder / "records.sqlite3").unlink(missing_ok=True)
        build = build_corpus(folder, args.offers, args.documents, args.seed)
        build["reused"] = False
    else:
        build["reused"] = True
    db = sqlite3.connect(folder / "records.sqlite3")

    def lookup(keys):
        # One query per kind, as the database look-up does (`corpus.lookup_for`).
        out = {}
        by_kind: dict[int, list[int]] = {}
        for kind, pk in keys:
            by_kind.setdefault(kind, []).append(pk)
        for kind, pks in by_kind.items():
            marks = ",".join("?" * len(pks))
            for pk, *row in db.execute(
                "SELECT id, title, text, field, trl, price FROM record"
                f" WHERE kind=? AND id IN ({marks})",
                (kind, *pks),
            ):
                out[(kind, pk)] = Record(
                    KIND_NAMES[kind], pk, row[0], row[1], row[2] or "", row[3], row[4]
                )
        return out

    started = time.perf_counter()
    index = SimilarityIndex(folder / "matrix")
    sample = [
        Record(KIND_NAMES[k], pk, t, x, f)
        for k, pk, t, x, f in db.execute(
            "SELECT kind, id, title, text, field FROM record ORDER BY random() LIMIT 5000"
        )
    ]
    fields = FieldModel.from_records(index, sample)
    opened = time.perf_counter() - started
    matcher = Matcher(index, lookup, fields=fields)
    queries = [d.query for d in demands()]
    synthetic = SyntheticText(args.seed + 7)
    queries += [
        Query(text=t)
        for t, _a in synthetic.texts(args.queries, title_syllables=18, abstract_syllables=20)
    ]
    matcher.rank(queries[0])  # warm the pages of the matrix the first query reads
    timings = []
    for query in queries:
        started = time.perf_counter()
        matcher.match(query, kinds=("offer", "document"), limit=10)  # as match_demand()
        timings.append((time.perf_counter() - started) * 1000)
    db.close()
    return {
        "records": len(index),
        "build_s": round(build["build_s"], 1),
        "generate_s": round(build["generated_s"], 1),
        "matrix_reused": build["reused"],
        "open_s": round(opened, 2),
        "queries": len(timings),
        "p50_ms": round(statistics.median(timings), 1),
        "p95_ms": round(percentile(timings, 95), 1),
        "max_ms": round(max(timings), 1),
    }


def main(argv=None) -> int:
    args = parse_args(argv)
    temporary = args.data_dir is None
    folder = Path(args.data_dir or tempfile.mkdtemp(prefix="sti-bench-matching-"))
    folder.mkdir(parents=True, exist_ok=True)
    try:
        setup(folder)
        figures = {"quality": quality()}
        q = figures["quality"]
        b = q["baseline_bm25"]
        print(
            f"labelled set: {q['offers']} offers, {q['demands_with_offers']} demands with "
            f"right offers, {q['demands_without']} with none"
        )
        print(
            f"matcher:  top-1 {q['top1']:.3f}  top-3 {q['top3']:.3f}  no-match "
            f"{q['no_match_accuracy']:.3f} at threshold {q['threshold']} (matches lost "
            f"{q['matches_lost_at_threshold']:.3f}); 2-fold CV no-match "
            f"{q['no_match_accuracy_cv']:.3f} (lost {q['matches_lost_cv']:.3f})"
        )
        print(
            f"BM25:     top-1 {b['top1']:.3f}  top-3 {b['top3']:.3f}  no-match "
            f"{b['no_match_accuracy']:.3f} at its best threshold {b['threshold_best_on_set']} "
            f"(matches lost {b['matches_lost_at_threshold']:.3f}); 2-fold CV no-match "
            f"{b['no_match_accuracy_cv']:.3f} (lost {b['matches_lost_cv']:.3f})"
        )
        print(f"top-3 misses: {', '.join(q['top3_failures']) or 'none'}")
        print(
            "ablations: without the thesaurus top-1 {0[top1]:.3f} top-3 {0[top3]:.3f}; "
            "feedback from the offers top-1 {1[top1]:.3f} top-3 {1[top3]:.3f}".format(
                q["without_thesaurus"], q["feedback_from_offers"]
            )
        )
        if not args.quality_only:
            lat = latency(args, folder)
            figures["latency"] = lat
            print(
                f"latency: {lat['records']} records (matrix built in {lat['build_s']} s"
                f"{', reused' if lat['matrix_reused'] else ''}); one demand (top-10 of offers "
                f"and documents, as match_demand): p50 {lat['p50_ms']} ms, p95 {lat['p95_ms']} ms, "
                f"max {lat['max_ms']} ms over {lat['queries']} demands"
            )
        print(json.dumps(figures, ensure_ascii=False))
    finally:
        if temporary:
            shutil.rmtree(folder, ignore_errors=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
