"""Pages of the news app. Each view loads through the access rule, checks the right to act,
calls one service and renders: no business rule lives here.

Refusals: a record the user may not see answers 404 (`get_<obj>_for_user`); an action the
user may not take answers 403 (or the login page for a visitor); a refused workflow step
shows its reason as a message and changes nothing.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from sti.accounts.access import editor_required, is_editor, visible_to_anonymous
from sti.core import exports as core_exports
from sti.core import jobs as core_jobs
from sti.core import registries
from sti.core.audit import history_for
from sti.core.downloads import ranged_file_response
from sti.core.forms import attach_errors
from sti.core.statemachine import TransitionError, confirmed_in
from sti.library.models import Document
from sti.news import access, exports, lifecycle, links, media, services
from sti.news.choices import ArticleStatus, IssueStatus
from sti.news.filters import ArticleFilter
from sti.news.forms import ArticleForm, AssembleForm, CategoryForm, IssueForm, MoveForm
from sti.news.models import Article, Category, Issue, Series

PAGE_SIZE = 12
RECENT_PER_SOURCE = 25


# ---------------------------------------------------------------------------
# Articles
# ---------------------------------------------------------------------------
# What a card of the article list shows (news/article_list.html): the body, often pages
# long, and the rest of the organization are not read. A column missing here costs a query
# per card, which the query-count pin (tests/test_query_counts.py) catches.
LIST_COLUMNS = (
    "title", "summary", "status", "lead_image", "lead_image_alt", "publish_at",
    "organization__name", "organization__abbreviation", "category__name", "category__slug",
)  # fmt: skip


def article_list(request):
    queryset = (
        Article.objects.visible_to(request.user)
        .select_related("organization", "category")
        .only(*LIST_COLUMNS)
        .order_by("-publish_at", "-pk")
    )
    filterset = ArticleFilter(request.GET, queryset=queryset)
    page = Paginator(filterset.qs, PAGE_SIZE).get_page(request.GET.get("page"))
    # Meta.ordering does not apply to aggregating queries: order them explicitly.
    categories = (
        Category.objects.only("name", "slug")
        .annotate(n=Count("articles", filter=Q(articles__in=Article.objects.public())))
        .order_by("order", "name")
    )
    context = {
        "page": page,
        "filter": filterset,
        "categories": categories,
        "category": filterset.form.cleaned_data.get("category") if filterset.is_valid() else None,
        "can_create": access.can_create_article(request.user),
        "is_editor": is_editor(request.user),
    }
    return render(request, "news/article_list.html", context)


def article_detail(request, pk):
    article = access.get_article_for_user(request.user, pk)
    article = (
        Article.objects.select_related("organization", "category")
        .prefetch_related("tags", "fields", "links")
        .get(pk=article.pk)
    )
    pairs = [(link.content_type_id, link.object_id) for link in article.links.all()]
    found = links.visible_records(request.user, pairs)
    related = [
        {"record": found[pair], "label": links.label_of(found[pair])}
        for pair in pairs
        if pair in found
    ]
    editor = is_editor(request.user)
    context = {
        "article": article,
        "paragraphs": [part for part in article.body.split("\n") if part.strip()],
        "related": related,
        "video_link": media.video_link(article.video_url),
        "moves": lifecycle.ARTICLE.available_moves(request.user, article),
        "move_form": MoveForm(),
        "can_edit": access.can_edit_article(request.user, article),
        "is_public": Article.objects.public().filter(pk=article.pk).exists(),
        "history": list(history_for(article)[:20]) if editor else None,
    }
    return render(request, "news/article_detail.html", context)


def _article_form_page(request, article: Article | None):
    form = ArticleForm(
        request.POST or None, request.FILES or None, user=request.user, article=article
    )
    if request.method == "POST" and form.is_valid():
        relations = form.relations()
        try:
            if article is None:
                saved = services.create_article(request.user, form.service_data(), **relations)
                messages.success(request, _("Đã lưu bản nháp “%(t)s”.") % {"t": saved})
            else:
                saved = services.update_article(
                    request.user, article, form.service_data(), **relations
                )
                messages.success(request, _("Đã lưu thay đổi của “%(t)s”.") % {"t": saved})
        except ValidationError as error:
            attach_errors(form, error)
        else:
            return redirect(saved.get_absolute_url())
    cancel = article.get_absolute_url() if article else reverse("news:article_list")
    return render(
        request, "news/article_form.html", {"form": form, "object": article, "cancel_url": cancel}
    )


def article_create(request):
    if not access.can_create_article(request.user):
        raise PermissionDenied  # a visitor is sent to the login page (core middleware)
    return _article_form_page(request, None)


def article_edit(request, pk):
    article = access.get_article_for_user(request.user, pk)
    if not access.can_edit_article(request.user, article):
        raise PermissionDenied  # a visitor is sent to the login page (core middleware)
    return _article_form_page(request, article)


@require_POST
def article_move(request, pk):
    article = access.get_article_for_user(request.user, pk)
    form = MoveForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Yêu cầu không hợp lệ: %(e)s") % {"e": form.errors.as_text()})
        return redirect(article.get_absolute_url())
    target = form.cleaned_data["target"]
    try:
        services.move_article(
            request.user,
            article,
            target,
            note=form.cleaned_data["note"],
            publish_at=form.cleaned_data["publish_at"],
        )
    except TransitionError as error:
        if error.status == 403:
            raise PermissionDenied(error.message) from error
        messages.error(request, error.message)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request,
            _("Bài tin đã chuyển sang “%(s)s”.") % {"s": ArticleStatus(target).label},
        )
    return redirect(article.get_absolute_url())


@require_safe
def article_image(request, pk):
    """The lead image, served only to those who may see the article (a draft's image too)."""
    article = access.get_article_for_user(request.user, pk)
    if not article.lead_image:
        raise Http404
    name = article.lead_image.name.rsplit("/", 1)[-1]
    extension = name.rsplit(".", 1)[-1].lower()
    content_type = {"png": "image/png", "webp": "image/webp"}.get(extension, "image/jpeg")
    return ranged_file_response(
        request,
        article.lead_image,
        content_type,
        filename=name,
        public=lambda: visible_to_anonymous(article),
    )


@require_safe
def article_video(request, pk):
    """The uploaded video, with HTTP range requests (players seek with them)."""
    article = access.get_article_for_user(request.user, pk)
    if not article.video_file:
        raise Http404
    name = article.video_file.name.rsplit("/", 1)[-1]
    return ranged_file_response(
        request,
        article.video_file,
        media.video_type(name),
        filename=name,
        public=lambda: visible_to_anonymous(article),
    )


def article_export(request, fmt):
    queryset = Article.objects.visible_to(request.user)
    articles = ArticleFilter(request.GET, queryset=queryset).qs
    return core_exports.export_response(
        exports.COLUMNS,
        exports.rows(articles, request.build_absolute_uri),
        fmt,
        "tin-tuc",
        sheet_title=_("Tin tức"),
    )


# ---------------------------------------------------------------------------
# Categories (editors)
# ---------------------------------------------------------------------------
@editor_required
def category_list(request):
    categories = Category.objects.annotate(n=Count("articles")).order_by("order", "name")
    return render(request, "news/category_list.html", {"categories": categories})


def _category_form_page(request, category):
    form = CategoryForm(request.POST or None, instance=category)
    if request.method == "POST" and form.is_valid():
        try:
            services.save_category(request.user, category, form.cleaned_data)
        except ValidationError as error:
            attach_errors(form, error)
        else:
            messages.success(request, _("Đã lưu chuyên mục."))
            return redirect("news:category_list")
    return render(
        request,
        "news/category_form.html",
        {"form": form, "object": category, "cancel_url": reverse("news:category_list")},
    )


@editor_required
def category_create(request):
    return _category_form_page(request, None)


@editor_required
def category_edit(request, pk):
    try:
        category = Category.objects.get(pk=pk)
    except Category.DoesNotExist as missing:
        raise Http404 from missing
    return _category_form_page(request, category)


# ---------------------------------------------------------------------------
# Periodicals
# ---------------------------------------------------------------------------
def series_list(request):
    visible = Issue.objects.visible_to(request.user)
    series = Series.objects.annotate(
        issue_count=Count("issues", filter=Q(issues__in=visible))
    ).order_by("order", "name")
    latest = visible.select_related("series").order_by("-issued", "-pk")[:6]
    return render(
        request,
        "news/series_list.html",
        {"series_list": series, "latest": latest, "is_editor": is_editor(request.user)},
    )


def series_detail(request, slug):
    series = access.get_series(slug)
    issues = Issue.objects.visible_to(request.user).filter(series=series).select_related("series")
    page = Paginator(issues.order_by("-issued", "-pk"), 24).get_page(request.GET.get("page"))
    return render(
        request,
        "news/series_detail.html",
        {"series": series, "page": page, "is_editor": is_editor(request.user)},
    )


def issue_detail(request, pk):
    issue = access.get_issue_for_user(request.user, pk)
    issue = (
        Issue.objects.select_related("series", "document", "build_job")
        .prefetch_related("items", "fields")
        .get(pk=issue.pk)
    )
    items = list(issue.items.all())
    found = links.visible_records(request.user, [(i.content_type_id, i.object_id) for i in items])
    for item in items:
        item.record = found.get((item.content_type_id, item.object_id))
        item.lines = [line for line in item.text.split("\n") if line.strip()]
    editor = access.can_manage_periodicals(request.user)
    context = {
        "issue": issue,
        "items": items,
        "document_visible": bool(
            issue.document_id
            and Document.objects.visible_to(request.user).filter(pk=issue.document_id).exists()
        ),
        "can_manage": editor,
        "unpublish_warning": lifecycle.ISSUE.confirmation(issue.status, IssueStatus.DRAFT)
        if editor
        else "",
        "job_context": core_jobs.status_context(issue.build_job, request.user)
        if issue.build_job_id
        else None,
        "history": list(history_for(issue)[:20]) if editor else None,
    }
    return render(request, "news/issue_detail.html", context)


@require_safe
def issue_file(request, pk, kind):
    """The issue's PDF (inline) or DOCX (download), for those who may see the issue."""
    issue = access.get_issue_for_user(request.user, pk)
    if kind not in ("pdf", "docx"):
        raise Http404
    stored = issue.pdf if kind == "pdf" else issue.docx
    if not stored:
        raise Http404
    content_type = (
        "application/pdf"
        if kind == "pdf"
        else "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    )
    name = f"{issue.series.slug}-so-{issue.number}-{issue.year}.{kind}"
    return ranged_file_response(
        request,
        stored,
        content_type,
        filename=name,
        as_attachment=kind == "docx",
        public=lambda: visible_to_anonymous(issue),
    )


def _issue_form_page(request, issue):
    form = IssueForm(request.POST or None, request.FILES or None, issue=issue)
    if request.method == "POST" and form.is_valid():
        try:
            if issue is None:
                saved = services.create_issue(
                    request.user, form.service_data(), fields=form.cleaned_data["fields"]
                )
            else:
                saved = services.update_issue(
                    request.user, issue, form.service_data(), fields=form.cleaned_data["fields"]
                )
        except ValidationError as error:
            attach_errors(form, error)
        else:
            messages.success(request, _("Đã lưu “%(i)s”.") % {"i": saved})
            return redirect(saved.get_absolute_url())
    cancel = issue.get_absolute_url() if issue else reverse("news:series_list")
    return render(
        request, "news/issue_form.html", {"form": form, "object": issue, "cancel_url": cancel}
    )


@editor_required
def issue_create(request):
    return _issue_form_page(request, None)


@editor_required
def issue_edit(request, pk):
    return _issue_form_page(request, access.get_issue_for_user(request.user, pk))


class _Source:
    """One item source of the selection form: a linkable model and its recent public records."""

    def __init__(self, linkable):
        self.linkable = linkable
        self.records = links.recent(None, linkable, RECENT_PER_SOURCE)
        self.options = [(f"{linkable.key}:{record.pk}", str(record)) for record in self.records]


@editor_required
def issue_assemble(request):
    sources = [_Source(item) for item in registries.linkables() if item.date_field]
    form = AssembleForm(request.POST or None, sources=sources)
    if request.method == "POST" and form.is_valid():
        try:
            issue = services.assemble_issue(
                request.user, form.service_data(), form.cleaned_data["refs"]
            )
        except ValidationError as error:
            attach_errors(form, error)
        else:
            messages.success(
                request, _("Đã tạo “%(i)s”; tệp PDF và DOCX đang được tạo.") % {"i": issue}
            )
            return redirect(issue.get_absolute_url())
    chosen = set(form["refs"].value() or [])
    return render(
        request,
        "news/issue_assemble.html",
        {"form": form, "sources": sources, "chosen": chosen},
    )


@require_POST
@editor_required
def issue_build(request, pk):
    issue = access.get_issue_for_user(request.user, pk)
    try:
        services.request_build(request.user, issue)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Đang tạo tệp PDF và DOCX của số này."))
    return redirect(issue.get_absolute_url())


@require_POST
@editor_required
def issue_publish(request, pk):
    issue = access.get_issue_for_user(request.user, pk)
    again = issue.status == IssueStatus.PUBLISHED
    try:
        services.publish_issue(request.user, issue)
    except (TransitionError, ValidationError) as error:
        messages.error(request, " ".join(getattr(error, "messages", [str(error)])))
    else:
        messages.success(
            request,
            _("Đã cập nhật số đã phát hành và tài liệu thư viện của nó.")
            if again
            else _("Đã phát hành; số này đã vào thư viện số."),
        )
    return redirect(issue.get_absolute_url())


@require_POST
@editor_required
def issue_unpublish(request, pk):
    issue = access.get_issue_for_user(request.user, pk)
    try:
        services.unpublish_issue(
            request.user,
            issue,
            note=request.POST.get("note", "")[:500],
            confirmed=confirmed_in(request.POST),
        )
    except TransitionError as error:
        messages.error(request, str(error))
    else:
        messages.success(
            request, _("Đã gỡ phát hành: số này trở lại biên tập; tài liệu thư viện đã rút.")
        )
    return redirect(issue.get_absolute_url())
