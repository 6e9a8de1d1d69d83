"""News and periodical workflows. Every verb checks the actor's right itself, runs in one
transaction, writes the audit row, and leaves side effects (search indexing, the build of an
issue's files, the library's text extraction) to after the commit.

Pages, the API, imports and the sample data all call these verbs, never `Model.objects.create`
directly, so a rule written here holds everywhere.
"""

from __future__ import annotations

import datetime as dt
import hashlib

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files import File
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from sti.core import audit
from sti.core import jobs as core_jobs
from sti.core.choices import AuditAction
from sti.core.text import normalize, slugify
from sti.library import services as library
from sti.library.choices import AccessLevel, DocumentStatus, SourceType
from sti.library.models import Collection
from sti.news import access, jobs, lifecycle, links, media, tasks
from sti.news.choices import ArticleStatus, IssueStatus
from sti.news.models import Article, Category, Issue, IssueItem, RelatedRecord, Series, Tag

ARTICLE_TEXT = ("title", "summary", "body", "lead_image_alt")
ARTICLE_FIELDS = (*ARTICLE_TEXT, "organization", "category", "video_url")
ARTICLE_M2M = ("tags", "fields")
MAX_TAGS = 12


# ---------------------------------------------------------------------------
# Articles
# ---------------------------------------------------------------------------
def _check_organization(actor, organization) -> None:
    allowed = access.writable_organization_ids(actor)
    if allowed is not None and (organization is None or organization.pk not in allowed):
        raise PermissionDenied(_("Bạn không được đưa tin cho tổ chức này."))


def _apply(article: Article, data: dict) -> None:
    """Copy the plain fields and the media of `data` onto the article, then validate."""
    for name in ARTICLE_FIELDS:
        if name in data:
            value = data[name]
            setattr(article, name, normalize(value) if name in ARTICLE_TEXT else value)
    if "video_url" in data:
        article.video_url = (data["video_url"] or "").strip()
    for name, check in (("lead_image", media.check_image), ("video_file", media.check_video)):
        if name not in data:
            continue
        upload = data[name]
        if upload is False:  # the form's "clear" box
            setattr(article, name, None)
        elif upload:
            try:
                check(upload)
            except ValidationError as error:
                raise ValidationError({name: error.messages}) from error
            setattr(article, name, upload)
    if article.lead_image and not article.lead_image_alt:
        raise ValidationError(
            {"lead_image_alt": _("Hãy mô tả ảnh (alt) cho người dùng trình đọc màn hình.")}
        )
    article.full_clean(exclude=["tags", "fields", "author", "publish_at"])


def tags_from_names(names) -> list[Tag]:
    """One Tag per folded spelling: "Lúa gạo", "lúa  gạo" and "lua gao" are the same tag."""
    tags, seen = [], set()
    for raw in names:
        name = normalize(raw)[:80]
        slug = slugify(name, max_length=90)
        if not slug or slug in seen:
            continue
        seen.add(slug)
        tag, _created = Tag.objects.get_or_create(slug=slug, defaults={"name": name})
        tags.append(tag)
    if len(tags) > MAX_TAGS:
        raise ValidationError({"tags": _("Tối đa %(n)s thẻ cho một bài.") % {"n": MAX_TAGS}})
    return tags


def split_tags(text: str) -> list[str]:
    return [part for part in (text or "").replace(";", ",").split(",") if part.strip()]


def _set_related(actor, article: Article, refs) -> None:
    refs = links.check_visible(actor, refs)
    article.links.all().delete()
    seen = set()
    for position, ref in enumerate(refs):
        key = (ref.linkable.key, ref.pk)
        if key in seen:
            continue
        seen.add(key)
        RelatedRecord.objects.create(
            article=article, content_type=ref.content_type, object_id=ref.pk, position=position
        )


def _related_snapshot(article: Article) -> list[str]:
    return [f"{link.content_type_id}:{link.object_id}" for link in article.links.all()]


