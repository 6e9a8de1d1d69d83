"""Council recommendation: ranked by relevance, never a conflicted expert, reasons printed."""

import pytest
from django.core.exceptions import ValidationError

from sti.directory.models import Organization, Researcher
from sti.projects import councils, services
from sti.projects.choices import (
    CouncilKind,
    CouncilRole,
    EvaluationVerdict,
    MemberRole,
    PublicationKind,
)
from sti.projects.models import Publication, TaskMember
from sti.projects.tests.conftest import field


def expert(name, org, codes=(), expertise="", **extra):
    person = Researcher.objects.create(
        full_name=name,
        organization=org,
        expertise=expertise,
        is_expert=True,
        is_public=True,
        **extra,
    )
    person.fields.set([field(code) for code in codes])
    return person


@pytest.fixture
def panel(db, org_a, org_b):
    org_c = Organization.objects.create(name="Trường Đại học Nam Cần Thơ", kind="university")
    org_d = Organization.objects.create(name="Viện Kinh tế – Xã hội TP. Cần Thơ", kind="institute")
    return {
        "host_expert": expert(
            "Trần Văn Chủ Trì",
            org_a,
            ["401"],
            "giống lúa, chịu mặn",
            academic_title="GS",
            degree="TS",
        ),
        "member": expert("Lê Thị Thành Viên", org_c, ["401"], "giống lúa, lai tạo", degree="TS"),
        "coauthor": expert("Phạm Đồng Tác Giả", org_c, ["401"], "chịu mặn", degree="TS"),
        "marked": expert("Võ Xung Đột", org_d, ["401"], "giống lúa", degree="TS"),
        "best": expert(
            "Nguyễn Hữu Lúa",
            org_b,
            ["401", "406"],
            "giống lúa, chịu mặn, chỉ thị phân tử",
            academic_title="PGS",
            degree="TS",
        ),
        "good": expert("Huỳnh Thị Đất", org_c, ["401"], "canh tác lúa, ven biển", degree="TS"),
        "near": expert("Đặng Văn Gần", org_d, ["406"], "chỉ thị phân tử", degree="ThS"),
        "far": expert(
            "Châu Minh Xa",
            org_d,
            ["302"],
            "nội tiết, đái tháo đường",
            academic_title="GS",
            degree="TS",
        ),
        "not_expert": Researcher.objects.create(
            full_name="Lâm Không Chuyên Gia",
            organization=org_d,
            expertise="giống lúa",
            is_expert=False,
        ),
    }


@pytest.fixture
def rice_task(make_task, panel, editor):
    task = make_task(
        fields=("401",),
        title="Chọn tạo giống lúa thơm chịu mặn vùng ven biển Sóc Trăng",
        content="Lai tạo và chọn lọc bằng chỉ thị phân tử; canh tác lúa vùng ven biển.",
    )
    TaskMember.objects.create(task=task, researcher=panel["member"], role=MemberRole.MEMBER)
    publication = Publication.objects.create(
        task=task,
        kind=PublicationKind.DOMESTIC,
        year=2024,
        title="Đánh giá dòng lúa chịu mặn",
        authors="Lê Thị Thành Viên; Phạm Đồng Tác Giả",
    )
    publication.researchers.add(panel["coauthor"])
    services.mark_conflict(editor, task, panel["marked"], "đang hợp tác với chủ nhiệm")
    return task


def test_recommendation_excludes_every_conflict_and_explains(rice_task, panel):
    slate = councils.recommend(rice_task)
    proposed = {rec.researcher.pk for rec in slate.ranked} | {
        rec.researcher.pk for rec in slate.members
    }
    for key in ("host_expert", "member", "coauthor", "marked", "not_expert"):
        assert panel[key].pk not in proposed, key
    excluded = {person.pk: why for person, why in slate.excluded}
    assert "cùng tổ chức chủ trì" in excluded[panel["host_expert"].pk]
    assert "thành viên" in excluded[panel["member"].pk]
    assert "đồng tác giả" in excluded[panel["coauthor"].pk]
    assert "đang hợp tác" in excluded[panel["marked"].pk]
    text = slate.explain()
    print(text)
    assert "Loại trừ do xung đột lợi ích" in text and "Trần Văn Chủ Trì" in text


def test_ranking_follows_fields_and_expertise(rice_task, panel):
    slate = councils.recommend(rice_task)
    order = [rec.researcher.pk for rec in slate.ranked]
    assert order[0] == panel["best"].pk
    assert order.index(panel["good"].pk) < order.index(panel["near"].pk)
    assert panel["far"].pk not in order  # a GS in medicine is not relevant to rice breeding
    best = slate.ranked[0]
    assert any("401" in reason for reason in best.reasons)
    assert any("chỉ thị phân tử" in reason for reason in best.reasons)
    assert any("Phó giáo sư" in reason for reason in best.reasons)
    roles = [rec.role for rec in slate.members]
    assert roles[0] == CouncilRole.CHAIR and slate.members[0].researcher.pk == panel["best"].pk


def test_host_staff_never_proposed_even_when_the_only_match(make_task, org_a, db):
    only = expert("Bùi Chỉ Một", org_a, ["405"], "cá tra", degree="TS")
    task = make_task(fields=("405",), title="Bệnh gan thận mủ trên cá tra")
    slate = councils.recommend(task)
    assert slate.members == [] and slate.ranked == []
    assert [person.pk for person, _why in slate.excluded] == [only.pk]


def test_council_with_conflicted_member_is_refused_and_evaluations_recorded(
    rice_task, panel, editor
):
    with pytest.raises(ValidationError, match="không thể tham gia"):
        services.create_council(
            editor,
            rice_task,
            kind=CouncilKind.ACCEPTANCE,
            members=[(panel["host_expert"], CouncilRole.CHAIR, "")],
        )
    assert not rice_task.councils.exists()
    council = services.create_council(
        editor,
        rice_task,
        kind=CouncilKind.ACCEPTANCE,
        members=[(panel["best"], CouncilRole.CHAIR, "cùng lĩnh vực 401")],
    )
    member = council.members.get()
    services.record_evaluation(
        editor, member, verdict=EvaluationVerdict.PASSED, score=85, comments="Đạt yêu cầu."
    )
    assert member.evaluation.verdict == EvaluationVerdict.PASSED
