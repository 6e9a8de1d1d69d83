"""Access levels everywhere: search results and facet counts, item pages, OAI-PMH, sitemap,
file downloads, API; for an anonymous visitor, a registered user and an editor."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.utils import timezone

from sti.library import services
from sti.library.choices import AccessLevel
from sti.library.models import Collection, Document
from sti.library.tests.conftest import docx_bytes, upload

pytestmark = pytest.mark.django_db


@pytest.fixture
def catalogue(make_document, editor, run_on_commit):
    """One document per access level, all mentioning "đường Cờ Đỏ", each with a DOCX file."""
    collection = Collection.objects.create(name="Kết quả nghiên cứu", slug="ket-qua")
    later = timezone.localdate() + dt.timedelta(days=60)
    docs = {}
    with run_on_commit():
        for key, access, embargo in (
            ("public", AccessLevel.PUBLIC, None),
            ("registered", AccessLevel.REGISTERED, None),
            ("staff", AccessLevel.STAFF, None),
            ("embargoed", AccessLevel.EMBARGOED, later),
        ):
            document = make_document(
                f"Báo cáo đường Cờ Đỏ {key}",
                access=access,
                embargo_until=embargo,
                collections=[collection],
                abstract="Khảo sát tuyến đường nông thôn huyện Cờ Đỏ.",
            )
            services.add_file(
                editor,
                document,
                upload(f"{key}.docx", docx_bytes(f"Toàn văn bí mật {key} đường Cờ Đỏ")),
            )
            docs[key] = document
    return docs


def _result_ids(html: str) -> set[int]:
    return {int(pk) for pk in re.findall(r'href="/thu-vien/tai-lieu/(\d+)/"', html)}


def _facet_counts(html: str, facet: str) -> dict[str, int]:
    block = re.search(rf'data-facet="{facet}">(.*?)</ul>', html, re.S)
    if not block:
        return {}
    pairs = re.findall(
        r"<span>(?:✓ )?([^<]+)</span><span class=\"badge text-bg-light\">(\d+)</span>",
        block.group(1),
    )
    return {label.strip(): int(count) for label, count in pairs}


@pytest.mark.parametrize(
    ("persona", "visible"),
    [
        (None, {"public"}),
        ("registered", {"public", "registered"}),
        ("editor", {"public", "registered", "staff", "embargoed"}),
    ],
)
def test_search_results_and_facet_counts_follow_access(
    catalogue, client_for, request, persona, visible
):
    user = request.getfixturevalue(persona) if persona else None
    client = client_for(user)
    for q in ("đường cờ đỏ", "duong co do", "bí mật"):
        html = client.get("/thu-vien/", {"q": q}).content.decode()
        assert _result_ids(html) == {catalogue[key].pk for key in visible}, q
        assert f'data-total="{len(visible)}"' in html
        counts = _facet_counts(html, "access")
        assert sum(counts.values()) == len(visible)
        assert _facet_counts(html, "collection") == {"Kết quả nghiên cứu": len(visible)}
    # The collection page and API count the same way.
    api = client.get("/api/library/documents", {"q": "Cờ Đỏ"}).json()
    assert api["total"] == len(visible)
    assert {f["value"] for f in api["facets"]["access"]} == {str(AccessLevel(k)) for k in visible}


@pytest.mark.parametrize(
    ("persona", "allowed"),
    [
        (None, {"public"}),
        ("registered", {"public", "registered"}),
        ("editor", {"public", "registered", "staff", "embargoed"}),
    ],
)
def test_item_page_and_download_follow_access(catalogue, client_for, request, persona, allowed):
    user = request.getfixturevalue(persona) if persona else None
    client = client_for(user)
    for key, document in catalogue.items():
        page = client.get(document.get_absolute_url())
        file = document.files.get()
        download = client.get(f"/thu-vien/tep/{file.pk}/")
        api = client.get(f"/api/library/documents/{document.pk}")
        if key in allowed:
            assert (
                page.status_code == 200 and download.status_code == 200 and api.status_code == 200
            ), key
            assert download["Content-Type"] == file.mime_type
            assert f"{key}.docx" in download["Content-Disposition"]
            assert b"".join(download.streaming_content).startswith(b"PK")
        else:
            assert (
                page.status_code == 404 and download.status_code == 404 and api.status_code == 404
            ), key


def test_oai_and_sitemap_show_only_public(catalogue, client):
    oai = client.get("/oai", {"verb": "ListRecords", "metadataPrefix": "oai_dc"}).content.decode()
    sitemap = client.get("/sitemap.xml").content.decode()
    assert "Báo cáo đường Cờ Đỏ public" in oai
    assert f"/thu-vien/tai-lieu/{catalogue['public'].pk}/" in sitemap
    for key in ("registered", "staff", "embargoed"):
        assert f"Báo cáo đường Cờ Đỏ {key}" not in oai
        assert f"document/{catalogue[key].pk}<" not in oai
        assert f"/thu-vien/tai-lieu/{catalogue[key].pk}/" not in sitemap


def test_embargo_lapse_opens_the_document(catalogue, client):
    document = catalogue["embargoed"]
    Document.objects.filter(pk=document.pk).update(
        embargo_until=timezone.localdate() - dt.timedelta(days=1)
    )
    assert client.get(document.get_absolute_url()).status_code == 200
    assert client.get(f"/thu-vien/tep/{document.files.get().pk}/").status_code == 200


def test_browse_pages_count_only_visible(catalogue, client_for, editor):
    anonymous = client_for(None)
    html = anonymous.get("/thu-vien/bo-suu-tap/").content.decode()
    assert re.search(r"Kết quả nghiên cứu</a>\s*<span class=\"badge text-bg-light\">1</span>", html)
    html = client_for(editor).get("/thu-vien/bo-suu-tap/").content.decode()
    assert re.search(r"Kết quả nghiên cứu</a>\s*<span class=\"badge text-bg-light\">4</span>", html)
    authors = anonymous.get("/thu-vien/duyet/tac-gia/").content.decode()
    assert "Nguyễn Văn A" in authors and 'badge text-bg-light">1<' in authors
    by_author = anonymous.get("/thu-vien/duyet/tac-gia/", {"ten": "Nguyễn Văn A"}).content.decode()
    assert _result_ids(by_author) == {catalogue["public"].pk}
    years = anonymous.get("/thu-vien/duyet/year/").content.decode()
    assert '2024</a> <span class="badge text-bg-light">1<' in years
    exported = anonymous.get("/thu-vien/xuat/csv/", {"q": "Cờ Đỏ"}).content.decode("utf-8")
    assert "Báo cáo đường Cờ Đỏ public" in exported and "staff" not in exported


def test_sorting_and_similar_documents(make_document, client, run_on_commit):
    with run_on_commit():
        a = make_document(
            "An toàn thực phẩm bánh pía Sóc Trăng", year=2019, abstract="bánh pía ít đường bao gói"
        )
        b = make_document(
            "Bánh pía ít đường kéo dài hạn sử dụng", year=2023, abstract="bánh pía bao gói ít đường"
        )
        make_document("Cống thủy lợi quan trắc độ mặn", year=2021, abstract="IoT độ mặn cống")
    html = client.get("/thu-vien/", {"sort": "title"}).content.decode()
    titles = re.findall(r'<h2 class="h5 mb-1"><a href="[^"]+">([^<]+)</a>', html)
    assert titles == sorted(titles, key=lambda t: t.lower().replace("ố", "o").replace("á", "a"))
    html = client.get("/thu-vien/", {"sort": "newest"}).content.decode()
    assert html.index(b.title) < html.index(a.title)
    detail = client.get(a.get_absolute_url()).content.decode()
    similar = detail.split("Tài liệu tương tự")[1]
    # The closest record comes first (the third one shares only its author).
    assert (
        similar.index(b.title) < similar.index("Cống thủy lợi")
        if "Cống thủy lợi" in similar
        else b.title in similar
    )


def test_behind_nginx_a_download_is_handed_over_only_after_the_access_check(
    catalogue, client, settings, media_root
):
    """STI_X_ACCEL_PREFIX: an allowed download is an empty answer naming the stored blob for
    nginx's internal location; a refused one is still a 404 that names nothing."""
    settings.STI_X_ACCEL_PREFIX = "/_files/"
    public = catalogue["public"].files.get()
    allowed = client.get(f"/thu-vien/tep/{public.pk}/")
    blob = f"{public.sha256[:2]}/{public.sha256[2:4]}/{public.sha256}"
    assert allowed.status_code == 200 and allowed["X-Accel-Redirect"] == f"/_files/{blob}"
    assert allowed.content == b"" and allowed["Content-Type"] == public.mime_type
    assert "public.docx" in allowed["Content-Disposition"]
    staff = catalogue["staff"].files.get()
    refused = client.get(f"/thu-vien/tep/{staff.pk}/")
    assert refused.status_code == 404 and "X-Accel-Redirect" not in refused
