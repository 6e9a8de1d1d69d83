"""OAI-PMH 2.0 data provider (oai_dc), at /oai.

What is exposed is what an anonymous visitor may see: published documents that are public,
or whose embargo has lapsed. A record once exposed stays listed after it is withdrawn or
restricted, as a deleted header (deletedRecord = persistent). Datestamps move on each change
and when an embargo lapses (`Document.oai_datestamp`).

Lists are paged by keyset on (datestamp, id). Resumption tokens are stateless: the original
arguments, the position and the harvest's frozen upper bound, signed with SECRET_KEY; so a
harvest sees each record exactly once even while the catalogue changes under it.
"""

from __future__ import annotations

import datetime as dt
import re

from django.conf import settings
from django.core import signing
from django.db.models import Prefetch, Q
from django.http import HttpResponse
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods
from lxml import etree

from sti.core.models import FieldOfScience
from sti.library.choices import DC_TYPES, CreatorRole, SourceType
from sti.library.models import Collection, Document, DocumentFile

OAI_NS = "http://www.openarchives.org/OAI/2.0/"
OAI_DC_NS = "http://www.openarchives.org/OAI/2.0/oai_dc/"
DC_NS = "http://purl.org/dc/elements/1.1/"
XSI_NS = "http://www.w3.org/2001/XMLSchema-instance"
OAI_SCHEMA = f"{OAI_NS} http://www.openarchives.org/OAI/2.0/OAI-PMH.xsd"
OAI_DC_SCHEMA = f"{OAI_DC_NS} http://www.openarchives.org/OAI/2.0/oai_dc.xsd"
METADATA_FORMATS = {"oai_dc": ("http://www.openarchives.org/OAI/2.0/oai_dc.xsd", OAI_DC_NS)}
GRANULARITY = "YYYY-MM-DDThh:mm:ssZ"
TOKEN_SALT = "sti.library.oai"
TOKEN_MAX_AGE = 7 * 24 * 3600

LIST_ARGS = {"metadataPrefix", "from", "until", "set"}
VERBS: dict[str, tuple[set[str], set[str]]] = {
    # verb: (required, optional); resumptionToken is handled separately (exclusive).
    "Identify": (set(), set()),
    "ListMetadataFormats": (set(), {"identifier"}),
    "ListSets": (set(), set()),
    "ListIdentifiers": ({"metadataPrefix"}, {"from", "until", "set"}),
    "ListRecords": ({"metadataPrefix"}, {"from", "until", "set"}),
    "GetRecord": ({"identifier", "metadataPrefix"}, set()),
}
RESUMABLE = {"ListSets", "ListIdentifiers", "ListRecords"}
_DAY = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_SECOND = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$")
_XML_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


class OaiError(Exception):
    def __init__(self, code: str, message: str):
        super().__init__(message)
        self.code = code
        self.message = message


def _e(parent, tag: str, text=None, ns: str = OAI_NS, **attrs):
    element = etree.SubElement(parent, f"{{{ns}}}{tag}", {k: str(v) for k, v in attrs.items()})
    if text is not None:
        element.text = _XML_ILLEGAL.sub("", str(text))
    return element


