"""Import the thesaurus on the shared importer, in the columns of the data file and the
export: editors upload an .xlsx (preview first, then every row in one transaction);
`sti load_thesaurus` reads the CSV data file through the same importer."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from sti.core.imports import Column, ImportResult, PreviewRow, SpreadsheetImporter
from sti.thesaurus import services
from sti.thesaurus.choices import TermRelation
from sti.thesaurus.data import COLUMNS, clean_row
from sti.thesaurus.models import Concept, Term, term_key

NOTES = {
    "concept": _("Thuật ngữ ưu tiên của khái niệm; các dòng cùng khái niệm được gom lại."),
    "term": _("Từ khác cùng nghĩa."),
    "weight": _("Từ 0,05 đến 0,95; để trống: mặc định theo quan hệ."),
    "field": _("Mã lĩnh vực KH&CN (không bắt buộc)."),
}
EXAMPLES = {
    "concept": "ngô",
    "term": "bắp",
    "relation": "regional",
    "weight": "0.8",
    "field": "401",
    "source": "Biên soạn",
}


class ThesaurusImporter(SpreadsheetImporter):
    kind = "thesaurus"
    slug = "tu-dien-dong-nghia"
    title = _("Nhập từ điển đồng nghĩa")
    columns = [
        Column(
            key,
            header,
            required=key in ("concept", "term", "relation"),
            note=NOTES.get(key, ""),
            example=EXAMPLES.get(key, ""),
            choices=TermRelation if key == "relation" else None,
        )
        for key, header in COLUMNS
    ]

    def prepare(self) -> None:
        self.concepts = dict(Concept.objects.values_list("key", "pk"))
        self.terms = {
            (concept, key): pk
            for pk, concept, key in Term.objects.values_list("pk", "concept_id", "key")
        }
        self.seen: set[tuple[str, str]] = set()

    def parse_row(self, number: int, row: dict, result: ImportResult) -> None:
        parsed, errors = clean_row(row)
        if parsed is not None and parsed.field and parsed.field not in self.fields_by_code:
            errors.append(
                ("field", _("Lĩnh vực: mã “%(code)s” không có.") % {"code": parsed.field})
            )
        if parsed is not None:
            pair = (term_key(parsed.concept), term_key(parsed.term))
            if pair in self.seen:
                errors.append(("term", _("Thuật ngữ lặp lại trong tệp.")))
            self.seen.add(pair)
        if not self.add_row(result, number, row, errors):
            return
        concept_id = self.concepts.get(term_key(parsed.concept))
        parsed.instance = self.terms.get((concept_id, term_key(parsed.term)))
        exists = parsed.instance is not None
        result.records.append(parsed)
        result.preview.append(
            PreviewRow(
                row=number,
                action="update" if exists else "create",
                label=f"{parsed.term} → {parsed.concept}",
                detail=f"{TermRelation(parsed.relation).label} · {parsed.weight:g}",
            )
        )

    def apply(self, actor, result: ImportResult, *, filename: str = "") -> dict:
        from django.db import transaction

        with transaction.atomic():
            counts = services.apply_rows(actor, result.records)
            anchor = Concept.objects.get(key=term_key(result.records[0].concept))
            self.audit_import(actor, anchor, len(result.records), filename)
        return counts
