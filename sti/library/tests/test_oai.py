"""OAI-PMH: a full harvest with a real client (Sickle) over 1,000+ records in small pages,
XSD validation of every response, every protocol error, sets, dates and deletions."""

from __future__ import annotations

import datetime as dt
from functools import lru_cache
from pathlib import Path
from urllib.parse import urlencode, urlsplit

import pytest
import requests
from django.test import Client
from lxml import etree
from sickle import Sickle

from sti.library import services
from sti.library.choices import AccessLevel
from sti.library.models import Collection, Document
from sti.library.sample import generate

pytestmark = pytest.mark.django_db
SCHEMAS = Path(__file__).resolve().parent.parent / "schemas"
NS = {"o": "http://www.openarchives.org/OAI/2.0/", "dc": "http://purl.org/dc/elements/1.1/"}


@lru_cache(maxsize=1)
def schema() -> etree.XMLSchema:
    return etree.XMLSchema(etree.parse(str(SCHEMAS / "validate-oai-pmh-with-oai_dc.xsd")))


def validate(content: bytes) -> etree._Element:
    root = etree.fromstring(content)
    schema().assertValid(root)
    return root


class DjangoAdapter(requests.adapters.BaseAdapter):
    """Lets `requests` (and so Sickle) talk to the Django test client; validates every reply."""

    def __init__(self):
        super().__init__()
        self.client = Client()
        self.responses = 0

    def send(self, request, **kwargs):
        url = urlsplit(request.url)
        if request.method == "POST":
            reply = self.client.post(
                url.path, data=request.body, content_type="application/x-www-form-urlencoded"
            )
        else:
            reply = self.client.get(url.path + ("?" + url.query if url.query else ""))
        validate(reply.content)
        self.responses += 1
        response = requests.Response()
        response.status_code = reply.status_code
        response._content = reply.content
        response.headers.update({key: value for key, value in reply.items()})
        response.encoding = "utf-8"
        response.url = request.url
        response.request = request
        return response

    def close(self):
        pass


class ClientSickle(Sickle):
    def __init__(self, *args, **kwargs):
        super().__init__("http://testserver/oai", *args, **kwargs)
        self.session = requests.Session()
        self.adapter = DjangoAdapter()
        self.session.mount("http://testserver/", self.adapter)

    def _request(self, kwargs):
        if self.http_method == "GET":
            return self.session.get(self.endpoint, params=kwargs)
        return self.session.post(self.endpoint, data=kwargs)


def oai(client, **params) -> etree._Element:
    response = client.get("/oai?" + urlencode(params, doseq=True))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/xml")
    return validate(response.content)


def error_code(root) -> str | None:
    error = root.find("o:error", NS)
    return error.get("code") if error is not None else None


@pytest.fixture
def oai_page_size(settings):
    settings.STI_OAI_PAGE_SIZE = 37
    return 37


def test_full_harvest_returns_each_record_exactly_once(oai_page_size, make_document):
    generate(1250, seed=3, write_files=False)
    hidden = make_document("Tài liệu nội bộ", access=AccessLevel.STAFF)
    visible = Document.objects.public()
    expected = {d.oai_identifier for d in visible}
    assert len(expected) > 1000

    for method in ("GET", "POST"):
        sickle = ClientSickle(http_method=method)
        records = list(sickle.ListRecords(metadataPrefix="oai_dc"))
        identifiers = [record.header.identifier for record in records]
        assert len(identifiers) == len(set(identifiers)), "a record came twice"
        assert set(identifiers) == expected, "records missing or extra"
        assert hidden.oai_identifier not in identifiers
        assert sickle.adapter.responses >= len(expected) // oai_page_size
        assert all(record.metadata["title"][0] for record in records)

    headers = list(ClientSickle().ListIdentifiers(metadataPrefix="oai_dc"))
    assert {h.identifier for h in headers} == expected


