"""The thesaurus as versioned data: `data/thesaurus.csv` (one row per term, the same columns
as the export and the import template) and `data/VERSION`. The first migration loads it;
`sti load_thesaurus` loads a newer file through the importer (preview, atomic, audited)."""

from __future__ import annotations

import csv
from dataclasses import dataclass
from pathlib import Path

from django.utils.translation import gettext

from sti.core.text import normalize
from sti.thesaurus.choices import DEFAULT_WEIGHTS, MAX_WEIGHT, MIN_WEIGHT, TermRelation

DATA_DIR = Path(__file__).resolve().parent / "data"
DATA_FILE = DATA_DIR / "thesaurus.csv"
VERSION_FILE = DATA_DIR / "VERSION"

# (key, header): the data file, the export and the import template share these columns.
COLUMNS = [
    ("concept", "Khái niệm"),
    ("term", "Thuật ngữ"),
    ("relation", "Quan hệ"),
    ("weight", "Trọng số"),
    ("field", "Lĩnh vực"),
    ("source", "Nguồn"),
    ("note", "Ghi chú"),
]


def data_version() -> str:
    return VERSION_FILE.read_text(encoding="utf-8").strip()


@dataclass
class Row:
    concept: str
    term: str
    relation: str
    weight: float
    field: str = ""
    source: str = ""
    note: str = ""
    instance: object | None = None  # the stored term an import row updates (preview)


def _relation(raw: str) -> str | None:
    from sti.core.imports import choice_lookup
    from sti.core.text import fold_lower

    return choice_lookup(TermRelation).get(fold_lower(raw))


def clean_row(raw: dict) -> tuple[Row | None, list[tuple[str, str]]]:
    """One row as read (str values by column key) → a Row, or the errors (key, message)."""
    values = {key: normalize(raw.get(key, "")) for key, _header in COLUMNS}
    errors: list[tuple[str, str]] = []
    if not values["concept"]:
        errors.append(("concept", gettext("Khái niệm: bắt buộc.")))
    if not values["term"]:
        errors.append(("term", gettext("Thuật ngữ: bắt buộc.")))
    elif values["term"].lower() == values["concept"].lower():
        errors.append(("term", gettext("Thuật ngữ: trùng với khái niệm.")))
    relation = _relation(values["relation"]) if values["relation"] else None
    if relation is None:
        errors.append(
            (
                "relation",
                gettext("Quan hệ: “%(value)s” không có trong danh mục (%(allowed)s).")
                % {
                    "value": values["relation"],
                    "allowed": ", ".join(TermRelation.values),
                },
            )
        )
    weight = None
    if values["weight"]:
        try:
            weight = float(values["weight"].replace(",", "."))
        except ValueError:
            weight = -1.0
        if not MIN_WEIGHT <= weight <= MAX_WEIGHT:
            errors.append(
                (
                    "weight",
                    gettext("Trọng số: “%(value)s” phải là số từ %(low)s đến %(high)s.")
                    % {"value": values["weight"], "low": MIN_WEIGHT, "high": MAX_WEIGHT},
                )
            )
    if errors:
        return None, errors
    if weight is None:
        weight = DEFAULT_WEIGHTS[TermRelation(relation)]
    return (
        Row(
            concept=values["concept"],
            term=values["term"],
            relation=relation,
            weight=weight,
            field=values["field"],
            source=values["source"],
            note=values["note"],
        ),
        [],
    )


def read_rows(path: Path = DATA_FILE) -> list[Row]:
    """Every row of a data file; a wrong row stops the load with its line number."""
    by_header = {header: key for key, header in COLUMNS}
    rows = []
    with path.open(encoding="utf-8-sig", newline="") as handle:
        for number, raw in enumerate(csv.DictReader(handle), start=2):
            row, errors = clean_row({by_header.get(k, k): v or "" for k, v in raw.items()})
            if errors:
                raise ValueError(f"{path.name}, dòng {number}: {'; '.join(m for _k, m in errors)}")
            rows.append(row)
    return rows


def install(concept_model, term_model, revision_model, field_model) -> int:
    """Load the shipped data file into empty tables (the first migration): bulk, no audit,
    as the code lists are. Returns the number of terms."""
    from sti.core.text import fold_lower

    fields = dict(field_model.objects.filter(version__is_current=True).values_list("code", "pk"))
    concepts: dict[str, object] = {}
    terms = []
    seen = set()
    for row in read_rows():
        key = row.concept.lower()
        concept = concepts.get(key)
        if concept is None:
            concept = concepts[key] = concept_model(
                label=row.concept, key=key, folded=fold_lower(row.concept), note=""
            )
        if row.field and concept.field_id is None:
            concept.field_id = fields.get(row.field)
        if (key, row.term.lower()) in seen:
            continue
        seen.add((key, row.term.lower()))
        terms.append((key, row))
    concept_model.objects.bulk_create(concepts.values())
    ids = dict(concept_model.objects.values_list("key", "pk"))
    term_model.objects.bulk_create(
        term_model(
            concept_id=ids[key],
            text=row.term,
            key=row.term.lower(),
            folded=fold_lower(row.term),
            relation=row.relation,
            weight=row.weight,
            source=row.source,
            note=row.note,
        )
        for key, row in terms
    )
    revision_model.objects.update_or_create(
        pk=1, defaults={"number": 1, "data_version": data_version()}
    )
    return len(terms)
