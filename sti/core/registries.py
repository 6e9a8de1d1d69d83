"""What each app contributes to the portal, registered from its `AppConfig.ready()`.

The portal (the top floor) reads these lists; the apps below it fill them without importing
the portal, so adding an app edits nothing central:

    class LibraryConfig(AppConfig):
        def ready(self):
            from sti.core import registries as r

            r.register_menu_entry(r.MAIN_MENU, _("Thư viện số"), "library:index", order=10)
            r.register_api_router("/library/", "sti.library.api.router")
            r.register_work_queue("library.review", _("Tài liệu chờ duyệt"), review_summary,
                                  "library:review_queue")

Entries given as dotted paths are imported when they are registered, so a misspelt or broken
module stops the start-up instead of quietly dropping a feature. Plain lists and functions,
no plugin framework.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date, datetime
from importlib import import_module
from typing import Any

from django.db.models import Count, Min, QuerySet
from django.utils.module_loading import import_string

# ---------------------------------------------------------------------------
# Menus
# ---------------------------------------------------------------------------
MAIN_MENU = "main"  # the navigation bar
USER_MENU = "user"  # the signed-in user's own workspace (account dropdown)
EDITOR_TOOLS = "editor"  # center staff's tools, listed on the editor's worklist page

MENUS = (MAIN_MENU, USER_MENU, EDITOR_TOOLS)


@dataclass(frozen=True)
class MenuEntry:
    menu: str
    label: Any  # a lazy translation
    url_name: str
    order: int = 100
    query: str = ""  # appended to the URL, e.g. "flagged=1"


_menus: list[MenuEntry] = []


def register_menu_entry(
    menu: str, label, url_name: str, *, order: int = 100, query: str = ""
) -> MenuEntry:
    if menu not in MENUS:
        raise ValueError(f"unknown menu {menu!r}: one of {MENUS}")
    entry = MenuEntry(menu, label, url_name, order, query)
    _menus.append(entry)
    return entry


def menu_entries(menu: str) -> list[MenuEntry]:
    return sorted((entry for entry in _menus if entry.menu == menu), key=lambda e: e.order)


# ---------------------------------------------------------------------------
# Home page figures: one key number each, counted for the visitor
# ---------------------------------------------------------------------------
@dataclass(frozen=True)
class HomeFigure:
    key: str
    label: Any
    count: Callable[[Any], int]  # count(user) -> int
    url_name: str
    query: str = ""
    order: int = 100


_figures: dict[str, HomeFigure] = {}


def register_home_figure(
    key: str,
    label,
    count: Callable[[Any], int],
    url_name: str,
    *,
    query: str = "",
    order: int = 100,
) -> HomeFigure:
    _unique(_figures, key, "home figure")
    _figures[key] = HomeFigure(key, label, count, url_name, query, order)
    return _figures[key]


def home_figures() -> list[HomeFigure]:
    return sorted(_figures.values(), key=lambda figure: figure.order)


# ---------------------------------------------------------------------------
# Editor's worklist: queues of records waiting for center staff
# ---------------------------------------------------------------------------
@dataclass(frozen=True)
class QueueSummary:
    count: int
    # When the longest-waiting item entered the queue (or fell due); None when empty.
    since: date | datetime | None


@dataclass(frozen=True)
class WorkQueue:
    key: str
    label: Any
    summary: Callable[[Any], QueueSummary]  # summary(user) -> QueueSummary
    url_name: str
    query: str = ""
    order: int = 100
    # What "since" means on this queue, e.g. "waiting since" or "overdue since".
    since_label: Any = None


_queues: dict[str, WorkQueue] = {}


def register_work_queue(
    key: str,
    label,
    summary: Callable[[Any], QueueSummary],
    url_name: str,
    *,
    query: str = "",
    order: int = 100,
    since_label=None,
) -> WorkQueue:
    _unique(_queues, key, "work queue")
    _queues[key] = WorkQueue(key, label, summary, url_name, query, order, since_label)
    return _queues[key]


def work_queues() -> list[WorkQueue]:
    return sorted(_queues.values(), key=lambda queue: queue.order)


def summarize(queryset: QuerySet, since_field: str) -> QueueSummary:
    """Count a queue and find its oldest item in one query."""
    row = queryset.order_by().aggregate(count=Count("pk"), since=Min(since_field))
    return QueueSummary(row["count"], row["since"])


# ---------------------------------------------------------------------------
# Pages: each app's URLconf under its Vietnamese prefix ("" for root paths like /oai)
# ---------------------------------------------------------------------------
_urlconfs: list[tuple[str, str]] = []


def register_urls(prefix: str, urlconf: str) -> None:
    """Mount `urlconf` (a dotted module path, imported now so that a broken one fails the
    start-up) under `prefix`, e.g. `register_urls("thu-vien/", "sti.library.urls")`."""
    import_module(urlconf)
    if (prefix, urlconf) in _urlconfs:
        raise ValueError(f"URLconf {urlconf} registered twice under {prefix!r}")
    _urlconfs.append((prefix, urlconf))


def app_urls() -> list[tuple[str, str]]:
    return list(_urlconfs)


# ---------------------------------------------------------------------------
# API routers (mounted under /api/)
# ---------------------------------------------------------------------------
_routers: dict[str, Any] = {}


def register_api_router(prefix: str, router) -> None:
    """`router` is a ninja Router or its dotted path, imported now so that a broken one fails
    the start-up."""
    _unique(_routers, prefix, "API prefix")
    _routers[prefix] = import_string(router) if isinstance(router, str) else router


def api_routers() -> list[tuple[str, Any]]:
    return list(_routers.items())


# ---------------------------------------------------------------------------
# System status checks (status page and `sti status`)
# ---------------------------------------------------------------------------
OK, WARNING, ERROR = "ok", "warning", "error"


@dataclass
class Check:
    label: str
    state: str
    detail: str
    # Where an editor repairs it in one click (a POST), and the command that does the same.
    repair_url: str = ""
    repair_command: str = ""
    repair_label: str = ""  # the button's words (default: rebuild the index)
    # A page with the details (e.g. the list of stale and failed jobs).
    link_url: str = ""
    link_label: str = ""


# A check returns one Check or several (one per search type, say). Optional parts report
# themselves missing with a WARNING and the package to install, never by raising.
StatusCheck = Callable[[], "Check | Iterable[Check]"]
_checks: list[tuple[int, StatusCheck]] = []


def register_status_check(check: StatusCheck | str, *, order: int = 100) -> None:
    _checks.append((order, import_string(check) if isinstance(check, str) else check))


def status_checks() -> list[StatusCheck]:
    return [check for _order, check in sorted(_checks, key=lambda item: item[0])]


# ---------------------------------------------------------------------------
# Linkable records: what other records may point to (news → documents, tasks, offers…)
# ---------------------------------------------------------------------------
@dataclass(frozen=True)
class Linkable:
    """A model whose records may be linked from elsewhere (related records of a news
    article, items of a bulletin) through a generic relation. Whoever links shows a record
    only when `Model.objects.visible_to(user)` admits it, so every linkable model has an
    access rule. `date_field` orders the "recent records" lists that bulletins are picked
    from (empty: the model is linkable but offers no recent list); `describe(obj)` gives the
    text a bulletin prints for the record (a `LinkSummary`)."""

    key: str
    model: str  # "app_label.ModelName"
    label: Any
    date_field: str = ""
    describe: Callable[[Any], LinkSummary] | None = None
    order: int = 100

    @property
    def model_class(self):
        from django.apps import apps

        return apps.get_model(self.model)


@dataclass(frozen=True)
class LinkSummary:
    """What a bulletin prints for a linked record: labelled lines, a paragraph, index terms."""

    title: str
    text: str = ""
    lines: tuple[tuple[str, str], ...] = ()
    terms: tuple[str, ...] = ()


_linkables: dict[str, Linkable] = {}


def register_linkable(
    key: str, model: str, label, *, date_field: str = "", describe=None, order: int = 100
) -> Linkable:
    """Make `model` ("library.Document") linkable under `key` ("document"). The model must
    have an access rule; `describe` may be a dotted path (imported now)."""
    from django.apps import apps

    from sti.core.access import rule_for

    _unique(_linkables, key, "linkable")
    model_class = apps.get_model(model)
    if rule_for(model_class) is None:
        raise ValueError(f"{model} has no access rule: it cannot be linked")
    if isinstance(describe, str):
        describe = import_string(describe)
    _linkables[key] = Linkable(key, model, label, date_field, describe, order)
    return _linkables[key]


def linkables() -> list[Linkable]:
    return sorted(_linkables.values(), key=lambda linkable: linkable.order)


def linkable(key: str) -> Linkable | None:
    return _linkables.get(key)


def linkable_for_model(model) -> Linkable | None:
    label = model._meta.label
    return next((item for item in _linkables.values() if item.model == label), None)


# ---------------------------------------------------------------------------
# Sample data (`sti loaddemo`) and synthetic data (`sti generate`)
# ---------------------------------------------------------------------------
@dataclass(frozen=True)
class SampleData:
    app_label: str
    load: Callable | None  # load(log): realistic demo records, idempotent
    generate: Callable | None  # generate(scale, seed, progress) -> {model name: count}


_samples: dict[str, SampleData] = {}


def register_sample_data(app_label: str, *, load=None, generate=None) -> None:
    """`load` and `generate` are callables or dotted paths (imported now)."""
    _unique(_samples, app_label, "sample data of app")
    _samples[app_label] = SampleData(
        app_label,
        import_string(load) if isinstance(load, str) else load,
        import_string(generate) if isinstance(generate, str) else generate,
    )


def sample_data() -> list[SampleData]:
    """In INSTALLED_APPS order: the directory before the apps that link to it."""
    from django.apps import apps

    order = {config.label: index for index, config in enumerate(apps.get_app_configs())}
    return sorted(_samples.values(), key=lambda sample: order.get(sample.app_label, len(order)))


# ---------------------------------------------------------------------------
# Periodic work of every `sti worker` (sti.core.periodic): scheduled publishing, digests…
# ---------------------------------------------------------------------------
@dataclass(frozen=True)
class PeriodicWork:
    key: str
    run: Callable[[], Any]  # run() -> anything (logged); idempotent, cheap when nothing is due
    every_seconds: float


_periodic: dict[str, PeriodicWork] = {}


def register_periodic(key: str, run, *, every_seconds: float) -> PeriodicWork:
    """Run `run()` (a callable or its dotted path, imported now) in every worker, at start and
    then about every `every_seconds`. Several workers may run it at once, so it must be
    idempotent (claim rows with a conditional update or a row lock). Heavy work enqueues a
    tracked job instead of running inline (`sti.core.jobs.enqueue_periodic`)."""
    _unique(_periodic, key, "periodic work")
    if every_seconds <= 0:
        raise ValueError(f"periodic work {key!r}: every_seconds must be positive")
    _periodic[key] = PeriodicWork(
        key, import_string(run) if isinstance(run, str) else run, float(every_seconds)
    )
    return _periodic[key]


def periodic_work() -> list[PeriodicWork]:
    return list(_periodic.values())


def _unique(registry: dict, key: str, what: str) -> None:
    if key in registry:
        raise ValueError(f"{what} {key!r} registered twice")


# ---------------------------------------------------------------------------
# Related records: an app adds to another app's detail page the records of its own that
# link to the page's object (a researcher's tasks, an organization's documents), so an app
# lower down never imports one above it.
# ---------------------------------------------------------------------------
@dataclass(frozen=True)
class RelatedLink:
    label: str
    url: str
    note: str = ""


@dataclass(frozen=True)
class RelatedSection:
    key: str
    model_label: str  # "directory.researcher": the model whose detail page shows it
    title: str
    links: Callable[[Any, Any], list[RelatedLink]]  # links(obj, user): visible records only
    order: int = 100


_related: dict[str, RelatedSection] = {}


def register_related(
    model_label: str, key: str, title, links: Callable | str, *, order: int = 100
) -> None:
    """`links(obj, user)` → the `RelatedLink`s of records `user` may see (`visible_to`), in a
    constant number of queries; `model_label` is "app_label.modelname" (lower case)."""
    _unique(_related, key, "related section")
    _related[key] = RelatedSection(
        key,
        model_label,
        title,
        import_string(links) if isinstance(links, str) else links,
        order,
    )


def related_sections(obj, user) -> list[dict]:
    """The non-empty related sections of `obj`'s detail page, as {title, links}."""
    label = obj._meta.label_lower
    sections = []
    for section in sorted(_related.values(), key=lambda s: (s.order, s.key)):
        if section.model_label == label:
            links = section.links(obj, user)
            if links:
                sections.append({"key": section.key, "title": section.title, "links": links})
    return sections
