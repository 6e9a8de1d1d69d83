"""The API's contract (ISSUE 9): one error shape for every error of every app, every error
status documented in the OpenAPI document, labelled search facets, filter choices declared
as enums, and /api/docs without a CDN."""

from __future__ import annotations

import json
import re
from datetime import date

import pytest

from sti.accounts.tokens import create_token
from sti.core.api import ErrorOut
from sti.core.models import FieldOfScience
from sti.directory.models import Organization
from sti.projects.choices import TaskStatus
from sti.projects.models import Task

pytestmark = pytest.mark.django_db


def bearer(user) -> dict:
    return {"HTTP_AUTHORIZATION": f"Bearer {create_token(user, 'hợp đồng API')}"}


def post(client, url, payload, user=None, **headers):
    if user is not None:
        headers.update(bearer(user))
    return client.post(url, json.dumps(payload), content_type="application/json", **headers)


def assert_error(response, status: int, code: str | None = None) -> dict:
    """The one error shape: detail (a non-empty message), code, errors [{loc, msg}]."""
    assert response.status_code == status, response.content
    assert response["Content-Type"].startswith("application/json")
    body = response.json()
    assert set(body) == {"detail", "code", "errors"}, body
    ErrorOut.model_validate(body)
    assert body["detail"].strip()
    if code is not None:
        assert body["code"] == code, body
    return body


@pytest.fixture
def task(org_a):
    return Task.objects.create(
        code="ĐT-API-01",
        title="Nghiên cứu chọn tạo giống lúa chịu mặn cho vùng ven biển",
        host=org_a,
        status=TaskStatus.IN_PROGRESS,
        planned_start=date(2024, 1, 1),
        planned_end=date(2025, 12, 31),
    )


# ---------------------------------------------------------------------------
# One error shape, whatever raised the error, in every app
# ---------------------------------------------------------------------------
@pytest.mark.parametrize(
    "url",
    [
        # A FilterSet refusing a value whose choices come from the database: 400.
        "/api/directory/researchers?field=khong-co",
        "/api/directory/organizations?admin_unit=999999",
        "/api/projects/tasks?organization=999999",
        "/api/training/courses?field=khong-co",
        "/api/news/articles?category=khong-co",
        "/api/news/articles?field=khong-co",
    ],
)
def test_a_refused_filter_value_is_a_400(client, url):
    body = assert_error(client.get(url), 400, "bad_request")
    name = url.split("?")[1].split("=")[0]
    assert [item["loc"] for item in body["errors"]] == [["query", name]]


@pytest.mark.parametrize(
    ("url", "name"),
    [
        ("/api/directory/organizations?kind=khong-co", "kind"),
        ("/api/directory/researchers?degree=GS.TSKH", "degree"),
        ("/api/projects/tasks?status=bien-mat", "status"),
        ("/api/projects/tasks?offset=-1", "offset"),
        ("/api/projects/tasks?year=12345", "year"),
        ("/api/search/?sort=ngau-nhien", "sort"),
        ("/api/search/?page=abc", "page"),
        ("/api/library/documents?access=bi-mat", "access"),
        ("/api/library/documents?year_to=100000", "year_to"),
        ("/api/training/courses?status=khong-co", "status"),
        ("/api/training/courses?delivery=bo-cau", "delivery"),
        ("/api/news/articles?status=khong-co", "status"),
        ("/api/news/articles?year=abc", "year"),
        ("/api/servicedesk/requests?kind=khong-co", "kind"),
        ("/api/servicedesk/requests?overdue=co-le", "overdue"),
    ],
)
def test_a_value_outside_the_declared_schema_is_a_422_naming_it(client, url, name):
    body = assert_error(client.get(url), 422, "invalid")
    assert ["query", name] == body["errors"][0]["loc"][:2]
    assert body["errors"][0]["msg"]
    # Vietnamese, not pydantic's English.
    assert "Input should" not in body["detail"]


def test_an_unparsable_body_is_a_400(client, editor):
    response = client.post(
        "/api/directory/organizations", "{nope", content_type="application/json", **bearer(editor)
    )
    body = assert_error(response, 400, "bad_request")
    assert body["detail"] == "Không đọc được nội dung yêu cầu (JSON)."


def test_a_service_refusal_is_a_422_with_the_field_named(client, editor):
    # The form refuses the kind; the library service refuses the year (django ValidationError).
    body = assert_error(
        post(client, "/api/directory/organizations", {"name": "Viện X", "kind": "?"}, editor),
        422,
        "invalid",
    )
    assert ["body", "kind"] in [item["loc"] for item in body["errors"]]
    body = assert_error(
        post(client, "/api/library/documents", {"title": "Báo cáo", "year": 20244}, editor),
        422,
        "invalid",
    )
    assert any("year" in item["loc"] for item in body["errors"]), body


