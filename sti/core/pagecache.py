"""The anonymous page cache: whole responses (pages and API lists) kept for visitors who are
not signed in, so that the common pages cost no template rendering and no query.

Safe by construction rather than by listing pages:

- only anonymous GET/HEAD requests are candidates: no session or messages cookie (only the
  CSRF and language cookies may be present), no `Authorization` header, not htmx;
- only a 200 response is stored, and only when it sets no cookie, changed no session, added
  no message, varies on nothing outside the key, is not `private`/`no-store`, was not opted
  out (`no_page_cache`, `skip_page_cache`) and its URL carries no `token` argument (the
  private tracking, unsubscribe and feed links);
- a page never holds a CSRF token in the cache: a candidate renders `{{ csrf_token }}` as a
  random placeholder (stored with the entry), and every answer, fresh or cached, gets the
  visitor's own token in its place; a page that produced a real token another way is not
  stored;
- the key holds the full URL (scheme, host, path, query), the language and a generation
  number that every database write moves (`WriteWatcher`: any INSERT/UPDATE/DELETE on any
  connection, so save, delete, many-to-many changes, `update()`, `bulk_create()` and raw SQL
  alike; counted on commit for other processes and at once for the writing process), as
  does a search index commit; and entries expire after `PAGE_CACHE_SECONDS`, for what time
  alone changes (embargoes, `available_from`, expiry dates);
- counters written on every visit are declared (`ignore_writes_to`) so that they do not drop
  every page, and work a view does on every answer (counting a view) is declared as a hook
  (`on_every_answer`) that runs for the cached answers too.

The generation lives where the cache is shared: in the cache itself for a shared backend
(Redis: every web host sees a write at once), in a file of the data folder for a per-process
cache (locmem, the default: the web workers and the task worker of one host share it).
Answers carry `X-Cache: HIT|MISS` and, when cached, `Age`.
"""

from __future__ import annotations

import functools
import hashlib
import itertools
import logging
import os
import re
import secrets
import time
from collections.abc import Callable
from pathlib import Path

from django.conf import settings
from django.core.cache import caches
from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.locmem import LocMemCache
from django.db import connections
from django.http import HttpResponse
from django.middleware.csrf import get_token
from django.utils.cache import cc_delim_re

logger = logging.getLogger(__name__)

CACHE_ALIAS = "pages"
GENERATION_KEY = "sti:pagecache:generation"
GENERATION_FILE = "pagecache.generation"
# The generation file is rotated (a new file, so a new inode) when it grows past this.
GENERATION_FILE_MAX_BYTES = 1 << 20
# Headers the key covers (htmx requests are never candidates); a response varying on any
# other header is not stored.
VARY_ALLOWED = {"cookie", "accept-encoding", "hx-request", "hx-target", "hx-trigger", "hx-boosted"}
VARY_ALLOWED |= {"hx-current-url", "hx-history-restore-request", "hx-prompt", "hx-trigger-name"}
# Rows written by sessions, login throttling and the task queue change no page.
IGNORED_TABLE_PREFIXES = ("django_session", "axes_", "django_tasks_database_")
# URL arguments that make an address private to whoever holds it.
PRIVATE_URL_ARGUMENTS = {"token", "uidb64"}

_local = itertools.count(1)
_local_generation = 0


# ---------------------------------------------------------------------------
# The per-process store
# ---------------------------------------------------------------------------
class BoundedLocMemCache(LocMemCache):
    """Django's per-process cache, bounded in bytes as well as in entries (`MAX_BYTES` in
    OPTIONS): every junk URL argument is a new page to keep, so a count alone would let
    1,000 pages of up to PAGE_CACHE_MAX_BYTES each sit in every web process. Past the
    budget the least recently used pages go first."""

    def __init__(self, name, params):
        super().__init__(name, params)
        self._max_bytes = int(params.get("OPTIONS", {}).get("MAX_BYTES", 0) or 0)

    def _set(self, key, value, timeout=DEFAULT_TIMEOUT):
        super()._set(key, value, timeout)  # under the lock; the newest entry comes first
        if not self._max_bytes:
            return
        # Summed each time (a thousand lengths): the store is shared by every thread's
        # instance, so a running total kept by one instance would miss the others' writes.
        total = sum(map(len, self._cache.values()))
        while total > self._max_bytes and self._cache:
            oldest, pickled = self._cache.popitem()
            self._expire_info.pop(oldest, None)
            total -= len(pickled)


