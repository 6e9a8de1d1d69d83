"""Worker-side harvesting, run as a tracked job (core.jobs): page by page, each page written
in one transaction together with the resumption token that follows it, so that a harvest
stopped anywhere (a dead worker, a partner that went away) resumes at the page it had not
written yet and never counts a record twice.

A harvest is full the first time (or when asked) and incremental afterwards, from the
responseDate of the last complete harvest in the source's granularity. Deleted records leave
the union catalogue; a record that cannot be read is reported and skipped. After the pages,
records that changed are matched against the other sources' records and the center's own
documents (`dedup`), and the search index is brought up to date for what changed.
"""

from __future__ import annotations

import time
from collections.abc import Callable

from django.db import transaction
from django.db.models import Prefetch, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from sti.core import jobs
from sti.core.models import TrackedJob
from sti.harvest import client, dedup
from sti.harvest.choices import HarvestMode, RunOutcome
from sti.harvest.models import HarvestedRecord, HarvestRun, LocalWork, Source
from sti.library.choices import CreatorRole
from sti.library.models import Creator, Document
from sti.search.jobs import index_records
from sti.search.signals import indexing_paused

HARVEST = "harvest.source"
SEARCH_TYPE = "harvested"
MAX_PROBLEMS = 200
COMPARED = (
    "datestamp",
    "set_specs",
    "title",
    "creators",
    "year",
    "description",
    "subjects",
    "publisher",
    "language",
    "doc_type",
    "url",
    "doi",
    "isbn",
)
UPDATED_FIELDS = (*COMPARED, "title_key", "author_key", "title_head")
INDEX_EVERY = 1000  # records: the index commits once per this many changes, not per page
# Tests stop a harvest between two pages through this hook (an interruption).
after_page: Callable[[Source, HarvestRun], None] | None = None


def job_kind(source: Source) -> str:
    return f"{HARVEST}.{source.pk}"


def _incremental_from(source: Source) -> str:
    stamp = source.harvested_until
    if not stamp:
        return ""
    return stamp[:10] if source.day_granularity else stamp


def _start_state(source: Source, mode: str) -> dict:
    return {
        "mode": mode,
        "from": _incremental_from(source) if mode == HarvestMode.INCREMENTAL else "",
        "sets": list(source.sets) or [""],
        "token": "",
        "response_date": "",
        "run": None,
    }


def harvest(source: Source, progress: jobs.Progress | None = None, *, full=False, job=None):
    """Harvest `source` (resuming an unfinished harvest first); returns the HarvestRun."""
    state = dict(source.resume_state or {})
    if not state:
        mode = HarvestMode.FULL if full or not source.harvested_until else HarvestMode.INCREMENTAL
        state = _start_state(source, mode)
    run = HarvestRun.objects.filter(pk=state.get("run"), source=source).first()
    if run is None:
        run = HarvestRun.objects.create(
            source=source, job=job, mode=state["mode"], harvest_from=state["from"]
        )
        state["run"] = run.pk
    else:
        HarvestRun.objects.filter(pk=run.pk).update(outcome=RunOutcome.RUNNING, job=job, error="")
        run.outcome, run.error = RunOutcome.RUNNING, ""
    Source.objects.filter(pk=source.pk).update(last_attempt_at=timezone.now(), resume_state=state)
    sickle = client.client(source.base_url)
    touched: set[int] = set()
    documents: set[int] = set()
    try:
        while state["sets"]:
            page = _next_page(sickle, source, state)
            state["response_date"] = state["response_date"] or page.response_date
            records, gone_from = _write_page(source, run, state, page)
            touched |= records
            documents |= gone_from
            if len(touched) >= INDEX_EVERY:
                _reindex(touched)
                touched = set()
            if progress is not None:
                total = (page.complete_size or 0) if state["token"] else run.seen
                progress(run.seen, total=max(total, run.seen), message=_summary(run))
            if after_page is not None:
                after_page(source, run)
            if state["sets"] and source.delay_seconds:
                time.sleep(source.delay_seconds)
        _reindex(touched)
        _reindex_documents(documents)
        refresh_local_works()
        _cluster_pending()
    except Exception as error:
        _fail(source, run, error)
        _reindex(touched)
        _reindex_documents(documents)
        raise
    _succeed(source, run, state)
    return run


