"""`sti backup` / `sti restore`: the round trip on the demo data, a corrupted archive and a
non-empty target. Transactional tests (the restore replaces the whole database, which cannot
happen inside the test's transaction); the target is emptied with `flush` and fresh
MEDIA_ROOT / index folders, which works alike on SQLite and PostgreSQL."""

from __future__ import annotations

import io
import tarfile

import pytest
from django.core.management import CommandError, call_command

from sti.core.files import Stored
from sti.core.testing import reset_sequences
from sti.portal import backup
from sti.portal.sample import load_all
from sti.search import services as search_services
from sti.search.base import MAX_RESULT_WINDOW, SearchQuery

# Transactional tests end with a flush: `serialized_rollback` puts the migrated data (code
# lists, content types) back before each test, and sti/conftest.py after it.
pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


@pytest.fixture(autouse=True)
def _sequences(transactional_db):
    reset_sequences()


SEARCHES = ["lúa", "can tho", "thủy sản", "đồng bằng sông cửu long", "xâm nhập mặn"]


def _answers() -> dict[str, list[tuple[float, str, str]]]:
    """What a few searches find, as anonymous and as staff, with their scores (hits of equal
    score may come in either order)."""
    answers = {}
    for text in SEARCHES:
        for who, principals in (("public", ("public",)), ("staff", None)):
            query = SearchQuery(
                text=text, limit=MAX_RESULT_WINDOW, highlight=False, principals=principals
            )
            results = search_services.get_backend().search(query)
            assert results.total == len(results.hits)  # all of them, not a first page
            answers[f"{who}:{text}"] = sorted(
                (-round(hit.score, 4), hit.type, hit.pk) for hit in results.hits
            )
    return answers


def _assert_same_answers(now: dict, before: dict) -> None:
    """The same records for every search, with the same scores: a full reindex leaves no
    deleted documents in the term statistics (which once put harvested records up to 7 %
    apart after a restore)."""
    assert now.keys() == before.keys()
    for search in before:
        assert {hit[1:] for hit in now[search]} == {hit[1:] for hit in before[search]}, search
        scores_now = {hit[1:]: -hit[0] for hit in now[search]}
        for hit in before[search]:
            assert scores_now[hit[1:]] == pytest.approx(-hit[0], rel=1e-4, abs=1e-4), (
                search,
                hit[1:],
            )


def _checksums() -> dict[str, str]:
    return {listed.name: backup.sha256_file(Stored(listed.name)) for listed in backup.media_files()}


def _empty_target(tmp_path, settings, name="restored"):
    """An empty database (flush) and fresh, empty files and index folders."""
    call_command("flush", interactive=False, verbosity=0)
    settings.MEDIA_ROOT = tmp_path / name / "files"
    settings.STI_SEARCH_INDEX_DIR = tmp_path / name / "index"
    search_services.reset_backend()
    assert backup.database_content() == {}
    assert backup.media_files() == []


def _backup(path, *extra) -> str:
    out = io.StringIO()
    call_command("backup", str(path), "--no-progress", *extra, stdout=out)
    return out.getvalue()


def _restore(path, *extra) -> str:
    out = io.StringIO()
    call_command("restore", str(path), "--no-progress", *extra, stdout=out)
    return out.getvalue()


def test_round_trip_on_the_demo_data(tmp_path, settings):
    load_all(lambda message: None)
    search_services.reindex()
    counts, files, answers = backup.table_counts(), _checksums(), _answers()
    assert files, "the demo data stores files"
    assert sum(1 for hits in answers.values() if hits) >= 5, "searches that find something"

    archive = tmp_path / "sao-luu" / "sti.tar.gz"
    assert "Đã sao lưu" in _backup(archive)
    manifest = backup.read_manifest(archive)
    assert manifest["tables"] == counts
    assert {name: entry["sha256"] for name, entry in manifest["files"].items()} == files
    assert manifest["platform"]["version"] and "core" in manifest["migrations"]

    _empty_target(tmp_path, settings)
    output = _restore(archive)

    assert backup.table_counts() == counts
    assert _checksums() == files
    _assert_same_answers(_answers(), answers)
    assert "Số dòng mọi bảng khớp với bản kê." in output


def _small_world(org_a, media_root):
    stored = media_root / "ab" / "cd" / "abcdef.pdf"
    stored.parent.mkdir(parents=True)
    stored.write_bytes(b"%PDF-1.4 Lua chiu man Soc Trang " * 100)
    return stored


@pytest.mark.parametrize("db_format", ["auto", "json"])
def test_round_trip_in_each_database_format(tmp_path, settings, org_a, media_root, db_format):
    _small_world(org_a, media_root)
    counts, files = backup.table_counts(), _checksums()
    archive = tmp_path / "sti.tar.gz"
    _backup(archive, "--db-format", db_format)
    expected = (
        "json" if db_format == "json" else {"sqlite": "sqlite"}.get(backup._engine(), "pg_custom")
    )
    assert backup.read_manifest(archive)["database"]["format"] == expected

    _empty_target(tmp_path, settings)
    _restore(archive)
    assert backup.table_counts() == counts
    assert _checksums() == files
    hits = search_services.get_backend().search(SearchQuery(text="Cần Thơ", principals=None))
    assert [hit.pk for hit in hits.hits] == [str(org_a.pk)]


