"""Talking OAI-PMH to a partner, on Sickle: discovery (Identify, ListMetadataFormats,
ListSets), one page of a list at a time with retries and back-off, and reading a record
(Dublin Core or MARCXML) into the union catalogue's fields.

Nothing here writes to the database: `jobs.py` drives a harvest page by page.
"""

from __future__ import annotations

import io
import ipaddress
import logging
import re
import socket
import time
from dataclasses import dataclass, field
from urllib.parse import urlsplit

import requests
from django.conf import settings
from django.utils.translation import gettext as _
from lxml import etree
from requests.adapters import HTTPAdapter
from sickle import Sickle
from sickle.models import Header, MetadataFormat, Record, Set
from urllib3.connection import HTTPConnection, HTTPSConnection
from urllib3.connectionpool import HTTPConnectionPool, HTTPSConnectionPool

from sti.core.text import normalize
from sti.harvest import dedup

logger = logging.getLogger(__name__)
OAI_NS = "{http://www.openarchives.org/OAI/2.0/}"
MARC_PREFIXES = ("marc21", "marcxml", "MARC21", "marc")
TRANSIENT_STATUS = {408, 425, 429, 500, 502, 503, 504}
_YEAR = re.compile(r"\b(1[5-9]\d\d|20\d\d)\b")


class HarvestError(Exception):
    """The partner cannot be harvested now (after retries); the run stops and is recorded."""


class OaiProtocolError(HarvestError):
    def __init__(self, code: str, message: str):
        super().__init__(f"{code}: {message}")
        self.code = code


class AddressRefused(HarvestError):
    """The partner's address is not one the server may fetch (an internal address)."""


class MalformedRecord(ValueError):
    """One record could not be read: reported, the harvest goes on."""


def client(base_url: str, *, timeout: float | None = None) -> Sickle:
    return PinnedSickle(
        base_url,
        max_retries=0,  # retries and back-off are ours (fetch), connection errors included
        headers={"User-Agent": settings.STI_HARVEST_USER_AGENT},
        timeout=timeout or settings.STI_HARVEST_TIMEOUT_SECONDS,
        # A redirect could lead to an internal address that check_address never saw.
        allow_redirects=False,
    )


def _internal(address: ipaddress.IPv4Address | ipaddress.IPv6Address) -> bool:
    mapped = getattr(address, "ipv4_mapped", None)
    if mapped is not None:
        address = mapped
    return (
        address.is_loopback
        or address.is_private
        or address.is_link_local
        or address.is_reserved
        or address.is_multicast
        or address.is_unspecified
        or not address.is_global
    )


def check_address(base_url: str) -> str | None:
    """Refuse a URL the server must not fetch: not http(s), or a host name any of whose
    addresses is loopback, private, link-local or reserved (an editor could otherwise read
    the server's own network, SSRF). Host names in STI_HARVEST_PRIVATE_HOSTS are allowed
    (None: connect by name). Returns the address to connect to, the first one checked:
    every request resolves the name once, here, and connects there (`PinnedSickle`), so a
    name whose answer changes between the check and the connection (DNS rebinding) cannot
    lead inside."""
    parts = urlsplit(base_url)
    host = (parts.hostname or "").rstrip(".").lower()
    if parts.scheme not in ("http", "https") or not host:
        raise AddressRefused(_("Địa chỉ OAI-PMH phải bắt đầu bằng http:// hoặc https://."))
    if host in {name.strip().lower() for name in settings.STI_HARVEST_PRIVATE_HOSTS}:
        return None
    try:
        port = parts.port or (443 if parts.scheme == "https" else 80)
        found = socket.getaddrinfo(host, port, proto=socket.IPPROTO_TCP)
    except (socket.gaierror, UnicodeError, ValueError) as error:
        raise AddressRefused(
            _("Không tìm thấy máy chủ %(host)s (tên miền không phân giải được).") % {"host": host}
        ) from error
    for *_rest, sockaddr in found:
        address = ipaddress.ip_address(sockaddr[0].split("%")[0])
        if _internal(address):
            raise AddressRefused(
                _(
                    "Không được thu thập từ địa chỉ nội bộ: %(host)s trỏ tới %(address)s "
                    "(mạng nội bộ, loopback, link-local hoặc dải địa chỉ dành riêng). "
                    "Chỉ đăng ký kho OAI-PMH có địa chỉ công khai trên Internet."
                )
                % {"host": host, "address": address}
            )
    return found[0][4][0]