def test_identify_formats_and_sets_validate(client, make_document, org_a):
    root_collection = Collection.objects.create(
        name="Kết quả nghiên cứu", slug="ket-qua-nghien-cuu"
    )
    child = Collection.objects.create(
        name="Cấp thành phố", slug="cap-thanh-pho", parent=root_collection
    )
    from sti.core.models import FieldOfScience

    rice = FieldOfScience.objects.current().get(code="401")
    document = make_document("Giống lúa chịu mặn Đồng Tháp", collections=[child], fields=[rice])

    identify = oai(client, verb="Identify")
    assert identify.findtext("o:Identify/o:deletedRecord", namespaces=NS) == "persistent"
    assert identify.findtext("o:Identify/o:granularity", namespaces=NS) == "YYYY-MM-DDThh:mm:ssZ"
    assert identify.findtext("o:Identify/o:baseURL", namespaces=NS) == "http://testserver/oai"

    formats = oai(client, verb="ListMetadataFormats", identifier=document.oai_identifier)
    assert formats.findtext(".//o:metadataPrefix", namespaces=NS) == "oai_dc"

    sets = oai(client, verb="ListSets")
    specs = [s.findtext("o:setSpec", namespaces=NS) for s in sets.iterfind(".//o:set", NS)]
    assert {
        "collection",
        "collection:ket-qua-nghien-cuu",
        "collection:ket-qua-nghien-cuu:cap-thanh-pho",
        "field",
        "field:4",
        "field:4:401",
    } <= set(specs)

    record = oai(
        client, verb="GetRecord", identifier=document.oai_identifier, metadataPrefix="oai_dc"
    )
    assert record.findtext(".//dc:title", namespaces=NS) == "Giống lúa chịu mặn Đồng Tháp"
    assert record.findtext(".//dc:creator", namespaces=NS) == "Nguyễn Văn A"
    header_sets = [e.text for e in record.iterfind(".//o:header/o:setSpec", NS)]
    assert (
        "collection:ket-qua-nghien-cuu:cap-thanh-pho" in header_sets
        and "field:4:401" in header_sets
    )

    # A parent set includes the records of its subsets; so does a field's parent.
    for spec in ("collection:ket-qua-nghien-cuu", "field:4", "field:4:401"):
        listed = oai(client, verb="ListIdentifiers", metadataPrefix="oai_dc", set=spec)
        assert [e.text for e in listed.iterfind(".//o:identifier", NS)] == [
            document.oai_identifier
        ], spec


def test_from_until_select_by_datestamp(client, make_document):
    old = make_document("Cũ")
    new = make_document("Mới")
    Document.objects.filter(pk=old.pk).update(
        oai_datestamp=dt.datetime(2020, 5, 1, 8, 0, tzinfo=dt.UTC)
    )
    Document.objects.filter(pk=new.pk).update(
        oai_datestamp=dt.datetime(2024, 5, 1, 8, 0, 30, tzinfo=dt.UTC)
    )

    def ids(**params):
        root = oai(client, verb="ListIdentifiers", metadataPrefix="oai_dc", **params)
        return {e.text for e in root.iterfind(".//o:identifier", NS)}, error_code(root)

    assert ids(**{"from": "2021-01-01"}) == ({new.oai_identifier}, None)
    assert ids(until="2020-05-01") == ({old.oai_identifier}, None)
    assert ids(**{"from": "2024-05-01T08:00:30Z", "until": "2024-05-01T08:00:30Z"}) == (
        {new.oai_identifier},
        None,
    )
    assert ids(**{"from": "2024-05-01T08:00:31Z"})[1] == "noRecordsMatch"


def test_withdrawn_and_restricted_records_become_deleted_headers(client, make_document, editor):
    withdrawn = make_document("Sẽ rút")
    restricted = make_document("Sẽ hạn chế")
    never = make_document("Luôn nội bộ", access=AccessLevel.STAFF)
    services.withdraw_document(editor, withdrawn)
    services.update_document(editor, restricted, {"access": AccessLevel.STAFF})

    root = oai(client, verb="ListRecords", metadataPrefix="oai_dc")
    records = {
        r.findtext("o:header/o:identifier", namespaces=NS): r
        for r in root.iterfind(".//o:record", NS)
    }
    assert set(records) == {withdrawn.oai_identifier, restricted.oai_identifier}
    for record in records.values():
        assert record.find("o:header", NS).get("status") == "deleted"
        assert record.find("o:metadata", NS) is None
    assert never.oai_identifier not in records
    got = oai(
        client, verb="GetRecord", identifier=withdrawn.oai_identifier, metadataPrefix="oai_dc"
    )
    assert got.find(".//o:header", NS).get("status") == "deleted"
    assert (
        error_code(
            oai(client, verb="GetRecord", identifier=never.oai_identifier, metadataPrefix="oai_dc")
        )
        == "idDoesNotExist"
    )


def test_embargoed_record_appears_only_when_the_embargo_lapses(client, make_document):
    from django.utils import timezone

    later = timezone.localdate() + dt.timedelta(days=30)
    document = make_document("Hạn chế 30 ngày", access=AccessLevel.EMBARGOED, embargo_until=later)
    assert (
        error_code(oai(client, verb="ListIdentifiers", metadataPrefix="oai_dc")) == "noRecordsMatch"
    )
    assert (
        error_code(
            oai(
                client,
                verb="GetRecord",
                identifier=document.oai_identifier,
                metadataPrefix="oai_dc",
            )
        )
        == "idDoesNotExist"
    )
    # Move the embargo into the past (as time would): now it is harvested, datestamped at the lapse.
    past = timezone.localdate() - dt.timedelta(days=1)
    Document.objects.filter(pk=document.pk).update(
        embargo_until=past, oai_datestamp=timezone.now() - dt.timedelta(days=1)
    )
    root = oai(client, verb="ListRecords", metadataPrefix="oai_dc")
    assert root.findtext(".//dc:title", namespaces=NS) == "Hạn chế 30 ngày"


