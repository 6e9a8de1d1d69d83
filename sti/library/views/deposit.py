"""Deposit by registered users (a researcher depositing a report) and their own list."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db import transaction
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from sti.library import services, storage
from sti.library.forms import DepositForm
from sti.library.models import Document


@login_required
def deposit_create(request):
    form = DepositForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        data = {name: form.cleaned_data.get(name) for name in form.Meta.fields if name != "fields"}
        creators = [
            line.strip() for line in form.cleaned_data["creators_text"].splitlines() if line.strip()
        ]
        upload = form.cleaned_data.get("file")
        try:
            with transaction.atomic():
                document = services.deposit(
                    request.user,
                    data,
                    creators=creators,
                    fields=list(form.cleaned_data.get("fields") or []),
                    files=[upload] if upload else [],
                )
        except storage.UploadRejected as error:
            form.add_error("file", " ".join(error.messages))
        except ValidationError as error:
            form.add_error(None, " ".join(error.messages))
        else:
            messages.success(request, _("Đã nộp tài liệu. Biên tập viên sẽ xem xét và phản hồi."))
            return redirect(document)
    return render(request, "library/deposit_form.html", {"form": form})


@login_required
def my_deposits(request):
    documents = Document.objects.filter(
        submitted_by=request.user, deleted_at__isnull=True
    ).order_by("-created_at")
    return render(request, "library/my_deposits.html", {"documents": documents})


@login_required
@require_POST
def resubmit(request, pk):
    document = get_object_or_404(Document.objects.filter(submitted_by=request.user), pk=pk)
    try:
        services.resubmit(request.user, document)
        messages.success(request, _("Đã nộp lại để duyệt."))
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    return redirect(document)
