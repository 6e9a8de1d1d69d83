"""Demo partner repositories served by the platform itself over OAI-PMH 2.0 (oai_dc, and
MARCXML through the library's Dublin Core → MARC21 crosswalk, `marc.from_dublin_core`), at
/mang-luoi/doi-tac/<repository>/oai, from `PartnerRecord` rows: the demo's union catalogue
and the harvester's tests need a second repository on loopback, not another center's server.

The protocol's arguments are checked by the library's provider (`sti.library.oai`); paging
is by keyset on (datestamp, id) with stateless signed resumption tokens that freeze the
list's upper bound, like the library's own provider.
"""

from __future__ import annotations

import datetime as dt

import pymarc
from django.conf import settings
from django.core import signing
from django.http import Http404, HttpResponse
from django.utils import timezone
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods
from lxml import etree

from sti.harvest.models import PartnerRecord
from sti.library.marc import from_dublin_core
from sti.library.oai import (
    DC_NS,
    OAI_DC_NS,
    OAI_DC_SCHEMA,
    OAI_NS,
    OAI_SCHEMA,
    XSI_NS,
    OaiError,
    format_datestamp,
    parse_args,
    parse_date,
)

# The demo partners: two provincial centers of the Mekong Delta network.
PARTNERS = {
    "an-giang": "Trung tâm Thông tin và Thống kê KH&CN An Giang – Kho số",
    "soc-trang": "Trung tâm Ứng dụng tiến bộ KH&CN Sóc Trăng – Thư viện số",
}
MARCXML = "marcxml"
FORMATS = {
    "oai_dc": ("http://www.openarchives.org/OAI/2.0/oai_dc.xsd", OAI_DC_NS),
    MARCXML: (pymarc.MARC_XML_SCHEMA, pymarc.MARC_XML_NS),
}
TOKEN_SALT = "sti.harvest.partner"
TOKEN_MAX_AGE = 24 * 3600


def page_size() -> int:
    return getattr(settings, "STI_HARVEST_PARTNER_PAGE_SIZE", 50)


def _e(parent, tag: str, text=None, ns: str = OAI_NS, **attrs):
    element = etree.SubElement(parent, f"{{{ns}}}{tag}", {k: str(v) for k, v in attrs.items()})
    if text is not None:
        element.text = str(text)
    return element


def identifier_of(repository: str, record: PartnerRecord) -> str:
    return f"oai:{repository}.example.vn:{record.local_id}"


def _header(parent, repository: str, record: PartnerRecord):
    header = _e(parent, "header", status="deleted") if record.deleted else _e(parent, "header")
    _e(header, "identifier", identifier_of(repository, record))
    _e(header, "datestamp", format_datestamp(record.datestamp))
    if record.set_spec:
        _e(header, "setSpec", record.set_spec)


def _record(parent, repository: str, record: PartnerRecord, prefix: str) -> None:
    node = _e(parent, "record")
    _header(node, repository, record)
    if record.deleted:
        return
    metadata = _e(node, "metadata")
    if prefix == MARCXML:
        marc = from_dublin_core(record.metadata, identifier_of(repository, record))
        _marc_prefixed(metadata, etree.fromstring(pymarc.record_to_xml(marc, namespace=True)))
        return
    dc = etree.SubElement(
        metadata, f"{{{OAI_DC_NS}}}dc", nsmap={"oai_dc": OAI_DC_NS, "dc": DC_NS, "xsi": XSI_NS}
    )
    dc.set(f"{{{XSI_NS}}}schemaLocation", OAI_DC_SCHEMA)
    for tag, values in record.metadata.items():
        for value in values if isinstance(values, list) else [values]:
            _e(dc, tag, value, ns=DC_NS)


def _marc_prefixed(parent, node) -> None:
    """`node` (pymarc's MARCXML, default namespace) copied under `parent` as `marc:record`,
    as repositories usually write it."""
    copy = etree.SubElement(parent, node.tag, dict(node.attrib), nsmap={"marc": pymarc.MARC_XML_NS})
    copy.text = node.text
    for child in node:
        _marc_prefixed(copy, child)


def _records(repository: str):
    return PartnerRecord.objects.filter(repository=repository)


def _check_prefix(prefix: str) -> None:
    if prefix not in FORMATS:
        raise OaiError(
            "cannotDisseminateFormat", f"Không hỗ trợ định dạng {prefix}; dùng oai_dc hoặc marcxml"
        )


def _identify(root, repository: str, base: str) -> None:
    node = _e(root, "Identify")
    _e(node, "repositoryName", PARTNERS[repository])
    _e(node, "baseURL", base)
    _e(node, "protocolVersion", "2.0")
    _e(node, "adminEmail", f"thuvien@{repository}.example.vn")
    earliest = _records(repository).order_by("datestamp").values_list("datestamp", flat=True)
    first = earliest.first() or dt.datetime(2000, 1, 1, tzinfo=dt.UTC)
    _e(node, "earliestDatestamp", format_datestamp(first))
    _e(node, "deletedRecord", "persistent")
    _e(node, "granularity", "YYYY-MM-DDThh:mm:ssZ")


