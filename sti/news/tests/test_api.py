"""The API: reads through visible_to, writes through the services with a bearer token."""

from __future__ import annotations

import pytest

from sti.accounts.tokens import create_token
from sti.news.choices import ArticleStatus as S
from sti.news.models import Article

pytestmark = pytest.mark.django_db


def auth(user) -> dict:
    return {"HTTP_AUTHORIZATION": f"Bearer {create_token(user, 'test')}"}


def test_list_and_detail_follow_the_access_rule(client, make_article, reporter_a, member_a):
    published = make_article("Tin công khai", status=S.PUBLISHED, tags=["lúa gạo"])
    draft = make_article("Bản nháp")
    titles = [row["title"] for row in client.get("/api/news/articles").json()["items"]]
    assert titles == ["Tin công khai"]
    assert client.get(f"/api/news/articles/{draft.pk}").status_code == 404
    assert client.get(f"/api/news/articles/{draft.pk}", **auth(member_a)).status_code == 404
    assert client.get(f"/api/news/articles/{draft.pk}", **auth(reporter_a)).status_code == 200
    row = client.get(f"/api/news/articles/{published.pk}").json()
    assert row["tags"] == ["lúa gạo"] and row["url"] == published.get_absolute_url()
    assert client.get("/api/news/articles", {"year": "abc"}).status_code in (400, 422)


def test_reporter_writes_a_draft_member_may_not(client, reporter_a, member_a, org_a):
    payload = {
        "title": "Tin qua API",
        "body": "Nội dung",
        "organization": org_a.pk,
        "tags": ["IoT"],
    }
    assert (
        client.post("/api/news/articles", payload, content_type="application/json").status_code
        == 401
    )
    refused = client.post(
        "/api/news/articles", payload, content_type="application/json", **auth(member_a)
    )
    assert refused.status_code == 403
    created = client.post(
        "/api/news/articles", payload, content_type="application/json", **auth(reporter_a)
    )
    assert created.status_code == 201, created.content
    assert created.json()["status"] == S.DRAFT
    assert Article.objects.get().title == "Tin qua API"
    bad = client.post(
        "/api/news/articles",
        {"title": "", "organization": 999999, "fields": ["99999"]},
        content_type="application/json",
        **auth(reporter_a),
    )
    assert bad.status_code == 422 and {item["loc"][-1] for item in bad.json()["errors"]} >= {
        "organization",
        "fields",
        "title",
    }


def test_moves_answer_403_and_409(client, make_article, reporter_a, editor):
    article = make_article("Bản nháp", status=S.DRAFT)
    url = f"/api/news/articles/{article.pk}/move"
    submit = client.post(
        url, {"target": "review"}, content_type="application/json", **auth(reporter_a)
    )
    assert submit.status_code == 200 and submit.json()["status"] == "review"
    forbidden = client.post(
        url, {"target": "published"}, content_type="application/json", **auth(reporter_a)
    )
    assert forbidden.status_code == 403
    illegal = client.post(
        url, {"target": "archived"}, content_type="application/json", **auth(editor)
    )
    assert illegal.status_code == 409
    published = client.post(
        url, {"target": "published"}, content_type="application/json", **auth(editor)
    )
    assert published.status_code == 200 and published.json()["status"] == "published"


def test_issues_api(client, editor, make_issue, run_on_commit):
    from sti.news import services

    with run_on_commit():
        issue = make_issue(1, pdf_text="Bản tin số 1.")
        services.publish_issue(editor, issue)
    make_issue(2)
    issue.refresh_from_db()
    rows = client.get("/api/news/issues").json()["items"]
    assert [row["number"] for row in rows] == [1]
    assert rows[0]["document"] == issue.document_id
    assert len(client.get("/api/news/series").json()) == 7


@pytest.mark.parametrize("year", ["0", "-5", "10000"])
def test_a_year_out_of_range_is_refused_not_a_500(client, client_for, editor, make_article, year):
    """Found by schemathesis: `?year=0` made Django compute the bounds of year 0 (a 500)."""
    make_article("Đã đăng", status=S.PUBLISHED)
    response = client.get("/api/news/articles", {"year": year}, **auth(editor))
    assert response.status_code == 422, response.content
    assert response.json()["errors"][0]["loc"] == ["query", "year"]
    # The list page reads the same FilterSet: the value is refused there too.
    assert client_for(editor).get("/tin-tuc/", {"year": year}).status_code == 200
