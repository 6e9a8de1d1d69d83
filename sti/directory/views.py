"""Pages of the directory: public lists and profiles; editor forms, status changes and
Excel imports. Views load, check access, call a service and render."""

from __future__ import annotations

import logging

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, ProtectedError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from sti.accounts.access import editor_required, get_visible_or_404, is_editor
from sti.core import import_views
from sti.core import imports as core_imports
from sti.core.audit import history_for, readable
from sti.core.forms import attach_errors
from sti.core.models import with_field_list
from sti.core.registries import related_sections
from sti.core.validators import as_pk
from sti.directory import imports, services
from sti.directory.filters import ORGANIZATION_DATALIST_LIMIT, OrganizationFilter, ResearcherFilter
from sti.directory.forms import OrganizationForm, ResearcherForm, StatusForm
from sti.directory.models import Organization, Researcher

logger = logging.getLogger(__name__)
PAGE_SIZE = 25
RESEARCHERS_ON_ORGANIZATION_PAGE = 30
HISTORY_LENGTH = 30


def _history(request, instance):
    if not is_editor(request.user):
        return None
    return readable(history_for(instance)[:HISTORY_LENGTH], instance=instance)


# ---------------------------------------------------------------------------
# Public lists and profiles
# ---------------------------------------------------------------------------
def organization_list(request):
    queryset = Organization.objects.visible_to(request.user).select_related("admin_unit")
    queryset = with_field_list(queryset)
    filterset = OrganizationFilter(request.GET, queryset=queryset)
    page = Paginator(filterset.qs, PAGE_SIZE).get_page(request.GET.get("page"))
    # Researcher counts for the organizations on this page only, in one query.
    ids = [organization.pk for organization in page]
    counts = dict(
        Researcher.objects.visible_to(request.user)
        .filter(organization_id__in=ids)
        .values("organization_id")
        .annotate(n=Count("id"))
        .values_list("organization_id", "n")
    )
    for organization in page:
        organization.researcher_count = counts.get(organization.pk, 0)
    return render(request, "directory/organization_list.html", {"page": page, "filter": filterset})


def organization_detail(request, pk):
    organization = get_visible_or_404(Organization, request.user, pk=pk)
    researchers = Researcher.objects.visible_to(request.user).filter(organization=organization)
    context = {
        "organization": organization,
        "related": related_sections(organization, request.user),
        "fields": organization.fields.order_by("code"),
        "researchers": researchers[:RESEARCHERS_ON_ORGANIZATION_PAGE],
        "researcher_total": researchers.count(),
        "merged_from": organization.merged_from.order_by("name"),
        "history": _history(request, organization),
    }
    return render(request, "directory/organization_detail.html", context)


def researcher_list(request):
    queryset = Researcher.objects.visible_to(request.user).select_related("organization")
    queryset = with_field_list(queryset)
    filterset = ResearcherFilter(request.GET, queryset=queryset)
    page = Paginator(filterset.qs, PAGE_SIZE).get_page(request.GET.get("page"))
    organization_value = request.GET.get("organization", "").strip()
    selected_organization = None
    if as_pk(organization_value):
        selected_organization = (
            Organization.objects.visible_to(request.user)
            .filter(pk=as_pk(organization_value))
            .first()
        )
    # Suggest organization names while the directory is small; past that, people type.
    organization_names = list(
        Organization.objects.visible_to(request.user).values_list("name", flat=True)[
            : ORGANIZATION_DATALIST_LIMIT + 1
        ]
    )
    if len(organization_names) > ORGANIZATION_DATALIST_LIMIT:
        organization_names = []
    context = {
        "page": page,
        "filter": filterset,
        "selected_organization": selected_organization,
        "organization_names": organization_names,
    }
    return render(request, "directory/researcher_list.html", context)


def researcher_detail(request, pk):
    researcher = get_visible_or_404(Researcher, request.user, pk=pk)
    return render(
        request,
        "directory/researcher_detail.html",
        {
            "researcher": researcher,
            "fields": researcher.fields.order_by("code"),
            "similar": _similar_researchers(request.user, researcher),
            "related": related_sections(researcher, request.user),
            "history": _history(request, researcher),
            "show_contact": is_editor(request.user)
            or (request.user.is_authenticated and researcher.user_id == request.user.pk),
        },
    )


def _similar_researchers(user, researcher) -> list:
    """Profiles close in expertise, from the search index (filtered by the user's access)."""
    from sti.search import services as search_services

    try:
        return search_services.more_like_this(
            user, "researcher", researcher.pk, limit=5, types=["researcher"]
        )
    except Exception:  # the index may be missing or rebuilding; the profile still shows
        logger.warning("more_like_this failed for researcher %s", researcher.pk, exc_info=True)
        return []


# ---------------------------------------------------------------------------
# Editor pages: organizations
# ---------------------------------------------------------------------------
def _edit(request, form_class, instance, create, update, template, cancel_url):
    form = form_class(request.POST or None, instance=instance)
    if request.method == "POST" and form.is_valid():
        data, fields = form.service_data(), form.cleaned_data["fields"]
        try:
            if instance is None:
                saved = create(actor=request.user, data=data, fields=fields)
                messages.success(request, _("Đã thêm “%(name)s”.") % {"name": saved})
            else:
                saved = update(instance, actor=request.user, data=data, fields=fields)
                messages.success(request, _("Đã lưu thay đổi của “%(name)s”.") % {"name": saved})
        except ValidationError as error:
            attach_errors(form, error)
        else:
            return redirect(saved.get_absolute_url())
    return render(request, template, {"form": form, "object": instance, "cancel_url": cancel_url})