def _next_page(sickle, source: Source, state: dict) -> client.Page:
    if state["token"]:
        try:
            return client.list_page(sickle, {"resumptionToken": state["token"]})
        except client.OaiProtocolError as error:
            if error.code != "badResumptionToken":
                raise
            # The partner forgot the list (expired token): start this set again; records
            # already written are matched by identifier, never added twice.
            state["token"] = ""
    params = {"metadataPrefix": source.metadata_prefix}
    if state["from"]:
        params["from"] = state["from"]
    if state["sets"][0]:
        params["set"] = state["sets"][0]
    return client.list_page(sickle, params)


def _write_page(
    source: Source, run: HarvestRun, state: dict, page: client.Page
) -> tuple[set[int], set[int]]:
    """Write one page and the state that follows it in one transaction; returns the records
    whose search documents changed (indexed by the caller, a few pages at a time) and the
    center's documents that lost a partner (their "nguồn" values change)."""
    problems = []
    parsed_records = []
    for element in page.records:
        try:
            parsed_records.append(client.parse(element, source.metadata_prefix))
        except client.MalformedRecord as error:
            problems.append({"identifier": _identifier_of(element), "error": str(error)[:500]})
    with transaction.atomic(), indexing_paused():
        counts, touched, documents = store_records(source, parsed_records)
        counts["errors"] = len(problems)
        # Go on to the next page, or the next set, or stop: written with the page.
        state["token"] = page.token
        if not page.token:
            state["sets"] = state["sets"][1:]
        run.pages += 1
        run.retries += page.retries
        for name, value in counts.items():
            setattr(run, name, getattr(run, name) + value)
        run.problems = (run.problems + problems)[:MAX_PROBLEMS]
        run.save()
        Source.objects.filter(pk=source.pk).update(resume_state=state)
    return touched, documents


def store_records(
    source: Source, parsed_records: list[client.Parsed], *, match: bool = True
) -> tuple[dict, set[int], set[int]]:
    """Write records read from `source` (`client.parse`), inside the caller's transaction:
    new ones added, changed ones updated, deleted ones removed (changed and deleted ones
    leave their clusters, whose members are matched again). Returns the counts (seen, added,
    updated, deleted), the records whose search documents changed and the center's documents
    a deleted record was the same work as (their partners changed). With `match=False`
    new records are not queued for matching (a synthetic source of distinct works)."""
    counts = {"seen": 0, "added": 0, "updated": 0, "deleted": 0}
    touched: set[int] = set()
    documents: set[int] = set()
    existing = {
        record.identifier: record
        for record in HarvestedRecord.objects.select_for_update().filter(
            source=source, identifier__in=[p.identifier for p in parsed_records]
        )
    }
    new: dict[str, HarvestedRecord] = {}
    changed: dict[str, HarvestedRecord] = {}
    for parsed in parsed_records:
        counts["seen"] += 1
        record = existing.get(parsed.identifier)
        if parsed.deleted:
            if new.pop(parsed.identifier, None) is not None:
                counts["added"] -= 1
            if record is not None:
                touched |= _release_cluster(record) | {record.pk}
                if record.local_document_id is not None:
                    documents.add(record.local_document_id)
                record.delete()
                del existing[parsed.identifier]
                changed.pop(parsed.identifier, None)
                counts["deleted"] += 1
            continue
        values = {**parsed.values, "datestamp": parsed.datestamp, "set_specs": parsed.set_specs}
        if record is None:
            if parsed.identifier not in new:
                counts["added"] += 1
            new[parsed.identifier] = HarvestedRecord(
                source=source, identifier=parsed.identifier, needs_cluster=match, **values
            )
        elif any(getattr(record, name) != values.get(name) for name in COMPARED):
            touched |= _release_cluster(record) | {record.pk}
            for name, value in values.items():
                setattr(record, name, value)
            record.needs_cluster = True
            if parsed.identifier not in changed:
                counts["updated"] += 1
            changed[parsed.identifier] = record
    created = HarvestedRecord.objects.bulk_create(new.values())
    touched |= {record.pk for record in created}
    if changed:
        HarvestedRecord.objects.bulk_update(
            changed.values(), [*UPDATED_FIELDS, "cluster", "needs_cluster", "updated_at"]
        )
    return counts, touched, documents


