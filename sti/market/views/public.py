"""Public pages: the catalogue of offers and demands (search core with facets), an offer,
a demand, fairs and their exhibitor catalogue."""

from __future__ import annotations

import mimetypes
from pathlib import Path

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Prefetch
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from sti.core import exports as core_exports
from sti.core import jobs as core_jobs
from sti.core.downloads import ranged_file_response
from sti.market import exports, filters, lifecycle, services
from sti.market.access import (
    can_answer_interest,
    can_edit_demand,
    can_edit_offer,
    can_express_interest,
    can_see_requester,
    confidential_view,
    get_demand_for_user,
    get_event_for_user,
    get_offer_for_user,
    is_broker,
)
from sti.market.forms import (
    ActivityForm,
    ContractForm,
    ExhibitForm,
    InterestForm,
    MoveForm,
    ProposalForm,
    RegistrationForm,
)
from sti.market.models import (
    CatalogueBuild,
    Exhibitor,
    ExpressionOfInterest,
    MarketEvent,
    Offer,
    Proposal,
)
from sti.market.suggestions import demand_matches, offer_matches


def _catalogue(request, type, template):
    results = filters.search_catalogue(request.user, request.GET, type)
    context = {
        "results": results,
        "query": results.query,
        "facet_panels": filters.panels(results, request.GET),
        "kind": "offers" if type == filters.OFFER_TYPE else "demands",
    }
    if request.htmx:
        return render(request, "market/_results.html", context)
    return render(request, template, context)


def offer_list(request):
    return _catalogue(request, filters.OFFER_TYPE, "market/catalogue.html")


def demand_list(request):
    return _catalogue(request, filters.DEMAND_TYPE, "market/catalogue.html")


def offer_detail(request, pk):
    offer = get_offer_for_user(request.user, pk)
    user = request.user
    interests = []
    if can_edit_offer(user, offer) or is_broker(user):
        interests = list(offer.interests.select_related("party", "party_organization"))
    mine = (
        list(ExpressionOfInterest.objects.filter(offer=offer, party=user))
        if user.is_authenticated
        else []
    )
    context = {
        "offer": offer,
        "confidential": confidential_view(user, offer),
        "can_edit": can_edit_offer(user, offer),
        "can_answer": interests and can_answer_interest(user, interests[0]),
        "moves": lifecycle.OFFER.available_moves(user, offer),
        "interests": interests,
        "my_interests": mine,
        "interest_form": InterestForm() if can_express_interest(user, offer) else None,
        "images": list(offer.images.all()),
        "matches": offer_matches(user, offer),
    }
    return render(request, "market/offer_detail.html", context)


def demand_detail(request, pk):
    demand = get_demand_for_user(request.user, pk)
    user = request.user
    broker = is_broker(user)
    requester_side = can_see_requester(user, demand)
    context = {
        "demand": demand,
        "show_requester": requester_side,
        "can_edit": can_edit_demand(user, demand),
        "moves": lifecycle.DEMAND.available_moves(user, demand),
        "move_form": MoveForm(),
        "proposals": list(
            Proposal.objects.visible_to(user)
            .filter(demand=demand, offer__in=Offer.objects.visible_to(user))
            .select_related("offer")
        )
        if requester_side
        else [],
        "broker": broker,
        "activities": list(demand.activities.select_related("offer", "created_by"))
        if broker
        else [],
        "activity_form": ActivityForm() if broker else None,
        "proposal_form": ProposalForm() if broker else None,
        "contract_form": ContractForm() if broker else None,
        "files": list(demand.files.all()) if requester_side else [],
        "matches": demand_matches(user, demand),
    }
    return render(request, "market/demand_detail.html", context)


def demand_file(request, pk, file_id):
    """A file attached to a demand, for the requester's side and the brokers only."""
    demand = get_demand_for_user(request.user, pk)
    if not can_see_requester(request.user, demand):
        raise Http404
    attached = demand.files.filter(pk=file_id).first()
    if attached is None:
        raise Http404
    stored = Path(attached.file.name)
    filename = f"{attached.caption}{stored.suffix}" if attached.caption else stored.name
    content_type = mimetypes.guess_type(stored.name)[0] or "application/octet-stream"
    return ranged_file_response(
        request, attached.file, content_type, filename=filename, as_attachment=True
    )


