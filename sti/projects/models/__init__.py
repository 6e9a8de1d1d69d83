"""The S&T task registry: tasks (NhiemVu), their lifecycle, proposals, councils and results.

Field names follow DOMAIN.md §4; class names are English, verbose names Vietnamese. One
module per sub-domain; import from `sti.projects.models`.
"""

from sti.projects.models.catalogue import CatalogueBuild
from sti.projects.models.council import ConflictOfInterest, Council, CouncilMember, Evaluation
from sti.projects.models.proposal import DuplicateMatch, Proposal, ProposalQuerySet
from sti.projects.models.result import (
    REGISTRATION_DAYS,
    REGISTRATION_DAYS_WITH_IP,
    Publication,
    RegistrationFile,
    ResultApplication,
    ResultRegistration,
    registration_due_date,
)
from sti.projects.models.task import (
    PUBLIC_ONGOING_FIELDS,
    PUBLIC_STATES,
    Acceptance,
    ProgressCheck,
    Task,
    TaskMember,
    TaskQuerySet,
    TaskTransition,
)

__all__ = [
    "PUBLIC_ONGOING_FIELDS",
    "PUBLIC_STATES",
    "REGISTRATION_DAYS",
    "REGISTRATION_DAYS_WITH_IP",
    "Acceptance",
    "CatalogueBuild",
    "ConflictOfInterest",
    "Council",
    "CouncilMember",
    "DuplicateMatch",
    "Evaluation",
    "ProgressCheck",
    "Proposal",
    "ProposalQuerySet",
    "Publication",
    "RegistrationFile",
    "ResultApplication",
    "ResultRegistration",
    "Task",
    "TaskMember",
    "TaskQuerySet",
    "TaskTransition",
    "registration_due_date",
]
