"""MARC21 bibliographic records (ISO 2709 and MARCXML) to and from our Dublin Core fields.

Mapping (both directions):
  001 record id · 020 ISBN · 022 ISSN · 024 7_ $2 doi · 041 language · 084 $2 vnfos: S&T field
  099 call number · 100/700 creators (700 $e "đóng góp" = contributor) · 245 title · 246 other title
  264 _1 $b publisher $c year · 300 extent · 506 access ($f our code, $g embargo date)
  520 abstract · 522 coverage · 540 rights · 653 keywords · 655 _7 $2 sti-type: source type
  773 $t host item (source) · 787 $t related item · 856 40 $u record URL
"""

from __future__ import annotations

import datetime as dt
import io

import pymarc
from pymarc import Field, Indicators, Record, Subfield

from sti.core.text import normalize
from sti.library.choices import AccessLevel, SourceType
from sti.library.models import Document

CONTRIBUTOR_RELATOR = "đóng góp"
LEADER_LEVEL = {SourceType.ARTICLE: "a", SourceType.BULLETIN: "s"}
LEADER_TYPE = {SourceType.MULTIMEDIA: "g"}


def _field(tag: str, ind: str, *pairs: tuple[str, str]) -> Field | None:
    subfields = [
        Subfield(code, normalize(str(value))) for code, value in pairs if value not in (None, "")
    ]
    if not subfields:
        return None
    return Field(tag=tag, indicators=Indicators(ind[0], ind[1]), subfields=subfields)


def to_record(document: Document, url: str = "") -> Record:
    record = Record(force_utf8=True)
    leader = list(str(record.leader))
    leader[5], leader[6] = "n", LEADER_TYPE.get(document.source_type, "a")
    leader[7], leader[9] = LEADER_LEVEL.get(document.source_type, "m"), "a"
    record.leader = pymarc.Leader("".join(leader))
    record.add_field(Field(tag="001", data=str(document.pk)))
    record.add_field(
        Field(
            tag="005",
            data=document.updated_at.strftime("%Y%m%d%H%M%S.0") if document.updated_at else "",
        )
    )
    year = f"{document.year:04d}" if document.year else "    "
    entered = (document.created_at or dt.datetime.now()).strftime("%y%m%d")
    language = (document.language if len(document.language) == 3 else "und")[:3]
    record.add_field(Field(tag="008", data=f"{entered}s{year}    vm            000 0 {language} d"))
    creators = document.creator_names("creator")
    contributors = document.creator_names("contributor")
    fields = [
        _field("020", "  ", ("a", document.isbn)),
        _field("022", "  ", ("a", document.issn)),
        _field("024", "7 ", ("a", document.doi), ("2", "doi" if document.doi else "")),
        _field("041", "  ", ("a", document.language)),
        *[_field("084", "  ", ("a", f.code), ("2", "vnfos")) for f in document.fields.all()],
        _field("099", "  ", ("a", document.call_number)),
        _field("100", "1 ", ("a", creators[0])) if creators else None,
        _field("245", "10" if creators else "00", ("a", document.title)),
        _field("246", "3 ", ("a", document.title_alternative)),
        _field("264", " 1", ("b", document.publisher), ("c", document.year or "")),
        _field("300", "  ", ("a", document.extent)),
        _field(
            "506",
            "  ",
            ("a", AccessLevel(document.access).label),
            ("f", document.access),
            ("g", document.embargo_until.isoformat() if document.embargo_until else ""),
        ),
        _field("520", "  ", ("a", document.abstract)),
        _field("522", "  ", ("a", document.coverage)),
        _field("540", "  ", ("a", document.rights)),
        *[_field("653", "  ", ("a", keyword)) for keyword in document.keyword_list],
        _field(
            "655",
            " 7",
            ("a", SourceType(document.source_type).label),
            ("2", "sti-type"),
            ("0", document.source_type),
        ),
        *[_field("700", "1 ", ("a", name)) for name in creators[1:]],
        *[_field("700", "1 ", ("a", name), ("e", CONTRIBUTOR_RELATOR)) for name in contributors],
        _field("773", "0 ", ("t", document.source)),
        _field("787", "0 ", ("t", document.relation)),
        _field("856", "40", ("u", url)),
    ]
    for field in fields:
        if field is not None:
            record.add_field(field)
    return record


