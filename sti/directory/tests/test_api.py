"""The directory API: filtered reads through visible_to, writes for editors only."""

import json
import unicodedata

import pytest

from sti.accounts.tokens import create_token
from sti.core.models import AuditEntry
from sti.directory.models import Organization, Researcher

pytestmark = pytest.mark.django_db

BASE = "/api/directory"


def bearer(user) -> dict:
    return {"HTTP_AUTHORIZATION": f"Bearer {create_token(user, 'test')}"}


def send(client, method, url, payload, user=None):
    headers = bearer(user) if user is not None else {}
    return getattr(client, method)(
        url, data=json.dumps(payload), content_type="application/json", **headers
    )


# ---------------------------------------------------------------------------
# Reads
# ---------------------------------------------------------------------------
def test_list_organizations_with_same_filters_as_pages(client, org_a, org_b, org_hospital, field):
    org_a.fields.set([field("40107")])
    body = client.get(f"{BASE}/organizations", {"q": "can tho"}).json()
    assert body["count"] == 2
    assert sorted(item["name"] for item in body["items"]) == [
        "Bệnh viện Đa khoa Trung ương Cần Thơ",
        "Trường Đại học Cần Thơ",
    ]
    body = client.get(f"{BASE}/organizations", {"field": "4"}).json()
    assert [item["abbreviation"] for item in body["items"]] == ["ĐHCT"]
    assert body["items"][0]["fields"] == ["40107"]
    assert (
        client.get(f"{BASE}/organizations", {"kind": "hospital"}).json()["items"][0]["identifier"]
        == "1800000315"
    )
    # An invalid choice is an error, not a silently ignored filter: the schema declares the
    # choices (an enum), so ninja refuses it in the API's error shape.
    refused = client.get(f"{BASE}/organizations", {"kind": "khong-co"})
    assert refused.status_code == 422
    assert refused.json()["errors"][0]["loc"] == ["query", "kind"]


def test_pagination(client):
    Organization.objects.bulk_create(
        [
            Organization(name=f"Viện {i:02d}", kind="institute", name_folded=f"vien {i:02d}")
            for i in range(30)
        ]
    )
    first = client.get(f"{BASE}/organizations").json()
    assert first["count"] == 30 and len(first["items"]) == 25
    second = client.get(f"{BASE}/organizations", {"page": 2}).json()
    assert [item["name"] for item in second["items"]] == [f"Viện {i}" for i in range(25, 30)]


def test_organization_detail(client, org_a):
    body = client.get(f"{BASE}/organizations/{org_a.pk}").json()
    assert body["name"] == "Trường Đại học Cần Thơ"
    assert body["kind_label"] == "Trường đại học, học viện"
    assert body["url"] == org_a.get_absolute_url()
    assert client.get(f"{BASE}/organizations/99999").status_code == 404


def test_researcher_filters_in_api(client, public_researcher, hidden_researcher):
    body = client.get(f"{BASE}/researchers", {"q": "gan than mu"}).json()
    assert [item["full_name"] for item in body["items"]] == ["Trần Thị Thanh Hương"]
    assert body["items"][0]["expertise"] == ["cá tra", "bệnh gan thận mủ"]
    assert client.get(f"{BASE}/researchers", {"is_expert": "true"}).json()["count"] == 1
    assert (
        client.get(f"{BASE}/researchers", {"degree": "ThS"}).json()["count"] == 0
    )  # hidden one is ThS


@pytest.mark.parametrize(
    ("persona", "visible"),
    [
        (None, False),
        ("registered", False),
        ("reporter_b", False),
        ("reporter_a", True),
        ("editor", True),
    ],
)
def test_hidden_researcher_in_api(request, client, hidden_researcher, persona, visible):
    headers = bearer(request.getfixturevalue(persona)) if persona else {}
    detail = client.get(f"{BASE}/researchers/{hidden_researcher.pk}", **headers)
    assert detail.status_code == (200 if visible else 404)
    listed = client.get(f"{BASE}/researchers", {"q": "duong"}, **headers).json()
    assert (listed["count"] == 1) == visible


# ---------------------------------------------------------------------------
# Writes
# ---------------------------------------------------------------------------
NEW_ORG = {
    "name": unicodedata.normalize("NFD", "Công ty CP Thủy sản Hậu Giang Xanh"),
    "kind": "enterprise",
    "sector": "non_state",
    "identifier": "6300123456",
    "fields": ["405", "211"],
}


def test_write_without_token_is_401(client, org_a):
    assert send(client, "post", f"{BASE}/organizations", NEW_ORG).status_code == 401
    assert (
        send(client, "patch", f"{BASE}/organizations/{org_a.pk}", {"name": "X"}).status_code == 401
    )
    headers = {"HTTP_AUTHORIZATION": "Bearer sti_khong-hop-le"}
    assert (
        client.post(
            f"{BASE}/organizations",
            data=json.dumps(NEW_ORG),
            content_type="application/json",
            **headers,
        ).status_code
        == 401
    )
    assert not Organization.objects.filter(identifier="6300123456").exists()


