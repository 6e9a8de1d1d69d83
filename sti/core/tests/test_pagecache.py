"""The anonymous page cache (sti.core.pagecache), tried as an attacker would: another
visitor's page, token or language is never served, a write is seen at once, and every
private case stays out of the cache."""

import os
import re
import uuid

import pytest
from django.contrib import messages
from django.core.cache import caches
from django.db import connection, transaction
from django.http import HttpResponse, JsonResponse
from django.template import engines
from django.test import Client
from django.urls import include, path
from django.utils.cache import patch_vary_headers
from django.views.decorators.cache import never_cache

from sti.core import pagecache
from sti.core.models import FieldOfScience

pytestmark = pytest.mark.django_db

TEMPLATE = engines["django"].from_string(
    "<p>{{ who }}</p><form method='post'>{% csrf_token %}</form>"
    '<div hx-headers=\'{"X-CSRFToken": "{{ csrf_token }}"}\'></div>'
)


def who(request):
    user = request.user
    name = user.get_username() if user.is_authenticated else "khách"
    return HttpResponse(TEMPLATE.render({"who": name}, request))


def fields(request):
    return JsonResponse({"fields": FieldOfScience.objects.count()})


def form_post(request):
    return HttpResponse("ok")


def with_message(request):
    messages.info(request, "Đã lưu")
    return HttpResponse("message")


def with_cookie(request):
    response = HttpResponse("cookie")
    response.set_cookie("theo-doi", "1")
    return response


def varies(request):
    response = HttpResponse(request.headers.get("Accept", ""))
    patch_vary_headers(response, ("Accept",))
    return response


@pagecache.no_page_cache
def opted_out(request):
    return HttpResponse("riêng")


def private_link(request, token):
    return HttpResponse(f"token {token}")


def handed_to_nginx(request):
    response = HttpResponse(content_type="application/pdf")
    response["X-Accel-Redirect"] = "/_files/a.pdf"
    return response


def missing(request):
    return HttpResponse("không có", status=404)


urlpatterns = [
    path("ai/", who),
    path("linh-vuc/", fields),
    path("gui/", form_post),
    path("thong-bao/", with_message),
    path("cookie/", with_cookie),
    path("vary/", varies),
    path("rieng/", opted_out),
    path("never/", never_cache(who)),
    path("theo-doi/<str:token>/", private_link),
    path("thieu/", missing),
    path("tai/", handed_to_nginx),
    path("", include("sti.urls")),  # the layout's links
]


@pytest.fixture(autouse=True)
def page_cache(settings):
    settings.ROOT_URLCONF = __name__
    settings.PAGE_CACHE_SECONDS = 60
    cache = caches[pagecache.CACHE_ALIAS]  # locmem; a test may point the alias elsewhere
    cache.clear()
    yield cache
    cache.clear()


def stored_bytes(cache) -> bytes:
    """Everything the locmem page cache holds, as bytes (pickled entries)."""
    return b"".join(cache._cache.values())


def token_of(response) -> str:
    return re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', response.content)[1].decode()


def test_anonymous_page_is_kept_and_served_with_age():
    client = Client()
    first = client.get("/ai/")
    second = client.get("/ai/")
    assert first["X-Cache"] == "MISS" and second["X-Cache"] == "HIT"
    assert int(second["Age"]) >= 0
    assert b"kh\xc3\xa1ch" in second.content


def test_each_visitor_gets_their_own_csrf_token_and_none_is_stored(page_cache):
    first, second = Client(enforce_csrf_checks=True), Client(enforce_csrf_checks=True)
    miss = first.get("/ai/")
    hit = second.get("/ai/")
    assert hit["X-Cache"] == "HIT"
    tokens = {token_of(miss), token_of(hit)}
    assert len(tokens) == 2
    # Both places in the page hold the visitor's token, never the placeholder.
    assert hit.content.count(token_of(hit).encode()) == 2
    assert b"csrftoken" in hit.cookies.output().encode()
    held = stored_bytes(page_cache)
    for token in tokens:
        assert token.encode() not in held
    # The token served from the cache is valid for its visitor.
    assert second.post("/gui/", {"csrfmiddlewaretoken": token_of(hit)}).status_code == 200
    assert first.post("/gui/", {"csrfmiddlewaretoken": token_of(miss)}).status_code == 200
    # …and only for them: the cached page carried no token of the visitor who filled it.
    assert first.post("/gui/", {"csrfmiddlewaretoken": token_of(hit)}).status_code == 403
    assert Client(enforce_csrf_checks=True).post("/gui/").status_code == 403


def test_signed_in_page_never_reaches_anonymous_and_back(editor, page_cache):
    signed_in = Client()
    signed_in.force_login(editor)
    mine = signed_in.get("/ai/")
    assert editor.username.encode() in mine.content and "X-Cache" not in mine
    anonymous = Client().get("/ai/")
    assert anonymous["X-Cache"] == "MISS"
    assert editor.username.encode() not in anonymous.content
    again = signed_in.get("/ai/")
    assert editor.username.encode() in again.content and "X-Cache" not in again
    assert editor.username.encode() not in stored_bytes(page_cache)


