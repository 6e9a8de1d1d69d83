"""Recommending experts for a task's council, with reasons, excluding conflicts of interest.

Score = field overlap (same level-3 code 3, same level-2 code 2, same level-2 branch 1.5,
same level-1 domain 0.5, best per task field) + expertise keywords found in the task text
(1 each, at most 4) + seniority (GS 1, PGS 0.7, TS 0.4). Only experts with some field or
keyword match are proposed: seniority alone is not relevance.

Excluded, with the reason shown to the editor: staff of the host organization, the task's
principal and members, co-authors of the task's publications, and anyone the editor marked.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from sti.core.text import fold_lower, tokenize_folded
from sti.directory.models import Researcher
from sti.projects.choices import CouncilRole
from sti.projects.models import ConflictOfInterest, Publication, Task, TaskMember

MAX_KEYWORD_POINTS = 4
SENIORITY = {"GS": 1.0, "PGS": 0.7}
DOCTOR_POINTS = 0.4


@dataclass
class Recommendation:
    researcher: Researcher
    score: float
    reasons: list[str] = field(default_factory=list)
    role: str = ""

    @property
    def role_label(self) -> str:
        return str(CouncilRole(self.role).label) if self.role else ""


@dataclass
class Slate:
    """A proposed council and the experts left out because of a conflict of interest."""

    task: Task
    members: list[Recommendation]
    ranked: list[Recommendation]
    excluded: list[tuple[Researcher, str]]

    def explain(self) -> str:
        lines = [_("Đề xuất hội đồng cho nhiệm vụ: %(t)s") % {"t": self.task.title}]
        for rec in self.members:
            lines.append(
                f"- {rec.role_label}: {rec.researcher.display_name} "
                f"({_('điểm')} {rec.score:.1f}): " + "; ".join(rec.reasons)
            )
        if self.excluded:
            lines.append(_("Loại trừ do xung đột lợi ích:"))
            lines += [f"- {person.display_name}: {why}" for person, why in self.excluded]
        return "\n".join(lines)


def conflicts_for(task: Task) -> dict[int, str]:
    """researcher id → why they may not sit on this task's council."""
    reasons: dict[int, str] = {}

    def add(pk, why):
        if pk is not None:
            reasons.setdefault(pk, why)

    for pk in Researcher.objects.filter(organization_id=task.host_id).values_list("pk", flat=True):
        add(pk, _("cùng tổ chức chủ trì (%(org)s)") % {"org": task.host.name})
    add(task.principal_id, _("là chủ nhiệm nhiệm vụ"))
    for pk in TaskMember.objects.filter(task=task).values_list("researcher_id", flat=True):
        add(pk, _("là thành viên thực hiện nhiệm vụ"))
    coauthors = Publication.researchers.through.objects.filter(publication__task=task)
    for pk in coauthors.values_list("researcher_id", flat=True):
        add(pk, _("là đồng tác giả công bố của nhiệm vụ"))
    for pk, why in ConflictOfInterest.objects.filter(task=task).values_list(
        "researcher_id", "reason"
    ):
        add(pk, _("biên tập viên đánh dấu xung đột: %(why)s") % {"why": why})
    return reasons


def _field_points(task_fields, expert_fields) -> tuple[float, list[str]]:
    points, reasons = 0.0, []
    for tf in task_fields:
        best, best_reason = 0.0, ""
        for ef in expert_fields:
            if ef.code == tf.code:
                score = 3.0 if len(tf.code) >= 5 else 2.0 if len(tf.code) == 3 else 1.0
                reason = _("cùng lĩnh vực %(code)s %(name)s") % {"code": tf.code, "name": tf.name}
            elif len(tf.code) >= 3 and len(ef.code) >= 3 and ef.code[:3] == tf.code[:3]:
                score = 1.5
                reason = _("lĩnh vực gần: %(e)s thuộc cùng nhóm %(g)s") % {
                    "e": f"{ef.code} {ef.name}",
                    "g": tf.code[:3],
                }
            elif ef.code[:1] == tf.code[:1]:
                score = 0.5
                reason = _("cùng lĩnh vực cấp 1 (%(code)s)") % {"code": tf.code[:1]}
            else:
                continue
            if score > best:
                best, best_reason = score, reason
        if best:
            points += best
            if best_reason not in reasons:  # two task fields in one group give one reason
                reasons.append(best_reason)
    return points, reasons


