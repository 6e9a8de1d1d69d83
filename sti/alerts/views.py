"""Pages of the alerts app: "Thông báo của tôi", saving a search from the search page,
following a facet value, editing and deleting, and the login-free unsubscribe page."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Max
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from sti.alerts import links, services
from sti.alerts.access import get_saved_search_for_user
from sti.alerts.choices import AlertKind
from sti.alerts.describe import describe
from sti.alerts.forms import SavedSearchForm, SaveSearchForm
from sti.alerts.models import SavedSearch
from sti.search.params import page_filter_names, query_from_params


def _errors(error: ValidationError) -> str:
    return " ".join(error.messages)


def _next(request, default: str) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(target, {request.get_host()}):
        return target
    return default


@login_required
def index(request):
    saved_searches = list(
        SavedSearch.objects.owned_by(request.user).annotate(
            last_digest=Max("digest_runs__created_at")
        )
    )
    describe(saved_searches)
    token = services.feed_token_for(request.user).token
    for saved in saved_searches:
        saved.rss_url = links.feed_url(token, saved, "rss")
        saved.atom_url = links.feed_url(token, saved, "atom")
    context = {
        "saved_searches": [s for s in saved_searches if s.kind == AlertKind.SEARCH],
        "follows": [s for s in saved_searches if s.kind == AlertKind.FOLLOW],
        "has_email": bool(request.user.email),
    }
    return render(request, "alerts/index.html", context)


@login_required
def save(request):
    """Save the search whose parameters the search page passed (GET shows them, POST saves)."""
    params = request.POST if request.method == "POST" else request.GET
    query = query_from_params(params, filter_names=page_filter_names())
    pending = SavedSearch(
        user=request.user,
        query=query.text,
        filters=query.filters,
        year_from=query.year_from,
        year_to=query.year_to,
    )
    describe([pending])
    form = SaveSearchForm(
        request.POST or None, initial={"name": (query.text or _("Tìm kiếm của tôi"))[:200]}
    )
    if request.method == "POST" and form.is_valid():
        try:
            saved = services.save_search(
                request.user,
                name=form.cleaned_data["name"],
                query=query.text,
                filters=query.filters,
                year_from=query.year_from,
                year_to=query.year_to,
                frequency=form.cleaned_data["frequency"],
            )
        except ValidationError as error:
            form.add_error(None, _errors(error))
        else:
            messages.success(request, _("Đã lưu tìm kiếm “%(name)s”.") % {"name": saved.name})
            return redirect("alerts:index")
    context = {"form": form, "pending": pending, "params": pending.search_params()}
    return render(request, "alerts/save.html", context)


@login_required
@require_POST
def follow(request):
    """Follow one facet value (the "Theo dõi" buttons): `name`, `value`, optional `label`."""
    back = _next(request, "/")
    try:
        saved, created = services.follow(
            request.user,
            request.POST.get("name", ""),
            request.POST.get("value", ""),
            label=request.POST.get("label", ""),
        )
    except ValidationError as error:
        messages.error(request, _errors(error))
        return redirect(back)
    if created:
        message = _("Đang theo dõi “%(name)s”: thư thông báo hằng tuần, đổi tại Thông báo của tôi.")
    else:
        message = _("Bạn đã theo dõi “%(name)s” từ trước.")
    messages.success(request, message % {"name": saved.name})
    return redirect(back)


@login_required
def edit(request, pk):
    saved = get_saved_search_for_user(request.user, pk)
    form = SavedSearchForm(request.POST or None, saved=saved)
    if request.method == "POST" and form.is_valid():
        try:
            services.update_saved_search(request.user, saved, form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, _errors(error))
        else:
            messages.success(request, _("Đã lưu thay đổi."))
            return redirect("alerts:index")
    describe([saved])
    return render(request, "alerts/edit.html", {"form": form, "saved": saved})


@login_required
def delete(request, pk):
    saved = get_saved_search_for_user(request.user, pk)
    if request.method == "POST":
        services.delete_saved_search(request.user, saved)
        messages.success(request, _("Đã xóa “%(name)s”.") % {"name": saved.name})
        return redirect("alerts:index")
    return render(request, "alerts/confirm_delete.html", {"saved": saved})


@login_required
@require_POST
def renew_feed_token(request):
    services.renew_feed_token(request.user)
    messages.success(
        request, _("Đã đổi địa chỉ nguồn tin riêng; các địa chỉ cũ không còn dùng được.")
    )
    return redirect("alerts:index")


@csrf_exempt  # the signed token is the credential; mail clients post here (RFC 8058)
def unsubscribe(request, token):
    """One-click unsubscribe from a digest, without logging in: GET asks, POST stops."""
    try:
        saved = links.saved_search_from_token(token)
    except ValidationError as error:
        return render(request, "alerts/unsubscribe.html", {"error": _errors(error)}, status=400)
    done = False
    if request.method == "POST":
        saved = services.unsubscribe(token)
        done = True
    return render(request, "alerts/unsubscribe.html", {"saved": saved, "done": done})
