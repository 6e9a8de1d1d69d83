"""Query-count pins: every list and item page of the library asks the database the same
number of times with 2 rows and with 20 (no N+1 loop), and no more than its pin."""

from __future__ import annotations

import datetime as dt

import pytest

from sti.core.testing import assert_flat_queries
from sti.library import services
from sti.library.models import Collection, DocumentFile, UsageMonth
from sti.library.tests.conftest import docx_bytes, upload

pytestmark = pytest.mark.django_db


@pytest.fixture
def collection(db):
    return Collection.objects.create(name="Kết quả nghiên cứu Đồng Tháp", slug="ket-qua")


@pytest.fixture
def add_documents(make_document, run_on_commit, collection, field_codes):
    """`add_documents(n)`: n published documents (two authors, a field, the collection),
    indexed; returns their titles."""
    made = []

    def add(count):
        titles = []
        with run_on_commit():
            for _ in range(count):
                n = len(made) + 1
                document = make_document(
                    f"Báo cáo đường Cờ Đỏ số {n:02d}",
                    creators=(f"Nguyễn Văn Đức {n:02d}", "Trần Thị Hương"),
                    collections=[collection],
                    fields=field_codes[n % 3 : n % 3 + 1],
                    abstract="Khảo sát tuyến đường nông thôn huyện Cờ Đỏ.",
                    year=1900 + n,
                )
                made.append(document)
                titles.append(document.title)
        return titles

    add.made = made
    return add


@pytest.fixture
def field_codes(db):
    from sti.core.models import FieldOfScience

    return list(FieldOfScience.objects.current().filter(code__in=["401", "405", "502"]))


# +2: the hits' authors, abstract and keywords as separate parts (`describe_hits`); +3: the
# hits' full texts for their snippets (the index stores none: `document_texts`).
@pytest.mark.parametrize(("persona", "pin"), [(None, 7), ("editor", 9)])
def test_search_page(request, client_for, add_documents, persona, pin):
    user = request.getfixturevalue(persona) if persona else None
    assert_flat_queries(client_for(user), "/thu-vien/", add_documents, at_most=pin)
    assert_flat_queries(
        client_for(user), "/thu-vien/", lambda n: None, params={"q": "đường cờ đỏ"}, at_most=pin
    )


def test_collection_list(client, add_documents, collection):
    def add(count):
        add_documents(1)
        start = Collection.objects.count()
        return [
            Collection.objects.create(
                name=f"Bộ sưu tập Cần Thơ {start + i:02d}",
                slug=f"bst-{start + i}",
                parent=collection,
            ).name
            for i in range(count)
        ]

    assert_flat_queries(client, "/thu-vien/bo-suu-tap/", add, at_most=3)


def test_collection_detail(client, add_documents, collection):
    # +2 for the hits' separate parts, as on the search page.
    assert_flat_queries(client, collection.get_absolute_url(), add_documents, at_most=6)


def test_author_list_and_author_page(client, add_documents):
    def add(count):
        add_documents(count)
        return [creator for d in add_documents.made[-count:] for creator in d.creator_names()[:1]]

    assert_flat_queries(client, "/thu-vien/duyet/tac-gia/", add, at_most=2)
    assert_flat_queries(
        client,
        "/thu-vien/duyet/tac-gia/",
        lambda n: add_documents(n),
        params={"ten": "Trần Thị Hương"},
        at_most=3,
    )


@pytest.mark.parametrize("facet", ["field", "year", "source_type", "language"])
def test_browse_facet(client, add_documents, facet):
    def add(count):  # the page shows facet values, not titles
        add_documents(count)

    assert_flat_queries(client, f"/thu-vien/duyet/{facet}/", add, at_most=2)


