"""Workflows of the task registry: every write goes through a verb here.

Each verb checks access, runs in one transaction, writes the audit row, and sends side
effects (index updates, background builds) only after the commit.
"""

from __future__ import annotations

import contextlib
from datetime import date

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from sti.core import audit, uploads
from sti.core import jobs as core_jobs
from sti.core.choices import AuditAction
from sti.core.statemachine import IllegalMove
from sti.core.text import normalize
from sti.projects import catalogues, jobs, lifecycle, tasks
from sti.projects.choices import (
    AcceptanceRating,
    CatalogueKind,
    ProposalStatus,
    RegistrationStatus,
    TaskStatus,
)
from sti.projects.councils import conflicts_for
from sti.projects.models import (
    Acceptance,
    CatalogueBuild,
    ConflictOfInterest,
    Council,
    CouncilMember,
    DuplicateMatch,
    Evaluation,
    ProgressCheck,
    Proposal,
    Publication,
    RegistrationFile,
    ResultApplication,
    ResultRegistration,
    Task,
    TaskMember,
)
from sti.projects.validators import (
    MIN_PUBLICATION_YEAR,
    REGISTRATION_FILE_TYPES,
    clean_doi,
    clean_issn,
    max_publication_year,
)

TEXT_FIELDS = (
    "code",
    "title",
    "title_en",
    "managing_agency",
    "principal_name",
    "objectives",
    "content",
    "methods",
    "expected_products",
    "abstract",
    "decision_number",
    "contract_number",
)
PROPOSAL_TEXT_FIELDS = (
    "title",
    "urgency",
    "objectives",
    "content",
    "expected_results",
    "application_address",
)


def _clean_text(data: dict, names) -> dict:
    return {
        key: normalize(value) if key in names and isinstance(value, str) else value
        for key, value in data.items()
    }


def _require_editor(actor) -> None:
    if not (actor is not None and actor.is_authenticated and actor.is_editor):
        raise PermissionDenied(_("Chỉ biên tập viên được thực hiện thao tác này."))


# ---------------------------------------------------------------------------
# Tasks
# ---------------------------------------------------------------------------
def can_edit_task(actor, task: Task) -> bool:
    return Task.objects.editable_by(actor).filter(pk=task.pk).exists()


def create_task(actor, data: dict, *, fields=(), members=()) -> Task:
    """Create a task. Reporters create drafts (status Đề xuất) for their own organizations."""
    host = data.get("host")
    if not (actor.is_editor or actor.is_reporter_for(getattr(host, "pk", None))):
        raise PermissionDenied(_("Bạn chỉ được tạo nhiệm vụ cho tổ chức mình đại diện."))
    with transaction.atomic():
        task = check_task_data(actor, data)
        task.save()
        if fields:
            task.fields.set(fields)
        for order, (researcher, role) in enumerate(members):
            TaskMember.objects.create(
                task=task,
                researcher=researcher,
                role=role,
                order=order,
                organization_id=researcher.organization_id if researcher else None,
            )
        audit.record_create(actor, task, m2m=["fields"])
        _refresh_similarity_on_commit()
    return task


def check_task_data(actor, data: dict) -> Task:
    """The unsaved task `create_task` would write, cleaned and validated (raises
    ValidationError); the spreadsheet import previews its rows with it."""
    data = _clean_text(data, TEXT_FIELDS)
    if not actor.is_editor:
        data["status"] = TaskStatus.PROPOSED
    task = Task(created_by=actor, **data)
    task.full_clean(exclude=["fields"])
    return task


def update_task(actor, task: Task, data: dict, *, fields=None) -> Task:
    """Edit a task; reporters may edit only drafts of their own organizations."""
    with transaction.atomic():
        locked = Task.objects.select_for_update().get(pk=task.pk)
        if not can_edit_task(actor, locked):
            raise PermissionDenied(_("Bạn không có quyền sửa nhiệm vụ này."))
        if "host" in data and not actor.is_editor and not actor.is_reporter_for(data["host"].pk):
            raise PermissionDenied(_("Bạn chỉ được gán nhiệm vụ cho tổ chức mình đại diện."))
        before = audit.snapshot(locked, m2m=["fields"])
        data = _clean_text(data, TEXT_FIELDS)
        data.pop("status", None)  # the status only changes through transition_task
        for key, value in data.items():
            setattr(locked, key, value)
        locked.full_clean(exclude=["fields"])
        locked.save()
        if fields is not None:
            locked.fields.set(fields)
        audit.record_update(actor, locked, before)
        _refresh_similarity_on_commit()
    return locked


