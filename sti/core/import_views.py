"""The pages of a spreadsheet import (`sti.core.imports`), written once for every app:
upload → preview with every row error → confirm (all rows or none) or cancel.

An app's views stay glue: they check access, choose the importer and name their pages.

    @editor_required
    def import_upload(request):
        return import_views.upload_page(
            request, FilingImporter(), "ip/import_upload.html", preview="ip:import_preview"
        )

`url_kwargs` are the arguments the app's import URLs share (the directory's `kind`); they
are passed to every redirect and to the upload template.
"""

from __future__ import annotations

from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from sti.core import imports
from sti.core.forms import SpreadsheetUploadForm

__all__ = ["upload_page", "preview_page"]


def upload_page(
    request,
    importer: imports.SpreadsheetImporter,
    template: str,
    *,
    preview: str,
    url_kwargs: dict | None = None,
):
    """The upload form; a checked file is staged and the visitor sent to `preview` (a URL
    name taking `token`). `template` extends core/import_upload.html."""
    url_kwargs = url_kwargs or {}
    form = SpreadsheetUploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        token = imports.accept_upload(form, "file", user=request.user, kind=importer.kind)
        if token:
            return redirect(preview, token=token, **url_kwargs)
    context = {
        "form": form,
        "importer": importer,
        "max_mb": imports.MAX_UPLOAD_BYTES // 1024 // 1024,
        "max_rows": importer.max_rows,
        **url_kwargs,
    }
    return render(request, template, context)


def preview_page(
    request,
    importer: imports.SpreadsheetImporter,
    token: str,
    *,
    upload: str,
    done: str,
    done_message: str,
    url_kwargs: dict | None = None,
):
    """The preview of a staged file; on POST, cancel (back to `upload`) or confirm: every
    row is written, `done_message` (with %(created)s and %(updated)s) shown and the visitor
    sent to `done` (a URL name or path)."""
    url_kwargs = url_kwargs or {}
    stash = imports.load_stash(token, user=request.user, kind=importer.kind)
    if stash is None:
        return _gone(request, upload, url_kwargs)
    path, meta = stash
    if request.method == "POST" and request.POST.get("action") == "cancel":
        imports.discard_stash(token)
        messages.info(request, _("Đã hủy nhập dữ liệu."))
        return redirect(upload, **url_kwargs)
    # Validated again on confirmation: the database may have changed since the preview.
    try:
        result = importer.parse(path)
    except FileNotFoundError:  # discarded meanwhile (a confirmation that got there first)
        return _gone(request, upload, url_kwargs)
    if request.method == "POST" and result.ok:
        # One confirmation at a time, the stash discarded before the rows commit: a double
        # click writes them once (the second finds the stash gone).
        with imports.confirming(token, user=request.user, kind=importer.kind) as still:
            if still is None:
                return _gone(request, upload, url_kwargs)
            try:
                counts = importer.apply(request.user, result, filename=meta["filename"])
            except imports.ImportRejected as error:  # another writer got there in between
                messages.error(request, str(error))
            else:
                imports.discard_stash(token)
                messages.success(request, done_message % counts)
                return redirect(done)
    context = {"importer": importer, "token": token, "meta": meta, "result": result, **url_kwargs}
    return render(request, "core/import_preview.html", context)


def _gone(request, upload: str, url_kwargs: dict):
    messages.error(request, _("Tệp tải lên đã hết hạn hoặc không tồn tại; hãy tải lên lại."))
    return redirect(upload, **url_kwargs)
