"""Yearly catalogues: request a build, watch its progress (htmx), download the files."""

from __future__ import annotations

import mimetypes

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from sti.accounts.access import editor_required
from sti.core.downloads import ranged_file_response
from sti.projects import services
from sti.projects.forms import CatalogueForm
from sti.projects.models import CatalogueBuild


@editor_required
def catalogue_list(request):
    form = CatalogueForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            build = services.request_catalogue(
                request.user, year=form.cleaned_data["year"], kind=form.cleaned_data["kind"]
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Đã đưa yêu cầu tạo ấn phẩm vào hàng đợi."))
            return redirect(f"{request.path}#build-{build.pk}")
    builds = CatalogueBuild.objects.select_related("requested_by", "job")[:30]
    return render(request, "projects/catalogue_list.html", {"form": form, "builds": builds})


@editor_required
def catalogue_status(request, pk):
    build = get_object_or_404(CatalogueBuild.objects.select_related("job"), pk=pk)
    return render(request, "projects/_catalogue_row.html", {"build": build})


def catalogue_download(request, pk, fmt):
    """Finished catalogues are public documents (they list only public tasks)."""
    build = get_object_or_404(CatalogueBuild, pk=pk)
    file = {"docx": build.docx, "pdf": build.pdf}.get(fmt)
    if not file:
        raise Http404
    filename = f"{build.get_kind_display()} {build.year}.{fmt}"
    content_type = mimetypes.guess_type(filename)[0] or "application/octet-stream"
    return ranged_file_response(request, file, content_type, filename=filename, as_attachment=True)