def from_dublin_core(dc: dict, control_number: str = "") -> Record:
    """A MARC21 record of a simple Dublin Core description ({element: [values]}), on the
    tags above (LoC's DC→MARC crosswalk): title 245, creator 100/700, subject 653,
    description 520, publisher and date 264, type 655, language 041; an identifier that is a
    DOI ("doi:…", "https://doi.org/…") goes to 024 7_ $2 doi, an ISBN to 020, a link to 856."""

    def values(element: str) -> list[str]:
        found = dc.get(element, [])
        return [str(v) for v in (found if isinstance(found, list) else [found]) if v]

    record = Record(force_utf8=True)
    if control_number:
        record.add_field(Field(tag="001", data=control_number))
    creators = values("creator")
    dois, isbns, links = [], [], []
    for identifier in values("identifier"):
        lowered = identifier.lower()
        if lowered.startswith("doi:") or "doi.org/" in lowered:
            dois.append(identifier.split("doi.org/", 1)[-1].removeprefix("doi:").strip())
        elif "isbn" in lowered:
            isbns.append(identifier.split(":", 1)[-1].strip())
        elif lowered.startswith(("http://", "https://")):
            links.append(identifier)
    fields = [
        *[_field("020", "  ", ("a", isbn)) for isbn in isbns],
        *[_field("024", "7 ", ("a", doi), ("2", "doi")) for doi in dois],
        *[_field("041", "  ", ("a", language)) for language in values("language")[:1]],
        _field("100", "1 ", ("a", creators[0])) if creators else None,
        _field("245", "10" if creators else "00", ("a", (values("title") or [""])[0])),
        _field(
            "264", " 1", ("b", (values("publisher") or [""])[0]), ("c", (values("date") or [""])[0])
        ),
        *[_field("520", "  ", ("a", text)) for text in values("description")],
        *[_field("653", "  ", ("a", subject)) for subject in values("subject")],
        *[_field("655", " 7", ("a", kind), ("2", "local")) for kind in values("type")[:1]],
        *[_field("700", "1 ", ("a", name)) for name in creators[1:]],
        *[_field("856", "40", ("u", link)) for link in links],
    ]
    for field in fields:
        if field is not None:
            record.add_field(field)
    return record


def to_iso2709(documents, url_for=lambda d: "") -> bytes:
    return b"".join(to_record(document, url_for(document)).as_marc() for document in documents)


def to_marcxml(documents, url_for=lambda d: "") -> bytes:
    out = io.BytesIO()
    writer = pymarc.XMLWriter(out)
    for document in documents:
        writer.write(to_record(document, url_for(document)))
    writer.close(close_fh=False)
    return out.getvalue()


# ---------------------------------------------------------------------------
# Reading
# ---------------------------------------------------------------------------
def read_records(data: bytes) -> list[Record]:
    """Records from ISO 2709 or MARCXML bytes (sniffed); raises ValueError when unreadable."""
    head = data.lstrip()[:200]
    if head.startswith(b"<"):
        try:
            records = pymarc.parse_xml_to_array(io.BytesIO(data))
        except Exception as error:  # lxml / SAX errors of many kinds
            raise ValueError(f"MARCXML không đọc được: {error}") from error
    else:
        reader = pymarc.MARCReader(data, to_unicode=True, force_utf8=True, utf8_handling="replace")
        records = []
        for index, record in enumerate(reader, start=1):
            if record is None:
                raise ValueError(f"Bản ghi ISO 2709 thứ {index} hỏng: {reader.current_exception}")
            records.append(record)
    records = [record for record in records if record is not None]
    if not records:
        raise ValueError("Tệp không có bản ghi MARC nào.")
    return records