def test_a_write_makes_the_page_stale():
    client = Client()
    before = client.get("/linh-vuc/").json()["fields"]
    assert client.get("/linh-vuc/")["X-Cache"] == "HIT"
    version = FieldOfScience.objects.first().version
    FieldOfScience.objects.create(version=version, code="9999999", name="Mới", level=4)
    fresh = client.get("/linh-vuc/")
    assert fresh["X-Cache"] == "MISS" and fresh.json()["fields"] == before + 1
    FieldOfScience.objects.filter(code="9999999").update(name="Đổi")  # no signal
    assert client.get("/linh-vuc/")["X-Cache"] == "MISS"
    FieldOfScience.objects.filter(code="9999999").delete()
    assert client.get("/linh-vuc/").json()["fields"] == before


def test_other_processes_see_a_write_on_commit(settings, django_capture_on_commit_callbacks):
    shared = pagecache._generation_file()

    def size():
        return shared.stat().st_size if shared.exists() else 0

    start = size()
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        with transaction.atomic():
            for code in ("9999991", "9999992"):
                FieldOfScience.objects.create(
                    version=FieldOfScience.objects.first().version, code=code, name=code, level=4
                )
            assert size() == start  # nothing is visible to other processes yet
    assert sum(1 for callback in callbacks if callback is pagecache.bump) == 1  # once
    assert size() == start + 1


def test_language_variants_are_kept_apart(settings):
    vietnamese = Client()
    english = Client()
    english.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    assert vietnamese.get("/ai/")["Content-Language"] == "vi"
    response = english.get("/ai/")
    assert response["X-Cache"] == "MISS" and response["Content-Language"] == "en"
    assert english.get("/ai/")["X-Cache"] == "HIT"
    assert vietnamese.get("/ai/")["Content-Language"] == "vi"


@pytest.mark.parametrize(
    "extra",
    [
        {"HTTP_AUTHORIZATION": "Bearer abc"},
        {"HTTP_HX_REQUEST": "true"},
        {"HTTP_COOKIE": "sessionid=abc"},
        {"HTTP_COOKIE": "messages=abc"},
        {"HTTP_COOKIE": "csrftoken=short"},  # a malformed token is being replaced
    ],
)
def test_requests_with_private_state_bypass_the_cache(extra, page_cache):
    Client().get("/ai/")  # a page in the cache for anonymous visitors
    response = Client().get("/ai/", **extra)
    assert "X-Cache" not in response


@pytest.mark.parametrize(
    "url",
    ["/thong-bao/", "/cookie/", "/vary/", "/rieng/", "/never/", "/theo-doi/bi-mat/", "/thieu/"],
)
def test_private_or_failed_answers_are_not_stored(url, page_cache):
    client = Client()
    client.get(url)
    assert "X-Cache" not in client.get(url)
    assert len(page_cache._cache) == 0


def test_head_is_served_from_a_get_and_post_never(page_cache):
    client = Client()
    client.head("/ai/")
    assert len(page_cache._cache) == 0
    client.get("/ai/")
    assert client.head("/ai/")["X-Cache"] == "HIT"
    assert "X-Cache" not in client.post("/gui/")


def test_turned_off_with_zero_seconds(settings, page_cache):
    settings.PAGE_CACHE_SECONDS = 0
    client = Client()
    client.get("/ai/")
    assert "X-Cache" not in client.get("/ai/")


@pytest.mark.parametrize(
    "sql, kind",
    [
        ('SELECT "a" FROM "b"', "read"),
        ('  INSERT INTO "library_document" ("a") VALUES (1)', "write"),
        ('UPDATE "projects_task" SET "a" = 1', "write"),
        ('DELETE FROM "core_fieldofscience" WHERE 1', "write"),
        ('INSERT OR IGNORE INTO "x" VALUES (1)', "write"),
        ('UPDATE "django_session" SET "expire_date" = 1', "read"),
        ('INSERT INTO "axes_accesslog" VALUES (1)', "read"),
        ('UPDATE "django_tasks_database_dbtaskresult" SET "status" = 1', "read"),
        ("WITH c AS (SELECT 1) SELECT * FROM c", "read"),
        ("WITH c AS (SELECT 1) UPDATE t SET a = 1", "write"),
        ('ROLLBACK TO SAVEPOINT "s1"', "rollback"),
        ("CREATE TABLE t (a int)", "write"),
    ],
)
def test_statement_kinds(sql, kind):
    assert pagecache._statement_kind(sql) == kind


def test_raw_sql_and_bulk_writes_are_seen():
    client = Client()
    client.get("/linh-vuc/")
    version = FieldOfScience.objects.first().version
    FieldOfScience.objects.bulk_create(
        [FieldOfScience(version=version, code="9999993", name="Loạt", level=4)]
    )
    assert client.get("/linh-vuc/")["X-Cache"] == "MISS"
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM core_fieldofscience WHERE code = %s", ["9999993"])
    assert client.get("/linh-vuc/")["X-Cache"] == "MISS"