def transition_task(
    actor,
    task_id: int,
    target: str,
    *,
    note: str = "",
    effective_date: date | None = None,
    confirmed: bool = True,
) -> Task:
    """Move a task to `target` if its state table allows it for this actor (lifecycle.TASK
    locks the row, records the TaskTransition and the audit row); else TransitionError.
    A page passes `confirmed` (an irreversible move needs it)."""
    return lifecycle.TASK.move(
        actor, task_id, target, note=note, effective_date=effective_date, confirmed=confirmed
    )


def record_progress_check(
    actor, task: Task, *, check_date: date, findings: str, on_schedule: bool = True
) -> ProgressCheck:
    _require_editor(actor)
    if not task.is_ongoing:
        raise IllegalMove(_("Chỉ kiểm tra tiến độ nhiệm vụ đang thực hiện."))
    with transaction.atomic():
        check = ProgressCheck.objects.create(
            task=task,
            date=check_date,
            findings=normalize(findings),
            on_schedule=on_schedule,
            created_by=actor,
        )
        audit.record_create(actor, check)
    return check


def record_acceptance(
    actor,
    task: Task,
    *,
    acceptance_date: date,
    rating: str,
    council: Council | None = None,
    minutes=None,
    note: str = "",
) -> Acceptance:
    """Record the official acceptance and move the task to accepted or failed.

    An accepted task gets an empty result registration whose due date starts running.
    """
    _require_editor(actor)
    if minutes:
        uploads.check_uploaded(minutes, accept=uploads.DOCUMENTS)
    with _files_removed_on_error() as saved, transaction.atomic():
        locked = Task.objects.select_for_update().get(pk=task.pk)
        if locked.status != TaskStatus.AWAITING_ACCEPTANCE:
            raise IllegalMove(
                _(
                    "Chỉ ghi nhận nghiệm thu cho nhiệm vụ ở trạng thái “Chờ nghiệm thu” (hiện tại: “%(s)s”)."
                )
                % {"s": locked.get_status_display()}
            )
        acceptance = Acceptance.objects.create(
            task=locked, date=acceptance_date, rating=rating, council=council, note=normalize(note)
        )
        if minutes:
            acceptance.minutes.save(minutes.name, minutes, save=True)
            saved.append(acceptance.minutes)
        # snapshot() cannot serialise a FileField; record the meaningful values instead.
        audit.record(
            actor,
            AuditAction.CREATE,
            acceptance,
            {
                "date": [None, str(acceptance_date)],
                "rating": [None, rating],
                "minutes": [None, acceptance.minutes.name or ""],
            },
        )
        target = TaskStatus.FAILED if rating == AcceptanceRating.FAILED else TaskStatus.ACCEPTED
        transition_task(actor, locked.pk, target, note=note, effective_date=acceptance_date)
        if target == TaskStatus.ACCEPTED:
            ResultRegistration.objects.get_or_create(task=locked)
    return acceptance


# ---------------------------------------------------------------------------
# Result registration (Mẫu 5) and application (Mẫu 12)
# ---------------------------------------------------------------------------
@contextlib.contextmanager
def _files_removed_on_error():
    """Collects the FieldFiles saved inside; if the block fails they are deleted, so a
    rolled-back write leaves no file on disk."""
    saved: list = []
    try:
        yield saved
    except BaseException:
        for fieldfile in saved:
            fieldfile.storage.delete(fieldfile.name)
        raise