@transaction.atomic
def create_article(actor, data: dict, *, tags=(), fields=(), related=()) -> Article:
    """A new draft written by a reporter of `data["organization"]` (or an editor)."""
    if not access.can_create_article(actor):
        raise PermissionDenied
    _check_organization(actor, data.get("organization"))
    article = Article(status=ArticleStatus.DRAFT, author=actor)
    _apply(article, data)
    article.save()
    article.tags.set(tags_from_names(tags))
    article.fields.set(fields)
    _set_related(actor, article, related)
    audit.record_create(actor, article, m2m=ARTICLE_M2M)
    return article  # indexed after the commit by the search signals


@transaction.atomic
def update_article(actor, article: Article, data: dict, *, tags=None, fields=None, related=None):
    """Edit an article (editors at any stage, its reporters while it is a draft)."""
    article = Article.objects.select_for_update().get(pk=article.pk)
    if not access.can_edit_article(actor, article):
        raise PermissionDenied
    if "organization" in data:
        _check_organization(actor, data["organization"])
    before = {**audit.snapshot(article, m2m=ARTICLE_M2M), "related": _related_snapshot(article)}
    _apply(article, data)
    article.save()
    if tags is not None:
        article.tags.set(tags_from_names(tags))
    if fields is not None:
        article.fields.set(fields)
    if related is not None:
        _set_related(actor, article, related)
    after = {**audit.snapshot(article, m2m=ARTICLE_M2M), "related": _related_snapshot(article)}
    changes = audit.diff(before, after)
    changes.pop("updated_at", None)
    if changes:
        audit.record(actor, AuditAction.UPDATE, article, changes)
    return article


def move_article(actor, article: Article, target: str, *, note: str = "", publish_at=None):
    """Move an article through the workflow (`lifecycle.ARTICLE`); scheduling takes the
    moment of publication. Refusals raise IllegalMove (409) or MoveForbidden (403)."""
    if target != ArticleStatus.SCHEDULED:
        return lifecycle.ARTICLE.move(actor, article, target, note=note)
    if publish_at is not None and timezone.is_naive(publish_at):
        publish_at = timezone.make_aware(publish_at)
    return lifecycle.ARTICLE.move(
        actor,
        article,
        target,
        note=note,
        apply=lambda locked: setattr(locked, "publish_at", publish_at),
        publish_at=publish_at,  # read by the guard before it is applied
    )


def publish_due(now=None) -> list[int]:
    """Publish every scheduled article whose moment has come (the worker's periodic work);
    returns their ids. Visibility never waited for this: the access rule already shows a
    due article; this flips its state, stamps the audit trail and refreshes its index entry."""
    return jobs.publish_due(now)


# ---------------------------------------------------------------------------
# Categories
# ---------------------------------------------------------------------------
@transaction.atomic
def save_category(actor, category: Category | None, data: dict) -> Category:
    """Create (category None) or edit a category (editors)."""
    if not access.can_manage_categories(actor):
        raise PermissionDenied
    creating = category is None
    category = category or Category()
    before = None if creating else audit.snapshot(category)
    category.name = normalize(data["name"])
    category.slug = data.get("slug") or slugify(category.name)
    category.description = normalize(data.get("description", ""))
    category.order = data.get("order") or 0
    category.full_clean()
    category.save()
    if creating:
        audit.record_create(actor, category)
    else:
        audit.record_update(actor, category, before)
    return category


# ---------------------------------------------------------------------------
# Periodicals
# ---------------------------------------------------------------------------
ISSUE_FIELDS = ("series", "number", "year", "issued", "title", "summary")


def _check_periodicals(actor) -> None:
    if not access.can_manage_periodicals(actor):
        raise PermissionDenied


def _apply_issue(issue: Issue, data: dict) -> None:
    for name in ISSUE_FIELDS:
        if name in data:
            value = data[name]
            setattr(issue, name, normalize(value) if name in ("title", "summary") else value)
    pdf = data.get("pdf")
    if pdf:
        head = pdf.read(1024)
        pdf.seek(0)
        if b"%PDF-" not in head:
            raise ValidationError({"pdf": _("Tệp này không phải PDF.")})
        issue.pdf = pdf
    # The number's uniqueness is checked by the database on save (`_unique_number`), with a
    # message that names the number.
    issue.full_clean(
        exclude=["fields", "document", "build_job", "created_by"], validate_constraints=False
    )


