"""sti.core.files on both storages (local files, and a local S3 server through
django-storages), and ranged downloads of stored files (a FieldFile's storage name)."""

from __future__ import annotations

import io

import pytest
from django.core.files.storage import default_storage
from django.test import RequestFactory

from sti.core import files
from sti.core.downloads import ranged_file_response

DATA = bytes(range(256)) * 20  # 5 120 bytes, every byte value


def test_put_is_once_per_name_and_walk_lists_what_is_stored(each_storage, tmp_path):
    source = tmp_path / "nguon.pdf"
    source.write_bytes(DATA)
    assert files.put("ab/cd/abcd", source) is True
    assert files.put("ab/cd/abcd", b"other bytes") is False  # a content address: kept
    assert files.put("tin/Cần Thơ.txt", "Cần Thơ".encode()) is True
    assert source.exists()
    listed = files.walk()
    assert [(item.name, item.size) for item in listed] == [
        ("ab/cd/abcd", len(DATA)),
        ("tin/Cần Thơ.txt", len("Cần Thơ".encode())),
    ]
    # `move`: the scratch file is consumed.
    scratch = tmp_path / "scratch"
    scratch.write_bytes(b"x")
    assert files.put("ef/gh/efgh", scratch, move=True) is True and not scratch.exists()
    files.delete("ef/gh/efgh")
    files.delete("ef/gh/efgh")  # missing: no error
    assert not files.exists("ef/gh/efgh")


def test_local_copy_and_ranged_chunks(each_storage):
    files.put("ab/cd/abcd.pdf", DATA)
    stored = files.Stored("ab/cd/abcd.pdf")
    assert stored.size == len(DATA)
    assert b"".join(stored.chunks(1000, 300)) == DATA[1000:1300]
    assert b"".join(stored.chunks(5000)) == DATA[5000:]
    assert b"".join(stored.chunks(0, 0)) == b""
    with files.local_copy(stored) as path:
        assert path.read_bytes() == DATA and path.name == "abcd.pdf"
    # On S3 the copy was a temporary download, gone after the block; locally it is the file.
    assert path.exists() == (each_storage is default_storage)
    with pytest.raises(FileNotFoundError), files.local_copy("ab/cd/none.pdf"):
        pass


def test_write_replaces(each_storage):
    files.put("tin/a.txt", b"old")
    files.write("tin/a.txt", io.BytesIO(b"new bytes"), mtime=1_700_000_000)
    assert b"".join(files.Stored("tin/a.txt").chunks()) == b"new bytes"
    assert [item.name for item in files.walk()] == ["tin/a.txt"]


def test_ranged_response_of_a_stored_file(each_storage):
    files.put("video/ban-tin.mp4", DATA)
    stored = files.Stored("video/ban-tin.mp4")

    def get(method="get", **headers):
        request = getattr(RequestFactory(), method)("/", **headers)
        return ranged_file_response(request, stored, "video/mp4", filename="Bản tin.mp4")

    whole = get()
    assert whole.status_code == 200 and b"".join(whole.streaming_content) == DATA
    part = get(HTTP_RANGE="bytes=100-199")
    assert part.status_code == 206 and part["Content-Range"] == f"bytes 100-199/{len(DATA)}"
    assert b"".join(part.streaming_content) == DATA[100:200]
    tail = get(HTTP_RANGE="bytes=-16")
    assert b"".join(tail.streaming_content) == DATA[-16:]
    head = get("head", HTTP_RANGE="bytes=0-9")
    assert head.status_code == 206 and head["Content-Length"] == "10" and not head.content
    assert get(HTTP_IF_NONE_MATCH=whole["ETag"]).status_code == 304
    assert get(HTTP_RANGE="bytes=99999-").status_code == 416
    # If-Range with another ETag: the whole file, not the range.
    assert get(HTTP_RANGE="bytes=0-9", HTTP_IF_RANGE='"old"').status_code == 200

    from django.http import Http404

    with pytest.raises(Http404):
        ranged_file_response(
            RequestFactory().get("/"), files.Stored("none.mp4"), "video/mp4", filename="x"
        )


def test_s3_settings_are_read_from_the_environment(monkeypatch):
    """STI_STORAGE=s3 and its variables give django-storages' S3 backend; anything but
    local or s3 is refused at start."""
    import importlib

    import sti.settings

    monkeypatch.setenv("STI_STORAGE", "s3")
    monkeypatch.setenv("STI_S3_ENDPOINT_URL", "http://127.0.0.1:9000")
    monkeypatch.setenv("STI_S3_BUCKET", "sti-can-tho")
    monkeypatch.setenv("STI_S3_ACCESS_KEY", "khoa")
    monkeypatch.setenv("STI_S3_SECRET_KEY", "bi-mat")
    try:
        reloaded = importlib.reload(sti.settings)
        default = reloaded.STORAGES["default"]
        assert default["BACKEND"] == "storages.backends.s3.S3Storage"
        assert default["OPTIONS"]["bucket_name"] == "sti-can-tho"
        assert default["OPTIONS"]["endpoint_url"] == "http://127.0.0.1:9000"
        assert default["OPTIONS"]["default_acl"] is None
        monkeypatch.setenv("STI_STORAGE", "nfs")
        with pytest.raises(ValueError, match="STI_STORAGE"):
            importlib.reload(sti.settings)
    finally:
        monkeypatch.delenv("STI_STORAGE")
        importlib.reload(sti.settings)


def _fetch(url: str, **headers) -> tuple:
    """A plain HTTP GET (what the browser does with the redirect), no Django involved."""
    from urllib.request import Request, urlopen

    with urlopen(Request(url, headers=headers), timeout=10) as answer:
        return answer.status, answer.headers, answer.read()


def test_public_files_on_s3_may_be_redirected_to_a_presigned_url(each_storage, settings):
    files.put("video/ban-tin.mp4", DATA)
    stored = files.Stored("video/ban-tin.mp4")
    asked = []

    def get(method="get", public=True, **headers):
        def is_public():
            asked.append(method)
            return public

        request = getattr(RequestFactory(), method)("/", **headers)
        return ranged_file_response(
            request, stored, "video/mp4", filename="Bản tin.mp4", public=is_public
        )

    assert get().status_code == 200 and asked == []  # off by default: streamed, not asked
    settings.STI_S3_PRESIGNED_DOWNLOADS = True
    settings.STI_S3_PRESIGNED_SECONDS = 45
    if each_storage is default_storage:  # local files: nothing to presign
        assert get().status_code == 200 and asked == []
        return
    redirect = get()
    assert redirect.status_code == 302 and redirect["Cache-Control"] == "private, no-store"
    url = redirect["Location"]
    assert url.startswith(each_storage.endpoint_url) and "X-Amz-Expires=45" in url
    status, headers, body = _fetch(url)
    assert status == 200 and body == DATA and headers["Content-Type"] == "video/mp4"
    assert "B%E1%BA%A3n%20tin.mp4" in headers["Content-Disposition"]
    status, headers, body = _fetch(url, Range="bytes=100-199")
    assert status == 206 and body == DATA[100:200]
    # Not public, or a HEAD (a presigned URL is for GET): streamed through Django as before.
    assert get(public=False).status_code == 200
    assert get("head").status_code == 200 and asked == ["get", "get"]