class _Pinned:
    """A urllib3 connection to `address` whatever its host name resolves to now; the name
    stays the request's (Host header, TLS server name and certificate check)."""

    address = ""

    def _new_conn(self):
        # urllib3 connects to `_dns_host`, which is also where `host` (the TLS server name
        # and certificate check) is read from: the address only while connecting.
        name, self._dns_host = self._dns_host, self.address
        try:
            return super()._new_conn()
        finally:
            self._dns_host = name


class PinnedAdapter(HTTPAdapter):
    """Connections of a `requests` session made to one checked address."""

    def __init__(self, address: str):
        self.address = address
        super().__init__(max_retries=0)

    def init_poolmanager(self, *args, **kwargs):
        super().init_poolmanager(*args, **kwargs)
        pools = {}
        for scheme, pool, connection in (
            ("http", HTTPConnectionPool, HTTPConnection),
            ("https", HTTPSConnectionPool, HTTPSConnection),
        ):
            pinned = type(f"Pinned{connection.__name__}", (_Pinned, connection), {})
            pinned.address = self.address
            pools[scheme] = type(f"Pinned{pool.__name__}", (pool,), {"ConnectionCls": pinned})
        self.poolmanager.pool_classes_by_scheme = pools


class PinnedSickle(Sickle):
    """Sickle whose every request checks the partner's address (`check_address`: resolved
    once) and connects to the address checked; proxies from the environment are not used,
    since they would connect elsewhere."""

    def _request(self, kwargs):
        address = check_address(self.endpoint)
        with requests.Session() as session:
            session.trust_env = False
            if address is not None:
                session.mount("http://", PinnedAdapter(address))
                session.mount("https://", PinnedAdapter(address))
            if self.http_method == "GET":
                return session.get(self.endpoint, params=kwargs, **self.request_args)
            return session.post(self.endpoint, data=kwargs, **self.request_args)


@dataclass
class Page:
    response_date: str
    records: list = field(default_factory=list)  # lxml <record> elements
    token: str = ""
    complete_size: int | None = None
    retries: int = 0


def fetch(sickle: Sickle, params: dict, *, sleep=None) -> tuple[etree._Element, int]:
    """One OAI-PMH request; transient failures (connection, timeout, 5xx, 429) are retried
    STI_HARVEST_RETRIES times with doubling pauses (or the server's Retry-After). Returns the
    parsed response and the number of retries; raises HarvestError when it gives up."""
    attempts = settings.STI_HARVEST_RETRIES + 1
    pause = settings.STI_HARVEST_BACKOFF_SECONDS
    last = ""
    for attempt in range(attempts):
        try:
            response = sickle.harvest(**params)
            if response.http_response.is_redirect:
                location = response.http_response.headers.get("Location", "")
                raise HarvestError(
                    _("HTTP %(status)s: kho chuyển sang %(location)s; hãy đăng ký địa chỉ đó.")
                    % {"status": response.http_response.status_code, "location": location}
                )
            xml = response.xml
        except requests.HTTPError as error:
            status = error.response.status_code if error.response is not None else 0
            if status not in TRANSIENT_STATUS:
                raise HarvestError(f"HTTP {status}: {sickle.endpoint}") from error
            last = f"HTTP {status}"
            retry_after = error.response.headers.get("Retry-After", "")
            wait = float(retry_after) if retry_after.isdigit() else pause * 2**attempt
        except (requests.ConnectionError, requests.Timeout) as error:
            last = error.__class__.__name__
            wait = pause * 2**attempt
        except etree.XMLSyntaxError as error:
            raise HarvestError(f"XML: {error}") from error
        else:
            error_node = xml.find(f"{OAI_NS}error")
            if error_node is not None:
                raise OaiProtocolError(error_node.get("code", ""), error_node.text or "")
            return xml, attempt
        if attempt + 1 < attempts:
            logger.warning("%s: %s, retrying in %.1fs", sickle.endpoint, last, wait)
            (sleep or time.sleep)(wait)
    raise HarvestError(f"{sickle.endpoint}: {last} ({attempts} lần thử)")


