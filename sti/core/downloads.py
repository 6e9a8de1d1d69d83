"""Serve a stored file with HTTP range requests (RFC 9110 §14): video players seek with them.

`ranged_file_response(request, path, content_type, filename=…)` answers

- 200 with the whole file and `Accept-Ranges: bytes` when no (usable) `Range` is asked;
- 206 with `Content-Range: bytes a-b/size` for one range (`bytes=a-b`, `bytes=a-`,
  `bytes=-n`), reading only that slice from disk;
- 416 with `Content-Range: bytes */size` for a range past the end;
- 304 when `If-None-Match` names the current ETag;
- the same headers and no body to HEAD (link checkers, players probing the size).

A `Range` with several parts, or that does not parse, is ignored (a full 200 is a valid
answer); so is one sent with an `If-Range` that no longer matches the file. The caller
checks access first: this function serves whatever file it is given.

The file is a local `Path`, or a stored file (a `FieldFile`, or `sti.core.files.Stored`) on
the configured storage: on local storage that is its path under MEDIA_ROOT; on S3 the bytes
are streamed through Django from the bucket (one ranged GET for a range), so the answer is
the same on every storage and the access check never leaves the view.

On S3, `STI_S3_PRESIGNED_DOWNLOADS` makes a GET of a file the caller declares `public`
(visible to anonymous visitors: nothing is given away) a 302 to a presigned URL of the
bucket, valid `STI_S3_PRESIGNED_SECONDS`, with the file name and type as response headers:
the bucket sends the bytes and answers the ranges, no web process streams them. The access
check has run by then; files that are not public are still streamed through Django, so a
link copied from a restricted file never works without a session.

Behind nginx (deploy/nginx/sti.conf), `STI_X_ACCEL_PREFIX` (e.g. `/_files/`, an `internal`
location aliased to MEDIA_ROOT) makes the answer for a file under MEDIA_ROOT an empty 200 with
`X-Accel-Redirect: <prefix><path under MEDIA_ROOT>`: Django has checked access and names the
file, nginx sends the bytes (ranges, ETag, If-None-Match and HEAD included) without holding a
Python worker for the length of a video.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import datetime
from functools import partial
from pathlib import Path
from urllib.parse import quote

from django.conf import settings
from django.http import Http404, HttpResponse, HttpResponseRedirect, StreamingHttpResponse
from django.utils.http import http_date, quote_etag

from sti.core.exports import content_disposition
from sti.core.files import Stored

CHUNK = 256 * 1024
_RANGE = re.compile(r"^bytes=(\d*)-(\d*)$")


def _disposition(filename: str, as_attachment: bool) -> str:
    header = content_disposition(filename)
    return header if as_attachment else header.replace("attachment;", "inline;", 1)


def etag_of(path: Path) -> str:
    stat = path.stat()
    return quote_etag(f"{stat.st_size:x}-{stat.st_mtime_ns:x}")


def _etag_of_stored(size: int, modified: datetime) -> str:
    return quote_etag(f"{size:x}-{int(modified.timestamp() * 1_000_000_000):x}")


def parse_range(header: str, size: int) -> tuple[int, int] | None | bool:
    """(first, last) byte of a single satisfiable range; None when the header asks for no
    usable range (serve the whole file); False when the range lies past the end (416)."""
    match = _RANGE.match((header or "").replace(" ", ""))
    if not match:
        return None
    first, last = match.groups()
    if not first and not last:
        return None
    if not first:  # a suffix: the last n bytes
        length = int(last)
        if length == 0:
            return False
        return max(0, size - length), size - 1
    start = int(first)
    if start >= size:
        return False
    end = int(last) if last else size - 1
    if end < start:
        return None
    return start, min(end, size - 1)


def _slice(path: Path, start: int, length: int):
    with path.open("rb") as handle:
        handle.seek(start)
        left = length
        while left > 0:
            chunk = handle.read(min(CHUNK, left))
            if not chunk:
                break
            left -= len(chunk)
            yield chunk


def x_accel_location(path: Path) -> str | None:
    """The internal nginx location of a file under MEDIA_ROOT when STI_X_ACCEL_PREFIX is set
    (None otherwise, or for a file elsewhere: Django serves it)."""
    prefix = getattr(settings, "STI_X_ACCEL_PREFIX", "")
    if not prefix:
        return None
    try:
        relative = path.resolve().relative_to(Path(settings.MEDIA_ROOT).resolve())
    except ValueError:
        return None
    return prefix.rstrip("/") + "/" + quote(relative.as_posix())


def presigned_redirect(
    stored: Stored, content_type: str, *, filename: str, as_attachment: bool
) -> HttpResponse:
    """A 302 to a short-lived presigned GET of `stored` on its S3 bucket; its answer carries
    the file's name and type. Only for a file anyone may read (see the module docstring)."""
    url = stored.storage.url(
        stored.name,
        parameters={
            "ResponseContentType": content_type,
            "ResponseContentDisposition": _disposition(filename, as_attachment),
        },
        expire=settings.STI_S3_PRESIGNED_SECONDS,
    )
    response = HttpResponseRedirect(url)
    # Never reused after the URL expires.
    response["Cache-Control"] = "private, no-store"
    return response


