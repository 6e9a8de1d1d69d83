"""Reading one OAI-PMH record (Dublin Core, MARCXML, deleted, malformed) into the union
catalogue's fields, without a network."""

from __future__ import annotations

import pytest
from lxml import etree

from sti.harvest import client

OAI = "http://www.openarchives.org/OAI/2.0/"


def record(header: str, metadata: str = "") -> etree._Element:
    xml = f'<record xmlns="{OAI}"><header{header}</header>{metadata}</record>'
    return etree.fromstring(xml.encode())


DC = (
    '<metadata><oai_dc:dc xmlns:oai_dc="http://www.openarchives.org/OAI/2.0/oai_dc/" '
    'xmlns:dc="http://purl.org/dc/elements/1.1/">'
    "<dc:title>Giống lúa chịu mặn OM5451</dc:title>"
    "<dc:creator>Trần Văn Hậu</dc:creator><dc:creator>Lê Thị Mỹ Xuyên</dc:creator>"
    "<dc:date>2021-05-03</dc:date><dc:subject>lúa</dc:subject>"
    "<dc:identifier>https://kho.example.vn/1</dc:identifier>"
    "<dc:identifier>https://doi.org/10.5555/ABC.12</dc:identifier>"
    "<dc:identifier>ISBN 978-604-0-00000-0</dc:identifier>"
    "</oai_dc:dc></metadata>"
)
HEADER = "><identifier>oai:kho:1</identifier><datestamp>2025-01-01</datestamp>"


def test_dublin_core():
    parsed = client.parse(record(HEADER, DC), "oai_dc")
    values = parsed.values
    assert (parsed.identifier, parsed.datestamp, parsed.deleted) == (
        "oai:kho:1",
        "2025-01-01",
        False,
    )
    assert values["title"] == "Giống lúa chịu mặn OM5451" and values["year"] == 2021
    assert values["creators"] == ["Trần Văn Hậu", "Lê Thị Mỹ Xuyên"]
    assert values["url"] == "https://kho.example.vn/1"
    assert values["doi"] == "10.5555/abc.12" and values["isbn"] == "9786040000000"
    assert values["author_key"] == "hau tran van"


def test_marcxml():
    marc = (
        '<metadata><record xmlns="http://www.loc.gov/MARC21/slim"><leader>00000nam a2200000 a 4500</leader>'
        '<datafield tag="100" ind1="1" ind2=" "><subfield code="a">Nguyễn Văn An,</subfield></datafield>'
        '<datafield tag="245" ind1="1" ind2="0"><subfield code="a">Nuôi tôm càng xanh :</subfield>'
        '<subfield code="b">mô hình lúa – tôm /</subfield></datafield>'
        '<datafield tag="264" ind1=" " ind2="1"><subfield code="b">NXB Nông nghiệp,</subfield>'
        '<subfield code="c">2019.</subfield></datafield>'
        '<datafield tag="020" ind1=" " ind2=" "><subfield code="a">0-306-40615-2</subfield></datafield>'
        '<datafield tag="856" ind1="4" ind2="0"><subfield code="u">https://kho.example.vn/2</subfield></datafield>'
        "</record></metadata>"
    )
    values = client.parse(record(HEADER, marc), "marc21").values
    assert values["title"] == "Nuôi tôm càng xanh : mô hình lúa – tôm"
    assert values["creators"] == ["Nguyễn Văn An"] and values["year"] == 2019
    assert values["isbn"] == "9780306406157" and values["url"] == "https://kho.example.vn/2"
    assert values["publisher"] == "NXB Nông nghiệp"


def test_deleted_record_needs_no_metadata():
    parsed = client.parse(record(' status="deleted"' + HEADER), "oai_dc")
    assert parsed.deleted and parsed.identifier == "oai:kho:1"


@pytest.mark.parametrize(
    "header, metadata, message",
    [
        ("><datestamp>2025-01-01</datestamp>", DC, "định danh"),
        (HEADER, "", "metadata"),
        (HEADER, DC.replace("<dc:title>Giống lúa chịu mặn OM5451</dc:title>", ""), "nhan đề"),
    ],
)
def test_malformed_records_raise(header, metadata, message):
    with pytest.raises(client.MalformedRecord, match=message):
        client.parse(record(header, metadata), "oai_dc")


def test_harvestable_formats():
    offered = [{"prefix": "oai_dc"}, {"prefix": "marc21"}, {"prefix": "mods"}]
    assert client.harvestable_formats(offered) == ["oai_dc", "marc21"]