@pytest.mark.parametrize("persona", ["registered", "reporter_a"])
def test_write_by_non_editor_is_403(request, client, org_a, public_researcher, persona):
    user = request.getfixturevalue(persona)
    assert send(client, "post", f"{BASE}/organizations", NEW_ORG, user).status_code == 403
    assert (
        send(client, "patch", f"{BASE}/organizations/{org_a.pk}", {"name": "X"}, user).status_code
        == 403
    )
    assert (
        send(client, "post", f"{BASE}/organizations/{org_a.pk}/dissolve", {}, user).status_code
        == 403
    )
    assert send(client, "post", f"{BASE}/researchers", {"full_name": "A"}, user).status_code == 403
    assert (
        send(
            client, "patch", f"{BASE}/researchers/{public_researcher.pk}", {"bio": "x"}, user
        ).status_code
        == 403
    )
    org_a.refresh_from_db()
    assert org_a.name == "Trường Đại học Cần Thơ" and org_a.status == "active"
    assert not Organization.objects.filter(identifier="6300123456").exists()


def test_editor_creates_and_patches_organization(client, editor, org_a):
    response = send(client, "post", f"{BASE}/organizations", NEW_ORG, editor)
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["name"] == "Công ty CP Thủy sản Hậu Giang Xanh"
    assert sorted(body["fields"]) == ["211", "405"]
    organization = Organization.objects.get(pk=body["id"])
    assert unicodedata.is_normalized("NFC", organization.name)
    # PATCH changes only what is sent.
    response = send(
        client,
        "patch",
        f"{BASE}/organizations/{organization.pk}",
        {"address": "KCN Sông Hậu, Châu Thành A"},
        editor,
    )
    assert response.status_code == 200
    organization.refresh_from_db()
    assert organization.address == "KCN Sông Hậu, Châu Thành A"
    assert organization.identifier == "6300123456" and organization.kind == "enterprise"
    assert sorted(organization.fields.values_list("code", flat=True)) == ["211", "405"]
    actions = list(
        AuditEntry.objects.filter(object_id=str(organization.pk)).values_list("action", flat=True)
    )
    assert sorted(actions) == ["create", "update"]


def test_editor_write_validation_errors(client, editor, org_a, org_hospital):
    bad = dict(NEW_ORG, kind="khong-co", fields=["999"], identifier=org_hospital.identifier)
    response = send(client, "post", f"{BASE}/organizations", bad, editor)
    assert response.status_code == 422
    body = response.json()
    assert body["code"] == "invalid"
    errors = {tuple(item["loc"]): item["msg"] for item in body["errors"]}
    assert {("body", "kind"), ("body", "fields"), ("body", "identifier")} <= set(errors)
    assert "999" in errors[("body", "fields")] and "999" in body["detail"]
    assert (
        send(client, "post", f"{BASE}/organizations", {"kind": "enterprise"}, editor).status_code
        == 422
    )


def test_merge_and_dissolve_via_api(client, editor, org_a, org_b, public_researcher):
    response = send(
        client, "post", f"{BASE}/organizations/{org_a.pk}/merge", {"into": org_a.pk}, editor
    )
    assert response.status_code == 422
    response = send(
        client, "post", f"{BASE}/organizations/{org_a.pk}/merge", {"into": org_b.pk}, editor
    )
    assert response.status_code == 200
    assert response.json()["status"] == "merged" and response.json()["merged_into"] == org_b.pk
    public_researcher.refresh_from_db()
    assert public_researcher.organization_id == org_b.pk
    response = send(
        client, "post", f"{BASE}/organizations/{org_b.pk}/dissolve", {"note": "QĐ giải thể"}, editor
    )
    assert response.json()["status"] == "dissolved"


def test_editor_creates_and_patches_researcher(client, editor, org_a):
    payload = {
        "full_name": "Nguyễn Thị Mỹ Hạnh",
        "degree": "TS",
        "organization": org_a.pk,
        "expertise": "đái tháo đường, dịch tễ học",
        "is_public": True,
        "fields": ["303"],
    }
    response = send(client, "post", f"{BASE}/researchers", payload, editor)
    assert response.status_code == 201, response.content
    person = Researcher.objects.get(pk=response.json()["id"])
    assert person.organization == org_a and person.is_public
    response = send(
        client,
        "patch",
        f"{BASE}/researchers/{person.pk}",
        {"is_expert": True, "birth_year": 1979},
        editor,
    )
    assert response.status_code == 200
    person.refresh_from_db()
    assert person.is_expert and person.birth_year == 1979 and person.degree == "TS"
    assert (
        send(
            client, "patch", f"{BASE}/researchers/{person.pk}", {"birth_year": 1800}, editor
        ).status_code
        == 422
    )
