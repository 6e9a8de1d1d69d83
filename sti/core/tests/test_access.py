"""The shared access rule: one declaration read as a filter and as search principals."""

import datetime as dt

import pytest
from django.utils import timezone

from sti.core.access import AccessRule, Grant, principals_for
from sti.library.choices import AccessLevel, DocumentStatus
from sti.library.models import Document
from sti.projects.models import Task

pytestmark = pytest.mark.django_db


def test_principals_of_users(registered, member_a, reporter_a, editor, org_a):
    assert principals_for(None) == ["public"]
    assert principals_for(editor) is None
    assert f"org:{org_a.pk}" in principals_for(member_a)
    assert f"reporter:{org_a.pk}" not in principals_for(member_a)
    assert {f"org:{org_a.pk}", f"reporter:{org_a.pk}"} <= set(principals_for(reporter_a))
    assert f"user:{registered.pk}" in principals_for(registered)


def test_grants_need_their_field_and_a_known_audience():
    with pytest.raises(ValueError):
        Grant("reporter")
    with pytest.raises(ValueError):
        Grant("somebody")


def _task(org, **extra):
    return Task.objects.create(title="Quy trình nhân giống cá thát lát", host=org, **extra)


def test_task_rule_filters_and_gives_principals_alike(org_a, member_a, reporter_a, reporter_b):
    secret = _task(org_a, status="dang_thuc_hien", is_confidential=True)
    public = _task(org_a, status="dang_thuc_hien")
    rule = Task.objects.all().access_rule
    assert rule.principals_of(public) == (["public"], None)
    assert rule.principals_of(secret) == ([f"reporter:{org_a.pk}"], None)
    # The same answer when the database evaluated the grants as annotations (indexing path).
    annotated = rule.annotate(Task.objects.filter(pk=secret.pk)).get()
    assert rule.principals_of(annotated) == rule.principals_of(secret)
    assert set(Task.objects.visible_to(reporter_a)) == {secret, public}
    assert set(Task.objects.visible_to(member_a)) == {public}
    assert set(Task.objects.visible_to(reporter_b)) == {public}
    assert set(Task.objects.visible_to(None)) == {public}


def test_embargo_is_a_grant_with_a_start_date(registered):
    today = timezone.localdate()
    later = Document.objects.create(
        title="Đánh giá độ mặn",
        source_type="report",
        status=DocumentStatus.PUBLISHED,
        access=AccessLevel.EMBARGOED,
        embargo_until=today + dt.timedelta(days=30),
    )
    rule = Document.objects.all().access_rule
    assert rule.principals_of(later) == (["public"], today + dt.timedelta(days=30))
    assert not Document.objects.visible_to(None).filter(pk=later.pk).exists()
    later.embargo_until = today
    later.save()
    assert Document.objects.visible_to(None).filter(pk=later.pk).exists()


def test_base_limits_even_editors(editor):
    gone = Document.objects.create(
        title="Đã xóa", source_type="report", status="published", deleted_at=timezone.now()
    )
    assert not Document.objects.visible_to(editor).filter(pk=gone.pk).exists()
    assert Document.objects.all().access_rule.principals_of(gone) == ([], None)


def test_a_rule_without_grants_shows_records_to_editors_only(editor, registered, org_a):
    _task(org_a)
    rule = AccessRule(grants=[])
    assert Task.objects.filter(rule.visible_q(registered)).count() == 0
    assert Task.objects.filter(rule.visible_q(editor)).count() == 1