def ranged_file_response(
    request,
    file,
    content_type: str,
    *,
    filename: str,
    as_attachment: bool = False,
    public: bool | Callable[[], bool] = False,
) -> HttpResponse:
    """GET or HEAD of `file` (a Path, a FieldFile or a Stored) with range support (see the
    module docstring). `public`: whether anonymous visitors may read the file (or a function
    saying so, called only when the answer may be a presigned redirect)."""
    if isinstance(file, Path):
        path, stored = file, None
    else:
        stored = Stored.of(file)
        if not stored.name:
            raise Http404
        path = stored.path
        if (
            path is None
            and request.method == "GET"  # a presigned URL is for GET only, not HEAD
            and settings.STI_S3_PRESIGNED_DOWNLOADS
            and (public() if callable(public) else public)
        ):
            return presigned_redirect(
                stored, content_type, filename=filename, as_attachment=as_attachment
            )
    if path is not None:
        if not path.is_file():
            raise Http404
        location = x_accel_location(path)
        if location is not None:
            response = HttpResponse(content_type=content_type)
            response["X-Accel-Redirect"] = location
            response["Content-Disposition"] = _disposition(filename, as_attachment)
            response["X-Content-Type-Options"] = "nosniff"
            return response
        stat = path.stat()
        size, modified, etag = stat.st_size, stat.st_mtime, etag_of(path)
        read = partial(_slice, path)
    else:
        try:
            size, when = stored.size, stored.modified
        except FileNotFoundError:
            raise Http404 from None
        modified, etag = when.timestamp(), _etag_of_stored(size, when)
        read = stored.chunks
    common = {
        "Accept-Ranges": "bytes",
        "ETag": etag,
        "Last-Modified": http_date(modified),
        "X-Content-Type-Options": "nosniff",
        "Content-Disposition": _disposition(filename, as_attachment),
    }
    if etag in [tag.strip() for tag in request.headers.get("If-None-Match", "").split(",")]:
        response = HttpResponse(status=304)
        for key, value in common.items():
            if key != "Content-Disposition":
                response[key] = value
        return response

    wanted = None
    if_range = request.headers.get("If-Range", "")
    if "Range" in request.headers and (not if_range or if_range == etag):
        wanted = parse_range(request.headers["Range"], size)
    if wanted is False:
        response = HttpResponse(status=416)
        response["Content-Range"] = f"bytes */{size}"
        response["Accept-Ranges"] = "bytes"
        return response
    start, end = wanted if wanted else (0, size - 1)
    length = max(0, end - start + 1)
    if request.method == "HEAD":
        response = HttpResponse(status=206 if wanted else 200, content_type=content_type)
    else:
        response = StreamingHttpResponse(
            read(start, length), status=206 if wanted else 200, content_type=content_type
        )
    for key, value in common.items():
        response[key] = value
    response["Content-Length"] = str(length)
    if wanted:
        response["Content-Range"] = f"bytes {start}-{end}/{size}"
    return response
