"""Search and browse: the library's search page, collections, fields, years and authors."""

from __future__ import annotations

from django.core.paginator import Paginator
from django.db.models import Count
from django.http import Http404, QueryDict
from django.shortcuts import get_object_or_404, render
from django.utils.translation import gettext as _

from sti.core.text import fold_lower
from sti.library.choices import CreatorRole
from sti.library.filters import facet_panels, search_documents
from sti.library.models import Collection, Creator, Document
from sti.search import services as search_services


def _search_context(request, params=None, hidden=()) -> dict:
    params = params if params is not None else request.GET
    # Authors, abstract and keywords as separate, labelled parts of each hit.
    results = search_services.describe(request.user, search_documents(request.user, params))
    return {
        "results": results,
        "query": results.query,
        "facet_panels": facet_panels(results, request.GET, hidden),
    }


def index(request):
    """Search and browse documents: facets, highlighted full-text snippets, sorting."""
    context = _search_context(request)
    if request.htmx:
        return render(request, "library/_results.html", context)
    context["collections"] = Collection.objects.filter(parent__isnull=True)
    return render(request, "library/index.html", context)


def _tree(collections: list[Collection], counts: dict[str, int]) -> list[dict]:
    children: dict = {}
    for collection in collections:
        children.setdefault(collection.parent_id, []).append(collection)

    def build(parent_id, depth):
        nodes = []
        for collection in children.get(parent_id, []):
            nodes.append(
                {
                    "collection": collection,
                    "depth": depth,
                    "count": counts.get(str(collection.pk), 0),
                }
            )
            nodes += build(collection.pk, depth + 1)
        return nodes

    return build(None, 0)


def collection_list(request):
    """Every collection with the number of documents this user may see in it."""
    results = search_documents(request.user, QueryDict("size=1"), exact=True)
    counts = {value.value: value.count for value in results.facets.get("collection", [])}
    nodes = _tree(list(Collection.objects.all()), counts)
    return render(request, "library/collection_list.html", {"nodes": nodes, "total": results.total})


def collection_detail(request, slug):
    collection = get_object_or_404(Collection.objects.select_related("parent"), slug=slug)
    params = request.GET.copy()
    params.setlist("collection", [str(collection.pk)])
    context = _search_context(request, params, hidden=("collection",))
    if request.htmx:
        return render(request, "library/_results.html", context)
    context.update(
        {
            "collection": collection,
            "children": collection.children.all(),
            "ancestors": collection.ancestors()[:-1],
        }
    )
    return render(request, "library/collection_detail.html", context)


BROWSE_FACETS = {
    "field": _("Lĩnh vực KH&CN"),
    "year": _("Năm xuất bản"),
    "source_type": _("Loại nguồn tin"),
    "language": _("Ngôn ngữ"),
}


def browse_facet(request, facet):
    """Browse by field, year, type or language, with counts of visible documents."""
    if facet not in BROWSE_FACETS:
        raise Http404
    results = search_documents(request.user, QueryDict("size=1"))
    values = results.facets.get(facet, [])
    return render(
        request,
        "library/browse.html",
        {"facet": facet, "title": BROWSE_FACETS[facet], "values": values, "facets": BROWSE_FACETS},
    )


def author_list(request):
    """Authors of visible documents, alphabetically (folded), or the documents of one author."""
    visible = Document.objects.visible_to(request.user)
    name = request.GET.get("ten", "").strip()
    if name:
        documents = visible.filter(creators__name=name).distinct().prefetch_related("creators")
        page = Paginator(documents.order_by("-year", "title"), 25).get_page(request.GET.get("page"))
        return render(request, "library/author_detail.html", {"name": name, "page": page})
    q = request.GET.get("q", "").strip()
    authors = Creator.objects.filter(role=CreatorRole.CREATOR, document__in=visible)
    if q:
        authors = authors.filter(name_folded__contains=fold_lower(q))
    authors = (
        authors.values("name", "name_folded")
        .annotate(count=Count("document", distinct=True))
        .order_by("name_folded", "name")
    )
    page = Paginator(authors, 50).get_page(request.GET.get("page"))
    return render(request, "library/author_list.html", {"page": page, "q": q})
