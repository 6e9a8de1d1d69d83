"""Batch import (sheet + ZIP, MARC21) with a preview, and export of a selection."""

from __future__ import annotations

import secrets
from pathlib import Path

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from sti.accounts.access import editor_required
from sti.library import importers, storage
from sti.library.filters import library_query
from sti.library.forms import BatchImportForm, MarcImportForm
from sti.library.models import Document
from sti.library.views.item import export_response
from sti.search import services as search_services

MAX_EXPORT = 5000


def _stage(upload, suffix: str) -> Path:
    """Keep an uploaded import file between the preview and the confirmation."""
    path = storage.tmp_dir() / f"import-{secrets.token_hex(16)}{suffix}"
    with path.open("wb") as out:
        for chunk in upload.chunks():
            out.write(chunk)
    return path


def _staged(request, kind: str) -> dict | None:
    staged = request.session.get(f"library-import-{kind}")
    if not staged:
        return None
    for key in ("sheet", "zip", "marc"):
        if staged.get(key) and not Path(staged[key]).exists():
            return None
    return staged


def _discard(request, kind: str) -> None:
    staged = request.session.pop(f"library-import-{kind}", None) or {}
    for key in ("sheet", "zip", "marc"):
        if staged.get(key):
            Path(staged[key]).unlink(missing_ok=True)


def _plan(kind: str, staged: dict):
    if kind == "marc":
        return importers.plan_marc(Path(staged["marc"]).read_bytes())
    return importers.plan_sheet(
        Path(staged["sheet"]).read_bytes(), staged["name"], staged.get("zip")
    )


def _import_page(request, kind: str, form_class, template_title: str):
    if request.method == "POST" and request.POST.get("confirm"):
        staged = _staged(request, kind)
        if staged is None or staged.get("token") != request.POST.get("token"):
            messages.error(request, _("Phiên nhập đã hết hạn; hãy tải lên lại."))
            return redirect(request.path)
        try:
            plan = _plan(kind, staged)
            documents = importers.run_import(
                request.user, plan, staged.get("zip"), collection_id=staged.get("collection")
            )
        except importers.ImportRejected as error:
            messages.error(request, str(error))
            return redirect(request.path)
        finally:
            _discard(request, kind)
        messages.success(request, _("Đã nhập %(n)s tài liệu.") % {"n": len(documents)})
        return redirect("library:index")

    form = form_class(request.POST or None, request.FILES or None)
    plan = None
    if request.method == "POST" and form.is_valid():
        _discard(request, kind)
        staged = {"token": secrets.token_hex(8)}
        if kind == "marc":
            staged["marc"] = str(_stage(form.cleaned_data["file"], ".mrc"))
            collection = form.cleaned_data.get("collection")
            staged["collection"] = collection.pk if collection else None
        else:
            staged["sheet"] = str(_stage(form.cleaned_data["metadata"], ".sheet"))
            staged["name"] = form.cleaned_data["metadata"].name
            if form.cleaned_data.get("files"):
                staged["zip"] = str(_stage(form.cleaned_data["files"], ".zip"))
        try:
            plan = _plan(kind, staged)
        except importers.ImportRejected as error:
            for key in ("sheet", "zip", "marc"):
                if staged.get(key):
                    Path(staged[key]).unlink(missing_ok=True)
            form.add_error(None, str(error))
        else:
            request.session[f"library-import-{kind}"] = staged
            return render(
                request,
                "library/import_preview.html",
                {"plan": plan, "token": staged["token"], "title": template_title, "kind": kind},
            )
    return render(
        request,
        "library/import_form.html",
        {"form": form, "title": template_title, "kind": kind, "columns": importers.CSV_COLUMNS},
    )


@editor_required
def batch_import(request):
    return _import_page(
        request, "sheet", BatchImportForm, _("Nhập theo lô: bảng dữ liệu + tệp ZIP")
    )


@editor_required
def marc_import(request):
    return _import_page(request, "marc", MarcImportForm, _("Nhập bản ghi MARC21"))


def export_selection(request, fmt):
    """Export the documents of the current search (or `id` values), as this user may see them."""
    ids = [value for value in request.GET.getlist("id") if value.isdigit()]
    if ids:
        documents = Document.objects.visible_to(request.user).filter(pk__in=ids[:MAX_EXPORT])
    else:
        params = request.GET.copy()
        params["size"] = "100"
        pks: list[str] = []
        page = 1
        while len(pks) < MAX_EXPORT:
            params["page"] = str(page)
            results = search_services.search(request.user, library_query(params, page_size=100))
            pks += [hit.pk for hit in results.hits]
            if page >= results.num_pages:
                break
            page += 1
        documents = Document.objects.visible_to(request.user).filter(pk__in=pks)
    if fmt not in ("csv", "bibtex", "marc", "marcxml"):
        raise Http404
    return export_response(documents, fmt, request, "thu-vien")