def list_page(sickle: Sickle, params: dict, *, sleep=None) -> Page:
    """One page of ListRecords (`params` holds either the arguments or a resumptionToken)."""
    try:
        xml, retries = fetch(sickle, {"verb": "ListRecords", **params}, sleep=sleep)
    except OaiProtocolError as error:
        if error.code == "noRecordsMatch":
            return Page(response_date="")
        raise
    page = Page(response_date=(xml.findtext(f"{OAI_NS}responseDate") or "").strip())
    page.retries = retries
    listing = xml.find(f"{OAI_NS}ListRecords")
    if listing is None:
        raise HarvestError("ListRecords: không có phần ListRecords trong câu trả lời")
    page.records = listing.findall(f"{OAI_NS}record")
    token = listing.find(f"{OAI_NS}resumptionToken")
    if token is not None:
        page.token = (token.text or "").strip()
        size = token.get("completeListSize", "")
        page.complete_size = int(size) if size.isdigit() else None
    return page


# ---------------------------------------------------------------------------
# Discovery
# ---------------------------------------------------------------------------
@dataclass
class Discovery:
    repository_name: str
    base_url: str
    admin_email: str
    granularity: str
    earliest_datestamp: str
    deleted_record: str
    formats: list[dict]
    sets: list[dict]


def discover(base_url: str, *, sleep=None) -> Discovery:
    """Identify, ListMetadataFormats and ListSets (all its pages); raises HarvestError."""
    sickle = client(base_url, timeout=min(30, settings.STI_HARVEST_TIMEOUT_SECONDS))
    xml, _ = fetch(sickle, {"verb": "Identify"}, sleep=sleep)
    node = xml.find(f"{OAI_NS}Identify")
    if node is None:
        raise HarvestError("Identify: câu trả lời không đúng OAI-PMH")

    def text(tag):
        return (node.findtext(f"{OAI_NS}{tag}") or "").strip()

    xml, _ = fetch(sickle, {"verb": "ListMetadataFormats"}, sleep=sleep)
    formats = [
        {"prefix": fmt.metadataPrefix, "namespace": getattr(fmt, "metadataNamespace", "")}
        for fmt in (MetadataFormat(element) for element in xml.iter(f"{OAI_NS}metadataFormat"))
    ]
    sets: list[dict] = []
    params = {"verb": "ListSets"}
    while True:
        try:
            xml, _ = fetch(sickle, params, sleep=sleep)
        except OaiProtocolError as error:
            if error.code == "noSetHierarchy":
                break
            raise
        sets += [
            {"spec": item.setSpec, "name": getattr(item, "setName", item.setSpec)}
            for item in (Set(element) for element in xml.iter(f"{OAI_NS}set"))
        ]
        token = (xml.findtext(f".//{OAI_NS}resumptionToken") or "").strip()
        if not token:
            break
        params = {"verb": "ListSets", "resumptionToken": token}
    return Discovery(
        repository_name=text("repositoryName"),
        base_url=text("baseURL") or base_url,
        admin_email=text("adminEmail"),
        granularity=text("granularity"),
        earliest_datestamp=text("earliestDatestamp"),
        deleted_record=text("deletedRecord"),
        formats=formats,
        sets=sets,
    )


def harvestable_formats(formats: list[dict]) -> list[str]:
    """The offered prefixes this harvester reads: oai_dc, and MARCXML where offered."""
    known = {"oai_dc", *MARC_PREFIXES}
    return [fmt["prefix"] for fmt in formats if fmt["prefix"] in known]


# ---------------------------------------------------------------------------
# Reading one record
# ---------------------------------------------------------------------------
@dataclass
class Parsed:
    identifier: str
    datestamp: str
    deleted: bool
    set_specs: list[str] = field(default_factory=list)
    values: dict = field(default_factory=dict)  # HarvestedRecord fields


def parse(element, prefix: str) -> Parsed:
    """A <record> as the union catalogue's fields; raises MalformedRecord."""
    try:
        header = Header(element.find(f"{OAI_NS}header"))
    except Exception as error:  # noqa: BLE001 — any broken header is one malformed record
        raise MalformedRecord(f"header: {error}") from error
    identifier = (header.identifier or "").strip()
    if not identifier:
        raise MalformedRecord("thiếu định danh (identifier)")
    parsed = Parsed(identifier, (header.datestamp or "").strip(), header.deleted, header.setSpecs)
    if header.deleted:
        return parsed
    metadata = element.find(f"{OAI_NS}metadata")
    if metadata is None or len(metadata) == 0:
        raise MalformedRecord(f"{identifier}: thiếu phần metadata")
    if prefix in MARC_PREFIXES:
        fields = _finish(_from_marc(metadata[0], identifier))
    else:
        fields = read_dc(Record(element).metadata)
    if not fields["title"]:
        raise MalformedRecord(f"{identifier}: thiếu nhan đề")
    if not parsed.datestamp:
        raise MalformedRecord(f"{identifier}: thiếu mốc thời gian (datestamp)")
    parsed.values = fields
    return parsed