def _first(record: Record, tag: str, code: str) -> str:
    for field in record.get_fields(tag):
        values = field.get_subfields(code)
        if values:
            return normalize(values[0]).rstrip(" /:;,.") if tag == "245" else normalize(values[0])
    return ""


def _all(record: Record, tag: str, code: str) -> list[str]:
    return [
        normalize(value)
        for field in record.get_fields(tag)
        for value in field.get_subfields(code)
        if normalize(value)
    ]


def _source_type(record: Record) -> str:
    for field in record.get_fields("655"):
        codes = field.get_subfields("0")
        if codes and codes[0] in SourceType.values:
            return codes[0]
        labels = {str(label).lower(): value for value, label in SourceType.choices}
        for label in field.get_subfields("a"):
            if normalize(label).lower() in labels:
                return labels[normalize(label).lower()]
    leader = str(record.leader)
    if record.get_fields("502"):
        return SourceType.THESIS
    if record.get_fields("088"):
        return SourceType.REPORT
    if len(leader) > 7 and leader[7] in ("a", "b"):
        return SourceType.ARTICLE
    if len(leader) > 7 and leader[7] == "s":
        return SourceType.BULLETIN
    return SourceType.BOOK


def record_to_row(record: Record) -> dict:
    """A MARC record as an import row (the same keys as a CSV row)."""
    creators = _all(record, "100", "a") + _all(record, "110", "a")
    contributors = []
    for field in record.get_fields("700", "710"):
        names = [normalize(v) for v in field.get_subfields("a")]
        relators = [normalize(v).rstrip(".").lower() for v in field.get_subfields("e")]
        (contributors if relators else creators).extend(name.rstrip(",") for name in names if name)
    year = _first(record, "264", "c") or _first(record, "260", "c")
    digits = "".join(ch for ch in year if ch.isdigit())[:4]
    if not digits:
        fixed = record.get_fields("008")
        candidate = fixed[0].data[7:11] if fixed and fixed[0].data else ""
        digits = candidate if candidate.isdigit() else ""
    language = _first(record, "041", "a")
    if not language:
        fixed = record.get_fields("008")
        language = (
            fixed[0].data[35:38].strip()
            if fixed and fixed[0].data and len(fixed[0].data) >= 38
            else ""
        )
    access = _first(record, "506", "f")
    title = _first(record, "245", "a")
    subtitle = _first(record, "245", "b").rstrip(" /")
    if subtitle:
        title = f"{title}: {subtitle}"
    return {
        "title": title,
        "title_alternative": _first(record, "246", "a"),
        "creators": "; ".join(creators),
        "contributors": "; ".join(contributors),
        "abstract": "\n".join(_all(record, "520", "a")),
        "keywords": "; ".join(_all(record, "653", "a") + _all(record, "650", "a")),
        "fields": "; ".join(
            value
            for field in record.get_fields("084")
            if "vnfos" in field.get_subfields("2")
            for value in field.get_subfields("a")
        ),
        "publisher": (_first(record, "264", "b") or _first(record, "260", "b")).rstrip(" ,:;"),
        "year": digits,
        "source_type": _source_type(record),
        "extent": _first(record, "300", "a").rstrip(" :;"),
        "isbn": _first(record, "020", "a").split(" ")[0],
        "issn": _first(record, "022", "a"),
        "doi": next(
            (
                f.get_subfields("a")[0]
                for f in record.get_fields("024")
                if "doi" in f.get_subfields("2") and f.get_subfields("a")
            ),
            "",
        ),
        "call_number": _first(record, "099", "a") or _first(record, "090", "a"),
        "source": _first(record, "773", "t"),
        "language": language
        if language in ("vie", "eng", "fra")
        else ("other" if language else "vie"),
        "relation": _first(record, "787", "t"),
        "coverage": _first(record, "522", "a"),
        "rights": _first(record, "540", "a"),
        "access": access if access in AccessLevel.values else AccessLevel.PUBLIC,
        "embargo_until": _first(record, "506", "g"),
    }