def add_registration_file(
    actor, registration: ResultRegistration, *, kind: str, file, description: str = ""
) -> RegistrationFile:
    """Attach a file (checked by its content) to a task's registration dossier."""
    _require_editor(actor)
    uploads.check_uploaded(file, accept=REGISTRATION_FILE_TYPES)
    with _files_removed_on_error() as saved, transaction.atomic():
        attached = RegistrationFile(
            registration=registration, kind=kind, description=normalize(description)
        )
        attached.file.save(file.name, file, save=False)
        saved.append(attached.file)
        attached.full_clean()
        attached.save()
        audit.record(
            actor,
            AuditAction.CREATE,
            attached,
            {
                "kind": [None, kind],
                "file": [None, attached.file.name],
                "description": [None, attached.description],
            },
        )
    return attached


def update_registration(actor, task: Task, data: dict) -> ResultRegistration:
    """Save the Mẫu 5 fields; a change of status follows chưa nộp → đã nộp → bổ sung → đã cấp.

    Issuing the certificate moves the task to “Đã đăng ký kết quả”.
    """
    _require_editor(actor)
    with transaction.atomic():
        registration, _created = ResultRegistration.objects.select_for_update().get_or_create(
            task=task
        )
        before = audit.snapshot(registration)
        target = data.pop("status", registration.status) or registration.status
        for key, value in _clean_text(
            data, ("registration_number", "certificate_number", "archive_number", "note")
        ).items():
            setattr(registration, key, value)
        registration.full_clean()
        registration.save()
        audit.record_update(actor, registration, before)
        if target != registration.status:
            lifecycle.REGISTRATION.move(actor, registration, target)
        if target == RegistrationStatus.CERTIFIED and task.status == TaskStatus.ACCEPTED:
            transition_task(
                actor, task.pk, TaskStatus.REGISTERED, effective_date=registration.issued_on
            )
    return registration


def can_report_application(actor, task: Task) -> bool:
    """Editors and the host organization's reporters report where results are applied."""
    return actor.is_authenticated and (actor.is_editor or actor.is_reporter_for(task.host_id))


def add_application(actor, task: Task, data: dict) -> ResultApplication:
    if not can_report_application(actor, task):
        raise PermissionDenied(_("Bạn không có quyền báo cáo ứng dụng kết quả của nhiệm vụ này."))
    with transaction.atomic():
        application = ResultApplication(
            task=task, **_clean_text(data, ("place", "scale", "effect"))
        )
        application.full_clean()
        application.save()
        audit.record_create(actor, application)
    return application


# ---------------------------------------------------------------------------
# Publications (CongBo) and IP filings (TaiSanTriTue) of a task
# ---------------------------------------------------------------------------
PUBLICATION_TEXT_FIELDS = ("title", "authors", "venue", "issn", "doi")


def can_report_results(actor, task: Task) -> bool:
    """Who may record a task's publications and IP filings: editors, and the host
    organization's reporters over the task's whole life except a cancelled task, because
    papers and patents mostly arrive during and after the work (they feed the statistics
    forms the organization reports anyway)."""
    if can_edit_task(actor, task):
        return True
    return bool(
        actor is not None
        and actor.is_authenticated
        and actor.is_reporter_for(task.host_id)
        and task.status != TaskStatus.CANCELLED
    )


def _require_task_editor(actor, task: Task) -> None:
    if not can_report_results(actor, task):
        raise PermissionDenied(_("Bạn không có quyền cập nhật kết quả của nhiệm vụ này."))


def _clean_publication(data: dict) -> dict:
    data = _clean_text(data, PUBLICATION_TEXT_FIELDS)
    if "doi" in data:
        data["doi"] = clean_doi(data["doi"])
    if "issn" in data:
        data["issn"] = clean_issn(data["issn"])
    year = data.get("year")
    if year is not None and not MIN_PUBLICATION_YEAR <= year <= max_publication_year():
        raise ValidationError({"year": _("Năm công bố không hợp lệ.")})
    return data


def add_publication(actor, task: Task, data: dict, *, researchers=()) -> Publication:
    """Record a publication of the task; `researchers` are co-authors found in the directory
    (they count as conflicted when the task's councils are formed)."""
    _require_task_editor(actor, task)
    with transaction.atomic():
        publication = Publication(task=task, **_clean_publication(data))
        publication.full_clean()
        publication.save()
        publication.researchers.set(researchers)
        audit.record_create(actor, publication, m2m=["researchers"])
    return publication


