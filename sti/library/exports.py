"""Exports and citations: CSV (the import's columns, written by `sti.core.exports`), BibTeX, citation styles, Highwire meta
tags and schema.org JSON-LD. MARC21 lives in `marc.py`."""

from __future__ import annotations

import json

from django.utils.translation import gettext as _

from sti.core import exports as core_exports
from sti.core.text import fold, slugify
from sti.library.choices import SCHEMA_ORG_TYPES, AccessLevel, SourceType
from sti.library.models import Document

# The columns of a CSV export are exactly those the batch import reads.
CSV_COLUMNS = [
    "title",
    "title_alternative",
    "creators",
    "contributors",
    "abstract",
    "keywords",
    "fields",
    "publisher",
    "year",
    "issued",
    "source_type",
    "extent",
    "isbn",
    "issn",
    "doi",
    "call_number",
    "source",
    "language",
    "relation",
    "coverage",
    "rights",
    "access",
    "embargo_until",
    "collections",
    "files",
]
MULTI_SEPARATOR = "; "


def export_queryset(queryset):
    return queryset.prefetch_related("creators", "fields", "collections", "files").order_by("pk")


def document_row(document: Document) -> dict:
    return {
        "title": document.title,
        "title_alternative": document.title_alternative,
        "creators": MULTI_SEPARATOR.join(document.creator_names("creator")),
        "contributors": MULTI_SEPARATOR.join(document.creator_names("contributor")),
        "abstract": document.abstract,
        "keywords": MULTI_SEPARATOR.join(document.keyword_list),
        "fields": MULTI_SEPARATOR.join(f.code for f in document.fields.all()),
        "publisher": document.publisher,
        "year": document.year or "",
        "issued": document.issued.isoformat() if document.issued else "",
        "source_type": document.source_type,
        "extent": document.extent,
        "isbn": document.isbn,
        "issn": document.issn,
        "doi": document.doi,
        "call_number": document.call_number,
        "source": document.source,
        "language": document.language,
        "relation": document.relation,
        "coverage": document.coverage,
        "rights": document.rights,
        "access": document.access,
        "embargo_until": document.embargo_until.isoformat() if document.embargo_until else "",
        "collections": MULTI_SEPARATOR.join(c.slug for c in document.collections.all()),
        "files": MULTI_SEPARATOR.join(f.original_name for f in document.files.all()),
    }


def to_csv(documents) -> str:
    """UTF-8 CSV with a BOM, so Excel opens Vietnamese text correctly; no cell is a formula."""
    return core_exports.to_csv(CSV_COLUMNS, (document_row(document) for document in documents))


# ---------------------------------------------------------------------------
# BibTeX
# ---------------------------------------------------------------------------
BIBTEX_TYPES = {
    SourceType.BOOK: "book",
    SourceType.ARTICLE: "article",
    SourceType.REPORT: "techreport",
    SourceType.THESIS: "phdthesis",
    SourceType.STANDARD: "misc",
    SourceType.BULLETIN: "misc",
    SourceType.MULTIMEDIA: "misc",
}
_BIBTEX_SPECIAL = str.maketrans(
    {"{": r"\{", "}": r"\}", "&": r"\&", "%": r"\%", "$": r"\$", "#": r"\#", "_": r"\_"}
)


def _bib(value) -> str:
    return str(value).translate(_BIBTEX_SPECIAL)


def bibtex_key(document: Document) -> str:
    creators = document.creator_names("creator")
    family = slugify(creators[0].split()[0]) if creators else "tailieu"
    return f"{family}{document.year or ''}_{document.pk}"


def to_bibtex_entry(document: Document) -> str:
    kind = BIBTEX_TYPES.get(document.source_type, "misc")
    fields = [
        ("title", document.title),
        ("author", " and ".join(document.creator_names("creator"))),
    ]
    if kind == "article":
        fields.append(("journal", document.source or document.publisher))
    elif kind == "techreport":
        fields.append(("institution", document.publisher))
    elif kind == "phdthesis":
        fields.append(("school", document.publisher))
    else:
        fields.append(("publisher", document.publisher))
    fields += [
        ("year", document.year or ""),
        ("isbn", document.isbn),
        ("issn", document.issn),
        ("doi", document.doi),
        ("number", document.call_number if kind == "techreport" else ""),
        ("abstract", document.abstract),
        ("keywords", ", ".join(document.keyword_list)),
        ("language", {"vie": "vietnamese", "eng": "english"}.get(document.language, "")),
    ]
    body = ",\n".join(
        f"  {name} = {{{_bib(value)}}}" for name, value in fields if value not in ("", None)
    )
    # BibTeX itself copes with UTF-8 (biber); the key is folded to ASCII for older tools.
    return f"@{kind}{{{fold(bibtex_key(document))},\n{body}\n}}\n"


def to_bibtex(documents) -> str:
    return "\n".join(to_bibtex_entry(document) for document in documents)