def format_datestamp(value: dt.datetime) -> str:
    return value.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def parse_date(value: str, *, upper: bool) -> tuple[dt.datetime, str]:
    """A from/until argument as an inclusive lower or exclusive upper bound, and its granularity."""
    if _DAY.match(value):
        try:
            day = dt.date.fromisoformat(value)
        except ValueError as error:
            raise OaiError("badArgument", f"Ngày không hợp lệ: {value}") from error
        start = dt.datetime.combine(day, dt.time.min, tzinfo=dt.UTC)
        return (start + dt.timedelta(days=1) if upper else start), "day"
    if _SECOND.match(value):
        try:
            moment = dt.datetime.strptime(value, "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=dt.UTC)
        except ValueError as error:
            raise OaiError("badArgument", f"Thời điểm không hợp lệ: {value}") from error
        return (moment + dt.timedelta(seconds=1) if upper else moment), "second"
    raise OaiError("badArgument", f"Định dạng ngày phải là YYYY-MM-DD hoặc {GRANULARITY}: {value}")


def parse_identifier(identifier: str) -> int:
    prefix = f"oai:{settings.STI_OAI_REPOSITORY_ID}:document/"
    if not identifier.startswith(prefix) or not identifier[len(prefix) :].isdigit():
        raise OaiError("idDoesNotExist", f"Không có bản ghi với định danh {identifier}")
    return int(identifier[len(prefix) :])


# ---------------------------------------------------------------------------
# What is exposed
# ---------------------------------------------------------------------------
def exposed_documents():
    """Records a harvester sees: public ones, plus tombstones of ones it may have seen before."""
    return Document.objects.filter(
        Document.objects.public_q() | Q(oai_exposed=True), oai_datestamp__lte=timezone.now()
    )


def field_chain(code: str) -> list[str]:
    return [code[:length] for length in (1, 3, 5, 7) if len(code) >= length]


def field_set_spec(code: str) -> str:
    return ":".join(["field", *field_chain(code)])


def filter_by_set(queryset, spec: str):
    """Documents in a set (and its subsets); raises noRecordsMatch for an unknown set."""
    parts = spec.split(":")
    if parts[0] == "collection":
        if len(parts) == 1:
            return queryset.filter(
                id__in=Document.collections.through.objects.values("document_id")
            )
        collection = Collection.objects.filter(slug=parts[-1]).select_related("parent").first()
        if collection is None or collection.set_spec != spec:
            raise OaiError("noRecordsMatch", f"Không có tập {spec}")
        through = Document.collections.through.objects.filter(
            collection_id__in=collection.descendant_ids()
        )
        return queryset.filter(id__in=through.values("document_id"))
    if parts[0] == "field":
        through = Document.fields.through.objects
        if len(parts) > 1:
            code = parts[-1]
            if field_set_spec(code) != spec:
                raise OaiError("noRecordsMatch", f"Không có tập {spec}")
            through = through.filter(fieldofscience__code__startswith=code)
        return queryset.filter(id__in=through.values("document_id"))
    raise OaiError("noRecordsMatch", f"Không có tập {spec}")


def all_sets() -> list[tuple[str, str]]:
    """(setSpec, setName) for every collection and every field used by an exposed record."""
    sets: list[tuple[str, str]] = []
    collections = list(Collection.objects.select_related("parent"))
    if collections:
        sets.append(("collection", "Bộ sưu tập"))
        sets += sorted((c.set_spec, c.name) for c in collections)
    used = set(
        Document.fields.through.objects.filter(document__in=exposed_documents())
        .values_list("fieldofscience__code", flat=True)
        .distinct()
    )
    if used:
        names = dict(
            FieldOfScience.objects.order_by("version__is_current").values_list("code", "name")
        )
        codes = sorted({prefix for code in used for prefix in field_chain(code)})
        sets.append(("field", "Lĩnh vực KH&CN"))
        sets += [(field_set_spec(code), names.get(code, code)) for code in codes]
    return sets


# ---------------------------------------------------------------------------
# Rendering records
# ---------------------------------------------------------------------------
def _prefetched(queryset):
    return queryset.select_related(None).prefetch_related(
        "creators",
        "fields",
        Prefetch("collections", queryset=Collection.objects.select_related("parent__parent")),
        Prefetch(
            "files",
            queryset=DocumentFile.objects.only("id", "document_id", "mime_type", "ocr_sha256"),
        ),
    )


def _header(parent, document: Document, deleted: bool):
    header = _e(parent, "header", status="deleted") if deleted else _e(parent, "header")
    _e(header, "identifier", document.oai_identifier)
    _e(header, "datestamp", format_datestamp(document.oai_datestamp))
    specs = {c.set_spec for c in document.collections.all()}
    specs |= {field_set_spec(f.code) for f in document.fields.all()}
    for spec in sorted(specs):
        _e(header, "setSpec", spec)
    return header


def _dc(parent, document: Document, base: str) -> None:
    metadata = _e(parent, "metadata")
    dc = etree.SubElement(
        metadata, f"{{{OAI_DC_NS}}}dc", nsmap={"oai_dc": OAI_DC_NS, "dc": DC_NS, "xsi": XSI_NS}
    )
    dc.set(f"{{{XSI_NS}}}schemaLocation", OAI_DC_SCHEMA)

    def add(tag, value, lang=None):
        if value not in (None, ""):
            element = _e(dc, tag, value, ns=DC_NS)
            if lang:
                element.set("{http://www.w3.org/XML/1998/namespace}lang", lang)

    lang = {"vie": "vi", "eng": "en", "fra": "fr"}.get(document.language)
    add("title", document.title, lang)
    add("title", document.title_alternative)
    people = list(document.creators.all())
    for person in people:
        if person.role == CreatorRole.CREATOR:
            add("creator", person.name)
    for field in document.fields.all():
        add("subject", f"{field.code} {field.name}")
    for keyword in document.keyword_list:
        add("subject", keyword, lang)
    add("description", document.abstract, lang)
    add("publisher", document.publisher)
    for person in people:
        if person.role == CreatorRole.CONTRIBUTOR:
            add("contributor", person.name)
    add("date", document.issued.isoformat() if document.issued else document.year)
    add("type", SourceType(document.source_type).label if document.source_type else "")
    add("type", DC_TYPES.get(document.source_type, "Text"))
    for mime in sorted(
        {"application/pdf" if f.ocr_sha256 else f.mime_type for f in document.files.all()}
    ):
        add("format", mime)
    add("format", document.extent)
    add("identifier", base + document.get_absolute_url())
    add("identifier", f"https://doi.org/{document.doi}" if document.doi else "")
    add("identifier", f"ISBN {document.isbn}" if document.isbn else "")
    add("identifier", f"ISSN {document.issn}" if document.issn else "")
    add("source", document.source)
    add("language", document.language)
    add("relation", document.relation)
    add("coverage", document.coverage)
    add("rights", document.rights)


# ---------------------------------------------------------------------------
# Verbs
# ---------------------------------------------------------------------------
def _identify(root, request_info):
    node = _e(root, "Identify")
    _e(node, "repositoryName", settings.SITE_NAME + " – Thư viện số")
    _e(node, "baseURL", request_info["base"])
    _e(node, "protocolVersion", "2.0")
    _e(node, "adminEmail", settings.STI_OAI_ADMIN_EMAIL)
    earliest = (
        exposed_documents()
        .order_by("oai_datestamp")
        .values_list("oai_datestamp", flat=True)
        .first()
    )
    _e(
        node,
        "earliestDatestamp",
        format_datestamp(earliest or dt.datetime(2000, 1, 1, tzinfo=dt.UTC)),
    )
    _e(node, "deletedRecord", "persistent")
    _e(node, "granularity", GRANULARITY)


def _check_prefix(prefix: str) -> None:
    if prefix not in METADATA_FORMATS:
        raise OaiError("cannotDisseminateFormat", f"Không hỗ trợ định dạng {prefix}; dùng oai_dc")


def _list_metadata_formats(root, args):
    if "identifier" in args:
        pk = parse_identifier(args["identifier"])
        if not exposed_documents().filter(pk=pk).exists():
            raise OaiError("idDoesNotExist", f"Không có bản ghi với định danh {args['identifier']}")
    node = _e(root, "ListMetadataFormats")
    for prefix, (schema, namespace) in METADATA_FORMATS.items():
        fmt = _e(node, "metadataFormat")
        _e(fmt, "metadataPrefix", prefix)
        _e(fmt, "schema", schema)
        _e(fmt, "metadataNamespace", namespace)


def _list_sets(root, args):
    if "resumptionToken" in args:
        raise OaiError(
            "badResumptionToken", "Danh sách tập được trả về trọn vẹn, không có mã tiếp tục."
        )
    sets = all_sets()
    if not sets:
        raise OaiError("noSetHierarchy", "Kho chưa có tập nào.")
    node = _e(root, "ListSets")
    for spec, name in sets:
        item = _e(node, "set")
        _e(item, "setSpec", spec)
        _e(item, "setName", name)


def _get_record(root, args, base):
    _check_prefix(args["metadataPrefix"])
    pk = parse_identifier(args["identifier"])
    document = _prefetched(exposed_documents().filter(pk=pk)).first()
    if document is None:
        raise OaiError("idDoesNotExist", f"Không có bản ghi với định danh {args['identifier']}")
    deleted = not Document.objects.public().filter(pk=pk).exists()
    node = _e(root, "GetRecord")
    record = _e(node, "record")
    _header(record, document, deleted)
    if not deleted:
        _dc(record, document, base)


def _decode_token(token: str, verb: str) -> dict:
    try:
        state = signing.loads(token, salt=TOKEN_SALT, max_age=TOKEN_MAX_AGE)
    except signing.BadSignature as error:
        raise OaiError("badResumptionToken", "Mã tiếp tục không hợp lệ hoặc đã hết hạn.") from error
    if not isinstance(state, dict) or state.get("verb") != verb:
        raise OaiError("badResumptionToken", "Mã tiếp tục không dùng được cho động từ này.")
    return state


def _list(root, verb: str, args, base):
    if "resumptionToken" in args:
        state = _decode_token(args["resumptionToken"], verb)
    else:
        _check_prefix(args["metadataPrefix"])
        lower = upper = None
        granularities = set()
        if "from" in args:
            lower, granularity = parse_date(args["from"], upper=False)
            granularities.add(granularity)
        if "until" in args:
            upper, granularity = parse_date(args["until"], upper=True)
            granularities.add(granularity)
        if len(granularities) > 1:
            raise OaiError("badArgument", "from và until phải cùng độ chi tiết.")
        if lower and upper and lower >= upper:
            raise OaiError("badArgument", "from phải trước until.")
        # Freeze the harvest's upper bound: records changed during it belong to the next one.
        now = timezone.now() + dt.timedelta(microseconds=1)
        upper = min(upper, now) if upper else now
        if "set" in args and not all_sets():
            raise OaiError("noSetHierarchy", "Kho chưa có tập nào.")
        state = {
            "verb": verb,
            "prefix": args["metadataPrefix"],
            "set": args.get("set"),
            "lower": lower.isoformat() if lower else None,
            "upper": upper.isoformat(),
            "after": None,
            "cursor": 0,
            "total": None,
        }
    queryset = exposed_documents().filter(
        oai_datestamp__lt=dt.datetime.fromisoformat(state["upper"])
    )
    if state["lower"]:
        queryset = queryset.filter(oai_datestamp__gte=dt.datetime.fromisoformat(state["lower"]))
    if state["set"]:
        queryset = filter_by_set(queryset, state["set"])
    if state["total"] is None:
        state["total"] = queryset.count()
        if state["total"] == 0:
            raise OaiError("noRecordsMatch", "Không có bản ghi nào khớp các điều kiện.")
    page = queryset.order_by("oai_datestamp", "id")
    if state["after"]:
        stamp, last_id = dt.datetime.fromisoformat(state["after"][0]), state["after"][1]
        # Written as a range plus an exclusion (not an OR) so the datestamp index serves it.
        page = page.filter(oai_datestamp__gte=stamp).exclude(oai_datestamp=stamp, id__lte=last_id)
    size = settings.STI_OAI_PAGE_SIZE
    documents = (
        list(_prefetched(page)[: size + 1])
        if verb == "ListRecords"
        else list(
            page.prefetch_related(
                "fields",
                Prefetch(
                    "collections", queryset=Collection.objects.select_related("parent__parent")
                ),
            )[: size + 1]
        )
    )
    more, documents = len(documents) > size, documents[:size]
    public_ids = set(
        Document.objects.public()
        .filter(id__in=[d.pk for d in documents])
        .values_list("id", flat=True)
    )
    node = _e(root, verb)
    for document in documents:
        deleted = document.pk not in public_ids
        if verb == "ListIdentifiers":
            _header(node, document, deleted)
        else:
            record = _e(node, "record")
            _header(record, document, deleted)
            if not deleted:
                _dc(record, document, base)
    cursor = state["cursor"]
    if more:
        last = documents[-1]
        next_state = {
            **state,
            "after": [last.oai_datestamp.isoformat(), last.pk],
            "cursor": cursor + len(documents),
        }
        token = signing.dumps(next_state, salt=TOKEN_SALT, compress=True)
        _e(node, "resumptionToken", token, completeListSize=state["total"], cursor=cursor)
    elif cursor:
        # The last page of a resumed list carries an empty token.
        _e(node, "resumptionToken", "", completeListSize=state["total"], cursor=cursor)


# ---------------------------------------------------------------------------
# The endpoint
# ---------------------------------------------------------------------------
# Characters XML 1.0 cannot carry (C0 controls but tab, CR and LF; surrogates; U+FFFE/FFFF):
# an argument holding one is a badArgument (OAI-PMH §3.6), never an unserialisable echo.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def parse_args(query) -> tuple[str | None, dict]:
    for key in query.keys():
        if _NOT_XML.search(key) or any(_NOT_XML.search(value) for value in query.getlist(key)):
            raise OaiError("badArgument", "Tham số chứa ký tự điều khiển không hợp lệ.")
    verbs = query.getlist("verb")
    if len(verbs) != 1 or verbs[0] not in VERBS:
        raise OaiError("badVerb", "Thiếu động từ, động từ lặp lại hoặc không hợp lệ.")
    verb = verbs[0]
    required, optional = VERBS[verb]
    args = {}
    for key in query.keys():
        if key == "verb":
            continue
        values = query.getlist(key)
        if len(values) > 1:
            raise OaiError("badArgument", f"Tham số {key} bị lặp lại.")
        if key == "resumptionToken" and verb in RESUMABLE:
            args[key] = values[0]
            continue
        if key not in required | optional:
            raise OaiError("badArgument", f"Tham số {key} không hợp lệ cho {verb}.")
        args[key] = values[0]
    if "resumptionToken" in args:
        if len(args) > 1:
            raise OaiError("badArgument", "resumptionToken phải là tham số duy nhất.")
    else:
        missing = required - args.keys()
        if missing:
            raise OaiError("badArgument", "Thiếu tham số: " + ", ".join(sorted(missing)))
    return verb, args


def respond(query, base: str) -> bytes:
    root = etree.Element(f"{{{OAI_NS}}}OAI-PMH", nsmap={None: OAI_NS, "xsi": XSI_NS})
    root.set(f"{{{XSI_NS}}}schemaLocation", OAI_SCHEMA)
    _e(root, "responseDate", format_datestamp(timezone.now()))
    request_node = _e(root, "request", base)
    try:
        verb, args = parse_args(query)
        # Echo the arguments only when they were legal (OAI-PMH §3.6).
        request_node.set("verb", verb)
        for key, value in args.items():
            request_node.set(key, value)
        if verb == "Identify":
            _identify(root, {"base": base})
        elif verb == "ListMetadataFormats":
            _list_metadata_formats(root, args)
        elif verb == "ListSets":
            _list_sets(root, args)
        elif verb == "GetRecord":
            _get_record(root, args, _site_base(base))
        else:
            _list(root, verb, args, _site_base(base))
    except OaiError as error:
        if error.code in ("badVerb", "badArgument"):
            for key in list(request_node.attrib):
                del request_node.attrib[key]
        for child in list(root)[3:]:
            root.remove(child)
        _e(root, "error", error.message, code=error.code)
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8")


def _site_base(oai_base: str) -> str:
    return oai_base[: -len("/oai")] if oai_base.endswith("/oai") else oai_base


@csrf_exempt
@require_http_methods(["GET", "POST"])
def oai_view(request):
    query = request.POST if request.method == "POST" else request.GET
    base = request.build_absolute_uri(reverse("oai"))
    return HttpResponse(respond(query, base), content_type="text/xml; charset=utf-8")
