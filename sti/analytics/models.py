"""Models of the analytics app: the report generator's drafts, versions and builds live in
`sti.analytics.reports.models` (imported here so that Django finds them)."""

from sti.analytics.reports.models import (  # noqa: F401 — re-exported for the app registry
    CheckNote,
    ReportBuild,
    ReportDraft,
    SectionVersion,
)
