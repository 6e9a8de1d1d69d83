"""`sti check` validates the report templates: shape, periods, and every indicator code
against the registry (a template naming an unknown indicator is an error at start-up checks,
not a failed build later)."""

from __future__ import annotations

from django.core.checks import Error, Tags, register


@register(Tags.templates)
def report_templates(app_configs=None, **kwargs):
    from sti.analytics.reports import definitions

    return [
        Error(problem, id="analytics.E001", obj="sti/analytics/reports/templates_data")
        for problem in definitions.problems()
    ]
