"""Backup and restore of a whole platform: database, stored files and a manifest, in one archive.

`sti backup PATH` writes a gzip'd tar archive:

    manifest.json        format, platform version, database engine and dump format, applied
                         migrations, row counts per table, SHA-256 and size of every member
    database/...         the database dump (see below)
    files/<name>         every stored file, under its storage name: the files under MEDIA_ROOT
                         on local storage, every object of the bucket on S3 (STI_STORAGE=s3)

The manifest comes first, so a restore can refuse a wrong target before reading the rest.

Database dump, by engine:

- SQLite: a consistent copy made with SQLite's online backup API (`database/sti.sqlite3`);
  readers and the worker keep going meanwhile. Row counts are taken from the copy itself.
  Restored with the same API into the target connection (file or in-memory database).
- PostgreSQL with `pg_dump` on PATH: custom format (`database/sti.pgdump`), taken from the
  snapshot in which the row counts are counted (REPEATABLE READ + `pg_export_snapshot`), so
  the counts describe exactly the dump. Restored by `pg_restore --clean --if-exists
  --single-transaction --no-owner --no-privileges`: all or nothing, sequences included.
- Otherwise (or `--db-format json`): Django's `dumpdata` with natural keys
  (`database/sti.json`), engine-independent (SQLite ↔ PostgreSQL), restored by `migrate`,
  `flush` and `loaddata`. Slower and held in memory, hence only the fallback.

Files are read after the database is dumped: files are content-addressed and never rewritten,
so every file the dump refers to is already stored; a file added meanwhile is an extra. On S3
each object is read twice (its checksum for the manifest, then its bytes into the archive),
streamed, so the backup host needs no room for a copy of the bucket. An archive restores onto
either storage: names are the same on both.

`sti restore PATH` reads the manifest, refuses a non-empty target (database rows beyond what
migrations load, or any stored file) unless `force`, verifies every checksum in a
first pass that writes nothing, then restores the database, the files, applies migrations
newer than the archive, rebuilds the search index and compares row counts with the manifest.
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import platform
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path, PurePosixPath

import django
from django.apps import apps
from django.core.management import call_command
from django.db import DEFAULT_DB_ALIAS, connections, transaction
from django.db.migrations.loader import MigrationLoader
from django.db.migrations.recorder import MigrationRecorder

import sti
from sti.core import files as stored_files
from sti.search import engine as search_engine
from sti.search import jobs as search_jobs
from sti.search.signals import indexing_paused

FORMAT = "sti-backup"
FORMAT_VERSION = 1
MANIFEST = "manifest.json"
FILES_PREFIX = "files/"
DB_MEMBERS = {
    "sqlite": "database/sti.sqlite3",
    "pg_custom": "database/sti.pgdump",
    "json": "database/sti.json",
}
CHUNK = 1024 * 1024

# Tables that migrations fill on a fresh database: they do not make a database "not empty".
FRAMEWORK_TABLES = {"django_migrations", "django_content_type", "auth_permission"}

# progress(label, total, unit) -> advance(n); None: no progress reporting.
Progress = Callable[[str, int, str], Callable[[int], None]] | None


class BackupError(Exception):
    """A backup or restore that cannot go on; the message says why (Vietnamese)."""


@dataclass
class RestoreReport:
    manifest: dict
    counts: dict[str, int] = field(default_factory=dict)
    files: int = 0
    indexed: int = 0
    migrated: list[str] = field(default_factory=list)

    @property
    def mismatches(self) -> dict[str, tuple[int | None, int | None]]:
        expected = self.manifest["tables"]
        names = set(expected) | set(self.counts)
        if self.migrated:  # newer code: its migrations add rows and tables of their own
            names = (names & set(expected)) - {"django_migrations"}
        return {
            name: (expected.get(name), self.counts.get(name))
            for name in sorted(names)
            if expected.get(name) != self.counts.get(name)
        }


# ---------------------------------------------------------------------------
# Helpers
# ---------------------------------------------------------------------------
def _advance(progress: Progress, label: str, total: int, unit: str) -> Callable[[int], None]:
    return progress(label, total, unit) if progress else (lambda n: None)


def _read(source: Path | stored_files.Stored) -> Iterator[bytes]:
    if isinstance(source, stored_files.Stored):
        yield from source.chunks()
        return
    with open(source, "rb") as handle:
        while chunk := handle.read(CHUNK):
            yield chunk


def sha256_file(
    source: Path | stored_files.Stored, advance: Callable[[int], None] = lambda n: None
) -> str:
    """The SHA-256 of a local file or a stored one."""
    digest = hashlib.sha256()
    for chunk in _read(source):
        digest.update(chunk)
        advance(len(chunk))
    return digest.hexdigest()


def _engine(alias: str = DEFAULT_DB_ALIAS) -> str:
    vendor = connections[alias].vendor
    if vendor not in {"sqlite", "postgresql"}:
        raise BackupError(f"Cơ sở dữ liệu {vendor} chưa được hỗ trợ (chỉ SQLite và PostgreSQL).")
    return vendor


def media_files() -> list[stored_files.Listed]:
    """Every stored file (name, size, time), sorted by name, on the configured storage;
    not the shared scratch under `TRANSIENT` (imports staged for a confirmation)."""
    return [f for f in stored_files.walk() if not f.name.startswith(stored_files.TRANSIENT)]


def table_counts(alias: str = DEFAULT_DB_ALIAS) -> dict[str, int]:
    """Row count of every table of the database (Django's and any other)."""
    connection = connections[alias]
    counts = {}
    with connection.cursor() as cursor:
        for name in sorted(connection.introspection.table_names(cursor)):
            if name.startswith("sqlite_"):
                continue
            cursor.execute(f"SELECT COUNT(*) FROM {connection.ops.quote_name(name)}")
            counts[name] = cursor.fetchone()[0]
    return counts


def applied_migrations(alias: str = DEFAULT_DB_ALIAS) -> dict[str, list[str]]:
    recorder = MigrationRecorder(connections[alias])
    if not recorder.has_table():
        return {}
    applied: dict[str, list[str]] = {}
    for app_label, name in recorder.applied_migrations():
        applied.setdefault(app_label, []).append(name)
    return {label: sorted(names) for label, names in sorted(applied.items())}


def seeded_tables() -> set[str]:
    """Tables whose rows come from migrations: Django's bookkeeping and the code lists
    (`CodeListVersion` and every model that points to it)."""
    tables = set(FRAMEWORK_TABLES)
    try:
        version_model = apps.get_model("core", "CodeListVersion")
    except LookupError:
        return tables
    tables.add(version_model._meta.db_table)
    for model in apps.get_models():
        if any(
            getattr(f, "related_model", None) is version_model and f.many_to_one
            for f in model._meta.get_fields()
        ):
            tables.add(model._meta.db_table)
    return tables


def database_content(alias: str = DEFAULT_DB_ALIAS) -> dict[str, int]:
    """Tables that hold rows other than those migrations load (empty dict: an empty database)."""
    seeded = seeded_tables()
    return {
        name: count for name, count in table_counts(alias).items() if count and name not in seeded
    }


# ---------------------------------------------------------------------------
# Backup
# ---------------------------------------------------------------------------
def _dump_sqlite(alias: str, target: Path) -> dict[str, int]:
    connection = connections[alias]
    connection.ensure_connection()
    destination = sqlite3.connect(target)
    try:
        connection.connection.backup(destination)
    finally:
        destination.close()
    copy = sqlite3.connect(target)
    try:
        names = [
            row[0]
            for row in copy.execute(
                "SELECT name FROM sqlite_master WHERE type='table' AND name NOT LIKE 'sqlite_%'"
            )
        ]
        quote = connection.ops.quote_name
        return {
            name: copy.execute(f"SELECT COUNT(*) FROM {quote(name)}").fetchone()[0]
            for name in sorted(names)
        }
    finally:
        copy.close()


def _pg_env(settings_dict: dict) -> tuple[list[str], dict[str, str]]:
    """Connection arguments and environment for pg_dump/pg_restore (password via PGPASSWORD)."""
    args = []
    if settings_dict.get("HOST"):
        args += ["--host", str(settings_dict["HOST"])]
    if settings_dict.get("PORT"):
        args += ["--port", str(settings_dict["PORT"])]
    if settings_dict.get("USER"):
        args += ["--username", str(settings_dict["USER"])]
    args += ["--dbname", str(settings_dict["NAME"])]
    environment = dict(os.environ)
    if settings_dict.get("PASSWORD"):
        environment["PGPASSWORD"] = str(settings_dict["PASSWORD"])
    options = settings_dict.get("OPTIONS") or {}
    if options.get("sslmode"):
        environment["PGSSLMODE"] = str(options["sslmode"])
    return args, environment


def _run(command: list[str], environment: dict[str, str], what: str) -> None:
    result = subprocess.run(command, env=environment, capture_output=True, text=True)
    if result.returncode != 0:
        raise BackupError(f"{what} thất bại (mã {result.returncode}): {result.stderr.strip()}")


@contextmanager
def _snapshot(alias: str) -> Iterator[str | None]:
    """One consistent view of the database for the counts and the dump. On PostgreSQL a
    REPEATABLE READ transaction whose snapshot is exported (for pg_dump --snapshot); None
    when already inside a transaction, where the level can no longer be set."""
    connection = connections[alias]
    if connection.in_atomic_block or connection.vendor != "postgresql":
        yield None  # SQLite: the online backup copy is itself consistent
        return
    with transaction.atomic(using=alias):
        with connection.cursor() as cursor:
            cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
            cursor.execute("SELECT pg_export_snapshot()")
            yield cursor.fetchone()[0]


def _dump_postgres(alias: str, target: Path) -> dict[str, int]:
    args, environment = _pg_env(connections[alias].settings_dict)
    command = ["pg_dump", "--format=custom", "--no-owner", "--no-privileges", *args]
    with _snapshot(alias) as snapshot:
        counts = table_counts(alias)
        if snapshot:
            command += ["--snapshot", snapshot]
        _run([*command, "--file", str(target)], environment, "pg_dump")
    return counts


def _dump_json(alias: str, target: Path) -> dict[str, int]:
    with _snapshot(alias):
        counts = table_counts(alias)
        call_command(
            "dumpdata",
            natural_foreign=True,
            natural_primary=True,
            exclude=["contenttypes", "auth.permission"],
            output=str(target),
            database=alias,
            verbosity=0,
        )
    return counts


def choose_db_format(requested: str = "auto", alias: str = DEFAULT_DB_ALIAS) -> str:
    """The dump format: the engine's own unless `json` is asked for (or pg_dump is missing)."""
    engine = _engine(alias)
    if requested == "json":
        return "json"
    if engine == "sqlite":
        return "sqlite"
    if shutil.which("pg_dump") and shutil.which("pg_restore"):
        return "pg_custom"
    if requested == "native":
        raise BackupError("Không tìm thấy pg_dump/pg_restore trên PATH (gói postgresql-client).")
    return "json"


def create_backup(
    path: Path | str,
    *,
    db_format: str = "auto",
    progress: Progress = None,
    log: Callable[[str], None] = lambda message: None,
    alias: str = DEFAULT_DB_ALIAS,
) -> dict:
    """Write the archive at `path` (via `path.partial`, renamed at the end); return the manifest."""
    path = Path(path).absolute()
    media_root = stored_files.local_path("")
    if media_root is not None and path.is_relative_to(media_root.absolute()):
        raise BackupError(
            f"Không ghi bản sao lưu vào thư mục tệp {media_root}: lần sau nó sẽ bị sao lưu lại."
        )
    path.parent.mkdir(parents=True, exist_ok=True)
    started = time.monotonic()
    fmt = choose_db_format(db_format, alias)
    with tempfile.TemporaryDirectory(prefix="sti-backup-") as scratch:
        dump = Path(scratch) / PurePosixPath(DB_MEMBERS[fmt]).name
        log(f"Sao lưu cơ sở dữ liệu ({_engine(alias)}, định dạng {fmt})…")
        dumper = {"sqlite": _dump_sqlite, "pg_custom": _dump_postgres, "json": _dump_json}[fmt]
        counts = dumper(alias, dump)

        files = media_files()
        total = sum(listed.size for listed in files)
        log(
            f"Tính mã kiểm tra {len(files)} tệp ({total / 1e6:.1f} MB) "
            f"trong {stored_files.describe()}…"
        )
        advance = _advance(progress, "Mã kiểm tra", total, "B")
        checksums = {
            listed.name: {
                "sha256": sha256_file(stored_files.Stored(listed.name), advance),
                "size": listed.size,
            }
            for listed in files
        }
        manifest = {
            "format": FORMAT,
            "format_version": FORMAT_VERSION,
            "created_at": datetime.now(UTC).isoformat(timespec="seconds"),
            "platform": {
                "name": "sti",
                "version": sti.__version__,
                "django": django.get_version(),
                "python": platform.python_version(),
            },
            "database": {
                "engine": _engine(alias),
                "format": fmt,
                "member": DB_MEMBERS[fmt],
                "sha256": sha256_file(dump),
                "size": dump.stat().st_size,
            },
            "migrations": applied_migrations(alias),
            "tables": counts,
            "files": checksums,
            "storage": stored_files.describe(),
        }

        partial = path.with_name(path.name + ".partial")
        advance = _advance(progress, "Đóng gói", total + dump.stat().st_size, "B")
        try:
            with tarfile.open(partial, "w:gz", compresslevel=6) as archive:
                data = json.dumps(manifest, ensure_ascii=False, indent=1).encode()
                info = tarfile.TarInfo(MANIFEST)
                info.size, info.mtime = len(data), int(time.time())
                archive.addfile(info, io.BytesIO(data))
                _add(archive, dump, DB_MEMBERS[fmt], advance)
                for listed in files:
                    _add_stored(archive, listed, checksums[listed.name]["size"], advance)
            os.replace(partial, path)
        except BaseException:
            partial.unlink(missing_ok=True)
            raise
    manifest["archive_size"] = path.stat().st_size
    manifest["seconds"] = round(time.monotonic() - started, 2)
    return manifest


class _Counting(io.RawIOBase):
    def __init__(self, handle, advance):
        self.handle, self.advance = handle, advance

    def readable(self):
        return True

    def read(self, size=-1):
        data = self.handle.read(size)
        self.advance(len(data))
        return data


def _add(archive: tarfile.TarFile, source: Path, name: str, advance) -> None:
    info = archive.gettarinfo(str(source), arcname=name)
    info.uid = info.gid = 0
    info.uname = info.gname = ""
    info.mode = 0o644
    with open(source, "rb") as handle:
        archive.addfile(info, _Counting(handle, advance))


class _Chunks(io.RawIOBase):
    """A readable file over an iterator of byte chunks (a stored file streamed into tar)."""

    def __init__(self, chunks: Iterator[bytes]):
        self.chunks, self.buffer, self.offset = chunks, b"", 0

    def readable(self):
        return True

    def read(self, size=-1):
        # Whole reads: tarfile takes a short read for the end of the file.
        parts, wanted = [], -1 if size is None else size
        while wanted != 0:
            if self.offset >= len(self.buffer):
                self.buffer, self.offset = next(self.chunks, b""), 0
                if not self.buffer:
                    break
            end = len(self.buffer) if wanted < 0 else min(len(self.buffer), self.offset + wanted)
            parts.append(self.buffer[self.offset : end])
            if wanted >= 0:
                wanted -= end - self.offset
            self.offset = end
        return b"".join(parts)


def _add_stored(archive: tarfile.TarFile, listed: stored_files.Listed, size: int, advance) -> None:
    """A stored file into the archive, streamed; the file changing size meanwhile (it never
    should: names are content addresses or unique) fails the backup rather than the restore."""
    info = tarfile.TarInfo(FILES_PREFIX + listed.name)
    info.size, info.mtime, info.mode = size, int(listed.mtime), 0o644
    archive.addfile(info, _Counting(_Chunks(stored_files.Stored(listed.name).chunks()), advance))


# ---------------------------------------------------------------------------
# Restore
# ---------------------------------------------------------------------------
def read_manifest(path: Path | str) -> dict:
    path = Path(path)
    if not path.is_file():
        raise BackupError(f"Không tìm thấy tệp sao lưu {path}.")
    try:
        with tarfile.open(path, "r:*") as archive:
            first = archive.next()
            if first is None or first.name != MANIFEST or not first.isfile():
                raise BackupError(f"{path} không phải bản sao lưu STI (thiếu {MANIFEST}).")
            manifest = json.loads(archive.extractfile(first).read())
    except (tarfile.TarError, OSError, EOFError, ValueError) as error:
        raise BackupError(f"Không đọc được bản sao lưu {path}: {error}") from error
    if manifest.get("format") != FORMAT:
        raise BackupError(f"{path} không phải bản sao lưu STI.")
    if manifest.get("format_version", 0) > FORMAT_VERSION:
        raise BackupError(
            f"Bản sao lưu dùng định dạng {manifest['format_version']}, mới hơn phiên bản này "
            f"({FORMAT_VERSION}); hãy cập nhật nền tảng."
        )
    return manifest


def check_target(manifest: dict, *, force: bool, alias: str = DEFAULT_DB_ALIAS) -> None:
    """Refuse a target that is not empty (unless `force`), of another engine, or older code."""
    engine = _engine(alias)
    database = manifest["database"]
    if database["format"] != "json" and database["engine"] != engine:
        raise BackupError(
            f"Bản sao lưu là của {database['engine']}, cơ sở dữ liệu đích là {engine}. "
            "Hãy sao lưu lại với --db-format json để chuyển giữa hai loại."
        )
    known = set(MigrationLoader(None, ignore_no_migrations=True).disk_migrations)
    newer = sorted(
        f"{label}.{name}"
        for label, names in manifest["migrations"].items()
        for name in names
        if (label, name) not in known
    )
    if newer:
        raise BackupError(
            "Bản sao lưu có lược đồ mới hơn mã nguồn này (" + ", ".join(newer[:5]) + "); "
            f"hãy cài phiên bản {manifest['platform']['version']} trở lên rồi khôi phục."
        )
    if force:
        return
    problems = []
    content = database_content(alias)
    if content:
        tables = ", ".join(f"{name} ({count})" for name, count in sorted(content.items())[:5])
        problems.append(f"cơ sở dữ liệu đã có dữ liệu: {tables}")
    files = media_files()
    if files:
        problems.append(f"{stored_files.describe()} đã có {len(files)} tệp")
    if problems:
        raise BackupError(
            "Nơi khôi phục không trống: "
            + "; ".join(problems)
            + ". Hãy khôi phục vào thư mục dữ liệu và cơ sở dữ liệu trống, "
            "hoặc thêm --force để ghi đè."
        )


def _safe_name(name: str) -> bool:
    parts = PurePosixPath(name).parts
    return bool(parts) and not name.startswith("/") and ".." not in parts and "\\" not in name


def verify_archive(path: Path | str, manifest: dict, progress: Progress = None) -> None:
    """Read the whole archive and check every member against the manifest; writes nothing."""
    expected = {
        manifest["database"]["member"]: manifest["database"],
        **{FILES_PREFIX + name: entry for name, entry in manifest["files"].items()},
    }
    total = sum(entry["size"] for entry in expected.values())
    advance = _advance(progress, "Kiểm tra", total, "B")
    seen, bad = set(), []
    try:
        with tarfile.open(path, "r:*") as archive:
            for member in archive:
                if member.name == MANIFEST:
                    continue
                if member.name not in expected or not member.isfile():
                    bad.append(f"{member.name}: không có trong bản kê")
                    continue
                if not _safe_name(member.name):
                    bad.append(f"{member.name}: đường dẫn không an toàn")
                    continue
                digest = hashlib.sha256()
                handle = archive.extractfile(member)
                size = 0
                while chunk := handle.read(CHUNK):
                    digest.update(chunk)
                    size += len(chunk)
                    advance(len(chunk))
                entry = expected[member.name]
                if digest.hexdigest() != entry["sha256"] or size != entry["size"]:
                    bad.append(f"{member.name}: sai mã kiểm tra SHA-256")
                seen.add(member.name)
    except (tarfile.TarError, OSError, EOFError, ValueError) as error:
        raise BackupError(f"Bản sao lưu hỏng, không đọc hết được: {error}") from error
    missing = sorted(set(expected) - seen)
    bad += [f"{name}: thiếu trong bản sao lưu" for name in missing]
    if bad:
        shown = "\n  ".join(bad[:10])
        more = f"\n  … và {len(bad) - 10} lỗi khác" if len(bad) > 10 else ""
        raise BackupError(f"Bản sao lưu không toàn vẹn, không khôi phục gì cả:\n  {shown}{more}")


def _check_space(manifest: dict) -> None:
    """Refuse before writing when MEDIA_ROOT's disk cannot hold the files (a bucket's room is
    its provider's to tell)."""
    existing = stored_files.local_path("")
    if existing is None:
        return
    needed = sum(entry["size"] for entry in manifest["files"].values())
    while not existing.exists() and existing != existing.parent:
        existing = existing.parent
    free = shutil.disk_usage(existing).free
    if needed > free:
        raise BackupError(
            f"Không đủ chỗ cho các tệp: cần {needed / 1e9:.1f} GB, "
            f"còn {free / 1e9:.1f} GB trống ở {existing}."
        )


@contextmanager
def _extracted_dump(path: Path, manifest: dict) -> Iterator[Path]:
    member = manifest["database"]["member"]
    with tempfile.TemporaryDirectory(prefix="sti-restore-") as scratch:
        target = Path(scratch) / PurePosixPath(member).name
        with tarfile.open(path, "r:*") as archive:
            source = archive.extractfile(archive.getmember(member))
            with open(target, "wb") as handle:
                shutil.copyfileobj(source, handle, CHUNK)
        if sha256_file(target) != manifest["database"]["sha256"]:
            raise BackupError("Bản kết xuất cơ sở dữ liệu thay đổi trong lúc đọc.")
        yield target


def _restore_sqlite(dump: Path, alias: str, progress: Progress = None) -> None:
    connection = connections[alias]
    if connection.in_atomic_block:
        raise BackupError("Không thể khôi phục SQLite bên trong một giao dịch.")
    connection.ensure_connection()
    source = sqlite3.connect(dump)
    try:
        total = source.execute("PRAGMA page_count").fetchone()[0]
        advance = _advance(progress, "Cơ sở dữ liệu", total, " trang")
        done = 0

        def step(status, remaining, pages):
            nonlocal done
            advance(pages - remaining - done)
            done = pages - remaining

        # Step by step (nobody else writes the copy, so the backup never restarts).
        source.backup(connection.connection, pages=4096, progress=step)
    finally:
        source.close()
    connection.close()  # the next query sees the new schema


def _restore_postgres(dump: Path, alias: str, progress: Progress = None) -> None:
    connection = connections[alias]
    if connection.in_atomic_block:
        raise BackupError("Không thể khôi phục PostgreSQL bên trong một giao dịch.")
    if not shutil.which("pg_restore"):
        raise BackupError("Không tìm thấy pg_restore trên PATH (gói postgresql-client).")
    connection.close()  # no idle connection of ours holds a lock on a table being replaced
    args, environment = _pg_env(connection.settings_dict)
    command = [
        "pg_restore",
        "--clean",
        "--if-exists",
        "--single-transaction",
        "--no-owner",
        "--no-privileges",
        "--exit-on-error",
        *args,
        str(dump),
    ]
    _run(command, environment, "pg_restore")


def _restore_json(dump: Path, alias: str, progress: Progress = None) -> None:
    call_command("migrate", database=alias, interactive=False, verbosity=0)
    call_command("flush", database=alias, interactive=False, verbosity=0)
    with indexing_paused():
        call_command("loaddata", str(dump), database=alias, verbosity=0)


def _restore_files(path: Path, manifest: dict, progress: Progress) -> int:
    """Write every file of the archive onto the configured storage, under its name."""
    total = sum(entry["size"] for entry in manifest["files"].values())
    advance = _advance(progress, "Tệp", total, "B")
    written = 0
    with tarfile.open(path, "r:*") as archive:
        for member in archive:
            if not member.name.startswith(FILES_PREFIX):
                continue
            name = member.name[len(FILES_PREFIX) :]
            source = _Counting(archive.extractfile(member), advance)
            stored_files.write(name, source, mtime=member.mtime)
            written += 1
    return written


def _migrate_if_needed(manifest: dict, alias: str, log) -> list[str]:
    known = MigrationLoader(None, ignore_no_migrations=True).disk_migrations
    archived = {(label, name) for label, names in manifest["migrations"].items() for name in names}
    pending = sorted(f"{label}.{name}" for label, name in set(known) - archived)
    if pending:
        log(f"Áp dụng {len(pending)} migration mới hơn bản sao lưu…")
        call_command("migrate", database=alias, interactive=False, verbosity=0)
    return pending


def rebuild_index(progress: Progress = None) -> int:
    """Rebuild the whole search index from the restored database."""
    search_engine.reset_backend()

    def per_type(label: str, total: int):
        return _advance(progress, label, total, " bản ghi")

    return search_jobs.reindex(progress=per_type if progress else None)


def restore_backup(
    path: Path | str,
    *,
    force: bool = False,
    progress: Progress = None,
    log: Callable[[str], None] = lambda message: None,
    alias: str = DEFAULT_DB_ALIAS,
) -> RestoreReport:
    """Restore the archive at `path` into this platform's database and file storage."""
    path = Path(path)
    manifest = read_manifest(path)
    check_target(manifest, force=force, alias=alias)
    log("Kiểm tra mã SHA-256 của mọi thành phần…")
    verify_archive(path, manifest, progress)
    _check_space(manifest)

    fmt = manifest["database"]["format"]
    log(f"Khôi phục cơ sở dữ liệu (định dạng {fmt})…")
    restorer = {"sqlite": _restore_sqlite, "pg_custom": _restore_postgres, "json": _restore_json}
    with _extracted_dump(path, manifest) as dump:
        restorer[fmt](dump, alias, progress)
    report = RestoreReport(manifest=manifest)
    report.counts = table_counts(alias)  # before migrations change anything
    log(f"Khôi phục {len(manifest['files'])} tệp vào {stored_files.describe()}…")
    report.files = _restore_files(path, manifest, progress)
    report.migrated = _migrate_if_needed(manifest, alias, log)
    log("Lập lại chỉ mục tìm kiếm…")
    report.indexed = rebuild_index(progress)
    return report