def _formats(root) -> None:
    listing = _e(root, "ListMetadataFormats")
    for prefix, (schema, namespace) in FORMATS.items():
        node = _e(listing, "metadataFormat")
        _e(node, "metadataPrefix", prefix)
        _e(node, "schema", schema)
        _e(node, "metadataNamespace", namespace)


def _sets(root, repository: str) -> None:
    specs = sorted(
        set(_records(repository).exclude(set_spec="").values_list("set_spec", flat=True))
    )
    if not specs:
        raise OaiError("noSetHierarchy", "Kho chưa có tập nào.")
    node = _e(root, "ListSets")
    for spec in specs:
        item = _e(node, "set")
        _e(item, "setSpec", spec)
        _e(item, "setName", spec.replace("-", " ").capitalize())


def _get_record(root, repository: str, args) -> None:
    _check_prefix(args["metadataPrefix"])
    prefix = f"oai:{repository}.example.vn:"
    local_id = args["identifier"].removeprefix(prefix)
    record = _records(repository).filter(local_id=local_id).first()
    if record is None or not args["identifier"].startswith(prefix):
        raise OaiError("idDoesNotExist", f"Không có bản ghi {args['identifier']}")
    _record(_e(root, "GetRecord"), repository, record, args["metadataPrefix"])


def _list(root, repository: str, verb: str, args) -> None:
    if "resumptionToken" in args:
        try:
            state = signing.loads(args["resumptionToken"], salt=TOKEN_SALT, max_age=TOKEN_MAX_AGE)
        except signing.BadSignature as error:
            raise OaiError("badResumptionToken", "Mã tiếp tục không hợp lệ.") from error
        if state.get("verb") != verb or state.get("repository") != repository:
            raise OaiError("badResumptionToken", "Mã tiếp tục không dùng được ở đây.")
    else:
        _check_prefix(args["metadataPrefix"])
        lower = parse_date(args["from"], upper=False)[0] if "from" in args else None
        upper = parse_date(args["until"], upper=True)[0] if "until" in args else None
        now = timezone.now() + dt.timedelta(microseconds=1)
        state = {
            "verb": verb,
            "repository": repository,
            "prefix": args["metadataPrefix"],
            "set": args.get("set", ""),
            "lower": lower.isoformat() if lower else None,
            "upper": (min(upper, now) if upper else now).isoformat(),
            "after": None,
            "cursor": 0,
            "total": None,
        }
    records = _records(repository).filter(datestamp__lt=dt.datetime.fromisoformat(state["upper"]))
    if state["lower"]:
        records = records.filter(datestamp__gte=dt.datetime.fromisoformat(state["lower"]))
    if state["set"]:
        records = records.filter(set_spec=state["set"])
    if state["total"] is None:
        state["total"] = records.count()
        if not state["total"]:
            raise OaiError("noRecordsMatch", "Không có bản ghi nào khớp các điều kiện.")
    records = records.order_by("datestamp", "id")
    if state["after"]:
        stamp = dt.datetime.fromisoformat(state["after"][0])
        records = records.filter(datestamp__gte=stamp).exclude(
            datestamp=stamp, id__lte=state["after"][1]
        )
    size = page_size()
    rows = list(records[: size + 1])
    more, rows = len(rows) > size, rows[:size]
    node = _e(root, verb)
    for record in rows:
        if verb == "ListIdentifiers":
            _header(node, repository, record)
        else:
            _record(node, repository, record, state.get("prefix", "oai_dc"))
    cursor = state["cursor"]
    if more:
        last = rows[-1]
        following = {**state, "after": [last.datestamp.isoformat(), last.pk]}
        following["cursor"] = cursor + len(rows)
        token = signing.dumps(following, salt=TOKEN_SALT, compress=True)
        _e(node, "resumptionToken", token, completeListSize=state["total"], cursor=cursor)
    elif cursor:
        _e(node, "resumptionToken", "", completeListSize=state["total"], cursor=cursor)


def respond(repository: str, query, base: str) -> bytes:
    root = etree.Element(f"{{{OAI_NS}}}OAI-PMH", nsmap={None: OAI_NS, "xsi": XSI_NS})
    root.set(f"{{{XSI_NS}}}schemaLocation", OAI_SCHEMA)
    _e(root, "responseDate", format_datestamp(timezone.now()))
    request_node = _e(root, "request", base)
    try:
        verb, args = parse_args(query)
        request_node.set("verb", verb)
        for key, value in args.items():
            request_node.set(key, value)
        if verb == "Identify":
            _identify(root, repository, base)
        elif verb == "ListMetadataFormats":
            _formats(root)
        elif verb == "ListSets":
            _sets(root, repository)
        elif verb == "GetRecord":
            _get_record(root, repository, args)
        else:
            _list(root, repository, verb, args)
    except OaiError as error:
        for child in list(root)[3:]:
            root.remove(child)
        _e(root, "error", error.message, code=error.code)
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8")


@csrf_exempt
@require_http_methods(["GET", "POST"])
def partner_oai(request, repository):
    """A demo partner's OAI-PMH endpoint (public, like any repository's)."""
    if repository not in PARTNERS:
        raise Http404
    query = request.POST if request.method == "POST" else request.GET
    base = request.build_absolute_uri(request.path)
    return HttpResponse(respond(repository, query, base), content_type="text/xml; charset=utf-8")
