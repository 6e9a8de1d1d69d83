"""Pictures of an offer and files of a demand, in the owners' and editors' forms: checked by
content and size, public with a published offer, a demand's files only behind the demand's
access rule, and a refused file loses nothing else typed and stores nothing."""

import io
from pathlib import Path

import pytest
from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from sti.core.testing import audit_count
from sti.library.tests.conftest import text_pdf
from sti.market import services
from sti.market.choices import DemandStatus, OfferStatus
from sti.market.models import Demand, DemandFile, Offer, OfferImage

OFFER_DATA = {
    "title": "Máy sấy lúa bơm nhiệt cho hợp tác xã",
    "summary": "Sấy 2 tấn lúa mỗi mẻ, giữ màu hạt, tiết kiệm 40% điện.",
    "price_type": "negotiable",
    "province": "92",
    "transfer_methods": ["documents"],
}


def _png(color=(20, 120, 40)) -> bytes:
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (8, 6), color).save(buffer, "PNG")
    return buffer.getvalue()


def _jpeg() -> bytes:
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (8, 6), (200, 180, 10)).save(buffer, "JPEG")
    return buffer.getvalue()


def _stored_files() -> set[Path]:
    root = Path(settings.MEDIA_ROOT) / "market"
    return {path for path in root.rglob("*") if path.is_file()} if root.exists() else set()


@pytest.mark.parametrize("persona", ["reporter_a", "editor"])
def test_pictures_posted_with_an_offer_are_public_once_it_is_published(
    request, persona, client_for, org_a, registered, member_a
):
    user = request.getfixturevalue(persona)
    data = {
        **OFFER_DATA,
        "owner_organization": org_a.pk,
        "new_images": [
            SimpleUploadedFile("máy sấy.png", _png()),
            SimpleUploadedFile("trình diễn.jpg", _jpeg()),
        ],
    }
    response = client_for(user).post("/cho-cong-nghe/cong-nghe/dang/", data)
    assert response.status_code == 302, response.content.decode()[:3000]
    offer = Offer.objects.get(title=OFFER_DATA["title"])
    images = list(offer.images.all())
    assert [image.caption for image in images] == ["máy sấy", "trình diễn"]
    urls = [f"/cho-cong-nghe/cong-nghe/{offer.pk}/anh/{image.pk}/" for image in images]
    # A draft's pictures: the owner's side and editors only (random stored names).
    assert all(len(Path(image.image.name).stem) == 32 for image in images)
    for viewer in (member_a, user):
        response = client_for(viewer).get(urls[0])
        assert response.status_code == 200 and response["Content-Type"] == "image/png"
        assert response["X-Content-Type-Options"] == "nosniff"
    for outsider in (None, registered):
        assert client_for(outsider).get(urls[0]).status_code == 404
    Offer.objects.filter(pk=offer.pk).update(state=OfferStatus.PUBLISHED)
    page = client_for(None).get(offer.get_absolute_url()).content.decode()
    assert all(url in page for url in urls)
    response = client_for(None).get(urls[1])
    assert response.status_code == 200 and response["Content-Type"] == "image/jpeg"
    assert b"".join(response.streaming_content) == _jpeg()
    # A picture is only reachable through its own offer's address.
    other = Offer.objects.create(title="Khác", summary="Khác", state=OfferStatus.PUBLISHED)
    assert (
        client_for(None).get(f"/cho-cong-nghe/cong-nghe/{other.pk}/anh/{images[0].pk}/").status_code
        == 404
    )
    assert (
        client_for(None).get(f"/cho-cong-nghe/cong-nghe/{offer.pk}/anh/999999/").status_code == 404
    )


def test_a_refused_picture_loses_nothing_typed_and_stores_nothing(client_for, reporter_a, org_a):
    before_files, before_audit = _stored_files(), audit_count()
    for name, content, reason in [
        ("anh.png", text_pdf("không phải ảnh"), "chỉ nhận PNG, JPEG"),
        ("anh.exe", b"MZ\x90\x00" + b"\0" * 200, "Tệp thực thi"),
        ("cat.png", _png()[:40], "hỏng"),
    ]:
        data = {
            **OFFER_DATA,
            "owner_organization": org_a.pk,
            "new_images": [
                SimpleUploadedFile("tốt.png", _png()),
                SimpleUploadedFile(name, content),
            ],
        }
        response = client_for(reporter_a).post("/cho-cong-nghe/cong-nghe/dang/", data)
        html = response.content.decode()
        assert response.status_code == 200
        assert reason in html and f"“{name}”" in html
        assert OFFER_DATA["title"] in html and OFFER_DATA["summary"] in html  # kept as typed
    assert not Offer.objects.filter(title=OFFER_DATA["title"]).exists()
    assert _stored_files() == before_files and audit_count() == before_audit


def test_the_service_checks_again_and_rolls_back_the_files_it_wrote(reporter_a, org_a):
    before = _stored_files()
    with pytest.raises(ValidationError):
        services.create_offer(
            reporter_a,
            {**OFFER_DATA, "owner_organization": org_a},
            images=[SimpleUploadedFile("a.png", _png()), SimpleUploadedFile("b.png", b"%PDF-1.4")],
        )
    assert not Offer.objects.exists() and not OfferImage.objects.exists()
    assert _stored_files() == before
    too_many = [
        SimpleUploadedFile(f"{n}.png", _png()) for n in range(services.MAX_OFFER_IMAGES + 1)
    ]
    with pytest.raises(ValidationError, match="Tối đa"):
        services.create_offer(
            reporter_a, {**OFFER_DATA, "owner_organization": org_a}, images=too_many
        )
    assert _stored_files() == before


