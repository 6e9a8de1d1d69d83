"""Editors' pages: cataloguing, files, the review queue, flagged texts, usage report."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Exists, OuterRef, Sum
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from sti.accounts.access import editor_required, get_visible_or_404
from sti.core.statemachine import confirmed_in
from sti.library import services, storage
from sti.library.choices import QualityFlag
from sti.library.forms import DocumentForm, ReviewForm, UploadForm
from sti.library.models import Document, DocumentFile, OcrPage, UsageMonth
from sti.library.views.item import attach_held_pages
from sti.library.worklist import unchecked_flagged_files


@editor_required
def document_create(request):
    form = DocumentForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        document = services.create_document(
            request.user, form.document_data(), **form.service_kwargs()
        )
        messages.success(request, _("Đã tạo tài liệu. Hãy tải lên tệp toàn văn."))
        return redirect(document)
    return render(request, "library/document_form.html", {"form": form})


def document_edit(request, pk):
    document = get_visible_or_404(Document, request.user, pk=pk)
    if not services.can_edit(request.user, document):
        raise PermissionDenied
    form = DocumentForm(request.POST or None, instance=document)
    if request.method == "POST" and form.is_valid():
        # The form has filled `document` in place; the service reloads it from the database.
        services.update_document(
            request.user, document, form.document_data(), **form.service_kwargs()
        )
        messages.success(request, _("Đã lưu thay đổi."))
        return redirect(document)
    return render(request, "library/document_form.html", {"form": form, "document": document})


@require_POST
def file_upload(request, pk):
    document = get_visible_or_404(Document, request.user, pk=pk)
    if not services.can_add_files(request.user, document):
        raise PermissionDenied
    form = UploadForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            services.add_file(request.user, document, form.cleaned_data["file"])
            messages.success(request, _("Đã tải lên; văn bản đang được trích xuất."))
        except storage.UploadRejected as error:
            messages.error(request, " ".join(error.messages))
    else:
        messages.error(request, " ".join(e for errors in form.errors.values() for e in errors))
    return redirect(document)


@editor_required
def review_queue(request):
    # Deposits whose file text waits for an editor (OCR pages or a file flagged) say so.
    queue = services.review_queue().select_related("submitted_by")
    queue = queue.annotate(
        text_held=Exists(unchecked_flagged_files().filter(document=OuterRef("pk")))
    )
    page = Paginator(queue, 25).get_page(request.GET.get("page"))
    return render(request, "library/review_queue.html", {"page": page})


@editor_required
@require_POST
def review_document(request, pk):
    document = get_object_or_404(Document.objects.live(), pk=pk)
    form = ReviewForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Hãy chọn một quyết định."))
        return redirect(document)
    decision, comment = form.cleaned_data["decision"], form.cleaned_data["comment"]
    verb = {
        "accept": services.accept,
        "return": services.return_for_changes,
        "reject": services.reject,
    }[decision]
    try:
        if decision == "reject":
            verb(request.user, document, comment, confirmed=confirmed_in(request.POST))
        else:
            verb(request.user, document, comment)
        messages.success(request, _("Đã ghi quyết định."))
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    return redirect("library:review_queue")


@editor_required
@require_POST
def document_withdraw(request, pk):
    document = get_object_or_404(Document.objects.live(), pk=pk)
    try:
        services.withdraw_document(
            request.user,
            document,
            request.POST.get("note", ""),
            confirmed=confirmed_in(request.POST),
        )
    except ValidationError as error:  # IllegalMove, ConfirmationRequired: nothing changed
        messages.error(request, " ".join(error.messages))
        return redirect(document)
    messages.success(request, _("Đã rút tài liệu; OAI-PMH sẽ báo bản ghi đã xóa."))
    return redirect("library:index")


@editor_required
def flagged_files(request):
    """Files whose text needs an editor's eye, and files waiting for OCR or failed."""
    flagged = list(unchecked_flagged_files().select_related("document").defer("text")[:500])
    attach_held_pages(request.user, flagged)
    pending = (
        DocumentFile.objects.filter(quality=QualityFlag.PENDING)
        .select_related("document")
        .defer("text")
    )
    return render(
        request, "library/flagged_files.html", {"flagged": flagged, "pending": pending[:200]}
    )


@editor_required
@require_POST
def file_confirm_quality(request, pk):
    file = get_object_or_404(DocumentFile, pk=pk)
    services.confirm_quality(request.user, file, request.POST.get("note", ""))
    messages.success(request, _("Đã xác nhận văn bản của tệp."))
    return redirect(file.document)


@editor_required
@require_POST
def ocr_page_accept(request, pk):
    """An editor accepts a flagged OCR page's text: it joins the document's text and index."""
    queryset = OcrPage.objects.visible_to(request.user).select_related("file__document")
    page = get_object_or_404(queryset, pk=pk)
    services.accept_ocr_page(request.user, page, request.POST.get("note", ""))
    messages.success(request, _("Đã chấp nhận văn bản trang %(n)s.") % {"n": page.number})
    if request.POST.get("from_queue"):
        return redirect("library:flagged_files")
    return redirect(page.file.document)


@editor_required
@require_POST
def file_requeue(request, pk):
    file = get_object_or_404(DocumentFile, pk=pk)
    services.requeue_file(request.user, file)
    messages.success(request, _("Đã đưa tệp vào hàng đợi xử lý lại."))
    return redirect(file.document)


@editor_required
def usage_report(request):
    """Views and downloads per document and month (no visitor data is kept)."""
    months = UsageMonth.objects.order_by("-month").values_list("month", flat=True).distinct()[:24]
    month = request.GET.get("thang")
    rows = UsageMonth.objects.select_related("document")
    if month:
        rows = rows.filter(month=month)
    top = (
        rows.values("document_id", "document__title")
        .annotate(views=Sum("views"), downloads=Sum("downloads"))
        .order_by("-views", "-downloads")[:100]
    )
    per_month = (
        UsageMonth.objects.values("month")
        .annotate(views=Sum("views"), downloads=Sum("downloads"))
        .order_by("-month")[:24]
    )
    return render(
        request,
        "library/usage_report.html",
        {"top": top, "per_month": per_month, "months": months, "month": month},
    )
