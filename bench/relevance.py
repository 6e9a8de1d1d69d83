"""Relevance benchmark: graded Vietnamese queries against the real search service and a plain
BM25 over folded text.

    python bench/relevance.py [--show-queries] [--kind compound]

The set lives in `bench/data/relevance/` (documents.json, queries.json; written by
`build_set.py`): a few hundred Cần Thơ / Mekong Delta S&T records with look-alike decoys,
and queries of nine kinds graded 0/1/2. The records are indexed into a temporary index
through the configured backend (shaped as the library indexes its documents: title; body =
authors, keywords, abstract) and every query runs through `sti.search.services.search`, as
the search page runs it (anonymous, top 10, expansions from `sti.core.expansion` when an
expander is registered). The same queries run through a small BM25 (k1 1.2, b 0.75) over
the folded syllables of the same text, quotes ignored.

Printed per kind and overall: nDCG@10 (gain 2^grade − 1) and recall@10 (relevant documents
in the top 10 over min(relevant, 10)) for both. The last line is one JSON object.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import shutil
import sys
import tempfile
from collections import Counter, defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

DATA = ROOT / "bench" / "data" / "relevance"
KINDS = [
    "accented",
    "unaccented",
    "diacritics",
    "phrase",
    "compound",
    "dd",
    "upper",
    "long",
    "synonym",
]
GOAL_OVERALL, GOAL_KIND = 0.95, 0.90
TOP = 10


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data", default=str(DATA), help="folder with the relevance set")
    parser.add_argument("--kind", help="only the queries of this kind")
    parser.add_argument(
        "--show-queries", action="store_true", help="print each query's nDCG and top 10"
    )
    return parser.parse_args(argv)


def setup_django(index_dir: Path) -> None:
    """A throw-away data folder with the migrated database: the thesaurus (loaded by its
    migration) is the expander the search page uses."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "sti.settings")
    os.environ["STI_DATA_DIR"] = str(index_dir / "data")
    os.environ["STI_SEARCH_INDEX_DIR"] = str(index_dir / "index")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def body_of(record: dict) -> str:
    """What the library puts in a document's body: creators, keywords, abstract."""
    parts = (" ; ".join(record["authors"]), record["keywords"], record["abstract"])
    return "\n".join(part for part in parts if part)


# ----------------------------------------------------------------------
# Metrics
# ----------------------------------------------------------------------
def ndcg(ranked: list[str], grades: dict[str, int], top: int = TOP) -> float:
    gains = [2 ** grades.get(key, 0) - 1 for key in ranked[:top]]
    dcg = sum(gain / math.log2(rank + 2) for rank, gain in enumerate(gains))
    ideal = sorted((2**grade - 1 for grade in grades.values()), reverse=True)[:top]
    best = sum(gain / math.log2(rank + 2) for rank, gain in enumerate(ideal))
    return dcg / best if best else 0.0


def recall(ranked: list[str], grades: dict[str, int], top: int = TOP) -> float:
    relevant = {key for key, grade in grades.items() if grade > 0}
    if not relevant:
        return 0.0
    return len(relevant & set(ranked[:top])) / min(len(relevant), top)


# ----------------------------------------------------------------------
# The baseline: plain BM25 over folded syllables
# ----------------------------------------------------------------------
class PlainBM25:
    def __init__(self, documents: dict[str, str], k1: float = 1.2, b: float = 0.75):
        from sti.core.text import tokenize_folded

        self.tokenize = tokenize_folded
        self.k1, self.b = k1, b
        self.freqs = {key: Counter(tokenize_folded(text)) for key, text in documents.items()}
        self.lengths = {key: sum(counts.values()) for key, counts in self.freqs.items()}
        self.average = sum(self.lengths.values()) / max(len(self.lengths), 1)
        self.df: Counter = Counter()
        for counts in self.freqs.values():
            self.df.update(counts.keys())
        self.order = list(documents)

    def rank(self, text: str, top: int = TOP) -> list[str]:
        terms = self.tokenize(text.replace('"', " "))
        total = len(self.freqs)
        scores: dict[str, float] = {}
        for key in self.order:
            counts, length, score = self.freqs[key], self.lengths[key], 0.0
            for term in terms:
                tf = counts.get(term, 0)
                if not tf:
                    continue
                idf = math.log(1 + (total - self.df[term] + 0.5) / (self.df[term] + 0.5))
                norm = self.k1 * (1 - self.b + self.b * length / self.average)
                score += idf * tf * (self.k1 + 1) / (tf + norm)
            if score > 0:
                scores[key] = score
        return sorted(scores, key=lambda key: -scores[key])[:top]


