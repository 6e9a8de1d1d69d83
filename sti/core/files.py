"""Stored files on whichever storage the settings choose (STORAGES["default"]): local files
under MEDIA_ROOT by default, or an S3-compatible bucket shared by every web host and worker
(`STI_STORAGE=s3`, django-storages).

No code outside this module builds a path to a stored file. It names the file (a `FieldFile`
or a storage name, wrapped as `Stored`) and

- `local_copy(file)` yields a local path for the tools that need one (pypdfium2, OCRmyPDF,
  Pillow, a backup archive): the file itself on local storage, a temporary download on S3,
  removed when the block ends, so OCR runs on a worker on another host;
- `Stored.chunks(start, length)` streams a slice (an HTTP range on S3: the worker never
  downloads a whole video to send its first megabyte) for sti.core.downloads;
- `put(name, path)` stores a local file under an exact name when nothing is there yet (the
  library's content-addressed blobs: the name is the SHA-256, so what is there is the same);
- `exists(name)`, `delete(name)`, `write(name, fileobj)` (replacing), `walk()` (every stored
  file with its size and time, or those under a folder), `describe()` (where they are, in
  words). Names under `TRANSIENT` ("tmp/") are shared scratch, left out of backups.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from functools import cached_property
from pathlib import Path, PurePosixPath

from django.core.files import File
from django.core.files.base import ContentFile
from django.core.files.storage import Storage, default_storage
from django.utils.translation import gettext as _

CHUNK = 1024 * 1024
# Stored names under this folder are scratch that every host must reach but nobody keeps
# (an import staged between its preview and its confirmation): backups leave them out.
TRANSIENT = "tmp/"


def local_path(name: str, storage: Storage | None = None) -> Path | None:
    """The path of a stored file on this host's disk; None when the storage is remote."""
    storage = storage or default_storage
    try:
        return Path(storage.path(name))
    except NotImplementedError:
        return None


def is_local(storage: Storage | None = None) -> bool:
    return local_path("x", storage) is not None


@dataclass(frozen=True)
class Stored:
    """A file on a storage, by name: what downloads, jobs and backups hand around."""

    name: str
    storage: Storage = default_storage

    @classmethod
    def of(cls, file) -> Stored:
        """A `Stored` from a FieldFile, a Stored or a storage name."""
        if isinstance(file, Stored):
            return file
        if isinstance(file, str):
            return cls(file)
        return cls(file.name, file.storage)

    @property
    def path(self) -> Path | None:
        return local_path(self.name, self.storage)

    def exists(self) -> bool:
        return bool(self.name) and self.storage.exists(self.name)

    @cached_property
    def _remote(self):
        """The bucket's object (size and time read in one HEAD), for a remote storage."""
        if self.path is not None:
            return None
        with self.storage.open(self.name, "rb") as handle:
            return getattr(handle, "obj", None)

    @property
    def size(self) -> int:
        if self._remote is not None:
            return self._remote.content_length
        return self.storage.size(self.name)

    @property
    def modified(self) -> datetime:
        if self._remote is not None:
            return self._remote.last_modified
        return self.storage.get_modified_time(self.name)

    def chunks(self, start: int = 0, length: int | None = None) -> Iterator[bytes]:
        """The bytes from `start`, `length` of them (all to the end when None)."""
        if length is not None and length <= 0:
            return
        if self._remote is not None:
            # One ranged GET on the bucket: only the slice asked crosses the network.
            last = "" if length is None else str(start + length - 1)
            body = self._remote.get(Range=f"bytes={start}-{last}")["Body"]
            try:
                yield from body.iter_chunks(CHUNK)
            finally:
                body.close()
            return
        with self.storage.open(self.name, "rb") as handle:
            handle.seek(start)
            left = length
            while left is None or left > 0:
                chunk = handle.read(CHUNK if left is None else min(CHUNK, left))
                if not chunk:
                    break
                if left is not None:
                    left -= len(chunk)
                yield chunk


@contextmanager
def local_copy(file) -> Iterator[Path]:
    """A local path holding the stored file's bytes, for the duration of the block.

    On local storage, the stored file itself (read it, never write it); on a remote one, a
    download into a temporary folder, under the file's own base name (tools judge by the
    extension), removed afterwards. Raises FileNotFoundError for a missing file."""
    stored = Stored.of(file)
    path = stored.path
    if path is not None:
        if not path.is_file():
            raise FileNotFoundError(stored.name)
        yield path
        return
    with tempfile.TemporaryDirectory(prefix="sti-copy-") as folder:
        target = Path(folder) / (PurePosixPath(stored.name).name or "file")
        with stored.storage.open(stored.name, "rb") as source, target.open("wb") as out:
            shutil.copyfileobj(source, out, CHUNK)
        yield target


@dataclass(frozen=True)
class Listed:
    """A stored file as a listing gives it: name, size in bytes, modified time (epoch s)."""

    name: str
    size: int
    mtime: float


