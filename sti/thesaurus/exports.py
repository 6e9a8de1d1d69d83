"""The thesaurus exported in the columns of its data file (CSV, XLSX or JSON, on the shared
exporter): an export can be edited and imported back, or committed as the next data file."""

from __future__ import annotations

from collections.abc import Iterator

from sti.core.exports import ExportColumn
from sti.thesaurus.data import COLUMNS as DATA_COLUMNS
from sti.thesaurus.models import Term

COLUMNS = [ExportColumn(key, header) for key, header in DATA_COLUMNS]


def rows(queryset=None) -> Iterator[dict]:
    terms = (queryset if queryset is not None else Term.objects.all()).select_related(
        "concept__field"
    )
    for term in terms.order_by("concept__folded", "concept__key", "relation", "key"):
        yield {
            "concept": term.concept.label,
            "term": term.text,
            "relation": term.relation,
            "weight": f"{term.weight:g}",
            "field": term.concept.field.code if term.concept.field_id else "",
            "source": term.source,
            "note": term.note,
        }