def _corrupt(source, target, member_name):
    """Copy the archive, changing one byte of one member (same size, manifest untouched)."""
    with tarfile.open(source, "r:gz") as original, tarfile.open(target, "w:gz") as copy:
        for member in original:
            data = original.extractfile(member).read()
            if member.name == member_name:
                data = bytes([data[0] ^ 1]) + data[1:]
            copy.addfile(member, io.BytesIO(data))


@pytest.mark.parametrize("member", ["files/ab/cd/abcdef.pdf", "database"])
def test_a_corrupted_archive_is_refused_and_writes_nothing(
    tmp_path, settings, org_a, media_root, member
):
    _small_world(org_a, media_root)
    archive, corrupted = tmp_path / "sti.tar.gz", tmp_path / "hong.tar.gz"
    _backup(archive)
    if member == "database":
        member = backup.read_manifest(archive)["database"]["member"]
    _corrupt(archive, corrupted, member)

    _empty_target(tmp_path, settings)
    with pytest.raises(CommandError, match="SHA-256") as refused:
        _restore(corrupted)
    assert refused.value.returncode != 0
    assert member in str(refused.value)
    assert backup.database_content() == {}
    assert backup.media_files() == []
    assert not (tmp_path / "restored" / "files").exists()


def test_a_truncated_or_foreign_archive_is_refused(tmp_path, settings, org_a, media_root):
    _small_world(org_a, media_root)
    archive = tmp_path / "sti.tar.gz"
    _backup(archive)
    truncated = tmp_path / "cut.tar.gz"
    truncated.write_bytes(archive.read_bytes()[: archive.stat().st_size // 2])
    foreign = tmp_path / "other.tar.gz"
    with tarfile.open(foreign, "w:gz") as other:
        other.add(__file__, arcname="notes.txt")

    _empty_target(tmp_path, settings)
    for path in (truncated, foreign, tmp_path / "missing.tar.gz"):
        with pytest.raises(CommandError):
            _restore(path)
    assert backup.database_content() == {}
    assert backup.media_files() == []


def test_a_target_that_is_not_empty_is_refused_unless_forced(tmp_path, settings, org_a, media_root):
    stored = _small_world(org_a, media_root)
    counts = backup.table_counts()
    archive = tmp_path / "sti.tar.gz"
    _backup(archive)

    # The database still holds the organization: refused, nothing written.
    settings.MEDIA_ROOT = tmp_path / "other-files"
    with pytest.raises(CommandError, match="không trống.*directory_organization") as refused:
        _restore(archive)
    assert refused.value.returncode != 0
    assert backup.media_files() == []

    # An empty database but files left in MEDIA_ROOT: refused too.
    call_command("flush", interactive=False, verbosity=0)
    settings.MEDIA_ROOT = media_root
    with pytest.raises(CommandError, match="đã có 1 tệp"):
        _restore(archive)
    assert backup.database_content() == {}

    # --force restores over them.
    stored.write_bytes(b"changed")
    _restore(archive, "--force")
    assert backup.table_counts() == counts
    assert stored.read_bytes().startswith(b"%PDF-1.4")


def test_the_archive_may_not_go_into_media_root(media_root):
    with pytest.raises(CommandError, match="thư mục tệp"):
        _backup(media_root / "sao-luu" / "sti.tar.gz")
    assert not list(media_root.rglob("*.tar.gz*"))


def test_imports_staged_for_a_confirmation_are_not_backed_up(each_storage):
    from sti.core import files

    files.put("tmp/imports/0123.xlsx", b"sheet")
    files.put("news/anh/a.png", b"png")
    assert [listed.name for listed in backup.media_files()] == ["news/anh/a.png"]


def test_round_trip_of_files_on_s3(tmp_path, settings, org_a, s3_storage, s3_server):
    """Files in a bucket are backed up (streamed, nothing copied to the local disk) and
    restored into another bucket under the same names; a bucket that holds files is a
    target that is not empty."""
    from sti.core import files

    scan = b"%PDF-1.4 Lua chiu man Soc Trang " * 100
    files.put("ab/cd/abcdef.pdf", scan)
    files.put("news/anh/2025/Cần Thơ.png", b"\x89PNG anh tin")
    counts, stored = backup.table_counts(), _checksums()
    assert len(stored) == 2
    archive = tmp_path / "sti.tar.gz"
    assert "kho S3" in _backup(archive)
    assert not [p for p in settings.MEDIA_ROOT.rglob("*") if p.is_file()]

    # The same bucket still holds the files: refused without --force.
    call_command("flush", interactive=False, verbosity=0)
    with pytest.raises(CommandError, match="kho S3.*2 tệp"):
        _restore(archive)

    bucket = s3_server.create_bucket("sti-test-restored")
    settings.STORAGES = {**settings.STORAGES, "default": s3_server.storage_entry(bucket)}
    settings.STI_SEARCH_INDEX_DIR = tmp_path / "restored-index"
    search_services.reset_backend()
    assert backup.media_files() == []
    output = _restore(archive)
    assert f"kho S3 {bucket}" in output
    assert backup.table_counts() == counts
    assert _checksums() == stored
    assert b"".join(Stored("ab/cd/abcdef.pdf").chunks()) == scan
