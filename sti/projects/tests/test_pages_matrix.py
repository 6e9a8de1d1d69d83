"""Who may use each task-registry page, for every persona: the task list and page, creating
and editing tasks (editors; reporters for their own organization's drafts), proposals."""

from datetime import date

import pytest

from sti.core.testing import (
    ANONYMOUS,
    EVERYONE,
    LOGIN,
    SIGNED_IN,
    CreatePageTests,
    DetailPageTests,
    EditPageTests,
    ListPageTests,
)
from sti.projects.models import Proposal, Task

pytestmark = pytest.mark.django_db

DRAFT = "de_xuat"
ONGOING = "dang_thuc_hien"
# Reporters act for their own organization; the other personas of organization B are
# reporter_b and expert_user (a researcher there).
OWN_ORGANIZATION = {"reporter_b": "org_b", "expert_user": "org_b"}
# Refused on a draft of organization A: it does not exist for them; anonymous → login page.
DRAFT_HIDDEN = {**dict.fromkeys(EVERYONE, 404), ANONYMOUS: LOGIN}


def own_organization(request, persona):
    return request.getfixturevalue(OWN_ORGANIZATION.get(persona, "org_a"))


@pytest.fixture
def draft_a(make_task, org_a):
    return make_task(status=DRAFT, host=org_a, title="Dự thảo của Đại học Cần Thơ")


@pytest.fixture
def ongoing_b(make_task, org_b):
    return make_task(status=ONGOING, host=org_b, title="Đang làm của Viện Lúa")


class TestTaskCreate(CreatePageTests):
    """Editors, and reporters for their own organization (a draft)."""

    model = Task
    create_url = "/nhiem-vu/them/"
    create_allowed = {"reporter_a", "reporter_b", "editor", "admin_user"}
    create_expected = {"title": "Đề tài mới: nuôi tôm càng xanh luân canh lúa"}

    def create_data(self, request):
        self.organization = own_organization(request, self.persona)
        return {
            "title": "Đề tài mới: nuôi tôm càng xanh luân canh lúa",
            "form": "de_tai",
            "level": request.getfixturevalue("city_level").pk,
            "host": self.organization.pk,
            "planned_start": date(2025, 1, 1).isoformat(),
            "planned_end": date(2026, 1, 1).isoformat(),
        }

    def check_created(self, task, user):
        assert task.created_by == user
        assert task.host == self.organization
        if not user.is_editor:
            assert task.status == DRAFT


class TestDraftTask(DetailPageTests, EditPageTests):
    """A draft of organization A: its reporters and the editors see and edit it."""

    detail_allowed = edit_allowed = {"reporter_a", "editor", "admin_user"}
    detail_refused = dict.fromkeys(EVERYONE, 404)
    edit_refused = DRAFT_HIDDEN
    edit_expected = {"title": "Dự thảo đã sửa: Đánh giá đất phèn"}

    def detail_object(self, request):
        return request.getfixturevalue("draft_a")

    def detail_texts(self, task):
        return [task.title, task.host.name]

    edit_object = detail_object

    def edit_url(self, task):
        return f"/nhiem-vu/{task.pk}/sua/"

    def edit_data(self, request, task):
        return {
            "title": "Dự thảo đã sửa: Đánh giá đất phèn",
            "host": task.host_id,
            "form": "de_tai",
            "level": task.level_id,
            "code": task.code,
        }

    def check_edited(self, task, user):
        assert task.title_folded.endswith("danh gia dat phen")


class TestOngoingTask(DetailPageTests, EditPageTests):
    """An ongoing task of organization B: public, and edited by editors only."""

    edit_allowed = {"editor", "admin_user"}
    edit_refused = {ANONYMOUS: LOGIN}  # visible, so 403 for the others
    edit_expected = {"title": "Đang làm của Viện Lúa (điều chỉnh)"}

    def detail_object(self, request):
        return request.getfixturevalue("ongoing_b")

    def detail_texts(self, task):
        return [task.title, task.host.name]

    edit_object = detail_object

    def edit_url(self, task):
        return f"/nhiem-vu/{task.pk}/sua/"

    def edit_data(self, request, task):
        return {
            "title": "Đang làm của Viện Lúa (điều chỉnh)",
            "host": task.host_id,
            "form": "de_tai",
            "level": task.level_id,
            "code": task.code,
        }


class TestTaskList(ListPageTests):
    list_url = "/nhiem-vu/"

    def listed(self, request, persona):
        request.getfixturevalue("draft_a")
        shown = [request.getfixturevalue("ongoing_b").title]
        if persona in TestDraftTask.detail_allowed:
            shown.append("Dự thảo của Đại học Cần Thơ")
        return shown

    def unlisted(self, request, persona):
        if persona in TestDraftTask.detail_allowed:
            return []
        return ["Dự thảo của Đại học Cần Thơ"]


# ---------------------------------------------------------------------------
# Proposals: never public; the proposer, the reporters of its organization, editors
# ---------------------------------------------------------------------------
PROPOSAL_TITLE = "Bảo quản bưởi Năm Roi xuất khẩu bằng màng bao chitosan"


@pytest.fixture
def draft_proposal(org_a, reporter_a):
    return Proposal.objects.create(
        title=PROPOSAL_TITLE,
        organization=org_a,
        proposer=reporter_a,
        objectives="Kéo dài thời gian bảo quản bưởi.",
    )


class TestProposalCreate(CreatePageTests):
    """Reporters and researchers propose for their organization; editors for any."""

    model = Proposal
    create_url = "/nhiem-vu/de-xuat/them/"
    create_allowed = {"reporter_a", "reporter_b", "expert_user", "editor", "admin_user"}
    create_expected = {"title": PROPOSAL_TITLE, "objectives": "Kéo dài thời gian bảo quản bưởi."}

    def create_data(self, request):
        self.organization = own_organization(request, self.persona)
        return {
            "title": PROPOSAL_TITLE,
            "organization": self.organization.pk,
            "objectives": "Kéo dài thời gian bảo quản bưởi.",
        }

    def check_created(self, proposal, user):
        assert proposal.proposer == user and proposal.organization == self.organization
        assert proposal.status == "nhap"


class TestDraftProposal(DetailPageTests, EditPageTests):
    detail_allowed = edit_allowed = {"reporter_a", "editor", "admin_user"}
    detail_refused = edit_refused = DRAFT_HIDDEN
    edit_expected = {"title": PROPOSAL_TITLE + " (sửa)", "objectives": "Mục tiêu mới."}

    def detail_object(self, request):
        return request.getfixturevalue("draft_proposal")

    def detail_texts(self, proposal):
        return [proposal.title, proposal.organization.name]

    edit_object = detail_object

    def edit_url(self, proposal):
        return f"/nhiem-vu/de-xuat/{proposal.pk}/sua/"

    def edit_data(self, request, proposal):
        return {
            "title": PROPOSAL_TITLE + " (sửa)",
            "organization": proposal.organization_id,
            "objectives": "Mục tiêu mới.",
        }


class TestProposalList(ListPageTests):
    list_url = "/nhiem-vu/de-xuat/"
    list_allowed = SIGNED_IN

    def listed(self, request, persona):
        request.getfixturevalue("draft_proposal")
        return [PROPOSAL_TITLE] if persona in TestDraftProposal.detail_allowed else []

    def unlisted(self, request, persona):
        return [] if persona in TestDraftProposal.detail_allowed else [PROPOSAL_TITLE]