# ---------------------------------------------------------------------------
# Citation styles
# ---------------------------------------------------------------------------
def _apa_name(name: str) -> str:
    """Vietnamese names keep their order (family name first); they are not inverted."""
    return name


def citations(document: Document) -> dict[str, str]:
    creators = document.creator_names("creator")
    year = str(document.year) if document.year else _("không rõ năm")
    title = document.title
    where = document.source or document.publisher
    doi = f" https://doi.org/{document.doi}" if document.doi else ""
    if creators:
        apa_authors = ", ".join(_apa_name(n) for n in creators[:-1])
        apa_authors = f"{apa_authors}, & {creators[-1]}" if len(creators) > 1 else creators[0]
    else:
        apa_authors = document.publisher or title
    apa = f"{apa_authors} ({year}). {title}."
    if where:
        apa += f" {where}."
    apa += doi
    ieee_authors = ", ".join(creators[:6]) + (" et al." if len(creators) > 6 else "")
    ieee = f"{ieee_authors}, “{title},” " if ieee_authors else f"“{title},” "
    ieee += f"{where}, {year}." if where else f"{year}."
    ieee += doi
    mla_authors = (
        creators[0]
        + (
            ", et al."
            if len(creators) > 2
            else (f", và {creators[1]}" if len(creators) == 2 else "")
        )
        if creators
        else ""
    )
    mla = (
        (f"{mla_authors}. " if mla_authors else "")
        + f"“{title}.” "
        + (f"{where}, " if where else "")
        + f"{year}."
    )
    return {"APA": apa.strip(), "IEEE": ieee.strip(), "MLA": mla.strip()}


# ---------------------------------------------------------------------------
# Google Scholar (Highwire) meta tags and schema.org JSON-LD
# ---------------------------------------------------------------------------
def highwire_tags(document: Document, absolute, pdf_url: str | None) -> list[tuple[str, str]]:
    tags = [("citation_title", document.title)]
    tags += [("citation_author", name) for name in document.creator_names("creator")]
    if document.issued:
        tags.append(("citation_publication_date", document.issued.strftime("%Y/%m/%d")))
    elif document.year:
        tags.append(("citation_publication_date", str(document.year)))
    if document.source_type == SourceType.ARTICLE and (document.source or document.publisher):
        tags.append(("citation_journal_title", document.source or document.publisher))
    elif document.source_type == SourceType.REPORT and document.publisher:
        tags.append(("citation_technical_report_institution", document.publisher))
        if document.call_number:
            tags.append(("citation_technical_report_number", document.call_number))
    elif document.source_type == SourceType.THESIS and document.publisher:
        tags.append(("citation_dissertation_institution", document.publisher))
    elif document.publisher:
        tags.append(("citation_publisher", document.publisher))
    for name, value in (
        ("citation_doi", document.doi),
        ("citation_isbn", document.isbn),
        ("citation_issn", document.issn),
    ):
        if value:
            tags.append((name, value))
    tags.append(
        (
            "citation_language",
            {"vie": "vi", "eng": "en", "fra": "fr"}.get(document.language, document.language),
        )
    )
    if document.keyword_list:
        tags.append(("citation_keywords", "; ".join(document.keyword_list)))
    tags.append(("citation_abstract_html_url", absolute(document.get_absolute_url())))
    if pdf_url:
        tags.append(("citation_pdf_url", pdf_url))
    return tags


def json_ld(document: Document, absolute, pdf_url: str | None) -> str:
    data = {
        "@context": "https://schema.org",
        "@type": SCHEMA_ORG_TYPES.get(document.source_type, "CreativeWork"),
        "@id": absolute(document.get_absolute_url()),
        "url": absolute(document.get_absolute_url()),
        "name": document.title,
        "author": [{"@type": "Person", "name": name} for name in document.creator_names("creator")],
        "inLanguage": {"vie": "vi", "eng": "en", "fra": "fr"}.get(
            document.language, document.language
        ),
        "isAccessibleForFree": document.access == AccessLevel.PUBLIC,
    }
    optional = {
        "alternateName": document.title_alternative,
        "abstract": document.abstract,
        "datePublished": document.issued.isoformat()
        if document.issued
        else (str(document.year) if document.year else ""),
        "publisher": {"@type": "Organization", "name": document.publisher}
        if document.publisher
        else None,
        "keywords": ", ".join(document.keyword_list),
        "isbn": document.isbn,
        "issn": document.issn,
        "sameAs": f"https://doi.org/{document.doi}" if document.doi else "",
        "about": [
            {"@type": "Thing", "name": f.name, "identifier": f.code} for f in document.fields.all()
        ],
        "license": document.rights,
        "encoding": {
            "@type": "MediaObject",
            "contentUrl": pdf_url,
            "encodingFormat": "application/pdf",
        }
        if pdf_url
        else None,
    }
    data.update({key: value for key, value in optional.items() if value})
    # Escape "<" so the text can never close the <script> element it is embedded in.
    return json.dumps(data, ensure_ascii=False).replace("<", "\\u003c")
