"""The brokers' pages (editors): demands by step, shortlisting offers, contacts and
meetings, transfer contracts, the funnel chart, and fairs."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from sti.accounts.access import editor_required
from sti.market import services
from sti.market.access import get_demand_for_user, get_event_for_user, get_offer_for_user
from sti.market.choices import DemandStatus
from sti.market.forms import ActivityForm, ContractForm, EventForm, ProposalForm
from sti.market.models import Demand, Exhibitor, TransferContract


@editor_required
def broker_desk(request):
    """Demands by brokerage step, and the last contracts."""
    state = request.GET.get("state", "")
    demands = Demand.objects.select_related("organization", "broker")
    if state in DemandStatus.values:
        demands = demands.filter(state=state)
    context = {
        "demands": demands[:200],
        "state": state,
        "states": DemandStatus.choices,
        "contracts": TransferContract.objects.select_related(
            "transferor_organization", "transferee_organization"
        )[:20],
    }
    return render(request, "market/broker_desk.html", context)


def _done(request, demand, action):
    try:
        action()
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Đã ghi."))
    return redirect(demand)


@editor_required
@require_POST
def proposal_add(request, pk):
    demand = get_demand_for_user(request.user, pk)
    form = ProposalForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Mã công nghệ không hợp lệ."))
        return redirect(demand)
    offer = get_offer_for_user(request.user, form.cleaned_data["offer"])
    return _done(
        request,
        demand,
        lambda: services.propose_offer(request.user, demand, offer, form.cleaned_data["note"]),
    )


@editor_required
@require_POST
def activity_add(request, pk):
    demand = get_demand_for_user(request.user, pk)
    form = ActivityForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Hãy ghi ngày và nội dung."))
        return redirect(demand)
    return _done(
        request, demand, lambda: services.record_activity(request.user, demand, form.cleaned_data)
    )


@editor_required
def contract_add(request, pk):
    """Record the transfer contract a demand ended in (from the demand page)."""
    demand = get_demand_for_user(request.user, pk)
    form = ContractForm(request.POST or None, initial={"title": demand.title})
    if request.method == "POST" and form.is_valid():
        data = {**form.cleaned_data, "demand": demand}
        offer_pk = request.POST.get("offer", "")
        if offer_pk.isdigit():
            data["offer"] = get_offer_for_user(request.user, int(offer_pk))
        try:
            services.record_contract(request.user, data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Đã ghi hợp đồng chuyển giao công nghệ."))
            return redirect(demand)
    offers = [proposal.offer for proposal in demand.proposals.select_related("offer")]
    return render(
        request, "market/contract_form.html", {"form": form, "demand": demand, "offers": offers}
    )


@editor_required
def funnel(request):
    """Demands → matches → expressions of interest → meetings → contracts, as a chart."""
    steps = services.funnel()
    return render(request, "market/funnel.html", {"steps": steps})


@editor_required
def event_create(request):
    return _event_form(request, EventForm(request.POST or None))


@editor_required
def event_edit(request, pk):
    event = get_event_for_user(request.user, pk)
    return _event_form(request, EventForm(request.POST or None, instance=event))


def _event_form(request, form):
    if request.method == "POST" and form.is_valid():
        event = services.save_event(request.user, form)
        messages.success(request, _("Đã lưu."))
        return redirect(event)
    return render(request, "market/event_form.html", {"form": form, "object": form.instance})


@editor_required
@require_POST
def exhibitor_decide(request, pk):
    exhibitor = get_object_or_404(Exhibitor.objects.visible_to(request.user), pk=pk)
    services.decide_exhibitor(
        request.user,
        exhibitor,
        request.POST.get("answer") == "accept",
        booth=request.POST.get("booth", "")[:30],
    )
    messages.success(request, _("Đã ghi."))
    return redirect(reverse("market:event_exhibitors", args=[exhibitor.event_id]))


@editor_required
@require_POST
def catalogue_request(request, pk):
    """Queue the fair's printable catalogue on the worker; the page follows its status."""
    event = get_event_for_user(request.user, pk)
    services.request_catalogue(request.user, event)
    messages.success(request, _("Đã gửi yêu cầu tạo danh mục in; trang tự cập nhật tiến độ."))
    return redirect(reverse("market:event_exhibitors", args=[event.pk]))