@pytest.mark.parametrize(
    ("params", "code"),
    [
        ({}, "badVerb"),
        ({"verb": "Dance"}, "badVerb"),
        ({"verb": ["Identify", "Identify"]}, "badVerb"),
        ({"verb": "Identify", "extra": "1"}, "badArgument"),
        ({"verb": "ListRecords"}, "badArgument"),
        ({"verb": "ListRecords", "metadataPrefix": ["oai_dc", "oai_dc"]}, "badArgument"),
        ({"verb": "ListRecords", "metadataPrefix": "oai_dc", "from": "2024-13-45"}, "badArgument"),
        ({"verb": "ListRecords", "metadataPrefix": "oai_dc", "from": "hôm qua"}, "badArgument"),
        (
            {
                "verb": "ListRecords",
                "metadataPrefix": "oai_dc",
                "from": "2024-01-01",
                "until": "2024-01-02T00:00:00Z",
            },
            "badArgument",
        ),
        (
            {
                "verb": "ListRecords",
                "metadataPrefix": "oai_dc",
                "from": "2024-02-01",
                "until": "2024-01-01",
            },
            "badArgument",
        ),
        ({"verb": "GetRecord", "identifier": "oai:x:document/1"}, "badArgument"),
        ({"verb": "ListRecords", "resumptionToken": "giả-mạo"}, "badResumptionToken"),
        (
            {"verb": "ListRecords", "resumptionToken": "abc", "metadataPrefix": "oai_dc"},
            "badArgument",
        ),
        ({"verb": "ListSets", "resumptionToken": "abc"}, "badResumptionToken"),
        ({"verb": "ListRecords", "metadataPrefix": "marc21"}, "cannotDisseminateFormat"),
        (
            {
                "verb": "GetRecord",
                "identifier": "oai:sti.cantho.gov.vn:document/999999",
                "metadataPrefix": "oai_dc",
            },
            "idDoesNotExist",
        ),
        (
            {"verb": "GetRecord", "identifier": "không-phải-định-danh", "metadataPrefix": "oai_dc"},
            "idDoesNotExist",
        ),
        (
            {"verb": "ListMetadataFormats", "identifier": "oai:sti.cantho.gov.vn:document/999999"},
            "idDoesNotExist",
        ),
        (
            {"verb": "ListRecords", "metadataPrefix": "oai_dc", "from": "2999-01-01"},
            "noRecordsMatch",
        ),
        (
            {"verb": "ListIdentifiers", "metadataPrefix": "oai_dc", "set": "collection:khong-co"},
            "noRecordsMatch",
        ),
    ],
)
def test_protocol_errors(client, make_document, params, code):
    document = make_document("Một bản ghi")
    Collection.objects.create(name="Bản tin", slug="ban-tin")
    root = oai(client, **params)
    assert error_code(root) == code
    request_element = root.find("o:request", NS)
    if code in ("badVerb", "badArgument"):
        assert request_element.attrib == {}
    assert document.pk


def test_no_set_hierarchy_and_cannot_disseminate_on_get_record(client, make_document):
    document = make_document("Không có tập")
    assert error_code(oai(client, verb="ListSets")) == "noSetHierarchy"
    assert (
        error_code(oai(client, verb="ListRecords", metadataPrefix="oai_dc", set="collection:x"))
        == "noSetHierarchy"
    )
    assert (
        error_code(
            oai(client, verb="GetRecord", identifier=document.oai_identifier, metadataPrefix="mods")
        )
        == "cannotDisseminateFormat"
    )


def test_resumption_token_for_another_verb_is_refused(client, settings):
    settings.STI_OAI_PAGE_SIZE = 2
    generate(5, seed=1, write_files=False)
    first = oai(client, verb="ListIdentifiers", metadataPrefix="oai_dc")
    token = first.findtext(".//o:resumptionToken", namespaces=NS)
    assert token
    assert (
        error_code(oai(client, verb="ListRecords", resumptionToken=token)) == "badResumptionToken"
    )
    assert (
        error_code(oai(client, verb="ListIdentifiers", resumptionToken=token[:-3] + "xyz"))
        == "badResumptionToken"
    )
    resumed = oai(client, verb="ListIdentifiers", resumptionToken=token)
    assert resumed.find(".//o:resumptionToken", NS).get("cursor") == "2"


@pytest.mark.parametrize(
    "params",
    [
        {"verb": "GetRecord", "identifier": "oai:x:\x00", "metadataPrefix": "oai_dc"},
        {"verb": "ListRecords", "metadataPrefix": "oai_dc", "set": "collection:\x01"},
        {"verb": "ListRecords", "resumptionToken": "abc\x1f"},
        {"verb": "ListRecords", "metadataPrefix": "oai\x00dc"},
        {"verb": "Identify", "bad\x00key": "1"},
        {"verb": "Identify\x00"},
    ],
)
def test_control_characters_are_a_bad_argument_not_a_crash(client, params):
    response = client.get("/oai", params)
    assert response.status_code == 200
    body = response.content.decode()
    assert 'code="badArgument"' in body or 'code="badVerb"' in body
