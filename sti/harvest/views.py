"""Pages of the regional network: the union catalogue (everyone) and the partner sources
(editors: register, settings, harvest, status)."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from sti.accounts.access import editor_required
from sti.core.jobs import status_context
from sti.core.models import TrackedJob
from sti.harvest import access, services
from sti.harvest.filters import search_union
from sti.harvest.forms import DiscoverForm, SourceSettingsForm
from sti.harvest.jobs import job_kind
from sti.harvest.models import HarvestedRecord, Source
from sti.harvest.search import cluster_members, local_document_of


def union_catalogue(request):
    """The union catalogue: the center's documents and the partners' records, with a
    "nguồn" facet; duplicates across sources are shown once with all their sources."""
    context = search_union(request.user, request.GET)
    template = "harvest/_results.html" if request.htmx else "harvest/union.html"
    return render(request, template, context)


def record_detail(request, pk):
    record = access.get_record_for_user(request.user, pk)
    members = [m for m in cluster_members(record) if m.pk != record.pk]
    local = local_document_of(record, request.user)
    context = {"record": record, "members": members, "local_document": local}
    return render(request, "harvest/record_detail.html", context)


@editor_required
def source_list(request):
    sources = Source.objects.visible_to(request.user)
    counts = HarvestedRecord.objects.counts_by_source()
    rows = [(source, counts.get(source.pk, 0)) for source in sources]
    return render(request, "harvest/source_list.html", {"rows": rows})


def _settings_form(found, data=None, initial=None):
    return SourceSettingsForm(data, formats=found.formats, sets=found.sets, initial=initial)


@editor_required
def source_create(request):
    """Step 1: name and base URL → Identify, ListMetadataFormats, ListSets; step 2: choose."""
    discover_form = DiscoverForm(request.POST or None)
    context = {"discover_form": discover_form}
    if request.method == "POST" and discover_form.is_valid():
        base_url, name = discover_form.cleaned_data["base_url"], discover_form.cleaned_data["name"]
        try:
            found = services.discover_source(request.user, base_url)
        except ValidationError as error:
            discover_form.add_error("base_url", error)
            return render(request, "harvest/source_form.html", context)
        if request.POST.get("step") != "save":
            form = _settings_form(found, initial={"name": name})
            context.update(found=found, form=form)
            return render(request, "harvest/source_form.html", context)
        form = _settings_form(found, request.POST)
        context.update(found=found, form=form)
        if form.is_valid():
            try:
                source = services.register_source(request.user, base_url, form.cleaned_data, found)
            except ValidationError as error:
                form.add_error(None, error)
            else:
                messages.success(request, _("Đã đăng ký nguồn “%(name)s”.") % {"name": source})
                return redirect(source)
    return render(request, "harvest/source_form.html", context)


@editor_required
def source_detail(request, pk):
    source = access.get_source_for_user(request.user, pk)
    found = type("Found", (), {"formats": source.formats_offered, "sets": source.sets_offered})
    initial = {name: getattr(source, name) for name in services.SETTINGS}
    form = _settings_form(found, request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.update_source(request.user, source, form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Đã lưu thiết lập của nguồn."))
            return redirect(source)
    job = TrackedJob.objects.filter(kind=job_kind(source)).order_by("-created_at").first()
    context = {
        "source": source,
        "form": form,
        "runs": source.runs.all()[:20],
        "record_count": source.records.count(),
        **status_context(job, request.user),
    }
    return render(request, "harvest/source_detail.html", context)


@editor_required
@require_POST
def source_harvest(request, pk):
    source = access.get_source_for_user(request.user, pk)
    full = request.POST.get("full") == "1"
    if services.request_harvest(request.user, source, full=full) is None:
        messages.info(request, _("Nguồn này đang được thu thập."))
    else:
        messages.success(request, _("Đã xếp lịch thu thập; tiến độ hiện bên dưới."))
    return redirect(source)
