"""The shipped three-year Resolution 02-NQ/TU template, built over the generated records of
`conftest.world` (every source app, several years, two provinces): every figure sentence and
every table of the DOCX equals the independent computation of `test_indicators.expected`,
and every footnote names the source of its figures."""

from __future__ import annotations

import pytest
from django.urls import reverse

from sti.analytics.indicators import get_indicator
from sti.analytics.reports import builder, compute, definitions, services
from sti.analytics.reports.models import ReportBuild
from sti.analytics.tests.test_indicators import expected
from sti.publishing.numbers import number

pytestmark = pytest.mark.django_db


def _parse(text: str):
    return None if text == "–" else float(text.replace(".", "").replace(",", "."))


def _plain(paragraph) -> str:
    return "".join(r.text for r in paragraph.runs if not r.font.superscript)


def _nonzero(values) -> list[float]:
    return sorted(float(v) for v in values if v)


def test_three_year_report_equals_independent_counts(
    world, editor, client, django_capture_on_commit_callbacks
):
    from docx import Document

    template = definitions.get_template("nq02-ba-nam")
    draft = services.create_draft(editor, template.key, 2021, 2023)
    params = compute.Params(2021, 2023)
    client.force_login(editor)
    page = client.get(reverse("analytics_reports:draft", args=[draft.pk]))
    assert page.status_code == 200
    # The checks that disagree, by an independent computation: a breakdown whose parts do not
    # add up to its total (stats.* have no statistics period in this world: nothing to compare)
    differing = set()
    for check in template.checks:
        for _label, scope in params.scope(check.period):
            if check.kind == "breakdown":
                value, parts = expected(world, check.indicators[0], scope)
                if parts and abs(value - sum(parts.values())) > 1e-9:
                    differing.add(check.key)
    listed = {d.check.key for d in builder.compute_draft(draft).disagreements if d.differs}
    assert listed == differing
    for key in differing:
        services.explain_check(editor, draft, key, f"Giải thích cho {key}.")
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("analytics_reports:build", args=[draft.pk]))
    build = ReportBuild.objects.get()
    assert build.state == "done", build.job.error
    document = Document(build.docx.path)
    texts = [_plain(p) for p in document.paragraphs]
    tables = iter(document.tables)
    checked = 0
    for section in template.sections:
        for block in section.blocks:
            columns = params.scope(block.period)
            if block.kind == "figure":
                (label, scope), code = columns[0], block.indicators[0]
                value, _parts = expected(world, code, scope)
                unit = get_indicator(code).unit
                assert f"{block.caption} ({label}): {number(value)} {unit}" in texts, block
                checked += 1
            elif block.kind == "table":
                grid = [[c.text for c in row.cells] for row in next(tables).rows]
                assert grid[0][1:] == [label for label, _s in columns]
                for j, (_label, scope) in enumerate(columns, start=1):
                    column = [_parse(row[j]) for row in grid[1:]]
                    if len(block.indicators) == 1:
                        value, parts = expected(world, block.indicators[0], scope)
                        assert grid[-1][0] == "Tổng số"
                        assert column[-1] == pytest.approx(value), (block.caption, j)
                        assert _nonzero(column[:-1]) == pytest.approx(_nonzero(parts.values()))
                    else:
                        values = [expected(world, c, scope)[0] for c in block.indicators]
                        assert column == pytest.approx(values), (block.caption, j)
                    checked += 1
    assert next(tables, None) is None
    assert checked > 20

    sources = {get_indicator(c).source for c in template.indicator_codes}
    notes = [
        p.text[len(p.runs[0].text) :].strip()
        for p in document.paragraphs
        if p.runs and p.runs[0].font.superscript and p.runs[0].text.isdigit()
    ]
    assert len(notes) == build.footnotes > 0
    for note in notes:
        assert any(str(source) in note for source in sources), note
        assert "2021" in note or "2023" in note, note
    for key in differing:
        assert sum(f"Giải thích cho {key}." in note for note in notes) == 1
