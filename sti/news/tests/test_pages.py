"""Pages over the eight personas: who sees drafts, who writes, who moves, who manages
categories. Each protected action has an allowed and a refused persona (member_a included)."""

from __future__ import annotations

import pytest

from sti.core.models import AuditEntry
from sti.core.testing import (
    ANONYMOUS,
    EVERYONE,
    LOGIN,
    STAFF,
    CreatePageTests,
    DetailPageTests,
    EditPageTests,
    ListPageTests,
    persona_user,
)
from sti.news.choices import ArticleStatus as S
from sti.news.models import Article, Category

pytestmark = pytest.mark.django_db
WRITERS_A = {"reporter_a", *STAFF}
OUTSIDERS = EVERYONE - WRITERS_A


class TestPublishedArticle(DetailPageTests, ListPageTests):
    list_url = "/tin-tuc/"

    def detail_object(self, request):
        return request.getfixturevalue("make_article")(
            "Cần Thơ công nhận 5 sáng kiến cấp thành phố",
            status=S.PUBLISHED,
            summary="Hội đồng xét công nhận sáng kiến năm 2025.",
        )

    def detail_texts(self, obj):
        return [obj.title, obj.summary, obj.organization.name]

    def listed(self, request, persona):
        return [self.detail_object(request).title]


class TestDraftArticle(DetailPageTests, ListPageTests):
    """A draft: its organization's reporters and the editors see it; a plain member of the
    organization does not (a draft is not news yet)."""

    list_url = "/tin-tuc/"
    detail_allowed = WRITERS_A
    detail_refused = dict.fromkeys(EVERYONE, 404)

    def detail_object(self, request):
        return request.getfixturevalue("make_article")("Bản nháp: hội thảo nuôi cá tra")

    def listed(self, request, persona):
        return [self.detail_object(request).title] if persona in WRITERS_A else []

    def unlisted(self, request, persona):
        return [] if persona in WRITERS_A else [self.detail_object(request).title]


class TestArticleCreate(CreatePageTests):
    create_url = "/tin-tuc/viet-bai/"
    model = Article
    create_allowed = WRITERS_A
    # reporter_b may open the form (for org B) but cannot post for org A: the form says so.
    create_refused = {"reporter_b": 200}
    create_expected = {"title": "Ra mắt sàn giao dịch công nghệ Cần Thơ", "status": S.DRAFT}

    def test_create_form(self, request, client_for, persona):
        # The form opens for anyone who may write for some organization.
        response = client_for(persona_user(request, persona)).get(self.create_url)
        if persona in WRITERS_A | {"reporter_b"}:
            assert response.status_code == 200
        else:
            assert response.status_code == (302 if persona == ANONYMOUS else 403)

    def create_data(self, request):
        org_a = request.getfixturevalue("org_a")
        return {
            "title": "Ra mắt sàn giao dịch công nghệ Cần Thơ",
            "body": "Sàn kết nối cung – cầu công nghệ cho doanh nghiệp.",
            "organization": org_a.pk,
            "tags": "chuyển giao công nghệ, doanh nghiệp",
        }

    def check_created(self, obj, user):
        assert obj.author == user
        assert sorted(t.name for t in obj.tags.all()) == ["chuyển giao công nghệ", "doanh nghiệp"]
        assert AuditEntry.objects.filter(object_type="news.article", object_id=str(obj.pk)).exists()


class TestArticleEdit(EditPageTests):
    edit_allowed = WRITERS_A
    edit_refused = {**dict.fromkeys(OUTSIDERS, 404)}
    edit_expected = {"title": "Hội thảo nuôi cá tra (đã sửa)"}

    def edit_object(self, request):
        return request.getfixturevalue("make_article")("Hội thảo nuôi cá tra")

    def edit_url(self, obj):
        return f"/tin-tuc/bai/{obj.pk}/sua/"

    def edit_data(self, request, obj):
        return {
            "title": "Hội thảo nuôi cá tra (đã sửa)",
            "body": obj.body,
            "organization": obj.organization_id,
        }


class TestPublishedArticleEdit(EditPageTests):
    """Once out of draft, only editors change the text."""

    edit_allowed = STAFF
    edit_refused = {ANONYMOUS: LOGIN}
    edit_expected = {"title": "Tin đã đăng (đính chính)"}

    def edit_object(self, request):
        return request.getfixturevalue("make_article")("Tin đã đăng", status=S.PUBLISHED)

    def edit_url(self, obj):
        return f"/tin-tuc/bai/{obj.pk}/sua/"

    def edit_data(self, request, obj):
        return {
            "title": "Tin đã đăng (đính chính)",
            "body": obj.body,
            "organization": obj.organization_id,
        }


class TestCategories(CreatePageTests):
    create_url = "/tin-tuc/chuyen-muc/them/"
    model = Category
    create_allowed = STAFF
    create_expected = {"name": "Sở hữu trí tuệ", "slug": "so-huu-tri-tue"}

    def create_data(self, request):
        return {"name": "Sở hữu trí tuệ", "description": "", "order": 3}

    def create_redirect(self, obj):
        return "/tin-tuc/chuyen-muc/"


