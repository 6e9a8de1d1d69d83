"""Fairs: registrations within the capacity, the exhibitor page (accepted exhibitors,
published offers), applying to exhibit, and the printable exhibitor catalogue built on the
worker with the public part of the offers only."""

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from sti.core.testing import audit_count
from sti.market import services
from sti.market.choices import EventKind, ExhibitorStatus, OfferStatus
from sti.market.models import Exhibitor, MarketEvent
from sti.market.tests.conftest import SECRET_DETAIL
from sti.publishing.models import BuiltPublication


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


def test_the_exhibitor_catalogue_is_built_on_the_worker_with_published_offers_only(
    event, make_offer, client_for, editor, reporter_a, run_on_commit
):
    pytest.importorskip("weasyprint")
    shown = make_offer(title="Máy sấy bơm nhiệt trái cây")
    draft = make_offer(title="Máy sấy chưa công bố", state=OfferStatus.DRAFT)
    exhibitor = Exhibitor.objects.create(event=event, name="Trường Đại học Cần Thơ", booth="A01")
    exhibitor.offers.set([shown, draft])
    applied = Exhibitor.objects.create(
        event=event, name="Đơn vị chưa duyệt", status=ExhibitorStatus.APPLIED
    )
    applied.offers.set([make_offer(title="Máy bóc vỏ chưa được nhận")])
    from sti.market.catalogue import event_catalogue

    catalogue = event_catalogue(event)
    titles = [entry.title for section in catalogue.sections for entry in section.entries]
    assert titles == [shown.title]
    assert SECRET_DETAIL not in str(catalogue)
    pdf_url = f"/cho-cong-nghe/su-kien/{event.pk}/danh-muc.pdf"
    assert client_for(None).get(pdf_url).status_code == 404  # none built yet
    request_url = f"/cho-cong-nghe/su-kien/{event.pk}/danh-muc-in/"
    # Nobody but the center's staff starts a build (a PDF is expensive to make).
    for refused in (reporter_a, None):
        response = client_for(refused).post(request_url)
        assert response.status_code in (302, 403) and not event.catalogue_builds.exists()
    with run_on_commit():
        assert client_for(editor).post(request_url).status_code == 302
    build = event.catalogue_builds.get()
    build.job.refresh_from_db()
    assert build.job.state == "done" and build.job.kind == services.CATALOGUE_JOB
    assert (build.exhibitors, build.offers) == (1, 1)
    # The fields every built publication records (sti.publishing.BuiltPublication).
    assert isinstance(build, BuiltPublication) and build.state == "done" and build.is_finished
    assert build.requested_by == editor and build.seconds > 0
    assert (build.tables, build.figures) == (0, 0)
    response = client_for(None).get(pdf_url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content).startswith(b"%PDF")
    status = client_for(None).get(f"/cho-cong-nghe/danh-muc-in/{build.pk}/trang-thai/")
    assert status.status_code == 200 and 'data-state="done"' in status.content.decode()
    page = client_for(None).get(event.get_absolute_url()).content.decode()
    assert shown.title in page and draft.title not in page


def test_a_second_request_while_one_runs_returns_it(event, editor):
    first = services.request_catalogue(editor, event)  # no commit: it stays queued
    assert services.request_catalogue(editor, event) == first


def test_the_exhibitor_page_lists_accepted_exhibitors_and_published_offers(
    event, make_offer, client_for, registered
):
    shown = make_offer(title="Quy trình ủ phân hữu cơ từ lục bình")
    draft = make_offer(title="Máy ép viên chưa công bố", state=OfferStatus.DRAFT)
    accepted = Exhibitor.objects.create(event=event, name="Viện Lúa ĐBSCL", booth="B02")
    accepted.offers.set([shown, draft])
    pending = Exhibitor.objects.create(
        event=event, name="Hợp tác xã chờ duyệt", status=ExhibitorStatus.APPLIED
    )
    pending.offers.set([make_offer(title="Bẫy rầy chờ duyệt")])
    url = f"/cho-cong-nghe/su-kien/{event.pk}/don-vi-trung-bay/"
    for user in (None, registered):
        page = client_for(user).get(url).content.decode()
        assert shown.title in page and "B02" in page
        for hidden in (draft.title, "Hợp tác xã chờ duyệt", "Bẫy rầy chờ duyệt", SECRET_DETAIL):
            assert hidden not in page
        assert 'id="seats-left"' in page
    event.is_published = False
    event.save()
    assert client_for(None).get(url).status_code == 404


@pytest.mark.parametrize(
    "persona, allowed",
    [
        ("reporter_a", True),
        ("editor", True),
        ("member_a", False),
        ("reporter_b", False),
        ("registered", False),
    ],
)
def test_who_may_apply_to_exhibit_an_offer(request, persona, allowed, event, make_offer):
    offer = make_offer()
    user = request.getfixturevalue(persona)
    before = audit_count()
    if allowed:
        exhibitor = services.apply_to_exhibit(user, event, [offer], booth="C03")
        assert list(exhibitor.offers.all()) == [offer]
        assert exhibitor.status == (
            ExhibitorStatus.ACCEPTED if persona == "editor" else ExhibitorStatus.APPLIED
        )
        assert exhibitor.booth == ("C03" if persona == "editor" else "")
        assert audit_count() == before + 1
    else:
        with pytest.raises(PermissionDenied):
            services.apply_to_exhibit(user, event, [offer])
        assert not event.exhibitors.exists() and audit_count() == before


def test_an_owner_applies_on_the_page_and_an_editor_accepts(
    event, make_offer, client_for, reporter_a, member_a, editor, org_a
):
    offer = make_offer()
    draft = make_offer(title="Bản nháp", state=OfferStatus.DRAFT)
    url = f"/cho-cong-nghe/su-kien/{event.pk}/don-vi-trung-bay/"
    page = client_for(reporter_a).get(url).content.decode()
    assert 'id="exhibit-apply"' in page and draft.title not in page.split("exhibit-apply")[1]
    assert 'id="exhibit-apply"' not in client_for(member_a).get(url).content.decode()
    apply_url = f"/cho-cong-nghe/su-kien/{event.pk}/trung-bay/"
    # A draft is not among the choices: refused with a message, nothing stored.
    client_for(reporter_a).post(apply_url, {"offers": [draft.pk]})
    assert not event.exhibitors.exists()
    client_for(reporter_a).post(apply_url, {"offers": [offer.pk]})
    exhibitor = event.exhibitors.get()
    assert exhibitor.status == ExhibitorStatus.APPLIED and exhibitor.organization == org_a
    # The applicant's side sees its application; the public does not yet.
    assert "Chờ Trung tâm duyệt" in client_for(member_a).get(url).content.decode()
    assert offer.title not in client_for(None).get(url).content.decode()
    decide = f"/cho-cong-nghe/trung-bay/{exhibitor.pk}/duyet/"
    assert client_for(reporter_a).post(decide, {"answer": "accept"}).status_code == 403
    client_for(editor).post(decide, {"answer": "accept", "booth": "A07"})
    exhibitor.refresh_from_db()
    assert exhibitor.status == ExhibitorStatus.ACCEPTED and exhibitor.booth == "A07"
    assert offer.title in client_for(None).get(url).content.decode()


def test_an_unpublished_event_is_hidden(event, client_for, editor):
    event.is_published = False
    event.save()
    assert client_for(None).get(event.get_absolute_url()).status_code == 404
    assert client_for(editor).get(event.get_absolute_url()).status_code == 200
