"""Pages of the thesaurus: a public browse page and concept page, and the editors' pages
(add, edit, delete concepts and terms; import and export). No business rule lives here."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Q
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from sti.accounts.access import editor_required, is_editor
from sti.core import exports as core_exports
from sti.core import import_views
from sti.core import imports as core_imports
from sti.core.audit import history_for, readable
from sti.core.expansion import expansions
from sti.core.forms import attach_errors
from sti.core.text import fold_lower
from sti.thesaurus import access, exports, services
from sti.thesaurus.data import data_version
from sti.thesaurus.forms import BrowseForm, ConceptForm, TermForm
from sti.thesaurus.imports import ThesaurusImporter
from sti.thesaurus.models import Concept, Revision

PAGE_SIZE = 50


def concept_list(request):
    form = BrowseForm(request.GET)
    text = form.cleaned_data["q"] if form.is_valid() else ""
    concepts = Concept.objects.visible_to(request.user).select_related("field")
    if text:
        folded = fold_lower(text)
        concepts = concepts.filter(Q(folded__contains=folded) | Q(terms__folded__contains=folded))
    concepts = concepts.distinct().order_by("folded", "key").prefetch_related("terms")
    context = {
        "form": form,
        "page": Paginator(concepts, PAGE_SIZE).get_page(request.GET.get("page")),
        "expansions": expansions(text) if text else [],
        "revision": Revision.objects.first(),
        "can_edit": access.can_edit_thesaurus(request.user),
    }
    return render(request, "thesaurus/concept_list.html", context)


def concept_detail(request, pk):
    concept = access.get_concept_for_user(request.user, pk)
    terms = concept.terms.visible_to(request.user)
    editor = is_editor(request.user)
    history = None
    if editor:
        history = readable(history_for(concept)[:20], instance=concept)
    context = {"concept": concept, "terms": terms, "history": history, "can_edit": editor}
    return render(request, "thesaurus/concept_detail.html", context)


def _form_page(request, form, save, cancel_url, title):
    if request.method == "POST" and form.is_valid():
        try:
            saved = save(form.cleaned_data)
        except ValidationError as error:
            attach_errors(form, error)
        else:
            messages.success(request, _("Đã lưu."))
            return redirect(saved.get_absolute_url())
    context = {"form": form, "cancel_url": cancel_url, "title": title}
    return render(request, "thesaurus/form.html", context)


@editor_required
def concept_create(request):
    form = ConceptForm(request.POST or None)
    save = lambda data: services.create_concept(request.user, data)  # noqa: E731
    return _form_page(request, form, save, reverse("thesaurus:concept_list"), _("Thêm khái niệm"))


@editor_required
def concept_edit(request, pk):
    concept = access.get_concept_for_user(request.user, pk)
    form = ConceptForm(request.POST or None, instance=Concept.objects.get(pk=concept.pk))
    save = lambda data: services.update_concept(request.user, concept, data)  # noqa: E731
    return _form_page(request, form, save, concept.get_absolute_url(), _("Sửa khái niệm"))


@editor_required
def concept_delete(request, pk):
    concept = access.get_concept_for_user(request.user, pk)
    if request.method == "POST":
        services.delete_concept(request.user, concept)
        messages.success(request, _("Đã xóa khái niệm “%(c)s”.") % {"c": concept})
        return redirect("thesaurus:concept_list")
    context = {"object": concept, "cancel_url": concept.get_absolute_url()}
    return render(request, "thesaurus/confirm_delete.html", context)


@editor_required
def term_create(request, pk):
    concept = access.get_concept_for_user(request.user, pk)
    form = TermForm(request.POST or None)
    save = lambda data: services.create_term(request.user, concept, data)  # noqa: E731
    title = _("Thêm thuật ngữ cho “%(c)s”") % {"c": concept}
    return _form_page(request, form, save, concept.get_absolute_url(), title)


@editor_required
def term_edit(request, pk):
    term = access.get_term_for_user(request.user, pk)
    form = TermForm(request.POST or None, instance=type(term).objects.get(pk=term.pk))
    save = lambda data: services.update_term(request.user, term, data)  # noqa: E731
    return _form_page(request, form, save, term.get_absolute_url(), _("Sửa thuật ngữ"))


@editor_required
def term_delete(request, pk):
    term = access.get_term_for_user(request.user, pk)
    if request.method == "POST":
        services.delete_term(request.user, term)
        messages.success(request, _("Đã xóa thuật ngữ “%(t)s”.") % {"t": term.text})
        return redirect(term.get_absolute_url())
    context = {"object": term, "cancel_url": term.get_absolute_url()}
    return render(request, "thesaurus/confirm_delete.html", context)


def export(request, fmt):
    stem = f"tu-dien-dong-nghia-{data_version()}"
    return core_exports.export_response(exports.COLUMNS, exports.rows(), fmt, stem, stream=True)


@editor_required
def import_upload(request):
    return import_views.upload_page(
        request,
        ThesaurusImporter(),
        "thesaurus/import_upload.html",
        preview="thesaurus:import_preview",
    )


@editor_required
def import_template(request):
    return core_imports.template_response(ThesaurusImporter())


@editor_required
def import_preview(request, token):
    return import_views.preview_page(
        request,
        ThesaurusImporter(),
        token,
        upload="thesaurus:import_upload",
        done="thesaurus:concept_list",
        done_message=_("Đã nhập xong: %(created)s thuật ngữ mới, %(updated)s thuật ngữ cập nhật."),
    )