@pytest.mark.parametrize(
    ("method", "url"),
    [
        ("post", "/api/directory/organizations"),
        ("post", "/api/library/documents"),
        ("post", "/api/projects/tasks/1/transition"),
    ],
)
@pytest.mark.parametrize("authorization", [None, "Bearer sai-token", "Basic YTpi"])
def test_a_missing_or_wrong_token_is_a_401(client, method, url, authorization):
    headers = {"HTTP_AUTHORIZATION": authorization} if authorization else {}
    response = getattr(client, method)(url, "{}", content_type="application/json", **headers)
    assert_error(response, 401, "unauthorized")
    assert response["WWW-Authenticate"] == "Bearer"


def test_a_refusal_is_a_403_in_every_app(client, member_a, org_a, task):
    # Directory: a plain member may not write (PermissionDenied in the endpoint).
    body = assert_error(
        post(client, "/api/directory/organizations", {"name": "Viện Y"}, member_a),
        403,
        "forbidden",
    )
    assert "biên tập viên" in body["detail"]
    # Projects: a move the member's roles do not allow (MoveForbidden from the state machine).
    body = assert_error(
        post(
            client,
            f"/api/projects/tasks/{task.pk}/transition",
            {"target": TaskStatus.EXTENDED},
            member_a,
        ),
        403,
        "forbidden",
    )
    assert "không có quyền" in body["detail"]


def test_an_illegal_move_is_a_409(client, editor, task):
    Task.objects.filter(pk=task.pk).update(status=TaskStatus.PLAN_APPROVED, contract_number="")
    body = assert_error(
        post(
            client,
            f"/api/projects/tasks/{task.pk}/transition",
            {"target": TaskStatus.CONTRACTED},
            editor,
        ),
        409,
        "illegal",
    )
    assert "số hợp đồng" in body["detail"]


@pytest.mark.parametrize(
    "url",
    [
        "/api/directory/organizations/999999",  # get_object_or_404 (Http404)
        "/api/directory/researchers/999999",
        "/api/library/documents/999999",  # get_visible_or_404
        "/api/projects/tasks/999999",  # the endpoint's own ApiError
    ],
)
def test_a_missing_record_is_a_404(client, url):
    body = assert_error(client.get(url), 404, "not_found")
    assert "Không tìm thấy" in body["detail"]


# ---------------------------------------------------------------------------
# The OpenAPI document lists every error status, with the error schema
# ---------------------------------------------------------------------------
@pytest.fixture
def openapi(client):
    return client.get("/api/openapi.json").json()


def _operations(openapi):
    for path, item in openapi["paths"].items():
        for method, operation in item.items():
            yield path, method, operation


def test_every_operation_documents_its_error_statuses(openapi):
    assert openapi["components"]["schemas"]["ErrorOut"]["required"] == ["detail", "code"]
    operations = list(_operations(openapi))
    assert len(operations) >= 15
    for path, method, operation in operations:
        statuses = {int(status) for status in operation["responses"]}
        expected = {400, 422}
        if "{" in path:
            expected.add(404)
        if operation.get("security"):
            expected |= {401, 403}
        if method in {"post", "patch", "put", "delete"}:
            expected |= {403, 404, 409}
        assert expected <= statuses, (method, path, statuses)
        # Every error status, documented by `document_errors` or declared by the endpoint
        # (a 429), answers the one shape: no app has an error schema of its own.
        for status in statuses - set(range(200, 400)):
            schema = operation["responses"][str(status)]["content"]["application/json"]["schema"]
            assert schema == {"$ref": "#/components/schemas/ErrorOut"}, (method, path, status)


def test_a_rate_limited_endpoint_documents_its_429(openapi):
    """The service request form limits submissions per address: its 429 is described in
    Vietnamese and has the one error shape; endpoints without a limit do not claim one."""
    response = openapi["paths"]["/api/servicedesk/requests"]["post"]["responses"]["429"]
    assert response["description"].startswith("Quá nhiều yêu cầu")
    assert response["content"]["application/json"]["schema"] == {
        "$ref": "#/components/schemas/ErrorOut"
    }
    assert (
        "429"
        not in openapi["paths"]["/api/projects/tasks/{task_id}/transition"]["post"]["responses"]
    )


def test_the_transition_documents_401_403_404_409_422(openapi):
    operation = openapi["paths"]["/api/projects/tasks/{task_id}/transition"]["post"]
    assert {"200", "400", "401", "403", "404", "409", "422"} <= set(operation["responses"])


def _parameter(openapi, path, name):
    parameters = openapi["paths"][path]["get"]["parameters"]
    return next(p for p in parameters if p["name"] == name)["schema"]


def _enum(schema):
    if "enum" in schema:
        return schema["enum"]
    if "items" in schema:
        return _enum(schema["items"])
    return next(_enum(option) for option in schema["anyOf"] if option.get("type") != "null")


