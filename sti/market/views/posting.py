"""Posting and following one's own offers and demands: forms for registered users (for an
organization they report for, or as a person), "my postings", state moves, expressions of
interest and the owner's answer."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from sti.core.statemachine import TransitionError, confirmed_in
from sti.market import services
from sti.market.access import (
    can_edit_demand,
    can_edit_offer,
    get_demand_for_user,
    get_event_for_user,
    get_interest_for_user,
    get_offer_for_user,
)
from sti.market.choices import OfferStatus
from sti.market.forms import DemandForm, ExhibitForm, InterestForm, MoveForm, OfferForm
from sti.market.models import Demand, ExpressionOfInterest, Offer


@login_required
def my_postings(request):
    user = request.user
    context = {
        "offers": Offer.objects.editable_by(user).select_related("owner_organization"),
        "demands": Demand.objects.editable_by(user).select_related("organization"),
        "interests": ExpressionOfInterest.objects.filter(party=user).select_related("offer"),
    }
    return render(request, "market/my_postings.html", context)


def _save(request, form, save, template):
    if request.method == "POST" and form.is_valid():
        try:
            obj = save(form)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Đã lưu."))
            return redirect(obj)
    return render(request, template, {"form": form, "object": form.instance})


def _posted(request):
    """The form's data and files on a POST (None on a GET: an unbound form)."""
    return (request.POST, request.FILES) if request.method == "POST" else (None, None)


@login_required
def offer_create(request):
    form = OfferForm(*_posted(request), user=request.user)
    return _save(
        request,
        form,
        lambda f: services.create_offer(
            request.user,
            f.service_data(),
            owners=f.owners(),
            images=f.cleaned_data["new_images"],
        ),
        "market/offer_form.html",
    )


@login_required
def offer_edit(request, pk):
    offer = get_offer_for_user(request.user, pk)
    if not can_edit_offer(request.user, offer):
        raise PermissionDenied
    listed = offer.state in (OfferStatus.PUBLISHED, OfferStatus.HIDDEN)
    form = OfferForm(*_posted(request), instance=offer, user=request.user)

    def save(f):
        saved = services.update_offer(
            request.user,
            offer,
            f.service_data(),
            owners=f.owners(),
            images=f.cleaned_data["new_images"],
            remove_images=f.cleaned_data.get("remove_images") or (),
        )
        if listed and saved.state == OfferStatus.UNDER_REVIEW:
            messages.info(
                request,
                _("Phần công khai đã thay đổi: công nghệ chờ cán bộ Trung tâm duyệt lại."),
            )
        return saved

    return _save(request, form, save, "market/offer_form.html")


@login_required
def demand_create(request):
    form = DemandForm(*_posted(request), user=request.user)
    return _save(
        request,
        form,
        lambda f: services.create_demand(
            request.user, f.service_data(), files=f.cleaned_data["new_files"]
        ),
        "market/demand_form.html",
    )


@login_required
def demand_edit(request, pk):
    demand = get_demand_for_user(request.user, pk)
    if not can_edit_demand(request.user, demand):
        raise PermissionDenied
    form = DemandForm(*_posted(request), instance=demand, user=request.user)
    return _save(
        request,
        form,
        lambda f: services.update_demand(
            request.user,
            demand,
            f.service_data(),
            files=f.cleaned_data["new_files"],
            remove_files=f.cleaned_data.get("remove_files") or (),
        ),
        "market/demand_form.html",
    )


def _move(request, obj, move):
    form = MoveForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Yêu cầu không hợp lệ."))
        return redirect(obj)
    try:
        move(form.cleaned_data, confirmed_in(request.POST))
    except TransitionError as error:
        if error.status == 403:
            raise PermissionDenied(error.message) from error
        messages.error(request, error.message)
    else:
        messages.success(request, _("Đã cập nhật trạng thái."))
    return redirect(obj)


@login_required
@require_POST
def offer_move(request, pk):
    offer = get_offer_for_user(request.user, pk)
    return _move(
        request,
        offer,
        lambda data, confirmed: services.move_offer(
            request.user,
            offer,
            data["target"],
            note=data["note"],
            expires_on=data["expires_on"],
            confirmed=confirmed,
        ),
    )


@login_required
@require_POST
def demand_move(request, pk):
    demand = get_demand_for_user(request.user, pk)
    return _move(
        request,
        demand,
        lambda data, confirmed: services.move_demand(
            request.user, demand, data["target"], note=data["note"], confirmed=confirmed
        ),
    )


@login_required
@require_POST
def interest_create(request, pk):
    offer = get_offer_for_user(request.user, pk)
    form = InterestForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Hãy viết vài dòng cho chủ công nghệ."))
        return redirect(offer)
    try:
        services.express_interest(request.user, offer, form.cleaned_data["message"])
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request, _("Đã gửi tới chủ công nghệ. Bạn sẽ nhận thư khi chủ công nghệ trả lời.")
        )
    return redirect(offer)


@login_required
@require_POST
def interest_answer(request, pk):
    interest = get_interest_for_user(request.user, pk)
    accept = request.POST.get("answer") == "accept"
    try:
        services.answer_interest(request.user, interest, accept)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Đã trả lời."))
    return redirect(interest.offer)


@login_required
@require_POST
def exhibit_apply(request, pk):
    """An offer's owner applies to exhibit at a fair; an editor adds an exhibitor."""
    event = get_event_for_user(request.user, pk)
    page = reverse("market:event_exhibitors", args=[event.pk])
    form = ExhibitForm(request.POST, user=request.user)
    if not form.is_valid():
        messages.error(request, " ".join(e for errors in form.errors.values() for e in errors))
        return redirect(page)
    try:
        exhibitor = services.apply_to_exhibit(
            request.user,
            event,
            form.cleaned_data["offers"],
            booth=form.cleaned_data.get("booth", ""),
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, str(exhibitor.get_status_display()))
    return redirect(page)