def _identifier_of(element) -> str:
    node = element.find(f"{client.OAI_NS}header/{client.OAI_NS}identifier")
    return (node.text or "").strip()[:300] if node is not None else ""


def _release_cluster(record: HarvestedRecord) -> set[int]:
    """Undo the cluster of a record that changed or left: its members are matched again."""
    if record.cluster is None:
        return set()
    members = HarvestedRecord.objects.filter(cluster=record.cluster)
    pks = set(members.values_list("pk", flat=True))
    members.update(cluster=None, needs_cluster=True)
    record.cluster, record.needs_cluster = None, True
    return pks


MATCH_FIELDS = (
    "pk",
    "source_id",
    "doi",
    "isbn",
    "title_key",
    "year",
    "author_key",
    "cluster",
    "local_document",
)


def _cluster_pending(batch: int = 2000) -> int:
    """Match the records waiting for it against the records of other sources that share a
    DOI, an ISBN, a (year, first author) or a (year, first title words) with them, and merge
    the clusters found (never two different DOIs or ISBNs in one): three queries a batch."""
    done = 0
    while True:
        pending = list(
            HarvestedRecord.objects.filter(needs_cluster=True)
            .order_by("pk")
            .only(*MATCH_FIELDS, "title_head")[:batch]
        )
        if not pending:
            return done
        with transaction.atomic(), indexing_paused():
            touched, documents = _merge(pending)
            HarvestedRecord.objects.filter(pk__in=[r.pk for r in pending]).update(
                needs_cluster=False
            )
        _reindex(touched)
        _reindex_documents(documents)
        done += len(pending)


def _candidates_q(pending) -> Q:
    keys = [dedup.keys_of(r) for r in pending]
    condition = Q(pk__in=[])
    dois = {k.doi for k in keys if k.doi}
    isbns = {k.isbn for k in keys if k.isbn}
    years = {k.year for k in keys if k.year is not None}
    condition |= Q(doi__in=dois) | Q(isbn__in=isbns)
    if years:
        condition |= Q(year__in=years, author_key__in={k.author_key for k in keys if k.author_key})
        condition |= Q(year__in=years, title_head__in={k.title_head for k in keys if k.title_key})
    return condition