def walk(storage: Storage | None = None, prefix: str = "") -> list[Listed]:
    """Every stored file (whose name starts with the folder `prefix`, e.g. "tmp/imports/"),
    sorted by name: a walk of MEDIA_ROOT (regular files, no symbolic links) on local storage;
    the bucket's listing (sizes and times included, one request per thousand files) on S3."""
    storage = storage or default_storage
    root = local_path("", storage)
    found = []
    if root is not None:
        if not (root / prefix).exists():
            return []
        for directory, _dirs, names in os.walk(root / prefix):
            for base in names:
                path = Path(directory) / base
                if path.is_file() and not path.is_symlink():
                    stat = path.stat()
                    name = path.relative_to(root).as_posix()
                    found.append(Listed(name, stat.st_size, stat.st_mtime))
    else:
        location = (storage.location.strip("/") + "/") if storage.location else ""
        for entry in storage.bucket.objects.filter(Prefix=location + prefix):
            if not entry.key.endswith("/"):
                found.append(
                    Listed(entry.key[len(location) :], entry.size, entry.last_modified.timestamp())
                )
    return sorted(found, key=lambda listed: listed.name)


def describe(storage: Storage | None = None) -> str:
    """Where the stored files are, for messages: a folder, or a bucket and its endpoint."""
    storage = storage or default_storage
    root = local_path("", storage)
    if root is not None:
        return _("thư mục %(path)s") % {"path": root}
    endpoint = getattr(storage, "endpoint_url", None) or "S3"
    return _("kho S3 %(bucket)s (%(endpoint)s)") % {
        "bucket": storage.bucket_name,
        "endpoint": endpoint,
    }


def reachable(storage: Storage | None = None) -> str:
    """ "" when the storage can be used; otherwise what is wrong (for the status page)."""
    storage = storage or default_storage
    root = local_path("", storage)
    if root is not None:
        return "" if os.access(root if root.exists() else root.parent, os.W_OK) else str(root)
    try:
        storage.connection.meta.client.head_bucket(Bucket=storage.bucket_name)
    except (
        Exception
    ) as error:  # botocore: ClientError (no bucket, denied), EndpointConnectionError…
        return str(error)[:300]
    return ""


def write(name: str, data, *, mtime: float | None = None, storage: Storage | None = None) -> None:
    """Write the readable binary `data` under exactly `name`, replacing what is there (a
    restore). On local storage through a partial file renamed into place, keeping `mtime`."""
    storage = storage or default_storage
    target = local_path(name, storage)
    if target is not None:
        target.parent.mkdir(parents=True, exist_ok=True)
        partial = target.with_name(target.name + ".restoring")
        with open(partial, "wb") as handle:
            shutil.copyfileobj(data, handle, CHUNK)
        if mtime is not None:
            os.utime(partial, (mtime, mtime))
        os.replace(partial, target)
        return
    storage.delete(name)
    saved = storage.save(name, File(data, name=PurePosixPath(name).name))
    if saved != name:
        storage.delete(saved)
        raise FileExistsError(name)


def exists(name: str, storage: Storage | None = None) -> bool:
    return (storage or default_storage).exists(name)


def delete(name: str, storage: Storage | None = None) -> None:
    """Remove a stored file; a missing one is no error."""
    storage = storage or default_storage
    path = local_path(name, storage)
    if path is not None:
        path.unlink(missing_ok=True)
    else:
        storage.delete(name)


def put(
    name: str, source: Path | bytes, *, move: bool = False, storage: Storage | None = None
) -> bool:
    """Store `source` (a local file, or bytes) under exactly `name`, unless a file is there
    already (content-addressed names: the same name holds the same bytes). Returns whether it
    wrote.

    `move`: the source is a scratch file to consume; on local storage it is renamed into
    place (atomic, so a reader never sees half a file), otherwise removed after the upload."""
    storage = storage or default_storage
    target = local_path(name, storage)
    try:
        if target is not None:
            if target.exists():
                return False
            target.parent.mkdir(parents=True, exist_ok=True)
            if move:
                os.replace(source, target)
                return True
            # Written beside the target first, then renamed: never half a file under the name.
            handle, staged = tempfile.mkstemp(dir=target.parent, prefix=".place-")
            with os.fdopen(handle, "wb") as out:
                if isinstance(source, bytes):
                    out.write(source)
                else:
                    with Path(source).open("rb") as data:
                        shutil.copyfileobj(data, out, CHUNK)
            os.replace(staged, target)
            return True
        if storage.exists(name):
            return False
        base = PurePosixPath(name).name
        if isinstance(source, bytes):
            saved = storage.save(name, ContentFile(source, name=base))
        else:
            with Path(source).open("rb") as data:
                saved = storage.save(name, File(data, name=base))
        if saved != name:  # another host stored the same bytes meanwhile: keep one copy
            storage.delete(saved)
            return False
        return True
    finally:
        if move and not isinstance(source, bytes):
            Path(source).unlink(missing_ok=True)