@pytest.mark.parametrize(
    "persona,target,expected",
    [
        ("reporter_a", S.REVIEW, 302),
        ("editor", S.REVIEW, 302),
        ("member_a", S.REVIEW, 404),
        ("reporter_b", S.REVIEW, 404),
        (ANONYMOUS, S.REVIEW, 404),
    ],
)
def test_submit_draft(request, client_for, make_article, persona, target, expected):
    article = make_article("Bản nháp gửi duyệt")
    response = client_for(persona_user(request, persona)).post(
        f"/tin-tuc/bai/{article.pk}/trang-thai/", {"target": target}
    )
    assert response.status_code == expected
    article.refresh_from_db()
    assert article.status == (target if expected == 302 else S.DRAFT)


@pytest.mark.parametrize(
    "persona,allowed",
    [("editor", True), ("admin_user", True), ("reporter_a", False), ("member_a", False)],
)
def test_publish_is_for_editors(request, client_for, make_article, persona, allowed):
    article = make_article("Chờ duyệt", status=S.REVIEW)
    response = client_for(persona_user(request, persona)).post(
        f"/tin-tuc/bai/{article.pk}/trang-thai/", {"target": S.PUBLISHED}
    )
    article.refresh_from_db()
    if allowed:
        assert response.status_code == 302 and article.status == S.PUBLISHED
    else:
        # The reporter sees the article (403: may not publish); a plain member does not (404).
        assert response.status_code == (403 if persona == "reporter_a" else 404)
        assert article.status == S.REVIEW


def test_schedule_from_the_page(client_for, editor, make_article):
    article = make_article("Hẹn giờ", status=S.REVIEW)
    client = client_for(editor)
    page = client.get(article.get_absolute_url()).content.decode()
    assert 'name="publish_at"' in page and "Hẹn giờ đăng" in page
    response = client.post(
        f"/tin-tuc/bai/{article.pk}/trang-thai/",
        {"target": S.SCHEDULED, "publish_at": "2099-01-01T08:30"},
        follow=True,
    )
    article.refresh_from_db()
    assert article.status == S.SCHEDULED and article.publish_at.year == 2099
    # A moment in the past is refused with the reason, nothing changes.
    other = make_article("Hẹn giờ sai", status=S.REVIEW)
    response = client.post(
        f"/tin-tuc/bai/{other.pk}/trang-thai/",
        {"target": S.SCHEDULED, "publish_at": "2001-01-01T08:30"},
        follow=True,
    )
    assert "thời điểm đăng phải ở tương lai" in response.content.decode()
    other.refresh_from_db()
    assert other.status == S.REVIEW


def test_bad_input_never_500(client_for, editor, make_article):
    article = make_article("Bản nháp")
    client = client_for(editor)
    assert (
        client.post(f"/tin-tuc/bai/{article.pk}/trang-thai/", {"target": "bogus"}).status_code
        == 302
    )
    assert (
        client.get(
            "/tin-tuc/", {"page": "99999999999999999999", "year": "abc", "category": "x"}
        ).status_code
        == 200
    )
    assert client.get("/tin-tuc/xuat/pdf/").status_code == 404


def test_related_records_follow_their_own_access(
    client_for, editor, member_a, reporter_a, make_article, org_a
):
    from django.core.exceptions import ValidationError

    from sti.library import services as library
    from sti.library.choices import AccessLevel
    from sti.news import services
    from sti.news.links import parse_ref

    public = library.create_document(
        editor, {"title": "Báo cáo công khai", "source_type": "report", "year": 2025}
    )
    staff = library.create_document(
        editor,
        {
            "title": "Báo cáo nội bộ",
            "source_type": "report",
            "year": 2025,
            "access": AccessLevel.STAFF,
        },
    )
    article = make_article("Tin có hồ sơ liên quan", status=S.PUBLISHED)
    services.update_article(
        editor,
        article,
        {},
        related=[parse_ref(f"document:{public.pk}"), parse_ref(f"document:{staff.pk}")],
    )
    html = client_for(member_a).get(article.get_absolute_url()).content.decode()
    assert "Báo cáo công khai" in html and "Báo cáo nội bộ" not in html
    html = client_for(editor).get(article.get_absolute_url()).content.decode()
    assert "Báo cáo nội bộ" in html
    # A reporter may not link a record they cannot see, nor one that does not exist.
    for ref in (f"document:{staff.pk}", "document:999999"):
        with pytest.raises(ValidationError):
            services.create_article(
                reporter_a,
                {"title": "Bản nháp", "body": "Nội dung", "organization": org_a},
                related=[parse_ref(ref)],
            )
    with pytest.raises(ValidationError):
        parse_ref("nothing:3")  # not a linkable model
    assert not Article.objects.filter(title="Bản nháp").exists()


def test_export_lists_what_the_list_shows(client_for, make_article, member_a):
    make_article("Tin công khai", status=S.PUBLISHED)
    make_article("Bản nháp kín")
    content = client_for(member_a).get("/tin-tuc/xuat/csv/").content.decode("utf-8-sig")
    assert "Tin công khai" in content and "Bản nháp kín" not in content
