"""Shared test fixtures: a private search index per test, and personas.

Personas (STYLE.md §12): an anonymous visitor, a registered user, an editor, an admin, a
reporter of organization A, a plain member of organization A (membership role "member", no
reporting rights), a reporter of organization B and an expert.
"""

import uuid

import pytest

from sti.search import services as search_services


@pytest.hookimpl(wrapper=True)
def pytest_runtest_teardown(item, nextitem):
    """After a transactional test's flush (its fixtures are torn down by now), put back what
    migrations loaded, for whichever test this worker runs next (after the last one, the
    test database is gone)."""
    result = yield
    marker = item.get_closest_marker("django_db")
    transactional = (marker is not None and marker.kwargs.get("transaction")) or bool(
        {"transactional_db", "live_server"} & set(getattr(item, "fixturenames", ()))
    )
    if nextitem is not None and transactional:
        from pytest_django.plugin import blocking_manager_key

        from sti.core.testing import restore_migrated_data

        with item.config.stash[blocking_manager_key].unblock():
            restore_migrated_data()
    return result


@pytest.fixture(autouse=True)
def search_index(request, tmp_path, settings):
    """Every test gets an empty index of its own: a folder for the embedded engine, a table
    of its own (dropped afterwards) for the PostgreSQL backend, in the test database."""
    settings.STI_SEARCH_INDEX_DIR = tmp_path / "index"
    settings.STI_SEARCH_WRITER_HEAP_MB = 50
    postgres = settings.STI_SEARCH_BACKEND.endswith(".PostgresBackend")
    if postgres:
        request.getfixturevalue("django_db_setup")  # the test database, not the real one
        settings.STI_SEARCH_PG_TABLE = f"sti_test_{uuid.uuid4().hex[:12]}"
    search_services.reset_backend()
    backend = search_services.get_backend()
    yield backend
    search_services.reset_backend()
    if postgres:
        backend.drop()  # and its connections, so that the test database can be dropped


@pytest.fixture(autouse=True)
def media_root(tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path / "files"
    return settings.MEDIA_ROOT


@pytest.fixture(scope="session")
def s3_server():
    """A local S3-compatible server (moto, server mode) for the whole session."""
    from sti.core.testing import LocalS3

    server = LocalS3()
    yield server
    server.stop()


@pytest.fixture
def s3_storage(s3_server, settings):
    """This test's files on a fresh bucket of the local S3 server (STORAGES["default"]
    overridden); yields the storage."""
    from uuid import uuid4

    from django.core.files.storage import storages

    bucket = s3_server.create_bucket(f"sti-test-{uuid4().hex[:16]}")
    settings.STORAGES = {**settings.STORAGES, "default": s3_server.storage_entry(bucket)}
    yield storages["default"]


@pytest.fixture(params=["local", "s3"])
def each_storage(request):
    """The test runs on local files, then on a fresh bucket of the local S3 server; yields
    the storage."""
    from django.core.files.storage import default_storage

    if request.param == "s3":
        return request.getfixturevalue("s3_storage")
    return default_storage


@pytest.fixture
def org_a(db):
    from sti.directory.models import Organization

    return Organization.objects.create(
        name="Trường Đại học Cần Thơ", abbreviation="ĐHCT", kind="university"
    )


@pytest.fixture
def org_b(db):
    from sti.directory.models import Organization

    return Organization.objects.create(
        name="Viện Lúa Đồng bằng sông Cửu Long", abbreviation="CLRRI", kind="institute"
    )


def _user(username, **extra):
    from sti.accounts.models import User

    return User.objects.create_user(username=username, password="pw-" + username, **extra)


@pytest.fixture
def registered(db):
    return _user("dangky", full_name="Lê Văn Đăng Ký")


@pytest.fixture
def editor(db):
    return _user("bientap", full_name="Nguyễn Thị Biên Tập", role="editor")


@pytest.fixture
def admin_user(db):
    return _user("quantri", role="admin", is_superuser=True, is_staff=True)


@pytest.fixture
def reporter_a(db, org_a):
    from sti.accounts.models import Membership

    user = _user("baocao_a", full_name="Phạm Báo Cáo A")
    Membership.objects.create(user=user, organization=org_a, role="reporter")
    return user


@pytest.fixture
def member_a(db, org_a):
    """A plain member of organization A: belongs to it, may not act for it."""
    from sti.accounts.models import Membership

    user = _user("thanhvien_a", full_name="Đỗ Thành Viên A")
    Membership.objects.create(user=user, organization=org_a, role="member")
    return user


@pytest.fixture
def expert_user(db, org_b):
    """An expert: a user with a public expert profile at organization B."""
    from sti.directory.models import Researcher

    user = _user("chuyengia", full_name="GS. Huỳnh Chuyên Gia")
    Researcher.objects.create(
        full_name="Huỳnh Chuyên Gia", user=user, organization=org_b, is_expert=True
    )
    return user


@pytest.fixture
def reporter_b(db, org_b):
    from sti.accounts.models import Membership

    user = _user("baocao_b", full_name="Võ Báo Cáo B")
    Membership.objects.create(user=user, organization=org_b, role="reporter")
    return user


@pytest.fixture
def client_for(client):
    """`client_for(user)` → a test client logged in as that user (None = anonymous)."""
    from django.test import Client

    def make(user):
        c = Client()
        if user is not None:
            c.force_login(user)
        return c

    return make


@pytest.fixture
def run_on_commit(django_capture_on_commit_callbacks):
    """Run on_commit side effects (index tasks) inside a test transaction."""
    return lambda: django_capture_on_commit_callbacks(execute=True)


@pytest.fixture(autouse=True)
def forget_codelists():
    """Code lists read by one test are not remembered into the next (rows made with
    bulk_create send no signal)."""
    from sti.core.codelists import forget

    forget()
    yield
    forget()


@pytest.fixture(autouse=True)
def forget_thesaurus():
    """The thesaurus map a test built (from its own rows) is not kept for the next one."""
    from sti.thesaurus.expander import forget

    yield
    forget()
