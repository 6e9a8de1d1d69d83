"""Test helpers every app's tests use (STYLE.md §12–13).

Personas. The persona fixtures live in `sti/conftest.py` (some need directory models, which
`core` may not import); here they are only names. "anonymous" is no fixture: it means no user.

View-test classes. A test class declares a few lines of data (the URL, which personas are
allowed, the form data, the expected object after) and inherits the whole matrix: every
test method that takes `persona` runs once per persona; an allowed persona gets its page and
the effect, a refused one gets 403, 404 or the login page and *no* effect (no new row, the
object unchanged, no audit row)::

    class TestOrganizationCreate(CreatePageTests):
        create_url = "/danh-ba/to-chuc/them/"
        create_allowed = STAFF
        model = Organization
        create_expected = {"name": "Viện Kinh tế – Xã hội TP. Cần Thơ"}

        def create_data(self, request):
            return {"name": "Viện Kinh tế – Xã hội TP. Cần Thơ", "kind": "institute"}

Query-count pins. `assert_flat_queries(client, url, add_rows, at_most=n)` requests a page
with 2 rows and with 20: the number of queries must be the same (an N+1 loop fails) and no
more than the pin. Each app pins its pages in `tests/test_query_counts.py`, and
`sti/portal/tests/test_page_inventory.py` fails for a page that is neither pinned nor
explained. For a single block of code: `with assert_num_queries_at_most(n): ...`.

Transactional tests (`django_db(transaction=True)`, real concurrency on PostgreSQL) end with
a flush, which also empties what migrations loaded (code lists, series, content types).
`sti/conftest.py` calls `restore_migrated_data()` after every such test, so no test file
has to remember it; mark them `serialized_rollback=True` as well, so that each one starts
from the migrated data too.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from contextlib import contextmanager

from django.conf import settings
from django.db import connection
from django.forms.models import model_to_dict
from django.shortcuts import resolve_url
from django.test.utils import CaptureQueriesContext
from django.utils.html import escape

# ---------------------------------------------------------------------------
# Personas
# ---------------------------------------------------------------------------
ANONYMOUS = "anonymous"
PERSONAS = (
    ANONYMOUS,
    "registered",
    "member_a",  # plain member of organization A: belongs to it, may not act for it
    "reporter_a",  # reporter of organization A (the owning organization in app tests)
    "reporter_b",  # reporter of organization B
    "expert_user",
    "editor",
    "admin_user",
)
EVERYONE = frozenset(PERSONAS)
SIGNED_IN = EVERYONE - {ANONYMOUS}
STAFF = frozenset({"editor", "admin_user"})

LOGIN = "login"  # a refusal that answers with the login page (a redirect to LOGIN_URL)


def persona_user(request, persona: str):
    """The user behind a persona name (None for the anonymous visitor)."""
    return None if persona == ANONYMOUS else request.getfixturevalue(persona)


def assert_refused(response, expected) -> None:
    """`expected` is 403, 404 or LOGIN (a redirect to the login page)."""
    if expected == LOGIN:
        assert response.status_code == 302, f"answered {response.status_code}, not the login page"
        assert response["Location"].startswith(resolve_url(settings.LOGIN_URL)), response[
            "Location"
        ]
    else:
        assert response.status_code == expected, f"answered {response.status_code}, not {expected}"


def audit_count() -> int:
    from sti.core.models import AuditEntry

    return AuditEntry.objects.count()


def snapshot(obj) -> dict:
    """The stored values of an object (fields and many-to-many), fresh from the database."""
    fresh = type(obj)._default_manager.get(pk=obj.pk)
    return model_to_dict(
        fresh,
        fields=[f.name for f in fresh._meta.concrete_fields]
        + [f.name for f in fresh._meta.many_to_many],
    )


def assert_has_values(obj, expected: dict) -> None:
    """Each `field: value` of `expected` holds on `obj` (many-to-many: a set of pks)."""
    for name, value in expected.items():
        actual = getattr(obj, name)
        if hasattr(actual, "all"):  # a many-to-many or reverse manager
            actual = {related.pk for related in actual.all()}
            value = {getattr(item, "pk", item) for item in value}
        assert actual == value, f"{name}: {actual!r} != {value!r}"


def assert_shows(response, texts: Iterable) -> None:
    content = response.content.decode()
    for text in texts:
        assert escape(str(text)) in content, f"{text!r} missing from the page"


class PersonaMatrix:
    """Every test method that takes a `persona` argument runs once for each persona; while
    it runs, `self.persona` names it (for data that depends on who acts, e.g. their own
    organization).

    `refusal(action, persona)` says how a persona outside `<action>_allowed` is refused:
    `<action>_refused` maps persona → 403 / 404 / LOGIN; the default is LOGIN for the
    anonymous visitor and 403 for the rest.
    """

    personas = PERSONAS

    def pytest_generate_tests(self, metafunc):
        if "persona" in metafunc.fixturenames:
            metafunc.parametrize("persona", self.personas)

    def allowed(self, action: str, persona: str) -> bool:
        return persona in getattr(self, f"{action}_allowed")

    def refusal(self, action: str, persona: str):
        refused = getattr(self, f"{action}_refused", {})
        return refused.get(persona, LOGIN if persona == ANONYMOUS else 403)


# ---------------------------------------------------------------------------
# View-test classes (combine them in one class per page family)
# ---------------------------------------------------------------------------
class ListPageTests(PersonaMatrix):
    """GET `list_url`: allowed personas see the rows of `listed()`, hidden rows are absent."""

    list_url = ""
    list_allowed = EVERYONE
    list_refused: dict = {}
    list_params: dict = {}

    def listed(self, request, persona) -> Iterable:
        """Objects (or texts) this persona must see on the list; created here."""
        return ()

    def unlisted(self, request, persona) -> Iterable:
        """Objects (or texts) this persona must not see on the list; created here."""
        return ()

    def test_list_page(self, request, client_for, persona):
        self.persona = persona
        user = persona_user(request, persona)
        shown, hidden = list(self.listed(request, persona)), list(self.unlisted(request, persona))
        response = client_for(user).get(self.list_url, self.list_params)
        if not self.allowed("list", persona):
            assert_refused(response, self.refusal("list", persona))
            return
        assert response.status_code == 200, (persona, response.status_code)
        assert_shows(response, shown)
        content = response.content.decode()
        for text in hidden:
            assert escape(str(text)) not in content, f"{text!r} shown to {persona}"


class DetailPageTests(PersonaMatrix):
    """GET the page of `detail_object()`: allowed personas see `detail_texts`."""

    detail_allowed = EVERYONE
    detail_refused: dict = {}

    def detail_object(self, request):
        raise NotImplementedError

    def detail_url(self, obj) -> str:
        return obj.get_absolute_url()

    def detail_texts(self, obj) -> Iterable:
        return [str(obj)]

    def test_detail_page(self, request, client_for, persona):
        self.persona = persona
        obj = self.detail_object(request)
        response = client_for(persona_user(request, persona)).get(self.detail_url(obj))
        if not self.allowed("detail", persona):
            assert_refused(response, self.refusal("detail", persona))
            return
        assert response.status_code == 200, (persona, response.status_code)
        assert_shows(response, self.detail_texts(obj))


class CreatePageTests(PersonaMatrix):
    """GET and POST `create_url`: allowed personas create one `model` row with
    `create_expected` values (then `check_created`); refused ones create nothing."""

    model = None
    create_url = ""
    create_allowed = STAFF
    create_refused: dict = {}
    create_expected: dict = {}
    create_status = 302  # the answer to a valid POST

    def create_data(self, request) -> dict:
        raise NotImplementedError

    def create_redirect(self, obj) -> str | None:
        """Where a successful POST leads (None: not checked)."""
        return obj.get_absolute_url()

    def check_created(self, obj, user) -> None:
        """More checks on the new object (an audit row, a status, a submitter)."""

    def test_create_form(self, request, client_for, persona):
        self.persona = persona
        response = client_for(persona_user(request, persona)).get(self.create_url)
        if self.allowed("create", persona):
            assert response.status_code == 200, (persona, response.status_code)
        else:
            assert_refused(response, self.refusal("create", persona))

    def test_create(self, request, client_for, persona):
        self.persona = persona
        user = persona_user(request, persona)
        data = self.create_data(request)
        before = set(self.model._default_manager.values_list("pk", flat=True))
        audits = audit_count()
        response = client_for(user).post(self.create_url, data)
        new = self.model._default_manager.exclude(pk__in=before)
        if not self.allowed("create", persona):
            assert_refused(response, self.refusal("create", persona))
            assert not new.exists(), "a refused persona created a row"
            assert audit_count() == audits
            return
        form = response.context.get("form") if response.context else None
        assert response.status_code == self.create_status, getattr(form, "errors", None)
        obj = new.get()
        assert_has_values(obj, self.create_expected)
        redirect = self.create_redirect(obj)
        if self.create_status == 302 and redirect is not None:
            assert response["Location"] == redirect
        self.check_created(obj, user)


class EditPageTests(PersonaMatrix):
    """GET and POST the edit page of `edit_object()`: allowed personas change it to
    `edit_expected`; refused ones leave it as it was (fields, many-to-many, audit)."""

    edit_allowed = STAFF
    edit_refused: dict = {}
    edit_expected: dict = {}
    edit_status = 302

    def edit_object(self, request):
        raise NotImplementedError

    def edit_url(self, obj) -> str:
        raise NotImplementedError

    def edit_data(self, request, obj) -> dict:
        raise NotImplementedError

    def edit_redirect(self, obj) -> str | None:
        return obj.get_absolute_url()

    def check_edited(self, obj, user) -> None:
        """More checks on the edited object (the audit row of the change, …)."""

    def test_edit_form(self, request, client_for, persona):
        self.persona = persona
        obj = self.edit_object(request)
        response = client_for(persona_user(request, persona)).get(self.edit_url(obj))
        if self.allowed("edit", persona):
            assert response.status_code == 200, (persona, response.status_code)
        else:
            assert_refused(response, self.refusal("edit", persona))

    def test_edit(self, request, client_for, persona):
        self.persona = persona
        user = persona_user(request, persona)
        obj = self.edit_object(request)
        data = self.edit_data(request, obj)
        before, audits = snapshot(obj), audit_count()
        response = client_for(user).post(self.edit_url(obj), data)
        if not self.allowed("edit", persona):
            assert_refused(response, self.refusal("edit", persona))
            assert snapshot(obj) == before, "a refused persona changed the object"
            assert audit_count() == audits
            return
        form = response.context.get("form") if response.context else None
        assert response.status_code == self.edit_status, getattr(form, "errors", None)
        obj.refresh_from_db()
        assert_has_values(obj, self.edit_expected)
        redirect = self.edit_redirect(obj)
        if self.edit_status == 302 and redirect is not None:
            assert response["Location"] == redirect
        self.check_edited(obj, user)


# ---------------------------------------------------------------------------
# Query counts
# ---------------------------------------------------------------------------
@contextmanager
def assert_num_queries_at_most(limit: int):
    """`with assert_num_queries_at_most(6): client.get(url)`; lists the queries on failure."""
    with CaptureQueriesContext(connection) as context:
        yield context
    count = len(context.captured_queries)
    assert count <= limit, f"{count} queries, pinned at {limit}:\n{_listing(context)}"


def _listing(context) -> str:
    return "\n".join(f"{i}. {q['sql']}" for i, q in enumerate(context.captured_queries, 1))


def count_queries(client, url: str, params: dict | None = None, **extra):
    """GET a page (it must answer 200); returns (number of queries, response, their list)."""
    with CaptureQueriesContext(connection) as context:
        response = client.get(url, params or {}, **extra)
    assert response.status_code == 200, response.status_code
    return len(context.captured_queries), response, _listing(context)


def assert_flat_queries(
    client,
    url: str | Callable[[], str],
    add_rows: Callable[[int], Iterable | None],
    *,
    at_most: int,
    params: dict | None = None,
    sizes: tuple[int, int] = (2, 20),
    **extra,
) -> tuple[int, int]:
    """Pin a page's query count and check it does not grow with its rows.

    `add_rows(n)` adds n more rows to what the page shows and returns texts (or objects)
    that must appear on it (None: not checked). The page is requested once to warm the
    caches, then with `sizes[0]` rows and with `sizes[1]` rows: both counts must be equal
    and at most `at_most`. `url` may be a callable (for a page whose object is created by
    `add_rows`). Returns the two counts.
    """
    small, large = sizes
    shown = list(add_rows(small) or [])
    target = url() if callable(url) else url
    client.get(target, params or {}, **extra)  # warm caches (menus, code lists, sessions)
    first, response, _ = count_queries(client, target, params, **extra)
    assert_shows(response, shown)
    shown += list(add_rows(large - small) or [])
    second, response, queries = count_queries(client, target, params, **extra)
    assert_shows(response, shown)
    assert first == second, f"{first} queries at {small} rows, {second} at {large}:\n{queries}"
    assert second <= at_most, f"{second} queries, pinned at {at_most}:\n{queries}"
    print(f"query pin {target}: {second} (pinned at {at_most})")  # shown with pytest -s
    return first, second


def reset_sequences() -> None:
    """Point every table's id sequence past its rows (PostgreSQL; a no-op elsewhere), after
    rows were written with their own ids."""
    from django.apps import apps
    from django.core.management.color import no_style

    statements = connection.ops.sequence_reset_sql(
        no_style(), apps.get_models(include_auto_created=True)
    )
    with connection.cursor() as cursor:
        for statement in statements:
            cursor.execute(statement)


def restore_migrated_data() -> bool:
    """Put back what migrations loaded when a flush has emptied it. The witness is the S&T
    field code list (a flush that ran post_migrate recreates content types, not code lists);
    the tables are emptied again first, so the restored rows keep their own ids. True when
    something was restored."""
    from django.core.management import call_command

    from sti.core.models import FieldOfScience

    contents = getattr(connection, "_test_serialized_contents", None)
    if not contents or FieldOfScience.objects.exists():
        return False
    call_command("flush", interactive=False, inhibit_post_migrate=True, verbosity=0)
    connection.creation.deserialize_db_from_string(contents)
    reset_sequences()
    return True


# ---------------------------------------------------------------------------
# A local S3-compatible server (moto's server mode)
# ---------------------------------------------------------------------------
S3_TEST_KEY = "sti-test"  # moto accepts any key pair
S3_TEST_REGION = "us-east-1"


class LocalS3:
    """moto's S3 server in a thread of this process, on a free loopback port: real HTTP, real
    boto3 and django-storages code, no network. Started once per test session
    (`s3_server` fixture in sti/conftest.py); each test gets a bucket of its own."""

    def __init__(self):
        import logging

        from moto.server import ThreadedMotoServer

        logging.getLogger("werkzeug").setLevel(logging.WARNING)  # one line per request
        self._server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
        self._server.start()
        host, port = self._server.get_host_and_port()
        self.endpoint_url = f"http://{host}:{port}"

    def stop(self) -> None:
        self._server.stop()

    def create_bucket(self, name: str) -> str:
        import boto3

        boto3.client(
            "s3",
            endpoint_url=self.endpoint_url,
            aws_access_key_id=S3_TEST_KEY,
            aws_secret_access_key=S3_TEST_KEY,
            region_name=S3_TEST_REGION,
        ).create_bucket(Bucket=name)
        return name

    def storage_entry(self, bucket: str) -> dict:
        """The STORAGES["default"] entry for `bucket`, built as production builds it."""
        from sti.settings import s3_storage

        return s3_storage(
            endpoint_url=self.endpoint_url,
            bucket=bucket,
            access_key=S3_TEST_KEY,
            secret_key=S3_TEST_KEY,
            region=S3_TEST_REGION,
        )

    def environ(self, bucket: str) -> dict[str, str]:
        """The environment variables that put an `sti` process (web, worker) on `bucket`."""
        return {
            "STI_STORAGE": "s3",
            "STI_S3_ENDPOINT_URL": self.endpoint_url,
            "STI_S3_BUCKET": bucket,
            "STI_S3_ACCESS_KEY": S3_TEST_KEY,
            "STI_S3_SECRET_KEY": S3_TEST_KEY,
            "STI_S3_REGION": S3_TEST_REGION,
        }
