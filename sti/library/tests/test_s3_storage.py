"""The library on S3-compatible storage (a local moto server, `s3_storage` fixture): a deposit
stores its file in the bucket under its content address, the extraction job reads it from
there (no local path), downloads answer ranges from the bucket, access stays checked in the
view, and the same bytes get the same name on local and S3 storage."""

from __future__ import annotations

import hashlib

import pytest
from django.core.files.storage import default_storage

from sti.core import files
from sti.library import storage
from sti.library.choices import TextMethod
from sti.library.models import Document, DocumentFile
from sti.library.tests.conftest import VIETNAMESE_PAGE, image_pdf, render_page, text_pdf, upload

pytestmark = pytest.mark.django_db

PDF = text_pdf("Đánh giá xâm nhập mặn trên sông Hậu năm 2024, đường bờ bao Cần Thơ")


def _deposit(client, content=PDF, name="bao-cao-do-man.pdf"):
    return client.post(
        "/thu-vien/nop-tai-lieu/",
        {
            "title": "Báo cáo nộp: Độ mặn sông Hậu",
            "source_type": "report",
            "year": "2024",
            "language": "vie",
            "access": "public",
            "creators_text": "Lê Văn Đăng Ký",
            "file": upload(name, content),
        },
    )


def test_a_deposit_is_stored_in_the_bucket_and_extracted_from_there(
    s3_storage, registered, client_for, run_on_commit, media_root
):
    with run_on_commit():
        response = _deposit(client_for(registered))
    assert response.status_code == 302
    file = DocumentFile.objects.get(document__title__startswith="Báo cáo nộp")
    sha = hashlib.sha256(PDF).hexdigest()
    assert file.sha256 == sha
    # In the bucket under its content address, and nowhere on the local disk but scratch.
    assert [(listed.name, listed.size) for listed in files.walk()] == [
        (storage.blob_name(sha), len(PDF))
    ]
    assert default_storage.open(storage.blob_name(sha)).read() == PDF
    assert not [p for p in media_root.rglob("*") if p.is_file()]
    # The extraction job read the PDF from the bucket.
    assert file.text_method in (TextMethod.PDF_TEXT, TextMethod.PDFTOTEXT)
    assert "sông Hậu" in file.text and file.latest_job().state == "done"


def test_ranged_download_from_the_bucket_and_access_refused(
    s3_storage, registered, member_a, editor, client_for, client, run_on_commit
):
    with run_on_commit():
        _deposit(client_for(registered))
    file = DocumentFile.objects.get(document__title__startswith="Báo cáo nộp")
    url = f"/thu-vien/tep/{file.pk}/"

    ranged = client_for(registered).get(url, HTTP_RANGE="bytes=5-104")
    assert ranged.status_code == 206
    assert b"".join(ranged.streaming_content) == PDF[5:105]
    assert ranged["Content-Range"] == f"bytes 5-104/{len(PDF)}"
    whole = client_for(editor).get(url)
    assert whole.status_code == 200 and b"".join(whole.streaming_content) == PDF
    head = client_for(editor).head(url, HTTP_RANGE="bytes=-10")
    assert head.status_code == 206 and head["Content-Length"] == "10"
    assert head.content == b""
    assert client_for(editor).get(url, HTTP_IF_NONE_MATCH=whole["ETag"]).status_code == 304
    past = client_for(editor).get(url, HTTP_RANGE=f"bytes={len(PDF)}-")
    assert past.status_code == 416

    # The deposit awaits review: a plain member of an organization and anonymous visitors
    # are refused before anything is read from the bucket.
    assert client_for(member_a).get(url, HTTP_RANGE="bytes=0-9").status_code == 404
    assert client.get(url).status_code == 404
    assert client.head(url).status_code == 404


def test_the_same_bytes_have_the_same_name_on_both_storages(
    registered, editor, make_document, settings, s3_server, run_on_commit
):
    from sti.library import services

    names = {}
    for where in ("local", "s3"):
        if where == "s3":
            bucket = s3_server.create_bucket(f"sti-test-hash-{id(names)}")
            settings.STORAGES = {**settings.STORAGES, "default": s3_server.storage_entry(bucket)}
        document = make_document(f"Báo cáo {where}")
        with run_on_commit():
            file = services.add_file(editor, document, upload("ban-sao.pdf", PDF))
        names[where] = (file.sha256, files.walk()[0].name)
        assert b"".join(storage.blob(file.sha256).chunks()) == PDF
    assert names["local"] == names["s3"]
    assert names["s3"][1] == storage.blob_name(hashlib.sha256(PDF).hexdigest())
    assert Document.objects.count() == 2


def test_a_scan_is_ocrd_by_a_worker_reading_from_the_bucket(
    s3_storage, editor, make_document, run_on_commit, ocr_ready
):
    from sti.library import services

    document = make_document("Bản quét Cần Thơ", digitization="scanned")
    scan = image_pdf(render_page(VIETNAMESE_PAGE[:200], dpi=150), 150)
    with run_on_commit():
        file = services.add_file(editor, document, upload("ban-quet.pdf", scan))
    file.refresh_from_db()
    assert file.text_method == TextMethod.OCR and "Sóc Trăng" in file.text
    # The searchable PDF OCR made is stored in the bucket beside the scan.
    assert {listed.name for listed in files.walk()} == {
        storage.blob_name(file.sha256),
        storage.blob_name(file.ocr_sha256),
    }


def test_public_files_redirect_to_the_bucket_others_stream_after_the_check(
    s3_storage, settings, editor, registered, make_document, client_for, client, run_on_commit
):
    """STI_S3_PRESIGNED_DOWNLOADS: a file anyone may read is a redirect to a presigned URL;
    a file for registered users only is streamed to them and refused to anonymous visitors."""
    from urllib.request import urlopen

    from sti.library import services

    settings.STI_S3_PRESIGNED_DOWNLOADS = True
    with run_on_commit():
        public = services.add_file(
            editor, make_document("Công khai", access="public"), upload("a.pdf", PDF)
        )
        members = services.add_file(
            editor, make_document("Thành viên", access="registered"), upload("b.pdf", PDF)
        )
    redirect = client.get(f"/thu-vien/tep/{public.pk}/")
    assert redirect.status_code == 302
    assert redirect["Location"].startswith(s3_storage.endpoint_url)
    with urlopen(redirect["Location"], timeout=10) as answer:
        assert answer.read() == PDF and answer.headers["Content-Type"] == "application/pdf"
    url = f"/thu-vien/tep/{members.pk}/"
    streamed = client_for(registered).get(url)
    assert streamed.status_code == 200 and b"".join(streamed.streaming_content) == PDF
    assert client.get(url).status_code == 404
