"""Duplicate clustering on the labelled set in `data/dedup_labelled.json` (made by
`data/make_dedup_set.py`), and matching with the center's own documents on the one in
`data/local_labelled.json` (`data/make_local_set.py`): recall over true pairs and false
merges, printed."""

from __future__ import annotations

import itertools
import json
from pathlib import Path

from sti.harvest import dedup

LABELLED = Path(__file__).parent / "data" / "dedup_labelled.json"
LOCAL_LABELLED = Path(__file__).parent / "data" / "local_labelled.json"


def keys(record) -> dedup.Keys:
    return dedup.Keys(
        dedup.normalize_doi(record["doi"]),
        dedup.normalize_isbn(record["isbn"]),
        dedup.title_key(record["title"]),
        record["year"],
        dedup.author_key(record["creators"][0]),
    )


def pair_figures(records, labels) -> dict:
    true_pairs = clustered = false_merges = hard_negatives = 0
    for i, j in itertools.combinations(range(len(records)), 2):
        a, b = records[i], records[j]
        same = a["work"] == b["work"]
        together = labels[i] == labels[j]
        true_pairs += same
        clustered += same and together
        false_merges += together and not same
        hard_negatives += (
            (not same) and a["creators"][0] == b["creators"][0] and (a["year"] == b["year"])
        )
    return {
        "records": len(records),
        "true_pairs": true_pairs,
        "clustered": clustered,
        "recall": clustered / true_pairs,
        "false_merges": false_merges,
        "hard_negative_pairs": hard_negatives,
    }


def test_labelled_set_recall_and_no_false_merges():
    records = json.loads(LABELLED.read_text(encoding="utf-8"))
    figures = pair_figures(records, dedup.cluster([keys(r) for r in records]))
    print(json.dumps(figures))
    assert figures["true_pairs"] >= 100 and figures["hard_negative_pairs"] >= 300
    assert figures["recall"] >= 0.95
    assert figures["false_merges"] == 0


def local_pair_figures(records) -> dict:
    """Harvested records clustered among themselves, then matched with the center's
    documents; a (document, harvested record) pair is joined when the record's cluster
    takes that document."""
    local = [r for r in records if r["source"] == "local"]
    harvested = [r for r in records if r["source"] != "local"]
    labels = dedup.cluster([keys(r) for r in harvested])
    matched = dedup.match_local([keys(r) for r in harvested], labels, [keys(r) for r in local])
    true_pairs = joined = false_merges = hard_negatives = 0
    for i, document in enumerate(local):
        for record, match in zip(harvested, matched, strict=True):
            same = document["work"] == record["work"]
            together = match == i
            true_pairs += same
            joined += same and together
            false_merges += together and not same
            hard_negatives += (
                not same
                and document["creators"][0] == record["creators"][0]
                and document["year"] == record["year"]
            )
    return {
        "documents": len(local),
        "harvested": len(harvested),
        "true_pairs": true_pairs,
        "joined": joined,
        "recall": joined / true_pairs,
        "false_merges": false_merges,
        "hard_negative_pairs": hard_negatives,
    }


def test_local_labelled_set_recall_and_no_false_merges():
    records = json.loads(LOCAL_LABELLED.read_text(encoding="utf-8"))
    figures = local_pair_figures(records)
    print(json.dumps(figures))
    assert figures["true_pairs"] >= 80 and figures["hard_negative_pairs"] >= 200
    assert figures["recall"] >= 0.95
    assert figures["false_merges"] == 0


def test_rule_cases():
    def k(title, author="Nguyễn Văn An", year=2020, doi="", isbn=""):
        return dedup.Keys(
            dedup.normalize_doi(doi),
            dedup.normalize_isbn(isbn),
            dedup.title_key(title),
            year,
            dedup.author_key(author),
        )

    base = "Nghiên cứu chọn tạo giống lúa chịu mặn tại Sóc Trăng"
    assert dedup.same_work(k(base), k("NGHIEN CUU CHON TAO GIONG LUA CHIU MAN, SOC TRANG."))
    assert dedup.same_work(k(base), k("Ngiên cứu chọn tạo giống lúa chịu mặn tại Sóc Trăng"))
    assert dedup.same_work(k(base), k(base, author="Nguyen, Van An"))
    assert dedup.same_work(k(base), k(base, author="Nguyễn V. A."))
    assert not dedup.same_work(k(base), k(base.replace("Sóc Trăng", "Bạc Liêu")))
    assert not dedup.same_work(k(base), k(base, year=2021))
    assert not dedup.same_work(k(base), k(base, author="Trần Văn An"))
    assert not dedup.same_work(k("Kỹ thuật trồng mía xen canh"), k("Kỹ thuật trồng mít xen canh"))
    assert not dedup.same_work(
        k("Giống lúa OM5451 tại Sóc Trăng"), k("Giống lúa OM4900 tại Sóc Trăng")
    )
    assert dedup.same_work(
        k("A", doi="https://doi.org/10.5555/AB.1."), k("B", doi="doi:10.5555/ab.1")
    )
    assert not dedup.same_work(k(base, doi="10.5555/a"), k(base, doi="10.5555/b"))
    assert dedup.same_work(k("A", isbn="978-0-306-40615-7"), k("B", isbn="ISBN 0-306-40615-2"))
    assert dedup.normalize_isbn("0-306-40615-2") == "9780306406157"


def test_a_record_without_identifiers_never_joins_two_works_with_different_dois():
    base = "Đánh giá hiệu quả mô hình nuôi tôm càng xanh trong ruộng lúa"
    records = [
        dedup.Keys("10.1/a", "", dedup.title_key(base), 2020, "an nguyen van"),
        dedup.Keys("", "", dedup.title_key(base), 2020, "an nguyen van"),
        dedup.Keys("10.1/b", "", dedup.title_key(base), 2020, "an nguyen van"),
    ]
    labels = dedup.cluster(records)
    assert labels[0] != labels[2]
