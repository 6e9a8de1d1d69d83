"""Fixtures of the technology exchange tests: an offer of organization A with a
confidential part, a demand, and the API token of a persona."""

from datetime import timedelta

import pytest
from django.utils import timezone

from sti.market.choices import DemandStatus, OfferStatus, PriceKind, TransferMethod
from sti.market.models import Demand, Offer, OfferOwner

SECRET_DETAIL = "Bí quyết: nhúng chitosan 1,5% trong 90 giây, kho 12 độ C"
SECRET_PHONE = "0292-777-888"
SECRET_EMAIL = "chu.so.huu@dhct.example.vn"
SECRET_OWNER = "Nguyễn Văn Đồng Sở Hữu"


@pytest.fixture
def make_offer(db, org_a):
    def make(**extra):
        data = {
            "title": "Bảo quản xoài cát Hòa Lộc bằng màng chitosan",
            "summary": "Kéo dài thời gian tồn trữ xoài đến 4 tuần, giảm thán thư sau thu hoạch.",
            "detail": SECRET_DETAIL,
            "trl": 7,
            "price_type": PriceKind.NEGOTIABLE,
            "transfer_methods": [TransferMethod.DOCUMENTS, TransferMethod.TRAINING],
            "province": "92",
            "contact_name": "Phòng Quản lý Khoa học",
            "contact_phone": SECRET_PHONE,
            "contact_email": SECRET_EMAIL,
            "owner_organization": org_a,
            "state": OfferStatus.PUBLISHED,
            "expires_on": timezone.localdate() + timedelta(days=90),
            "published_at": timezone.now(),
        }
        data.update(extra)
        offer = Offer.objects.create(**data)
        OfferOwner.objects.create(offer=offer, person_name=SECRET_OWNER, share=40)
        OfferOwner.objects.create(offer=offer, organization=org_a, share=60)
        return offer

    return make


@pytest.fixture
def offer(make_offer, run_on_commit):
    with run_on_commit():
        return make_offer()


@pytest.fixture
def make_demand(db, org_b):
    def make(**extra):
        data = {
            "title": "Xoài hái xong vài bữa là đốm đen",
            "description": "Xoài chở lên thành phố 4–5 bữa là nổi đốm đen, thối đít trái.",
            "organization": org_b,
            "state": DemandStatus.RECEIVED,
            "contact_phone": "0909-111-222",
        }
        data.update(extra)
        return Demand.objects.create(**data)

    return make


@pytest.fixture
def token_for(db):
    from sti.accounts.tokens import create_token

    def make(user):
        return create_token(user, "kiểm thử")

    return make


@pytest.fixture(autouse=True)
def fresh_matching_corpus(settings, tmp_path):
    """Offer and demand pages show matches: each test builds its own matrix, from its own
    records, in its own data folder (the matrix is otherwise kept by the process)."""
    from sti.market.matching.corpus import corpus

    settings.DATA_DIR = tmp_path
    corpus().reset()
    yield
    corpus().reset()
