from django.core.paginator import Paginator
from django.shortcuts import render

from sti.accounts.access import get_visible_or_404
from sti.core.text import fold_lower
from sti.directory.models import Organization, Researcher


def organization_list(request):
    organizations = Organization.objects.visible_to(request.user)
    q = request.GET.get("q", "").strip()
    if q:
        organizations = organizations.filter(name_folded__contains=fold_lower(q))
    page = Paginator(organizations, 25).get_page(request.GET.get("page"))
    return render(request, "directory/organization_list.html", {"page": page, "q": q})


def organization_detail(request, pk):
    organization = get_visible_or_404(Organization, request.user, pk=pk)
    return render(request, "directory/organization_detail.html", {"organization": organization})


def researcher_list(request):
    researchers = Researcher.objects.visible_to(request.user).select_related("organization")
    q = request.GET.get("q", "").strip()
    if q:
        researchers = researchers.filter(name_folded__contains=fold_lower(q))
    page = Paginator(researchers, 25).get_page(request.GET.get("page"))
    return render(request, "directory/researcher_list.html", {"page": page, "q": q})


def researcher_detail(request, pk):
    researcher = get_visible_or_404(Researcher, request.user, pk=pk)
    return render(request, "directory/researcher_detail.html", {"researcher": researcher})