IMAGE_TYPES = {".png": "image/png", ".jpg": "image/jpeg", ".jpeg": "image/jpeg"}


def offer_image(request, pk, image_id):
    """A picture of an offer, for whoever may open the offer (everyone once published)."""
    offer = get_offer_for_user(request.user, pk)
    image = get_object_or_404(offer.images, pk=image_id)
    suffix = Path(image.image.name).suffix.lower()
    if suffix not in IMAGE_TYPES:
        raise Http404
    return ranged_file_response(
        request, image.image, IMAGE_TYPES[suffix], filename=f"anh-{image.pk}{suffix}"
    )


# ---------------------------------------------------------------------------
# Fairs and demonstration days
# ---------------------------------------------------------------------------
def event_list(request):
    events = MarketEvent.objects.visible_to(request.user)
    return render(request, "market/event_list.html", {"events": events})


def event_detail(request, pk):
    event = get_event_for_user(request.user, pk)
    form = RegistrationForm(
        request.POST or None,
        initial={"name": str(request.user)} if request.user.is_authenticated else None,
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.register_for_event(request.user, event, form.cleaned_data)
        except PermissionDenied:
            raise
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Đã đăng ký tham dự."))
            return redirect(event)
    context = {
        "event": event,
        "exhibitors": _exhibitors(event),
        "form": form,
        "seats_left": services.seats_left(event),
    }
    return render(request, "market/event_detail.html", context)


def _exhibitors(event):
    """The accepted exhibitors with their published offers (the public part only)."""
    published = Offer.objects.published().select_related("field")
    return list(
        event.exhibitors.accepted()
        .select_related("organization")
        .prefetch_related(Prefetch("offers", queryset=published, to_attr="shown"))
    )


def _catalogue_builds(user, event):
    builds = CatalogueBuild.objects.visible_to(user).filter(event=event).select_related("job")
    return list(builds[:5]) if is_broker(user) else list(builds.finished()[:1])


def event_exhibitors(request, pk):
    """A fair's exhibitors and their published offers, the printable catalogue, and the
    forms to apply (an offer's owner) or add and accept exhibitors (editors)."""
    event = get_event_for_user(request.user, pk)
    user = request.user
    applications = []
    if user.is_authenticated:
        applications = list(
            Exhibitor.objects.visible_to(user)
            .filter(event=event)
            .exclude(status="accepted")
            .select_related("organization")
            .prefetch_related("offers")
        )
    apply_form = ExhibitForm(user=user) if user.is_authenticated else None
    context = {
        "event": event,
        "exhibitors": _exhibitors(event),
        "applications": applications,
        "apply_form": apply_form if apply_form and apply_form.fields["offers"].queryset else None,
        "builds": _catalogue_builds(user, event),
        "broker": is_broker(user),
        "seats_left": services.seats_left(event),
    }
    return render(request, "market/event_exhibitors.html", context)


def catalogue_status(request, pk):
    """The status row of one catalogue build (polled while the worker builds it)."""
    build = get_object_or_404(
        CatalogueBuild.objects.visible_to(request.user).select_related("job"), pk=pk
    )
    context = {"build": build, **core_jobs.status_context(build.job, request.user)}
    return render(request, "market/_catalogue_row.html", context)


def event_catalogue(request, pk):
    """The fair's latest printable catalogue that the worker finished (PDF)."""
    event = get_event_for_user(request.user, pk)
    build = CatalogueBuild.objects.visible_to(request.user).filter(event=event).finished().first()
    if build is None:
        raise Http404
    return ranged_file_response(
        request, build.pdf, "application/pdf", filename=f"danh-muc-trung-bay-{event.pk}.pdf"
    )


EXPORT_LIMIT = 50_000


def offer_export(request, fmt):
    """The offers this visitor may see (the catalogue's type filter aside), public part."""
    offers = Offer.objects.visible_to(request.user).select_related("field")
    return core_exports.export_response(
        exports.COLUMNS,
        exports.rows(offers[:EXPORT_LIMIT]),
        fmt,
        "cong-nghe-chao-ban",
        sheet_title="Công nghệ chào bán",
        stream=True,
    )