def test_a_new_picture_on_a_published_offer_goes_back_to_review(
    make_offer, reporter_a, editor, member_a
):
    offer = make_offer()
    saved = services.update_offer(
        reporter_a, offer, {}, images=[SimpleUploadedFile("moi.png", _png())]
    )
    assert saved.state == OfferStatus.UNDER_REVIEW and saved.images.count() == 1
    # Removing it: the row and, after the commit, its file.
    image = saved.images.get()
    path = Path(image.image.path)
    assert path.exists()
    with pytest.raises(PermissionDenied):  # a plain member edits nothing
        services.update_offer(member_a, offer, {}, remove_images=[image])
    services.update_offer(editor, offer, {}, remove_images=[image])
    assert not offer.images.exists()


def test_the_edit_form_removes_a_picture(make_offer, reporter_a, client_for, org_a, run_on_commit):
    offer = make_offer(state=OfferStatus.DRAFT)
    services.update_offer(reporter_a, offer, {}, images=[SimpleUploadedFile("cu.png", _png())])
    image = offer.images.get()
    path = Path(image.image.path)
    data = {**OFFER_DATA, "owner_organization": org_a.pk, "remove_images": [image.pk]}
    with run_on_commit():
        response = client_for(reporter_a).post(f"/cho-cong-nghe/cong-nghe/{offer.pk}/sua/", data)
    assert response.status_code == 302
    assert not offer.images.exists() and not path.exists()


def test_demand_files_stay_behind_the_demand_access_rule(
    client_for, reporter_b, registered, editor, org_b, reporter_a, django_user_model
):
    from sti.accounts.models import Membership

    member_b = django_user_model.objects.create_user(username="thanhvien_b", password="x")
    Membership.objects.create(user=member_b, organization=org_b, role="member")
    data = {
        "title": "Cá tra nổi đầu, bỏ ăn",
        "description": "Ao cá tra 2 ha, mấy bữa nay cá nổi đầu buổi sáng.",
        "province": "92",
        "contact_phone": "0909 123 456",
        "cooperation_form": "consulting",
        "organization": org_b.pk,
        "new_files": [
            SimpleUploadedFile("ảnh ao cá.jpg", _jpeg()),
            SimpleUploadedFile("kết quả đo nước.pdf", text_pdf("pH 6,2; NH3 0,4 mg/l")),
        ],
    }
    response = client_for(reporter_b).post("/cho-cong-nghe/nhu-cau/gui/", data)
    assert response.status_code == 302, response.content.decode()[:3000]
    demand = Demand.objects.get(title=data["title"])
    files = list(demand.files.all())
    assert [f.caption for f in files] == ["ảnh ao cá", "kết quả đo nước"]
    Demand.objects.filter(pk=demand.pk).update(state=DemandStatus.CLARIFIED)  # public now
    url = f"/cho-cong-nghe/nhu-cau/{demand.pk}/tep/{files[1].pk}/"
    for allowed in (reporter_b, member_b, editor):
        assert client_for(allowed).get(url).status_code == 200
    for refused in (None, registered, reporter_a):
        assert client_for(refused).get(url).status_code == 404
    page = client_for(None).get(demand.get_absolute_url()).content.decode()
    assert url not in page and "kết quả đo nước" not in page


def test_a_refused_demand_file_keeps_the_demand_as_typed(client_for, registered):
    before = _stored_files()
    data = {
        "title": "Xoài bị đốm đen",
        "description": "Trái xoài chín có đốm đen lan rộng.",
        "province": "92",
        "contact_phone": "0909 000 111",
        "cooperation_form": "consulting",
        "new_files": [SimpleUploadedFile("trang.html", b"<html><script>x</script></html>")],
    }
    response = client_for(registered).post("/cho-cong-nghe/nhu-cau/gui/", data)
    html = response.content.decode()
    assert response.status_code == 200 and "“trang.html”" in html
    assert "Trái xoài chín có đốm đen lan rộng." in html
    assert not Demand.objects.exists() and not DemandFile.objects.exists()
    assert _stored_files() == before


def test_the_api_adds_pictures_and_files_for_the_owner_only(
    client, token_for, make_offer, make_demand, reporter_a, member_a, reporter_b
):
    offer = make_offer(state=OfferStatus.DRAFT)

    def post(user, url, name, files):
        return client.post(url, {name: files}, HTTP_AUTHORIZATION=f"Bearer {token_for(user)}")

    url = f"/api/market/offers/{offer.pk}/images"
    assert post(member_a, url, "images", [SimpleUploadedFile("a.png", _png())]).status_code == 403
    bad = post(reporter_a, url, "images", [SimpleUploadedFile("a.png", text_pdf("x"))])
    assert bad.status_code == 422 and not offer.images.exists()
    response = post(reporter_a, url, "images", [SimpleUploadedFile("ruộng.png", _png())])
    assert response.status_code == 201
    image = offer.images.get()
    assert response.json()["images"] == [f"/cho-cong-nghe/cong-nghe/{offer.pk}/anh/{image.pk}/"]
    demand = make_demand()  # organization B's
    url = f"/api/market/demands/{demand.pk}/files"
    pdf = text_pdf("Phiếu kết quả")
    assert post(reporter_a, url, "files", [SimpleUploadedFile("kq.pdf", pdf)]).status_code == 404
    assert post(reporter_b, url, "files", [SimpleUploadedFile("kq.pdf", pdf)]).status_code == 201
    assert demand.files.count() == 1