def _merge(pending: list[HarvestedRecord]) -> tuple[set[int], set[int]]:
    """Merge the clusters found; returns the records whose search documents changed and the
    center's documents whose partners changed."""
    loaded = {r.pk: r for r in pending}
    for other in HarvestedRecord.objects.filter(_candidates_q(pending)).only(*MATCH_FIELDS):
        loaded.setdefault(other.pk, other)
    clusters = {r.cluster for r in loaded.values() if r.cluster is not None}
    for member in HarvestedRecord.objects.filter(cluster__in=clusters).only(*MATCH_FIELDS):
        loaded.setdefault(member.pk, member)
    root = {pk: record.cluster or pk for pk, record in loaded.items()}
    held: dict[int, tuple[set, set]] = {}
    for pk, record in loaded.items():
        dois, isbns = held.setdefault(root[pk], (set(), set()))
        dois.update({record.doi} - {""})
        isbns.update({record.isbn} - {""})
    blocks: dict[tuple, list[HarvestedRecord]] = {}
    keys = {pk: dedup.keys_of(record) for pk, record in loaded.items()}
    for pk, record in loaded.items():
        for block in dedup.blocks_of(keys[pk]):
            blocks.setdefault(block, []).append(record)

    def find(pk: int) -> int:
        while root[pk] != pk:
            root[pk] = root[root[pk]]
            pk = root[pk]
        return pk

    for record in pending:
        for block in dedup.blocks_of(keys[record.pk]):
            for other in blocks[block]:
                if other.source_id == record.source_id:
                    continue
                a, b = sorted((find(record.pk), find(other.pk)))
                if a == b or not dedup.compatible(held[a], held[b]):
                    continue
                if dedup.same_work(keys[record.pk], keys[other.pk]):
                    root[b] = a
                    held[a] = (held[a][0] | held[b][0], held[a][1] | held[b][1])
    targets: dict[int, list[int]] = {}
    sizes: dict[int, int] = {}
    for pk in loaded:
        sizes[find(pk)] = sizes.get(find(pk), 0) + 1
    touched = set()
    for pk, record in loaded.items():
        target = find(pk) if sizes[find(pk)] > 1 else None
        if target != record.cluster:
            targets.setdefault(target, []).append(pk)
            touched.add(pk)
    for target, pks in targets.items():
        HarvestedRecord.objects.filter(pk__in=pks).update(cluster=target)
    matched, documents = _match_local(loaded, keys, find)
    return touched | matched, documents


LOCAL_QUERY_RECORDS = 2000


def _match_local(loaded: dict[int, HarvestedRecord], keys: dict, find) -> tuple[set[int], set[int]]:
    """Each cluster (and lone record) loaded takes the center's document it is the same work
    as (`dedup.match_local`, over the documents in its blocks: one query); returns the
    records whose document changed (their search documents change) and the documents they
    left or joined (their "nguồn" values change)."""
    records = list(loaded.values())
    found: dict[int, LocalWork] = {}
    for start in range(0, len(records), LOCAL_QUERY_RECORDS):  # bounded query parameters
        chunk = records[start : start + LOCAL_QUERY_RECORDS]
        for work in LocalWork.objects.filter(_candidates_q(chunk)):
            found[work.pk] = work
    works = [found[pk] for pk in sorted(found)]
    pks = list(loaded)
    matched = dedup.match_local(
        [keys[pk] for pk in pks], [find(pk) for pk in pks], [dedup.keys_of(w) for w in works]
    )
    targets: dict[int | None, list[int]] = {}
    documents: set[int] = set()
    for pk, index in zip(pks, matched, strict=True):
        document = works[index].document_id if index is not None else None
        if document != loaded[pk].local_document_id:
            targets.setdefault(document, []).append(pk)
            documents |= {document, loaded[pk].local_document_id} - {None}
    for document, members in targets.items():
        HarvestedRecord.objects.filter(pk__in=members).update(local_document=document)
    return {pk for members in targets.values() for pk in members}, documents


LOCAL_KEY_FIELDS = ("doi", "isbn", "year", "title_key", "title_head", "author_key")


def local_keys(document: Document) -> dict:
    """A document's matching keys as `LocalWork` fields (its creators prefetched in order)."""
    creators = [c.name for c in document.creators.all() if c.role == CreatorRole.CREATOR]
    title = dedup.title_key(document.title)[:1000]
    return {
        "doi": dedup.normalize_doi(document.doi),
        "isbn": dedup.normalize_isbn(document.isbn),
        "year": document.year,
        "title_key": title,
        "title_head": dedup.title_head(title),
        "author_key": dedup.author_key(creators[0]) if creators else "",
    }