def update_publication(
    actor, publication: Publication, data: dict, *, researchers=None
) -> Publication:
    with transaction.atomic():
        locked = Publication.objects.select_for_update().get(pk=publication.pk)
        _require_task_editor(actor, locked.task)
        before = audit.snapshot(locked, m2m=["researchers"])
        for key, value in _clean_publication(data).items():
            setattr(locked, key, value)
        locked.full_clean()
        locked.save()
        if researchers is not None:
            locked.researchers.set(researchers)
        audit.record_update(actor, locked, before)
    return locked


def delete_publication(actor, publication: Publication) -> None:
    with transaction.atomic():
        locked = Publication.objects.select_for_update().get(pk=publication.pk)
        _require_task_editor(actor, locked.task)
        audit.record_delete(actor, locked)
        locked.delete()


# ---------------------------------------------------------------------------
# Proposals and the duplicate check
# ---------------------------------------------------------------------------
def proposing_organization_ids(actor) -> list[int] | None:
    """Organizations the actor may propose for (None = any): a reporter's organizations, and a
    registered researcher's own organization."""
    if actor.is_editor:
        return None
    ids = set(actor.reporter_organization_ids())
    profile = getattr(actor, "researcher_profile", None)
    if profile is not None and profile.organization_id:
        ids.add(profile.organization_id)
    return sorted(ids)


def create_proposal(actor, data: dict, *, fields=()) -> Proposal:
    organization = data.get("organization")
    allowed = proposing_organization_ids(actor)
    if allowed is not None and getattr(organization, "pk", None) not in allowed:
        raise PermissionDenied(
            _("Bạn chỉ được đề xuất nhiệm vụ cho tổ chức mình đại diện hoặc công tác.")
        )
    with transaction.atomic():
        proposal = Proposal(proposer=actor, **_clean_text(data, PROPOSAL_TEXT_FIELDS))
        proposal.full_clean(exclude=["fields"])
        proposal.save()
        if fields:
            proposal.fields.set(fields)
        audit.record_create(actor, proposal, m2m=["fields"])
    return proposal


def update_proposal(actor, proposal: Proposal, data: dict, *, fields=None) -> Proposal:
    with transaction.atomic():
        locked = Proposal.objects.select_for_update().get(pk=proposal.pk)
        if not Proposal.objects.editable_by(actor).filter(pk=locked.pk).exists():
            raise PermissionDenied(_("Đề xuất đã nộp hoặc bạn không có quyền sửa."))
        before = audit.snapshot(locked, m2m=["fields"])
        for key, value in _clean_text(data, PROPOSAL_TEXT_FIELDS).items():
            setattr(locked, key, value)
        locked.full_clean(exclude=["fields"])
        locked.save()
        if fields is not None:
            locked.fields.set(fields)
        audit.record_update(actor, locked, before)
    return locked


def submit_proposal(actor, proposal: Proposal) -> Proposal:
    """Submit a draft and run the duplicate check on it at once (or once the matrix is ready)."""
    from sti.core.similarity import IndexNotReady
    from sti.projects.similarity import duplicates

    with transaction.atomic():
        locked = lifecycle.PROPOSAL.move(actor, proposal, ProposalStatus.SUBMITTED)
        try:
            check_duplicates(actor, locked)
        except IndexNotReady:
            # The proposal stays “Đã nộp” with no check time (pending); the worker's rebuild
            # runs its check when the matrix is ready (check_pending_proposals).
            duplicates.request_rebuild()
    return locked


def check_duplicates(actor, proposal: Proposal, *, limit: int = 10) -> list[DuplicateMatch]:
    """Compare the proposal with every task and library document; store the closest matches.

    Raises sti.core.similarity.IndexNotReady while the worker rebuilds a large matrix."""
    if not Proposal.objects.visible_to(actor).filter(pk=proposal.pk).exists():
        raise PermissionDenied
    return jobs.run_duplicate_check(actor, proposal, limit=limit)


