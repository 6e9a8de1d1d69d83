"""The editorial workflow: the state table, who may make each move, scheduled publishing
(public at its moment even with no worker; the worker flips the state afterwards)."""

from __future__ import annotations

import datetime as dt
import time

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from sti.core import registries
from sti.core.models import AuditEntry
from sti.core.statemachine import IllegalMove, MoveForbidden
from sti.news import jobs, lifecycle, services
from sti.news.choices import ArticleStatus as S
from sti.news.models import Article

pytestmark = pytest.mark.django_db


def test_the_state_table():
    table = {(m.source, m.target): set(m.roles) for m in lifecycle.ARTICLE.table}
    assert table[(S.DRAFT, S.REVIEW)] == {"editor", "reporter"}
    assert table[(S.REVIEW, S.DRAFT)] == {"editor", "reporter"}
    assert table[(S.REVIEW, S.SCHEDULED)] == {"editor"}
    assert table[(S.REVIEW, S.PUBLISHED)] == {"editor"}
    assert table[(S.SCHEDULED, S.PUBLISHED)] == {"editor", "system"}
    assert table[(S.PUBLISHED, S.ARCHIVED)] == {"editor"}
    assert table[(S.ARCHIVED, S.PUBLISHED)] == {"editor"}
    assert (S.DRAFT, S.PUBLISHED) not in table  # nothing skips the review
    assert (S.PUBLISHED, S.DRAFT) not in table  # a published article is archived first


def test_reporter_writes_and_submits_editor_publishes(reporter_a, editor, org_a):
    article = services.create_article(
        reporter_a,
        {"title": "Hội thảo lúa chịu mặn", "body": "Nội dung.", "organization": org_a},
        tags=["Lúa gạo", "lua gao", "Chuyển đổi số"],
    )
    assert article.status == S.DRAFT and article.author == reporter_a
    assert sorted(t.slug for t in article.tags.all()) == ["chuyen-doi-so", "lua-gao"]
    services.move_article(reporter_a, article, S.REVIEW)
    with pytest.raises(MoveForbidden):
        services.move_article(reporter_a, article, S.PUBLISHED)
    services.move_article(editor, article, S.PUBLISHED)
    article.refresh_from_db()
    assert article.status == S.PUBLISHED and article.publish_at is not None
    moves = AuditEntry.objects.filter(object_type="news.article", action="transition")
    assert moves.count() == 2


@pytest.mark.parametrize("persona", ["member_a", "reporter_b", "registered", "expert_user"])
def test_outsiders_cannot_write_or_move(request, persona, org_a, make_article):
    user = request.getfixturevalue(persona)
    with pytest.raises(PermissionDenied):
        services.create_article(user, {"title": "X", "body": "Y", "organization": org_a})
    article = make_article("Bản nháp của ĐHCT")
    with pytest.raises(MoveForbidden):
        services.move_article(user, article, S.REVIEW)
    with pytest.raises(PermissionDenied):
        services.update_article(user, article, {"title": "Đổi tên"})
    article.refresh_from_db()
    assert article.status == S.DRAFT and article.title == "Bản nháp của ĐHCT"


def test_reporter_edits_only_drafts(reporter_a, make_article):
    draft = make_article("Bản nháp")
    services.update_article(reporter_a, draft, {"title": "Bản nháp đã sửa"})
    in_review = make_article("Đang chờ duyệt", status=S.REVIEW)
    with pytest.raises(PermissionDenied):
        services.update_article(reporter_a, in_review, {"title": "Sửa lén"})


def test_reporter_cannot_write_for_another_organization(reporter_a, org_b):
    with pytest.raises(PermissionDenied):
        services.create_article(reporter_a, {"title": "X", "body": "Y", "organization": org_b})


def test_illegal_move_names_the_legal_ones(editor, make_article):
    article = make_article("Bản nháp")
    with pytest.raises(IllegalMove) as error:
        services.move_article(editor, article, S.PUBLISHED)
    assert "Các bước hợp lệ: Chờ duyệt" in str(error.value)