# ---------------------------------------------------------------------------
# Generation
# ---------------------------------------------------------------------------
def cache_seconds() -> int:
    return int(getattr(settings, "PAGE_CACHE_SECONDS", 0) or 0)


def _cache():
    return caches[CACHE_ALIAS]


def _per_process() -> bool:
    """A cache private to each process (locmem): the generation goes through a file."""
    return isinstance(_cache(), LocMemCache)


def _generation_file() -> Path:
    return Path(settings.DATA_DIR) / GENERATION_FILE


def _bump_local() -> None:
    global _local_generation
    _local_generation = next(_local)


def generation() -> str:
    """The current generation: part of every key, so a write makes every older page
    unreachable."""
    if _per_process():
        try:
            stat = os.stat(_generation_file())
            shared = f"{stat.st_ino}.{stat.st_size}"
        except FileNotFoundError:
            shared = "0"
        # The writing process sees its own writes at once, committed or not (a request's
        # transaction, a test's); other processes see them on commit.
        return f"{shared}.{_local_generation}"
    cache = _cache()
    value = cache.get(GENERATION_KEY)
    if value is None:
        # A start after the key was lost: a value above any counted before (microseconds).
        cache.add(GENERATION_KEY, time.time_ns() // 1000, timeout=None)
        value = cache.get(GENERATION_KEY)
    return str(value)


def bump() -> None:
    """Make every cached page stale (after a write has been committed, a search index commit
    or a reload). A cache that cannot be reached is logged, never fails the write."""
    _bump_local()
    if cache_seconds() <= 0:
        return
    try:
        _bump_shared()
    except Exception:
        logger.exception("The page cache's generation could not be moved")


def _bump_shared() -> None:
    if _per_process():
        path = _generation_file()
        try:
            if path.stat().st_size >= GENERATION_FILE_MAX_BYTES:
                fresh = path.with_suffix(".new")
                fresh.write_bytes(b".")
                os.replace(fresh, path)
                return
        except FileNotFoundError:
            pass
        # One byte appended (atomic with O_APPEND): the size is the counter, across processes.
        descriptor = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o644)
        try:
            os.write(descriptor, b".")
        finally:
            os.close(descriptor)
        return
    cache = _cache()
    try:
        cache.incr(GENERATION_KEY)
    except ValueError:
        cache.add(GENERATION_KEY, time.time_ns() // 1000, timeout=None)


# ---------------------------------------------------------------------------
# Watching writes
# ---------------------------------------------------------------------------
_READS = ("SELECT", "PRAGMA", "SAVEPOINT", "RELEASE", "BEGIN", "COMMIT", "SET", "SHOW")
_READS += ("EXPLAIN", "ANALYZE", "VALUES")
_WRITE_TARGET = re.compile(
    r"^\s*(?:INSERT\s+(?:OR\s+\w+\s+)?INTO|REPLACE\s+INTO|UPDATE|DELETE\s+FROM)\s+[\"`\[]?(\w+)",
    re.IGNORECASE,
)
_WRITE_WORD = re.compile(r"\b(?:INSERT|UPDATE|DELETE|MERGE)\b", re.IGNORECASE)


def _statement_kind(sql: str) -> str:
    """'read', 'rollback' (visible to this connection only) or 'write'."""
    head = sql.lstrip()[:10].upper()
    if head.startswith("ROLLBACK"):
        return "rollback"
    if head.startswith(_READS):
        return "read"
    if head.startswith("WITH"):
        return "write" if _WRITE_WORD.search(sql) else "read"
    target = _WRITE_TARGET.match(sql)
    if target:
        table = target.group(1).lower()
        if table.startswith(IGNORED_TABLE_PREFIXES) or table in _ignored_tables:
            return "read"
    return "write"


def _changed_nothing(sql, cursor) -> bool:
    """An UPDATE or DELETE that matched no row (periodic claims, idempotent re-runs). Not
    for statements with RETURNING, whose row count is known only once fetched."""
    if not isinstance(sql, str) or sql.lstrip()[:6].upper() not in ("UPDATE", "DELETE"):
        return False
    if "RETURNING" in sql.upper():
        return False
    return getattr(cursor, "rowcount", -1) == 0


def _bump_on_commit(connection) -> None:
    """Once per transaction: Django replaces `run_on_commit` by a new list on every commit
    and rollback, so the same list means our callback is still waiting in it."""
    pending = connection.run_on_commit
    if getattr(connection, "_page_cache_pending", None) is pending:
        return
    try:
        connection.on_commit(bump)
    except Exception:  # manual transaction management: count the write now
        bump()
        return
    connection._page_cache_pending = pending


class WriteWatcher:
    """A database execute wrapper that moves the generation on every write."""

    def __call__(self, execute, sql, params, many, context):
        result = execute(sql, params, many, context)
        kind = _statement_kind(sql) if isinstance(sql, str) else "write"
        if kind == "write" and _changed_nothing(sql, context.get("cursor")):
            kind = "read"
        if kind != "read":
            _bump_local()
            if kind == "write" and cache_seconds() > 0:
                connection = context["connection"]
                if connection.in_atomic_block:
                    _bump_on_commit(connection)
                else:
                    bump()
        return result


WATCHER = WriteWatcher()


def watch_connection(sender=None, connection=None, **_kwargs) -> None:
    """Connected to `connection_created`; also run once at start for open connections."""
    targets = [connection] if connection is not None else connections.all(initialized_only=True)
    for target in targets:
        if WATCHER not in target.execute_wrappers:
            target.execute_wrappers.append(WATCHER)


def forget_on_setting_change(**_kwargs) -> None:
    """A changed setting (tests) changes pages: this process's pages go stale."""
    _bump_local()


# ---------------------------------------------------------------------------
# Counters: writes that change no page enough to drop them all, work every answer does
# ---------------------------------------------------------------------------
_ignored_tables: set[str] = set()
_hit_hooks: dict[str, Callable] = {}


def ignore_writes_to(model) -> None:
    """Writes to `model`'s table leave the kept pages alone: for counters (views, downloads)
    written on every visit, which would otherwise drop every page on every visit; pages
    showing them are at most PAGE_CACHE_SECONDS behind. Called from an app's ready()."""
    _ignored_tables.add(model._meta.db_table.lower())


def register_hit_hook(name: str, hook: Callable) -> None:
    """`hook(request, *args)` runs for a page served from the cache when the view that made
    it asked for it with `on_every_answer(request, name, *args)` (a view counter)."""
    _hit_hooks[name] = hook


def on_every_answer(request, name: str, *args) -> None:
    """Ask for the hook `name` to run with `args` on every answer of this page served from
    the cache (the view does the work itself on the answer it renders)."""
    if name not in _hit_hooks:
        raise KeyError(f"no page cache hook named {name!r}")
    hooks = getattr(request, "_page_cache_hooks", None)
    if hooks is None:
        hooks = request._page_cache_hooks = []
    hooks.append((name, args))


def _run_hooks(request, hooks) -> None:
    for name, args in hooks:
        try:
            _hit_hooks[name](request, *args)
        except Exception:
            logger.exception("Page cache hook %s failed", name)


# ---------------------------------------------------------------------------
# Opting out
# ---------------------------------------------------------------------------
def skip_page_cache(request) -> None:
    """Keep this request's answer out of the cache (for code that is not a Django view, such
    as an API operation)."""
    request.skip_page_cache = True


def no_page_cache(view):
    """A view whose answers are never cached for anonymous visitors."""

    @functools.wraps(view)
    def wrapped(request, *args, **kwargs):
        skip_page_cache(request)
        return view(request, *args, **kwargs)

    return wrapped


# ---------------------------------------------------------------------------
# The middleware
# ---------------------------------------------------------------------------
def csrf_placeholder(request) -> dict:
    """Context processor (after Django's): a candidate page renders a placeholder where the
    CSRF token goes; the middleware puts the visitor's own token there."""
    placeholder = getattr(request, "_page_cache_placeholder", None)
    return {"csrf_token": placeholder} if placeholder else {}


class AnonymousPageCacheMiddleware:
    """See the module's docstring. Sits after the session, CSRF, authentication and messages
    middleware (it reads what they decided; their answers to a cached page are their own)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        seconds = cache_seconds()
        if seconds <= 0 or not _candidate(request):
            return self.get_response(request)
        try:
            key = _key(request, generation())
            stored = _cache().get(key)
        except Exception:  # the cache (Redis) is down: answer without it
            logger.exception("The page cache cannot be read")
            return self.get_response(request)
        if stored is not None:
            return _from_cache(request, stored)
        placeholder = secrets.token_hex(32)
        request._page_cache_placeholder = placeholder
        response = self.get_response(request)
        request._page_cache_placeholder = None
        if request.method == "GET" and _storable(request, response):
            response._page_cache_hooks = getattr(request, "_page_cache_hooks", ())
            try:
                _cache().set(key, _entry(response, placeholder), seconds)
                response["X-Cache"] = "MISS"
            except Exception:
                logger.exception("The page cache cannot be written")
        _fill_token(request, response, placeholder)
        return response


def _candidate(request) -> bool:
    if request.method not in ("GET", "HEAD"):
        return False
    meta = request.META
    if "HTTP_AUTHORIZATION" in meta or "HTTP_HX_REQUEST" in meta:
        return False
    allowed = {settings.CSRF_COOKIE_NAME, settings.LANGUAGE_COOKIE_NAME}
    if any(name not in allowed for name in request.COOKIES):
        return False
    if meta.get("CSRF_COOKIE_NEEDS_UPDATE"):  # a bad CSRF cookie is being replaced
        return False
    user = getattr(request, "user", None)
    return user is None or not user.is_authenticated


def _key(request, generation_now: str) -> str:
    address = hashlib.sha256(request.build_absolute_uri().encode()).hexdigest()
    language = getattr(request, "LANGUAGE_CODE", "") or settings.LANGUAGE_CODE
    return f"page:{generation_now}:{language}:{address}"


def _storable(request, response) -> bool:
    if response.status_code != 200 or response.streaming or response.cookies:
        return False
    if "X-Accel-Redirect" in response or "X-Sendfile" in response:  # a file download
        return False
    if getattr(request, "skip_page_cache", False) or getattr(response, "skip_page_cache", False):
        return False
    match = getattr(request, "resolver_match", None)
    if match is not None and PRIVATE_URL_ARGUMENTS & set(match.kwargs):
        return False
    session = getattr(request, "session", None)
    if session is not None and session.modified:
        return False
    if getattr(getattr(request, "_messages", None), "added_new", False):
        return False
    if request.META.get("CSRF_COOKIE_NEEDS_UPDATE"):  # a real token went into the page
        return False
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        return False
    control = {
        part.split("=")[0].strip().lower()
        for part in cc_delim_re.split(response.get("Cache-Control", ""))
    }
    if control & {"private", "no-store", "no-cache"}:
        return False
    vary = {part.strip().lower() for part in cc_delim_re.split(response.get("Vary", "")) if part}
    if "*" in vary or vary - VARY_ALLOWED:
        return False
    return len(response.content) <= getattr(settings, "PAGE_CACHE_MAX_BYTES", 1 << 20)


def _entry(response, placeholder: str) -> dict:
    headers = [
        (name, value)
        for name, value in response.headers.items()
        if name.lower() not in {"content-length", "set-cookie", "x-cache", "age"}
    ]
    return {
        "content": response.content,
        "headers": headers,
        "hooks": list(getattr(response, "_page_cache_hooks", ())),
        "placeholder": placeholder,
        "stored_at": time.time(),
    }


def _from_cache(request, stored: dict) -> HttpResponse:
    response = HttpResponse(stored["content"], status=200)
    for name, value in stored["headers"]:
        response.headers[name] = value
    if request.method == "GET":
        _run_hooks(request, stored.get("hooks", ()))
    response["X-Cache"] = "HIT"
    response["Age"] = str(max(0, int(time.time() - stored["stored_at"])))
    _fill_token(request, response, stored["placeholder"])
    return response


def _fill_token(request, response, placeholder: str) -> None:
    if response.streaming:
        return
    marker = placeholder.encode()
    if marker in response.content:
        response.content = response.content.replace(marker, get_token(request).encode())