def review_proposal(
    actor, proposal: Proposal, target: str, *, note: str = "", level=None, confirmed: bool = True
) -> Proposal:
    """An editor advises on, orders or rejects a proposal; ordering creates the task (listed)."""
    _require_editor(actor)

    def order(locked: Proposal) -> None:
        if target != ProposalStatus.ORDERED:
            return
        task = Task.objects.create(
            title=locked.title,
            host=locked.organization,
            level=level or locked.level,
            objectives=locked.objectives,
            content=locked.content,
            expected_products=locked.expected_results,
            total_budget=locked.estimated_budget,
            status=TaskStatus.LISTED,
            created_by=actor,
        )
        task.fields.set(locked.fields.all())
        audit.record_create(actor, task, note=_("Đặt hàng từ đề xuất"), m2m=["fields"])
        locked.task = task
        _refresh_similarity_on_commit()

    return lifecycle.PROPOSAL.move(
        actor, proposal, target, note=note, apply=order, confirmed=confirmed
    )


def _refresh_similarity_on_commit() -> None:
    # The in-memory matrix catches up on its next query by reading rows changed since it was
    # built; nothing to enqueue, but a process-local cache is told to look.
    from sti.projects.similarity import duplicates

    transaction.on_commit(duplicates.mark_stale)


# ---------------------------------------------------------------------------
# Councils
# ---------------------------------------------------------------------------
def mark_conflict(actor, task: Task, researcher, reason: str) -> ConflictOfInterest:
    _require_editor(actor)
    with transaction.atomic():
        conflict, _created = ConflictOfInterest.objects.update_or_create(
            task=task,
            researcher=researcher,
            defaults={"reason": normalize(reason), "marked_by": actor},
        )
        audit.record_create(actor, conflict)
    return conflict


def create_council(
    actor,
    task: Task,
    *,
    kind: str,
    members,
    decision_number: str = "",
    meeting_date: date | None = None,
) -> Council:
    """Convene a council. `members` is a list of (researcher, role, reasons); a conflicted
    expert (host staff, task team, co-author, editor-marked) is refused."""
    _require_editor(actor)
    conflicts = conflicts_for(task)
    with transaction.atomic():
        council = Council.objects.create(
            task=task,
            kind=kind,
            decision_number=normalize(decision_number),
            meeting_date=meeting_date,
            created_by=actor,
        )
        for researcher, role, reasons in members:
            if researcher.pk in conflicts:
                raise ValidationError(
                    _("%(name)s không thể tham gia hội đồng: %(why)s.")
                    % {"name": researcher.display_name, "why": conflicts[researcher.pk]}
                )
            CouncilMember.objects.create(
                council=council, researcher=researcher, role=role, reasons=reasons
            )
        audit.record_create(actor, council)
    return council


def record_evaluation(
    actor,
    member: CouncilMember,
    *,
    verdict: str,
    score=None,
    comments: str = "",
    evaluation_date: date | None = None,
) -> Evaluation:
    _require_editor(actor)
    with transaction.atomic():
        evaluation, _created = Evaluation.objects.update_or_create(
            member=member,
            defaults={
                "verdict": verdict,
                "score": score,
                "comments": normalize(comments),
                "date": evaluation_date or timezone.localdate(),
            },
        )
        audit.record_create(actor, evaluation)
    return evaluation


# ---------------------------------------------------------------------------
# Catalogues
# ---------------------------------------------------------------------------
def request_catalogue(actor, *, year: int, kind: str) -> CatalogueBuild:
    """Queue a catalogue build; the worker fills in progress and files on its tracked job.
    A catalogue that would list no task is refused with a message, not built empty."""
    _require_editor(actor)
    if not catalogues.entry_count(year, kind):
        raise ValidationError(
            _("Năm %(year)s không có nhiệm vụ nào cho “%(kind)s”: không tạo ấn phẩm rỗng.")
            % {"year": year, "kind": CatalogueKind(kind).label}
        )
    with transaction.atomic():
        build = CatalogueBuild.objects.create(year=year, kind=kind, requested_by=actor)
        build.job = core_jobs.create(
            jobs.CATALOGUE, target=build, label=str(build), requested_by=actor
        )
        build.save(update_fields=["job"])
        audit.record(actor, AuditAction.EXPORT, build, note=str(build))
        core_jobs.enqueue(build.job, tasks.build_catalogue, build.pk)
    return build


def data_dir():
    path = settings.DATA_DIR / "projects"
    path.mkdir(parents=True, exist_ok=True)
    return path