def _unique_number(issue: Issue):
    try:
        with transaction.atomic():
            issue.save()
    except IntegrityError as error:
        raise ValidationError(
            {
                "number": _("Ấn phẩm này đã có số %(n)s năm %(y)s.")
                % {"n": issue.number, "y": issue.year}
            }
        ) from error


@transaction.atomic
def create_issue(actor, data: dict, *, fields=(), items=()) -> Issue:
    """A new issue being edited; `items` are dicts (section, title, text, ref)."""
    _check_periodicals(actor)
    issue = Issue(created_by=actor)
    _apply_issue(issue, data)
    _unique_number(issue)
    issue.fields.set(fields)
    _set_items(actor, issue, items)
    audit.record_create(actor, issue, m2m=["fields"])
    return issue


@transaction.atomic
def update_issue(actor, issue: Issue, data: dict, *, fields=None) -> Issue:
    _check_periodicals(actor)
    issue = Issue.objects.select_for_update().get(pk=issue.pk)
    before = audit.snapshot(issue, m2m=["fields"])
    _apply_issue(issue, data)
    _unique_number(issue)
    if fields is not None:
        issue.fields.set(fields)
    audit.record_update(actor, issue, before)
    return issue


def _set_items(actor, issue: Issue, items) -> None:
    refs = [item["ref"] for item in items if item.get("ref")]
    links.check_visible(actor, refs)
    for position, item in enumerate(items):
        ref = item.get("ref")
        IssueItem.objects.create(
            issue=issue,
            position=position,
            section=normalize(item.get("section", ""))[:120],
            title=normalize(item["title"])[:500],
            text=normalize(item.get("text", "")),
            terms=normalize("; ".join(item.get("terms", ())))[:500],
            content_type=ref.content_type if ref else None,
            object_id=ref.pk if ref else None,
        )


@transaction.atomic
def assemble_issue(actor, data: dict, refs) -> Issue:
    """An editor picks recent records (documents, tasks, later offers…); each becomes an item
    summed up from the record as it is now, in a section named after its kind; then the
    issue's PDF and DOCX are built by the worker (`request_build`)."""
    _check_periodicals(actor)
    # A bulletin is public: only records the public may see go into it, even though the
    # editor assembling it sees drafts and confidential records too.
    refs = links.check_visible(None, [links.parse_ref(ref) for ref in refs])
    if not refs:
        raise ValidationError(_("Hãy chọn ít nhất một hồ sơ cho số bản tin."))
    records = {}
    for ref in refs:
        records[str(ref)] = ref.linkable.model_class.objects.visible_to(None).get(pk=ref.pk)
    items = []
    for ref in refs:
        summary = links.summarize(records[str(ref)])
        text = "\n".join(
            [f"{label}: {value}" for label, value in summary.lines if value]
            + ([summary.text] if summary.text else [])
        )
        items.append(
            {
                "section": str(ref.linkable.label),
                "title": summary.title,
                "text": text,
                "terms": summary.terms,
                "ref": ref,
            }
        )
    issue = create_issue(actor, data, items=items)
    request_build(actor, issue)
    return issue


def request_build(actor, issue: Issue):
    """Queue the build of the issue's PDF and DOCX from its items (a tracked job)."""
    _check_periodicals(actor)
    if not issue.items.exists():
        raise ValidationError(_("Số này chưa có bài nào để tạo tệp."))
    with transaction.atomic():
        job = core_jobs.create(jobs.BUILD, target=issue, label=str(issue), requested_by=actor)
        Issue.objects.filter(pk=issue.pk).update(build_job=job)
        issue.build_job = job
        audit.record(actor, AuditAction.TRANSITION, issue, {"build": ["", "queued"]})
        core_jobs.enqueue(job, tasks.build_issue, issue.pk)
    return job