def read_dc(dc: dict) -> dict:
    """A Dublin Core description ({element: [values]}) as the union catalogue's fields."""
    return _finish(_from_dc(dc))


def _first(values: list[str]) -> str:
    return next((normalize(v) for v in values if v and v.strip()), "")


def _from_dc(dc: dict) -> dict:
    identifiers = [normalize(v) for v in dc.get("identifier", []) if v]
    links = [v for v in identifiers if v.startswith(("http://", "https://"))]
    url = next((v for v in links if "doi.org/" not in v), links[0] if links else "")
    doi = next((d for d in map(dedup.normalize_doi, identifiers) if d), "")
    isbn = next(
        (dedup.normalize_isbn(v) for v in identifiers if "isbn" in v.lower()),
        "",
    )
    return {
        "title": _first(dc.get("title", [])),
        "creators": [normalize(v) for v in dc.get("creator", []) if v and v.strip()],
        "year": _year(dc.get("date", [])),
        "description": "\n".join(normalize(v) for v in dc.get("description", []) if v),
        "subjects": [normalize(v) for v in dc.get("subject", []) if v and v.strip()],
        "publisher": _first(dc.get("publisher", [])),
        "language": _first(dc.get("language", [])),
        "doc_type": _first(dc.get("type", [])),
        "url": url,
        "doi": doi,
        "isbn": isbn,
    }


def _from_marc(element, identifier: str) -> dict:
    from pymarc import parse_xml_to_array

    try:
        records = parse_xml_to_array(io.BytesIO(etree.tostring(element)))
    except Exception as error:  # noqa: BLE001 — a MARC record pymarc cannot read
        raise MalformedRecord(f"{identifier}: MARCXML: {error}") from error
    if not records or records[0] is None:
        raise MalformedRecord(f"{identifier}: MARCXML rỗng")
    marc = records[0]

    def subfields(tag, code):
        return [v for f in marc.get_fields(tag) for v in f.get_subfields(code)]

    title = " ".join(subfields("245", "a") + subfields("245", "b")).strip(" /:;")
    creators = subfields("100", "a") + subfields("110", "a") + subfields("700", "a")
    identifiers = subfields("024", "a") + subfields("856", "u")
    links = [v for v in subfields("856", "u") if v.startswith(("http://", "https://"))]
    return {
        "title": normalize(title),
        "creators": [normalize(c.strip(" ,.")) for c in creators],
        "year": _year(subfields("260", "c") + subfields("264", "c")),
        "description": "\n".join(normalize(v) for v in subfields("520", "a")),
        "subjects": [normalize(v) for v in subfields("650", "a") + subfields("653", "a")],
        "publisher": normalize(" ".join(subfields("260", "b") + subfields("264", "b"))).strip(
            " ,:"
        ),
        "language": normalize(" ".join(subfields("041", "a"))),
        "doc_type": _first(subfields("655", "a")),
        "url": next((v for v in links if "doi.org/" not in v), links[0] if links else ""),
        "doi": next((d for d in map(dedup.normalize_doi, identifiers) if d), ""),
        "isbn": next((d for d in map(dedup.normalize_isbn, subfields("020", "a")) if d), ""),
    }


def _year(values: list[str]) -> int | None:
    for value in values:
        match = _YEAR.search(value or "")
        if match:
            return int(match.group(1))
    return None


def _finish(fields: dict) -> dict:
    fields["title"] = fields["title"][:1000]
    fields["publisher"] = fields["publisher"][:500]
    fields["language"] = fields["language"][:20]
    fields["doc_type"] = fields["doc_type"][:200]
    fields["url"] = fields["url"][:1000]
    fields["doi"] = fields["doi"][:200]
    fields["title_key"] = dedup.title_key(fields["title"])[:1000]
    fields["title_head"] = dedup.title_head(fields["title_key"])
    fields["author_key"] = dedup.author_key(fields["creators"][0]) if fields["creators"] else ""
    return fields