def test_filters_with_fixed_values_are_declared_as_enums(openapi):
    from sti.directory.choices import OrganizationKind
    from sti.library.choices import AccessLevel

    assert _enum(_parameter(openapi, "/api/directory/organizations", "kind")) == list(
        OrganizationKind.values
    )
    assert "TS" in _enum(_parameter(openapi, "/api/directory/researchers", "degree"))
    assert _enum(_parameter(openapi, "/api/projects/tasks", "status")) == list(TaskStatus.values)
    assert _enum(_parameter(openapi, "/api/projects/tasks", "group")) == [
        "dang_tien_hanh",
        "da_hoan_thanh",
        "du_thao",
    ]
    assert _enum(_parameter(openapi, "/api/library/documents", "access")) == list(
        AccessLevel.values
    )
    assert _enum(_parameter(openapi, "/api/search/", "sort")) == [
        "relevance",
        "newest",
        "oldest",
        "title",
    ]
    from sti.news.choices import ArticleStatus
    from sti.servicedesk.choices import RequestStatus, ServiceKind
    from sti.training.choices import CourseStatus, DeliveryKind

    assert _enum(_parameter(openapi, "/api/training/courses", "status")) == list(
        CourseStatus.values
    )
    assert _enum(_parameter(openapi, "/api/training/courses", "delivery")) == list(
        DeliveryKind.values
    )
    assert _enum(_parameter(openapi, "/api/news/articles", "status")) == list(ArticleStatus.values)
    assert _enum(_parameter(openapi, "/api/servicedesk/requests", "status")) == list(
        RequestStatus.values
    )
    assert _enum(_parameter(openapi, "/api/servicedesk/requests", "kind")) == list(
        ServiceKind.values
    )
    year = _parameter(openapi, "/api/projects/tasks", "year")["anyOf"][0]
    assert (year["minimum"], year["maximum"]) == (1, 9999)


# ---------------------------------------------------------------------------
# Search facets carry their labels
# ---------------------------------------------------------------------------
def test_search_facets_have_their_labels(client, run_on_commit):
    with run_on_commit():
        organization = Organization.objects.create(
            name="Viện Lúa Đồng bằng sông Cửu Long", kind="institute", name_folded="vien lua"
        )
        organization.fields.set([FieldOfScience.objects.current().get(code="40107")])
    body = client.get("/api/search/", {"q": "lua"}).json()
    assert body["total"] >= 1
    types = {value["value"]: value for value in body["facets"]["type"]}
    assert types["organization"]["label"] == "Tổ chức KH&CN"
    fields = {value["value"]: value["label"] for value in body["facets"]["field"]}
    assert fields and all(label.startswith(code) for code, label in fields.items())
    assert any(label != code for code, label in fields.items())
    # The library's facets, through the same schema.
    body = client.get("/api/library/documents").json()
    for values in body["facets"].values():
        assert all(value["label"] for value in values)


# ---------------------------------------------------------------------------
# /api/docs on a closed network
# ---------------------------------------------------------------------------
def test_api_docs_load_every_asset_from_the_site(client):
    response = client.get("/api/docs")
    assert response.status_code == 200
    html = response.content.decode()
    assets = re.findall(r"""(?:src|href)=["']([^"']+)["']""", html)
    assert assets, html
    outside = [url for url in assets if re.match(r"(https?:)?//", url)]
    assert outside == [], outside
    assert not re.search(r"https?://(cdn|unpkg|fastly|cdnjs)", html)
    settings = json.loads(re.search(r'id="swagger-settings">(.*?)</script>', html, re.S)[1])
    assert settings["validatorUrl"] is None  # no call to validator.swagger.io
    assert settings["url"] == "/api/openapi.json"
    scripts = [url for url in assets if url.endswith(".js")]
    assert any("swagger-ui-bundle" in url for url in scripts), assets
    for url in assets:
        if url.startswith("/static/"):
            asset = client.get(url)
            assert asset.status_code == 200, url
            body = b"".join(asset.streaming_content) if asset.streaming else asset.content
            assert len(body) > 100, url


# ---------------------------------------------------------------------------
# A request body must be a JSON object (found by schemathesis: `"AAA"` created a document
# titled "Aaa", ninja having read `"AAA".title()`)
# ---------------------------------------------------------------------------
@pytest.mark.parametrize("body", ['"AAA"', "42", "[]", "null", "true"])
@pytest.mark.parametrize(
    "url",
    [
        "/api/library/documents",
        "/api/directory/organizations",
        "/api/directory/organizations/{org}/dissolve",
        "/api/projects/tasks/{task}/transition",
        "/api/news/articles",
        "/api/servicedesk/requests",
    ],
)
def test_a_body_that_is_not_an_object_is_refused(client, editor, org_a, task, url, body):
    from sti.library.models import Document

    url = url.format(org=org_a.pk, task=task.pk)
    before = (Document.objects.count(), Organization.objects.count())
    response = client.post(url, body, content_type="application/json", **bearer(editor))
    error = assert_error(response, 422, "invalid")
    assert error["errors"][0]["loc"][0] == "body"
    assert (Document.objects.count(), Organization.objects.count()) == before
    org_a.refresh_from_db()
    assert org_a.status == "active"