def _keyword_points(task_text_folded: str, keywords: list[str]) -> tuple[float, list[str]]:
    padded = f" {' '.join(tokenize_folded(task_text_folded))} "
    found = []
    for keyword in keywords:
        folded = " ".join(tokenize_folded(keyword))
        if folded and f" {folded} " in padded:
            found.append(keyword)
    points = min(len(found), MAX_KEYWORD_POINTS)
    if not found:
        return 0.0, []
    quoted = ", ".join(f"“{k}”" for k in found)
    return float(points), [_("chuyên môn %(k)s khớp nội dung nhiệm vụ") % {"k": quoted}]


def _seniority(person: Researcher) -> tuple[float, list[str]]:
    if person.academic_title in SENIORITY:
        return SENIORITY[person.academic_title], [
            _("học hàm %(t)s") % {"t": person.get_academic_title_display()}
        ]
    if person.degree == "TS":
        return DOCTOR_POINTS, [_("học vị Tiến sĩ")]
    return 0.0, []


def score_expert(
    task: Task, task_fields, task_text_folded: str, person: Researcher
) -> Recommendation:
    field_points, field_reasons = _field_points(task_fields, list(person.fields.all()))
    keyword_points, keyword_reasons = _keyword_points(task_text_folded, person.expertise_list)
    rec = Recommendation(person, field_points + keyword_points, field_reasons + keyword_reasons)
    if rec.score > 0:
        senior_points, senior_reasons = _seniority(person)
        rec.score += senior_points
        rec.reasons += senior_reasons
    return rec


def recommend(task: Task, *, reviewers: int = 2, members: int = 2, limit: int = 20) -> Slate:
    """Rank every expert for `task` and propose chair, reviewers, members and secretary."""
    conflicts = conflicts_for(task)
    task_fields = list(task.fields.all())
    text = fold_lower(" ".join([task.title, task.objectives, task.content, task.expected_products]))
    experts = Researcher.objects.experts().select_related("organization").prefetch_related("fields")
    ranked, excluded = [], []
    for person in experts:
        if person.pk in conflicts:
            excluded.append((person, conflicts[person.pk]))
            continue
        rec = score_expert(task, task_fields, text, person)
        if rec.score > 0:
            ranked.append(rec)
    ranked.sort(key=lambda rec: (-rec.score, rec.researcher.name_folded))
    slate = _assign_roles(ranked, reviewers=reviewers, members=members)
    excluded.sort(key=lambda pair: pair[0].name_folded)
    return Slate(task=task, members=slate, ranked=ranked[:limit], excluded=excluded)


def _assign_roles(
    ranked: list[Recommendation], *, reviewers: int, members: int
) -> list[Recommendation]:
    pool = list(ranked)
    slate: list[Recommendation] = []

    def take(role, prefer=None):
        if not pool:
            return
        pick = next((rec for rec in pool if prefer and prefer(rec)), pool[0])
        pool.remove(pick)
        slate.append(Recommendation(pick.researcher, pick.score, list(pick.reasons), role))

    # The chair should hold a title or a doctorate when someone relevant does.
    take(
        CouncilRole.CHAIR,
        prefer=lambda rec: (
            rec.researcher.academic_title in SENIORITY or rec.researcher.degree == "TS"
        ),
    )
    for _i in range(reviewers):
        take(CouncilRole.REVIEWER)
    for _i in range(members):
        take(CouncilRole.MEMBER)
    take(CouncilRole.SECRETARY)
    return slate
