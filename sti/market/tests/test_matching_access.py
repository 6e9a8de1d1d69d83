"""Matching through the database: a user never sees a match they cannot open, an offer's
confidential detail never matches nor explains, and the worker e-mails new matches."""

from datetime import timedelta

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core import mail
from django.utils import timezone

from sti.core import jobs
from sti.market.choices import DemandStatus, OfferStatus
from sti.market.matching import match_demand, match_offer
from sti.market.matching.corpus import corpus
from sti.market.matching.jobs import KIND, notify_new_matches
from sti.market.models import Demand, Offer

SECRET = "zircotrazol"


@pytest.fixture(autouse=True)
def fresh_corpus(settings, tmp_path):
    settings.DATA_DIR = tmp_path
    corpus().reset()
    yield
    corpus().reset()


@pytest.fixture
def offers(db, org_a, reporter_a):
    def offer(title, summary, state=OfferStatus.PUBLISHED, **extra):
        return Offer.objects.create(
            title=title,
            summary=summary,
            detail=extra.pop("detail", ""),
            trl=7,
            owner_organization=org_a,
            created_by=reporter_a,
            contact_email="chuyen.giao@dhct.example.vn",
            state=state,
            published_at=timezone.now() if state == OfferStatus.PUBLISHED else None,
            expires_on=timezone.localdate() + timedelta(days=90),
            **extra,
        )

    return {
        "public": offer(
            "Quy trình phòng trừ bệnh thán thư (Colletotrichum) trên xoài",
            "Bao trái, xử lý nước nóng sau thu hoạch, giảm vết bệnh trên vỏ trái xoài.",
        ),
        "draft": offer(
            "Chế phẩm sinh học trị bệnh thán thư trên xoài cát Hòa Lộc",
            "Phun chế phẩm trước thu hoạch, giảm vết bệnh thán thư trên trái xoài.",
            state=OfferStatus.DRAFT,
        ),
        "secret": offer(
            "Máy sấy lúa tĩnh vỉ ngang đảo chiều gió",
            "Sấy lúa ướt sau thu hoạch vụ hè thu, hạt khô đều.",
            detail=f"Bí quyết: phủ {SECRET} lên vỉ sấy, sấy lúa ướt ở 42 độ.",
        ),
    }


@pytest.fixture
def demand(db, org_b, reporter_b):
    return Demand.objects.create(
        title="Trái xoài bị đốm đen",
        description="Trái xoài chín thì thối từ mấy đốm đen, bệnh thán thư phải không?",
        organization=org_b,
        created_by=reporter_b,
        contact_email="htx.xoai@example.vn",
        state=DemandStatus.CLARIFIED,
    )


def _ids(matches, kind="offer"):
    return {m.object_id for m in matches if m.kind == kind}


@pytest.mark.parametrize("persona", ["anonymous", "registered", "reporter_a", "reporter_b"])
def test_nobody_is_shown_an_offer_they_cannot_open(request, persona, offers, demand):
    user = AnonymousUser() if persona == "anonymous" else request.getfixturevalue(persona)
    found = match_demand(demand, user=user, kinds=("offer",))
    visible = set(Offer.objects.visible_to(user).published().values_list("pk", flat=True))
    assert _ids(found) <= visible
    assert offers["public"].pk in _ids(found)
    assert offers["draft"].pk not in _ids(found)  # a draft is no match, even for its owner


def test_the_confidential_detail_never_matches_nor_explains(offers, registered):
    from sti.market.matching import Query

    assert match_demand(Query(text=f"Cần mua {SECRET}"), user=registered) == []
    found = match_demand(Query(text="Máy sấy lúa ướt"), user=registered, kinds=("offer",))
    assert offers["secret"].pk in _ids(found)
    shown = " ".join(" ".join(m.reasons) + m.title for m in found)
    assert SECRET not in shown and "42 độ" not in shown


def test_an_offer_sees_only_demands_open_to_its_owner(offers, demand, org_b, reporter_a):
    hidden = Demand.objects.create(
        title="Xoài bị đốm đen thán thư khi chín",
        description="Trái xoài bị thán thư, đốm đen, thối khi chín.",
        organization=org_b,
        state=DemandStatus.RECEIVED,  # not yet clarified by a broker: not public
    )
    found = match_offer(offers["public"], user=reporter_a)
    assert demand.pk in _ids(found, "demand")
    assert hidden.pk not in _ids(found, "demand")


def test_new_matches_are_emailed_to_both_parties_without_the_secret(offers, demand):
    mail.outbox.clear()
    job = jobs.create(KIND, label="test", total=0)
    notify_new_matches(job.pk)
    sent = {tuple(message.to): message for message in mail.outbox}
    assert ("htx.xoai@example.vn",) in sent
    to_requester = sent[("htx.xoai@example.vn",)].body
    assert offers["public"].title in to_requester
    assert offers["draft"].title not in to_requester
    assert ("chuyen.giao@dhct.example.vn",) in sent
    assert demand.title in sent[("chuyen.giao@dhct.example.vn",)].body
    assert all(SECRET not in message.body for message in mail.outbox)

    # The next run finds nothing new: no second e-mail about the same pair.
    mail.outbox.clear()
    later = jobs.create(KIND, label="test", total=0)
    notify_new_matches(later.pk)
    assert mail.outbox == []
