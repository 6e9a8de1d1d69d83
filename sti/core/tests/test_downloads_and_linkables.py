"""Ranged downloads (core.downloads) and the registry of linkable models."""

from __future__ import annotations

import pytest
from django.test import RequestFactory

from sti.core import registries
from sti.core.downloads import parse_range, ranged_file_response


@pytest.mark.parametrize(
    "header,expected",
    [
        ("bytes=0-9", (0, 9)),
        ("bytes=90-", (90, 99)),
        ("bytes=-10", (90, 99)),
        ("bytes=-1000", (0, 99)),
        ("bytes=50-5000", (50, 99)),
        ("bytes=100-", False),
        ("bytes=-0", False),
        ("bytes=9-1", None),
        ("bytes=0-1,5-6", None),
        ("lines=0-1", None),
        ("", None),
    ],
)
def test_parse_range(header, expected):
    assert parse_range(header, 100) == expected


def test_a_missing_file_is_404(tmp_path):
    from django.http import Http404

    with pytest.raises(Http404):
        ranged_file_response(
            RequestFactory().get("/"), tmp_path / "none.mp4", "video/mp4", filename="x.mp4"
        )


def test_inline_and_attachment(tmp_path):
    path = tmp_path / "tep.pdf"
    path.write_bytes(b"%PDF-1.4 test")
    inline = ranged_file_response(
        RequestFactory().get("/"), path, "application/pdf", filename="Bản tin.pdf"
    )
    assert inline["Content-Disposition"].startswith("inline;")
    attached = ranged_file_response(
        RequestFactory().get("/"), path, "application/pdf", filename="a.pdf", as_attachment=True
    )
    assert attached["Content-Disposition"].startswith("attachment;")


def test_only_models_with_an_access_rule_are_linkable():
    with pytest.raises(ValueError, match="no access rule"):
        registries.register_linkable("field", "core.FieldOfScience", "x")
    assert registries.linkable("field") is None
    assert (
        registries.linkable_for_model(registries.linkable("document").model_class).key == "document"
    )


def test_x_accel_redirect_names_files_under_media_root_only(tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path / "files"
    inside = settings.MEDIA_ROOT / "ab" / "cd" / "Bản tin 1.mp4"
    inside.parent.mkdir(parents=True)
    inside.write_bytes(b"0123456789")
    outside = tmp_path / "khac.mp4"
    outside.write_bytes(b"0123456789")
    request = RequestFactory().get("/", HTTP_RANGE="bytes=2-5")

    settings.STI_X_ACCEL_PREFIX = ""
    assert ranged_file_response(request, inside, "video/mp4", filename="a.mp4").status_code == 206

    settings.STI_X_ACCEL_PREFIX = "/_files/"
    handed = ranged_file_response(request, inside, "video/mp4", filename="Bản tin.mp4")
    assert handed.status_code == 200 and handed.content == b""  # nginx answers the range
    assert handed["X-Accel-Redirect"] == "/_files/ab/cd/B%E1%BA%A3n%20tin%201.mp4"
    assert handed["Content-Type"] == "video/mp4"
    assert handed["Content-Disposition"].startswith("inline;")
    assert handed["X-Content-Type-Options"] == "nosniff"
    served = ranged_file_response(request, outside, "video/mp4", filename="k.mp4")
    assert served.status_code == 206 and "X-Accel-Redirect" not in served
    escaping = settings.MEDIA_ROOT / ".." / "khac.mp4"
    assert "X-Accel-Redirect" not in ranged_file_response(
        request, escaping, "video/mp4", filename="k.mp4"
    )
