"""Writes `local_labelled.json`: the center's own documents ("source": "local") and partner
records labelled with the work they describe, for matching harvested records with the
center's documents (`dedup.match_local`; `python make_local_set.py`; deterministic).

Positives: a document of the center that one or two partners also catalogue, as catalogues
really differ (the variants of `make_dedup_set.py`: without diacritics, in capitals, with a
full stop, "và" as "&", a typing slip, "Họ, Tên", the DOI under an English title, an ISBN-10
against a hyphenated ISBN-13, other punctuation, the author with initials), and a partner
record that reaches the document only through its cluster (two partners give the same
English title, one with the document's DOI, the other without). Hard negatives: partner records
by the same author in the same year whose titles differ from the document's by one place,
one variety code, one phase number, a longer title, another DOI, or another year.
"""

import json
import random
from pathlib import Path

from make_dedup_set import (
    GIVEN,
    PLACES,
    SOURCES,
    SURNAMES,
    TOPICS,
    isbn10,
    variant,
)

VARIANTS = [
    "folded",
    "upper",
    "period",
    "and",
    "typo",
    "author_comma",
    "doi_english",
    "isbn",
    "punct",
    "via_cluster",
    "initials",
]


def main():
    rng = random.Random(20261130)
    records, work = [], 0

    def add(work_id, source, title, author, year, doi="", isbn=""):
        records.append(
            {
                "id": len(records),
                "work": work_id,
                "source": source,
                "title": title,
                "creators": [author],
                "year": year,
                "doi": doi,
                "isbn": isbn,
            }
        )

    for index, (title_vi, title_en) in enumerate(TOPICS):
        place = PLACES[(index + 3) % len(PLACES)]
        author = f"{SURNAMES[(index + 5) % len(SURNAMES)]} {GIVEN[(index + 2) % len(GIVEN)]}"
        year = 2013 + index % 12
        title = f"{title_vi} và kết quả triển khai tại {place}"
        for round_ in range(2):  # each topic: two of the center's documents held elsewhere
            work += 1
            kind = VARIANTS[(index * 2 + round_) % len(VARIANTS)]
            t = title if round_ == 0 else f"Tuyển tập báo cáo: {title}"
            doi = (
                f"10.5555/cantho.{year}.{work:04d}"
                if kind in ("doi_english", "via_cluster")
                else ""
            )
            isbn = isbn10(5000 + work) if kind == "isbn" else ""
            add(work, "local", t, author, year, doi, isbn)
            partners = rng.sample(SOURCES, 2 if work % 3 == 0 or kind == "via_cluster" else 1)
            for number, source in enumerate(partners):
                if kind == "via_cluster":
                    # Both partners give an English title, the first with the DOI: the
                    # second matches the document only through the first.
                    other_title, other_author = title_en, author
                    other_doi, other_isbn = (doi if number == 0 else ""), ""
                else:
                    other_title, other_author, other_doi, other_isbn = variant(
                        kind, t, author, doi, isbn, title_en, rng
                    )
                add(work, source, other_title, other_author, year, other_doi, other_isbn)
        # Hard negatives held by partners: same author, same year, similar titles.
        negatives = [
            (f"{title_vi} và kết quả triển khai tại {PLACES[(index + 4) % len(PLACES)]}", year),
            (f"{title} giai đoạn 2", year),
            (f"{title} và các tỉnh lân cận ven biển", year),
            (title, year + 1),
        ]
        if index % 3 == 0:
            negatives.append((f"Giống lúa OM{5400 + index} {title_vi.lower()} tại {place}", year))
            work += 1
            add(
                work,
                "local",
                f"Giống lúa OM{4900 + index} {title_vi.lower()} tại {place}",
                author,
                year,
            )
        for negative, negative_year in negatives:
            work += 1
            add(work, rng.choice(SOURCES), negative, author, negative_year)
        # The center's overview paper and a partner's record of another with the same title.
        work += 1
        add(work, "local", f"Tổng quan {title_vi.lower()}", author, year, f"10.5555/ct.{work}")
        work += 1
        add(work, "dong-thap", f"Tổng quan {title_vi.lower()}", author, year, f"10.5555/dt.{work}")
    path = Path(__file__).with_name("local_labelled.json")
    path.write_text(json.dumps(records, ensure_ascii=False, indent=0) + "\n", encoding="utf-8")
    print(f"{len(records)} records, {work} works -> {path}")


if __name__ == "__main__":
    main()