def test_schedule_needs_a_future_moment(editor, make_article):
    article = make_article("Chờ duyệt", status=S.REVIEW)
    with pytest.raises(IllegalMove):
        services.move_article(editor, article, S.SCHEDULED, publish_at=None)
    with pytest.raises(IllegalMove):
        services.move_article(
            editor, article, S.SCHEDULED, publish_at=timezone.now() - dt.timedelta(hours=1)
        )
    article.refresh_from_db()
    assert article.status == S.REVIEW and article.publish_at is None


def test_plain_member_does_not_see_drafts(member_a, reporter_a, reporter_b, make_article):
    draft = make_article("Bản nháp nội bộ")
    assert not Article.objects.visible_to(member_a).filter(pk=draft.pk).exists()
    assert not Article.objects.visible_to(reporter_b).filter(pk=draft.pk).exists()
    assert Article.objects.visible_to(reporter_a).filter(pk=draft.pk).exists()


def test_archived_leaves_the_public(editor, make_article):
    article = make_article("Tin cũ", status=S.ARCHIVED)
    assert not Article.objects.public().filter(pk=article.pk).exists()
    services.move_article(editor, article, S.PUBLISHED)
    assert Article.objects.public().filter(pk=article.pk).exists()


def test_scheduled_article_is_public_at_its_moment_without_the_worker(
    editor, make_article, client, run_on_commit
):
    """Visibility never waits for the worker: the rule compares the moment with now, for
    pages and search alike; the worker then flips the state and stamps the trail."""
    with run_on_commit():
        article = make_article("Khai mạc Techfest Cần Thơ", status=S.REVIEW)
        moment = timezone.now() + dt.timedelta(seconds=2)
        services.move_article(editor, article, S.SCHEDULED, publish_at=moment)
    url = article.get_absolute_url()
    assert client.get(url).status_code == 404
    assert url not in client.get("/tim-kiem/", {"q": "Techfest"}).content.decode()
    assert jobs.publish_due() == []  # not due yet: the worker leaves it

    time.sleep(max(0.0, (moment - timezone.now()).total_seconds()) + 0.2)
    article.refresh_from_db()
    assert article.status == S.SCHEDULED  # no worker ran
    assert client.get(url).status_code == 200
    assert url in client.get("/tim-kiem/", {"q": "Techfest"}).content.decode()
    assert "Khai mạc Techfest" in client.get("/tin-tuc/").content.decode()

    with run_on_commit():
        assert jobs.publish_due() == [article.pk]
    article.refresh_from_db()
    assert article.status == S.PUBLISHED and article.publish_at == moment
    assert jobs.publish_due() == []  # idempotent


def test_publish_due_is_registered_as_periodic_work():
    keys = [work.key for work in registries.periodic_work()]
    assert "news.publish_due" in keys


def test_the_worker_cannot_publish_early(make_article):
    article = make_article("Chưa tới giờ", status=S.SCHEDULED)
    with pytest.raises(IllegalMove):
        lifecycle.ARTICLE.move(None, article, S.PUBLISHED)


def test_back_to_draft_clears_the_schedule(editor, make_article):
    article = make_article("Hoãn đăng", status=S.SCHEDULED)
    services.move_article(editor, article, S.DRAFT, note="Chờ số liệu mới")
    article.refresh_from_db()
    assert article.status == S.DRAFT and article.publish_at is None


def test_alt_text_is_required_with_an_image(editor, org_a):
    from sti.news.tests.conftest import png_upload

    with pytest.raises(ValidationError) as error:
        services.create_article(
            editor,
            {"title": "Ảnh", "body": "B", "organization": org_a, "lead_image": png_upload()},
        )
    assert "lead_image_alt" in error.value.message_dict
    assert not Article.objects.exists()