# +4: its tasks, its authors' profiles, its organizations and the partners that also hold it
# (`related_sections`).
@pytest.mark.parametrize(("persona", "pin"), [(None, 15), ("editor", 18)])
def test_document_page(request, client_for, make_document, editor, persona, pin):
    """Rows: authors, files (each with its ingest job), monthly usage, audit history."""
    user = request.getfixturevalue(persona) if persona else None
    document = make_document("Báo cáo tổng kết đề tài lúa chịu mặn")

    def add(count):
        start = document.files.count()
        names = []
        for i in range(start, start + count):
            services.update_document(
                editor, document, {"title": document.title}, creators=[f"Tác giả {i:02d}"]
            )
            file = services.add_file(editor, document, upload(f"tep-{i:02d}.docx", docx_bytes("x")))
            UsageMonth.objects.create(
                document=document, month=dt.date(2020 + i // 12, i % 12 + 1, 1), views=i
            )
            names.append(file.original_name)
        return names

    assert_flat_queries(client_for(user), document.get_absolute_url(), add, at_most=pin)


def test_my_deposits(client_for, registered):
    def add(count):
        return [
            services.deposit(
                registered, {"title": f"Báo cáo nộp số {i}", "source_type": "report"}
            ).title
            for i in range(count)
        ]

    assert_flat_queries(client_for(registered), "/thu-vien/tai-lieu-cua-toi/", add, at_most=3)


def test_review_queue(client_for, editor, registered):
    def add(count):
        return [
            services.deposit(
                registered, {"title": f"Chờ duyệt số {i}", "source_type": "report"}
            ).title
            for i in range(count)
        ]

    assert_flat_queries(client_for(editor), "/thu-vien/bien-tap/cho-duyet/", add, at_most=4)


def test_flagged_files(client_for, editor, make_document):
    document = make_document("Bản quét mờ")

    def add(count):
        names = []
        for i in range(count):
            file = services.add_file(editor, document, upload(f"quet-{i}.docx", docx_bytes("x")))
            DocumentFile.objects.filter(pk=file.pk).update(quality="low_confidence")
            names.append(file.original_name)
        return names

    assert_flat_queries(client_for(editor), "/thu-vien/bien-tap/tep-can-kiem-tra/", add, at_most=4)


def test_usage_report(client_for, editor, make_document):
    def add(count):
        titles = []
        for i in range(count):
            document = make_document(f"Được xem nhiều số {i}")
            UsageMonth.objects.create(
                document=document, month=dt.date(2024, i % 12 + 1, 1), views=5
            )
            titles.append(document.title)
        return titles

    assert_flat_queries(client_for(editor), "/thu-vien/bien-tap/thong-ke/", add, at_most=4)


def test_file_status_partial(client_for, editor, make_document):
    """One file's progress: no rows, but a pin all the same."""
    document = make_document("Đang chờ xử lý")
    file = services.add_file(editor, document, upload("a.docx", docx_bytes("x")))
    assert_flat_queries(
        client_for(editor), f"/thu-vien/tep/{file.pk}/trang-thai/", lambda n: None, at_most=5
    )


# ---------------------------------------------------------------------------
# Machine-readable lists: OAI-PMH, the sitemap and the API
# ---------------------------------------------------------------------------
@pytest.mark.parametrize(("verb", "pin"), [("ListRecords", 7), ("ListIdentifiers", 5)])
def test_oai_lists(client, add_documents, verb, pin):
    def add(count):
        add_documents(count)
        return [f"document/{d.pk}" for d in add_documents.made[-count:]]

    params = {"verb": verb, "metadataPrefix": "oai_dc"}
    assert_flat_queries(client, "/oai", add, params=params, at_most=pin)


def test_sitemap(client, add_documents):
    def add(count):
        add_documents(count)
        return [d.get_absolute_url() for d in add_documents.made[-count:]]

    assert_flat_queries(client, "/sitemap.xml", add, at_most=4)


def test_api_document_list(client, add_documents):
    def add(count):
        add_documents(count)

    assert_flat_queries(client, "/api/library/documents", add, at_most=2)
