"""A result shows authors, abstract and keywords as separate, labelled parts, not one run."""

import re

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


@pytest.fixture
def salinity_report(make_document, run_on_commit, search_index):
    with run_on_commit():
        return make_document(
            "Chọn tạo giống lúa chịu mặn",
            creators=("Trần Văn Hậu", "Lê Thị Mỹ Xuyên", "Võ Văn A", "Đỗ Thị B"),
            keywords="lúa thơm; chịu mặn, Sóc Trăng",
            abstract="Đề tài chọn được hai dòng lúa chịu mặn 4‰ cho vùng ven biển.",
            publisher="Viện Lúa Đồng bằng sông Cửu Long",
        )


def _article(html: str) -> str:
    return re.search(r'<article class="result-item.*?</article>', html, re.S).group(0)


@pytest.mark.parametrize("url", [reverse("library:index"), reverse("search:search")])
def test_result_parts_are_labelled_and_apart(client, salinity_report, url):
    article = _article(client.get(url, {"q": "chịu mặn"}).content.decode())
    authors = re.search(r'class="[^"]*hit-authors[^"]*">(.*?)</p>', article, re.S).group(1)
    assert "Tác giả:" in authors
    assert "Trần Văn Hậu; Lê Thị Mỹ Xuyên; Võ Văn A" in authors and "và 1 người khác" in authors
    assert "lúa thơm" not in authors  # keywords are not run into the authors line
    abstract = re.search(r'class="[^"]*hit-abstract[^"]*">(.*?)</p>', article, re.S).group(1)
    assert "Tóm tắt:" in abstract and "<mark>chịu</mark> <mark>mặn</mark> 4‰" in abstract
    assert "Trần Văn Hậu" not in abstract
    chips = re.findall(r'<span class="badge rounded-pill[^"]*">([^<]+)</span>', article)
    assert chips == ["lúa thơm", "chịu mặn", "Sóc Trăng"]


def test_a_document_the_reader_may_not_see_gets_no_details(editor, salinity_report):
    """`describe_hits` reads through `visible_to`: a hit of a hidden record stays bare."""
    from sti.library.models import Document
    from sti.library.search import describe_hits
    from sti.search.base import SearchHit

    Document.objects.filter(pk=salinity_report.pk).update(access="staff")
    hit = SearchHit("document", str(salinity_report.pk), "t", "/", "", 1.0, None, [], "t", "")
    describe_hits([hit], None, set())
    assert hit.details == {}
    describe_hits([hit], editor, set())
    assert hit.details["authors"][0] == "Trần Văn Hậu"


def test_a_match_deep_in_the_full_text_is_shown_highlighted(client, salinity_report, run_on_commit):
    """The index stores only the opening of a full text: a match far into it is read from the
    database for the page's hits, and shown under the abstract, which does not hold it."""
    from sti.library.models import DocumentFile

    text = "Chương 1. " + "Nội dung về giống lúa và đất phèn. " * 300
    text += "Thử nghiệm tại huyện Cù Lao Dung cho năng suất cao. " + "Phụ lục. " * 100
    with run_on_commit():
        DocumentFile.objects.create(
            document=salinity_report,
            original_name="toan-van.txt",
            sha256="0" * 64,
            size=len(text),
            mime_type="text/plain",
            text=text,
            char_count=len(text),
            quality="ok",  # text that passed the quality check (a held one is not shown)
        )
    for query in ("Cù Lao Dung", "cu lao dung"):
        for url in (reverse("library:index"), reverse("search:search")):
            article = _article(client.get(url, {"q": query}).content.decode())
            match = re.search(r'class="[^"]*hit-match[^"]*">(.*?)</p>', article, re.S).group(1)
            assert "Đoạn khớp:" in match
            assert "<mark>Cù</mark> <mark>Lao</mark> <mark>Dung</mark> cho năng suất" in match
    article = _article(client.get(reverse("library:index"), {"q": "chịu mặn"}).content.decode())
    assert "hit-match" not in article  # the abstract shows the match: no second snippet


def test_document_texts_are_the_indexed_bodies(salinity_report, make_document):
    """Snippets read the same text the index holds (`document_texts` beside
    `document_to_search`), and the URL built without `reverse` is the document's."""
    from sti.library.search import document_texts, document_to_search

    other = make_document("Tôm càng xanh", abstract="Nuôi tôm luân canh.", keywords="tôm")
    texts = document_texts([str(salinity_report.pk), str(other.pk), "999999"])
    for document in (salinity_report, other):
        built = document_to_search(document)
        assert texts[str(document.pk)] == built.body
        assert built.url == document.get_absolute_url()
    assert set(texts) == {str(salinity_report.pk), str(other.pk)}
