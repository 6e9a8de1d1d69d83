"""Batch import (sheet + ZIP, MARC21) with a preview, and export of a selection."""

from __future__ import annotations

from pathlib import Path

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from sti.accounts.access import editor_required
from sti.core import imports as core_imports
from sti.core.validators import as_pk
from sti.library import imports
from sti.library.exports import CSV_COLUMNS
from sti.library.filters import library_query
from sti.library.forms import BatchImportForm, MarcImportForm
from sti.library.models import Document
from sti.library.views.item import export_response
from sti.search import services as search_services

MAX_EXPORT = 5000


def _plan(kind: str, path: Path, meta: dict):
    if kind == "marc":
        return imports.plan_marc(path.read_bytes())
    return imports.plan_sheet(path.read_bytes(), meta["filename"], meta["paths"].get("zip"))


def _stash(request, kind: str, form) -> str:
    """Stage the upload(s) between the preview and the confirmation; returns the token."""
    data = form.cleaned_data
    if kind == "marc":
        collection = data.get("collection")
        return core_imports.stash_upload(
            data["file"],
            user=request.user,
            kind=f"library-{kind}",
            extra={"collection": collection.pk if collection else None},
            suffix=".mrc",
        )
    attachments = {"zip": data["files"]} if data.get("files") else None
    return core_imports.stash_upload(
        data["metadata"],
        user=request.user,
        kind=f"library-{kind}",
        attachments=attachments,
        suffix=".sheet",
    )


def _import_page(request, kind: str, form_class, template_title: str):
    stash_kind = f"library-{kind}"
    if request.method == "POST" and request.POST.get("discard"):
        if core_imports.load_stash(
            request.POST.get("token", ""), user=request.user, kind=stash_kind
        ):
            core_imports.discard_stash(request.POST["token"])
        messages.info(request, _("Đã hủy lần nhập; các tệp tạm đã được xóa."))
        return redirect(request.path)
    if request.method == "POST" and request.POST.get("confirm"):
        token = request.POST.get("token", "")
        stash = core_imports.load_stash(token, user=request.user, kind=stash_kind)
        try:
            plan = _plan(kind, *stash) if stash is not None else None
        except FileNotFoundError:  # discarded meanwhile (a confirmation that got there first)
            plan = None
        except core_imports.ImportRejected as error:
            core_imports.discard_stash(token)
            messages.error(request, str(error))
            return redirect(request.path)
        # One import per stash, whatever the number of clicks: the stash is discarded before
        # the documents commit, and a second confirmation waits, then finds it gone.
        with core_imports.confirming(token, user=request.user, kind=stash_kind) as still:
            if plan is None or still is None:
                messages.error(request, _("Phiên nhập đã hết hạn; hãy tải lên lại."))
                return redirect(request.path)
            meta = stash[1]
            try:
                documents = imports.run_import(
                    request.user,
                    plan,
                    meta["paths"].get("zip"),
                    collection_id=meta.get("collection"),
                )
            except core_imports.ImportRejected as error:
                messages.error(request, str(error))
                return redirect(request.path)
            finally:
                core_imports.discard_stash(token)
        messages.success(request, _("Đã nhập %(n)s tài liệu.") % {"n": len(documents)})
        return redirect("library:index")

    form = form_class(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        token = _stash(request, kind, form)
        path, meta = core_imports.load_stash(token, user=request.user, kind=stash_kind)
        plan = None
        try:
            plan = _plan(kind, path, meta)
        except core_imports.ImportRejected as error:
            form.add_error(None, str(error))
        finally:
            # The staged files stay only for a preview that can be confirmed; a refused
            # upload, a plan with errors or a crash removes them now.
            if plan is None or not plan.ok:
                core_imports.discard_stash(token)
        if plan is not None:
            return render(
                request,
                "library/import_preview.html",
                {
                    "plan": plan,
                    "token": token if plan.ok else "",
                    "title": template_title,
                    "kind": kind,
                },
            )
    return render(
        request,
        "library/import_form.html",
        {"form": form, "title": template_title, "kind": kind, "columns": CSV_COLUMNS},
    )


@editor_required
def import_template(request):
    return core_imports.template_response(imports.DocumentImporter())


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
    ids = [pk for pk in map(as_pk, request.GET.getlist("id")) if pk]
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