def test_shared_generation_in_redis(settings):
    """With Redis (several web hosts), the generation lives in Redis: a bump made by one
    process is seen by all, and a lost generation starts above every value counted before."""
    redis = pytest.importorskip("redis")
    url = os.environ.get("STI_TEST_REDIS_URL", "redis://127.0.0.1:6379/13")
    try:
        redis.Redis.from_url(url, socket_connect_timeout=2).ping()
    except redis.exceptions.ConnectionError:
        pytest.skip("no Redis server at " + url)
    settings.CACHES = {
        **settings.CACHES,
        pagecache.CACHE_ALIAS: {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": url,
            "KEY_PREFIX": f"test-pages-{uuid.uuid4().hex}",
        },
    }
    cache = caches[pagecache.CACHE_ALIAS]
    assert not pagecache._per_process()
    client = Client()
    try:
        assert client.get("/ai/")["X-Cache"] == "MISS"
        assert client.get("/ai/")["X-Cache"] == "HIT"
        before = pagecache.generation()
        pagecache.bump()
        assert int(pagecache.generation()) == int(before) + 1
        assert client.get("/ai/")["X-Cache"] == "MISS"
        cache.delete(pagecache.GENERATION_KEY)  # evicted
        assert int(pagecache.generation()) > int(before) + 1
    finally:
        cache.delete(pagecache.GENERATION_KEY)  # the pages expire by themselves


def test_a_search_index_commit_makes_pages_stale(search_index):
    client = Client()
    client.get("/ai/")
    shared = pagecache._generation_file()
    before = shared.stat().st_size if shared.exists() else 0
    search_index.delete(["document:999999"])  # a commit of the index
    assert shared.stat().st_size > before
    assert client.get("/ai/")["X-Cache"] == "MISS"


def test_an_unreachable_cache_answers_without_it(settings):
    settings.CACHES = {
        **settings.CACHES,
        pagecache.CACHE_ALIAS: {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": "redis://127.0.0.1:9/0",  # nothing listens there
        },
    }
    client = Client()
    response = client.get("/ai/")
    assert response.status_code == 200 and "X-Cache" not in response
    version = FieldOfScience.objects.first().version
    FieldOfScience.objects.create(version=version, code="9999994", name="Vẫn lưu", level=4)
    assert FieldOfScience.objects.filter(code="9999994").exists()


def test_a_write_that_changes_no_row_keeps_the_pages():
    client = Client()
    client.get("/linh-vuc/")
    FieldOfScience.objects.filter(code="khong-co").update(name="x")  # no row matches
    FieldOfScience.objects.filter(code="khong-co").delete()
    assert client.get("/linh-vuc/")["X-Cache"] == "HIT"


def test_a_download_handed_to_nginx_is_not_stored(page_cache):
    client = Client()
    client.get("/tai/")
    assert "X-Cache" not in client.get("/tai/") and len(page_cache._cache) == 0


def big_page(request):
    return HttpResponse(b"x" * 300_000)


urlpatterns.append(path("lon/", big_page))


def test_junk_arguments_cannot_grow_the_cache_past_its_memory_budget(settings, page_cache):
    """Every junk argument is a new address, so a new entry: the per-process cache is bounded
    in bytes (`STI_PAGE_CACHE_MEMORY_MB`), not only in entries (1,000 pages of up to 1 MB
    would be 1 GB in each web process). The oldest pages go first."""
    assert 0 < page_cache._max_bytes <= 256 << 20  # the default budget is a bounded one
    page_cache._max_bytes = 1_000_000
    client = Client()
    for number in range(10):
        assert client.get(f"/lon/?rac={number}")["X-Cache"] == "MISS"
    assert len(stored_bytes(page_cache)) <= 1_000_000
    assert client.get("/lon/?rac=9")["X-Cache"] == "HIT"  # the latest stay
    assert client.get("/lon/?rac=0")["X-Cache"] == "MISS"


def test_a_running_jobs_progress_and_lease_keep_the_pages():
    """A tracked job writes its progress once a second and renews its lease every 20 s for
    as long as it runs (a reindex, a harvest, an OCR): those writes alone would empty the
    cache for the length of every job. Pages showing a job's state poll it (htmx, never
    cached); what the job produces is written to its own tables, which count."""
    from sti.core import jobs

    job = jobs.create("pagecache-test", label="Lập chỉ mục")
    client = Client()
    client.get("/linh-vuc/")
    jobs.Progress(job, interval=0)(5, total=10, message="Đang chạy")
    assert client.get("/linh-vuc/")["X-Cache"] == "HIT"
    version = FieldOfScience.objects.first().version
    FieldOfScience.objects.create(version=version, code="9999993", name="Kết quả", level=4)
    assert client.get("/linh-vuc/")["X-Cache"] == "MISS"
