"""Courses as records that news articles and periodical issues point to: the course's own
access rule decides who sees the link, and a bulletin prints its organizer and schedule."""

import pytest
from django.core.exceptions import ValidationError

from sti.core import registries
from sti.training.choices import CourseStatus


def _article(editor, org_a, refs):
    from sti.news import services
    from sti.news.choices import ArticleStatus as S

    article = services.create_article(
        editor,
        {"title": "Tin về lớp tập huấn", "body": "Mời tham dự.", "organization": org_a},
        related=refs,
    )
    services.move_article(editor, article, S.REVIEW)
    services.move_article(editor, article, S.PUBLISHED)
    return article


def test_a_published_course_is_linked_and_shown_to_everyone(
    client, client_for, editor, member_a, org_a, make_course
):
    from sti.news.links import parse_ref

    course = make_course(title="Tập huấn bảo quản trái cây sau thu hoạch")
    article = _article(editor, org_a, [parse_ref(f"course:{course.pk}")])
    for viewer in (client, client_for(member_a)):
        html = viewer.get(article.get_absolute_url()).content.decode()
        assert "Tập huấn bảo quản trái cây sau thu hoạch" in html
        assert course.get_absolute_url() in html


def test_a_draft_course_is_linked_only_by_those_who_see_it(
    client, editor, reporter_b, org_a, org_b, make_course
):
    from sti.news import services
    from sti.news.links import parse_ref

    draft = make_course(title="Lớp chưa công bố", status=CourseStatus.DRAFT)
    with pytest.raises(ValidationError):
        services.create_article(
            reporter_b,
            {"title": "Bản nháp", "body": "Nội dung", "organization": org_b},
            related=[parse_ref(f"course:{draft.pk}")],
        )
    article = _article(editor, org_a, [parse_ref(f"course:{draft.pk}")])
    assert "Lớp chưa công bố" not in client.get(article.get_absolute_url()).content.decode()


def test_a_bulletin_prints_the_organizer_and_schedule(make_course, org_a):
    course = make_course(title="Khóa học tra cứu sáng chế", description="  Nội dung   dài. " * 200)
    linkable = registries.linkable("course")
    assert linkable is not None and linkable.date_field == "created_at"
    summary = linkable.describe(course)
    labels = dict(summary.lines)
    assert summary.title == "Khóa học tra cứu sáng chế"
    assert labels["Đơn vị tổ chức"] == org_a.name
    assert "Hội trường" in labels["Địa điểm"]
    assert len(summary.text) <= 900 and summary.text.endswith("…") and "  " not in summary.text