def publish_issue(actor, issue: Issue, *, note: str = "") -> Issue:
    """Publish an issue (or publish it again after a correction): the issue becomes public
    and its PDF becomes one library document in the series' collection, found by library
    search and harvested by OAI-PMH. The issue keeps a link to that document, so publishing
    again updates the same document (and replaces its file only when the PDF changed)."""
    _check_periodicals(actor)
    with transaction.atomic():
        if issue.status == IssueStatus.DRAFT:
            issue = lifecycle.ISSUE.move(actor, issue, IssueStatus.PUBLISHED, note=note)
        issue = Issue.objects.select_for_update().select_related("series").get(pk=issue.pk)
        if not issue.pdf:
            raise ValidationError(_("Số này chưa có tệp PDF."))
        _sync_document(actor, issue)
    return issue


def unpublish_issue(actor, issue: Issue, *, note: str = "", confirmed: bool = True) -> Issue:
    """Take a published issue back to editing: it leaves public view, and its library
    document is withdrawn, so OAI-PMH reports it as deleted. Both moves are audited; a page
    passes `confirmed` (the library withdrawal cannot be undone)."""
    _check_periodicals(actor)
    with transaction.atomic():
        issue = lifecycle.ISSUE.move(
            actor, issue, IssueStatus.DRAFT, note=note, confirmed=confirmed
        )
        document = issue.document
        if document is not None and document.status != DocumentStatus.WITHDRAWN:
            library.withdraw_document(
                actor,
                document,
                note=_("Gỡ phát hành số ấn phẩm: %(issue)s") % {"issue": issue},
            )
    return issue


def _collection_of(series: Series) -> Collection:
    if series.collection_id:
        return series.collection
    parent = Collection.objects.filter(slug="ban-tin-khcn").first()
    collection, _created = Collection.objects.get_or_create(
        slug=f"an-pham-{series.slug}"[:80], defaults={"name": series.name, "parent": parent}
    )
    Series.objects.filter(pk=series.pk).update(collection=collection)
    return collection


def _document_data(issue: Issue) -> dict:
    series = issue.series
    return {
        "title": str(issue),
        "abstract": issue.summary,
        "publisher": _("Trung tâm Thông tin và Thống kê KH&CN TP. Cần Thơ"),
        "year": issue.year,
        "issued": issue.issued,
        "source_type": SourceType.BULLETIN,
        "issn": series.issn,
        "source": _("%(series)s, số %(n)s/%(y)s")
        % {"series": series.name, "n": issue.number, "y": issue.year},
        "language": "vie",
        "access": AccessLevel.PUBLIC,
        "keywords": "; ".join(item.section for item in issue.items.all() if item.section),
    }


def _sha256(field_file) -> str:
    digest = hashlib.sha256()
    with field_file.open("rb") as handle:
        for chunk in iter(lambda: handle.read(1024 * 1024), b""):
            digest.update(chunk)
    return digest.hexdigest()


def _sync_document(actor, issue: Issue) -> None:
    collection = _collection_of(issue.series)
    data = _document_data(issue)
    fields = list(issue.fields.all())
    document = issue.document
    if document is not None and document.status == DocumentStatus.WITHDRAWN:
        document = None  # withdrawn in the library on purpose: the issue gets a new record
    if document is None:
        document = library.create_document(
            actor,
            data,
            creators=[],
            fields=fields,
            collections=[collection],
            note=_("Số ấn phẩm định kỳ phát hành: %(issue)s") % {"issue": issue},
        )
        Issue.objects.filter(pk=issue.pk).update(document=document)
        issue.document = document
    else:
        library.update_document(actor, document, data, fields=fields, collections=[collection])
    pdf_sha = _sha256(issue.pdf)
    files = list(document.files.all())
    if any(file.sha256 == pdf_sha for file in files):
        return  # the same PDF is already there: nothing to extract again
    for file in files:
        library.remove_file(actor, file)
    name = f"{slugify(str(issue), max_length=120)}.pdf"
    with issue.pdf.open("rb") as handle:
        library.add_file(actor, document, File(handle, name=name), name=name)


def issue_date_default() -> dt.date:
    return timezone.localdate()