# ----------------------------------------------------------------------
def load(data: Path):
    documents = json.loads((data / "documents.json").read_text(encoding="utf-8"))
    queries = json.loads((data / "queries.json").read_text(encoding="utf-8"))
    return documents, queries


def summarise(rows: list[dict]) -> dict:
    out: dict = {}
    by_kind = defaultdict(list)
    for row in rows:
        by_kind[row["kind"]].append(row)
    for kind in [k for k in KINDS if k in by_kind] + sorted(set(by_kind) - set(KINDS)):
        group = by_kind[kind]
        out[kind] = {
            "queries": len(group),
            **{
                name: round(sum(row[name] for row in group) / len(group), 3)
                for name in ("ndcg", "recall", "bm25_ndcg", "bm25_recall")
            },
        }
    if rows:
        out["overall"] = {
            "queries": len(rows),
            **{
                name: round(sum(row[name] for row in rows) / len(rows), 3)
                for name in ("ndcg", "recall", "bm25_ndcg", "bm25_recall")
            },
        }
    return out


def main(argv=None) -> int:
    args = parse_args(argv)
    documents, queries = load(Path(args.data))
    if args.kind:
        queries = [query for query in queries if query["kind"] == args.kind]
    index_dir = Path(tempfile.mkdtemp(prefix="sti-bench-relevance-"))
    setup_django(index_dir)

    from sti.core import expansion
    from sti.search import services
    from sti.search.base import SearchDocument, SearchQuery

    try:
        backend = services.get_backend()
        backend.clear()
        with backend.bulk_loader() as add:
            for record in documents:
                add(
                    SearchDocument(
                        type="document",
                        pk=record["id"],
                        title=record["title"],
                        body=body_of(record),
                        url=f"/thu-vien/{record['id']}/",
                        year=record["year"],
                    )
                )
        baseline = PlainBM25(
            {record["id"]: f"{record['title']}\n{body_of(record)}" for record in documents}
        )
        expanders = bool(expansion.expansions("bắp đậu phộng mè khoai mì heo quả khóm"))
        print(
            f"Relevance: {len(documents)} documents, {len(queries)} queries, "
            f"backend {type(backend).__name__}; thesaurus expansions: "
            f"{'registered' if expanders else 'none registered'}",
            flush=True,
        )

        rows = []
        for query in queries:
            found = services.search(
                None, SearchQuery(text=query["text"], limit=TOP, highlight=False)
            )
            ranked = [hit.pk for hit in found.hits]
            plain = baseline.rank(query["text"])
            grades = query["grades"]
            row = {
                "id": query["id"],
                "kind": query["kind"],
                "text": query["text"],
                "ndcg": ndcg(ranked, grades),
                "recall": recall(ranked, grades),
                "bm25_ndcg": ndcg(plain, grades),
                "bm25_recall": recall(plain, grades),
                "total": found.total,
            }
            rows.append(row)
            if args.show_queries:
                marks = " ".join(f"{key}:{grades.get(key, 0)}" for key in ranked)
                print(
                    f"  [{row['kind']}] {row['text']!r}: nDCG {row['ndcg']:.3f} "
                    f"(BM25 {row['bm25_ndcg']:.3f}), {found.total} found; {marks}"
                )
    finally:
        services.reset_backend()
        shutil.rmtree(index_dir, ignore_errors=True)

    summary = summarise(rows)
    print(f"{'kind':<12}{'n':>3}  {'nDCG@10':>8} {'BM25':>6}  {'recall@10':>9} {'BM25':>6}")
    for kind, figures in summary.items():
        note = ""
        if kind == "synonym" and not expanders:
            note = "  (awaits the thesaurus: no expander registered)"
        print(
            f"{kind:<12}{figures['queries']:>3}  {figures['ndcg']:>8.3f} {figures['bm25_ndcg']:>6.3f}"
            f"  {figures['recall']:>9.3f} {figures['bm25_recall']:>6.3f}{note}"
        )
    kinds = {kind: figures for kind, figures in summary.items() if kind != "overall"}
    checks = {
        f"overall nDCG@10 ≥ {GOAL_OVERALL}": summary.get("overall", {}).get("ndcg", 0)
        >= GOAL_OVERALL,
        f"every kind ≥ {GOAL_KIND}": all(f["ndcg"] >= GOAL_KIND for f in kinds.values()),
        "above BM25 in every kind": all(f["ndcg"] > f["bm25_ndcg"] for f in kinds.values()),
    }
    print(
        "Goals: " + ", ".join(f"{name} {'OK' if ok else 'MISSED'}" for name, ok in checks.items())
    )
    print(json.dumps({"expansions": expanders, "goals": checks, **summary}, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    sys.exit(main())
