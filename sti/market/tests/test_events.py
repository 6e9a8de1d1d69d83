"""Fairs: registrations within the capacity, and the printable exhibitor catalogue with the
public part of the offers only."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from sti.market import services
from sti.market.choices import EventKind, OfferStatus
from sti.market.models import Exhibitor, MarketEvent
from sti.market.tests.conftest import SECRET_DETAIL


@pytest.fixture
def event(db):
    today = timezone.localdate()
    return MarketEvent.objects.create(
        title="Ngày trình diễn máy sấy nông sản",
        kind=EventKind.DEMO_DAY,
        starts_on=today + timedelta(days=10),
        ends_on=today + timedelta(days=10),
        venue="Trung tâm Ứng dụng tiến bộ KH&CN Cần Thơ",
        capacity=2,
    )


def test_registrations_stop_at_the_capacity(event, registered, reporter_b, member_a, client_for):
    services.register_for_event(registered, event, {"name": "Trần Văn Phúc", "phone": "0909"})
    with pytest.raises(ValidationError):
        services.register_for_event(registered, event, {"name": "Lần hai", "phone": "0909"})
    response = client_for(None).post(
        event.get_absolute_url(), {"name": "Lê Thị Hoa", "phone": "0912 345 678"}
    )
    assert response.status_code == 302
    with pytest.raises(ValidationError):
        services.register_for_event(reporter_b, event, {"name": "Võ B", "phone": "0913"})
    page = client_for(member_a).get(event.get_absolute_url()).content.decode()
    assert 'id="seats-left"' in page and event.registrations.count() == 2


def test_the_exhibitor_catalogue_shows_only_published_offers(event, make_offer, client_for):
    pytest.importorskip("weasyprint")
    shown = make_offer(title="Máy sấy bơm nhiệt trái cây")
    draft = make_offer(title="Máy sấy chưa công bố", state=OfferStatus.DRAFT)
    exhibitor = Exhibitor.objects.create(event=event, name="Trường Đại học Cần Thơ", booth="A01")
    exhibitor.offers.set([shown, draft])
    from sti.market.catalogue import event_catalogue

    catalogue = event_catalogue(event)
    titles = [entry.title for section in catalogue.sections for entry in section.entries]
    assert titles == [shown.title]
    text = str(catalogue)
    assert SECRET_DETAIL not in text
    response = client_for(None).get(f"/cho-cong-nghe/su-kien/{event.pk}/danh-muc.pdf")
    assert response.status_code == 200 and response.content.startswith(b"%PDF")
    page = client_for(None).get(event.get_absolute_url()).content.decode()
    assert shown.title in page and draft.title not in page


def test_an_unpublished_event_is_hidden(event, client_for, editor):
    event.is_published = False
    event.save()
    assert client_for(None).get(event.get_absolute_url()).status_code == 404
    assert client_for(editor).get(event.get_absolute_url()).status_code == 200