def refresh_local_works(batch: int = 2000) -> int:
    """Bring `LocalWork` in line with the documents the public may see (new, edited,
    withdrawn, past their embargo); harvested records that may match a changed document, by
    its old keys or its new ones, are marked for matching again. Idempotent; returns the
    number of documents whose keys changed."""
    current = dict(Document.objects.public().order_by().values_list("pk", "updated_at"))
    stored = dict(LocalWork.objects.values_list("document_id", "document_updated_at"))
    gone = [pk for pk in stored if pk not in current]
    changed = [pk for pk, stamp in current.items() if stored.get(pk) != stamp]
    creators = Prefetch("creators", queryset=Creator.objects.order_by("role", "position"))
    for start in range(0, len(gone), batch):
        old = list(LocalWork.objects.filter(document_id__in=gone[start : start + batch]))
        _mark_for_matching(old)
        LocalWork.objects.filter(document_id__in=[w.document_id for w in old]).delete()
    for start in range(0, len(changed), batch):
        chunk = changed[start : start + batch]
        old = list(LocalWork.objects.filter(document_id__in=chunk))
        documents = (
            Document.objects.filter(pk__in=chunk)
            .only("pk", "title", "year", "doi", "isbn", "updated_at")
            .prefetch_related(creators)
        )
        works = [
            LocalWork(document_id=d.pk, document_updated_at=d.updated_at, **local_keys(d))
            for d in documents
        ]
        LocalWork.objects.bulk_create(
            works,
            update_conflicts=True,
            unique_fields=["document"],
            update_fields=["document_updated_at", *LOCAL_KEY_FIELDS],
        )
        _mark_for_matching(old + works)
    return len(gone) + len(changed)


def _mark_for_matching(works: list[LocalWork]) -> None:
    if works:
        linked = Q(local_document__in=[w.document_id for w in works])
        HarvestedRecord.objects.filter(linked | _candidates_q(works)).update(needs_cluster=True)


def match_local_documents() -> int:
    """Periodic: match harvested records again where the center's documents changed
    (nothing to do, and no keys kept, before the first harvest)."""
    if not HarvestedRecord.objects.exists() or not refresh_local_works():
        return 0
    return _cluster_pending()


def _reindex(pks: set[int]) -> None:
    """The index is the worker's: clusters changed, so their representatives change too."""
    if pks:
        index_records(SEARCH_TYPE, sorted(pks))


def _reindex_documents(pks: set[int]) -> None:
    """The center's documents whose partners changed: their "nguồn" values (search.py)."""
    if pks:
        index_records("document", sorted(pks))


def _summary(run: HarvestRun) -> str:
    return _(
        "%(seen)s bản ghi: %(added)s mới, %(updated)s cập nhật, %(deleted)s xóa, %(errors)s lỗi."
    ) % {
        "seen": run.seen,
        "added": run.added,
        "updated": run.updated,
        "deleted": run.deleted,
        "errors": run.errors,
    }


def _succeed(source: Source, run: HarvestRun, state: dict) -> None:
    now = timezone.now()
    run.outcome, run.finished_at = RunOutcome.SUCCEEDED, now
    run.save(update_fields=["outcome", "finished_at"])
    Source.objects.filter(pk=source.pk).update(
        resume_state={},
        harvested_until=state["response_date"] or source.harvested_until,
        last_success_at=now,
        failing_since=None,
        last_error="",
    )


def _fail(source: Source, run: HarvestRun, error: Exception) -> None:
    now = timezone.now()
    text = str(error) or error.__class__.__name__
    HarvestRun.objects.filter(pk=run.pk).update(
        outcome=RunOutcome.FAILED, finished_at=now, error=text[:2000]
    )
    Source.objects.filter(pk=source.pk, failing_since__isnull=True).update(failing_since=now)
    Source.objects.filter(pk=source.pk).update(last_error=text[:2000])


def run_harvest(job_id: int, source_id: int, full: bool = False) -> TrackedJob:
    """The tracked job of one harvest (its progress counts records)."""
    source = Source.objects.get(pk=source_id)

    def work(progress: jobs.Progress, job: TrackedJob) -> str:
        progress(0, total=0, message=_("Đang thu thập %(name)s…") % {"name": source.name})
        return _summary(harvest(source, progress, full=full, job=job))

    return jobs.run(job_id, work)