@editor_required
def organization_create(request):
    return _edit(
        request,
        OrganizationForm,
        None,
        services.create_organization,
        None,
        "directory/organization_form.html",
        reverse("directory:organization_list"),
    )


@editor_required
def organization_edit(request, pk):
    organization = get_visible_or_404(Organization, request.user, pk=pk)
    return _edit(
        request,
        OrganizationForm,
        organization,
        None,
        services.update_organization,
        "directory/organization_form.html",
        organization.get_absolute_url(),
    )


@editor_required
def organization_delete(request, pk):
    organization = get_visible_or_404(Organization, request.user, pk=pk)
    if request.method == "POST":
        name = organization.name
        try:
            services.delete_organization(organization, actor=request.user)
        except ProtectedError:
            messages.error(
                request,
                _(
                    "Không thể xóa: tổ chức còn gắn với các hồ sơ khác. Hãy ghi nhận giải thể "
                    "hoặc sáp nhập."
                ),
            )
            return redirect(organization.get_absolute_url())
        messages.success(request, _("Đã xóa “%(name)s”.") % {"name": name})
        return redirect("directory:organization_list")
    return render(
        request,
        "directory/confirm_delete.html",
        {
            "object": organization,
            "cancel_url": organization.get_absolute_url(),
            "warning": _(
                "Các nhà khoa học của tổ chức sẽ không còn gắn với tổ chức nào. Nếu tổ chức ngừng hoạt động, "
                "hãy ghi nhận giải thể hoặc sáp nhập thay vì xóa."
            ),
        },
    )


@editor_required
def organization_status(request, pk):
    organization = get_visible_or_404(Organization, request.user, pk=pk)
    form = StatusForm(request.POST or None, organization=organization)
    if request.method == "POST" and form.is_valid():
        action, note = form.cleaned_data["action"], form.cleaned_data["note"]
        try:
            if action == "dissolve":
                services.dissolve_organization(organization, actor=request.user, note=note)
            elif action == "merge":
                services.merge_organization(
                    organization,
                    into=form.cleaned_data["into"],
                    actor=request.user,
                    move_researchers=form.cleaned_data["move_researchers"],
                    note=note,
                )
            else:
                services.reactivate_organization(organization, actor=request.user, note=note)
        except ValidationError as error:
            attach_errors(form, error)
        else:
            messages.success(
                request, _("Đã cập nhật trạng thái của “%(name)s”.") % {"name": organization}
            )
            return redirect(organization.get_absolute_url())
    return render(
        request, "directory/organization_status.html", {"form": form, "organization": organization}
    )


# ---------------------------------------------------------------------------
# Editor pages: researchers
# ---------------------------------------------------------------------------
@editor_required
def researcher_create(request):
    return _edit(
        request,
        ResearcherForm,
        None,
        services.create_researcher,
        None,
        "directory/researcher_form.html",
        reverse("directory:researcher_list"),
    )


@editor_required
def researcher_edit(request, pk):
    researcher = get_visible_or_404(Researcher, request.user, pk=pk)
    return _edit(
        request,
        ResearcherForm,
        researcher,
        None,
        services.update_researcher,
        "directory/researcher_form.html",
        researcher.get_absolute_url(),
    )


@editor_required
def researcher_delete(request, pk):
    researcher = get_visible_or_404(Researcher, request.user, pk=pk)
    if request.method == "POST":
        name = str(researcher)
        services.delete_researcher(researcher, actor=request.user)
        messages.success(request, _("Đã xóa “%(name)s”.") % {"name": name})
        return redirect("directory:researcher_list")
    return render(
        request,
        "directory/confirm_delete.html",
        {
            "object": researcher,
            "cancel_url": researcher.get_absolute_url(),
            "warning": "",
        },
    )


# ---------------------------------------------------------------------------
# Excel import
# ---------------------------------------------------------------------------
def _importer(kind: str) -> imports.DirectoryImporter:
    importer_class = imports.IMPORTERS.get(kind)
    if importer_class is None:
        raise Http404
    return importer_class()


@editor_required
def import_upload(request, kind):
    return import_views.upload_page(
        request,
        _importer(kind),
        "directory/import_upload.html",
        preview="directory:import_preview",
        url_kwargs={"kind": kind},
    )


@editor_required
def import_template(request, kind):
    return core_imports.template_response(_importer(kind))


@editor_required
def import_preview(request, kind, token):
    importer = _importer(kind)
    done = (
        "directory:organization_list"
        if importer.kind == "organization"
        else "directory:researcher_list"
    )
    return import_views.preview_page(
        request,
        importer,
        token,
        upload="directory:import_upload",
        done=done,
        done_message=_("Đã nhập xong: %(created)s bản ghi mới, %(updated)s bản ghi cập nhật."),
        url_kwargs={"kind": kind},
    )
