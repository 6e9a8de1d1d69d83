"""The report generator: templates as data, drafts with versioned narrative, consistency
checks, and the DOCX/PDF build read back and compared with an independent count.

The figures come from test indicators registered here over real directory records (no
mocks): organizations founded per year by kind, researchers by degree, experts."""

from __future__ import annotations

import unicodedata
from datetime import date

import pytest
from django.urls import reverse

from sti.analytics import indicators
from sti.analytics.reports import definitions, services
from sti.analytics.reports.models import CheckNote, ReportBuild, ReportDraft, SectionVersion
from sti.core.models import AuditEntry
from sti.core.testing import LOGIN, assert_refused, persona_user

pytestmark = pytest.mark.django_db

TEMPLATES = __import__("pathlib").Path(__file__).parent / "report_templates"
ORG_SOURCE = "Danh bạ tổ chức KH&CN (kiểm thử)"
STAFF_SOURCE = "Danh bạ nhà khoa học (kiểm thử)"
EXPERT_SOURCE = "Danh sách chuyên gia (kiểm thử)"
KIND_LABELS = {"university": "Trường đại học", "institute": "Viện nghiên cứu"}
DEGREE_LABELS = {"TS": "Tiến sĩ", "ThS": "Thạc sĩ"}
SHIPPED = ("nq02-ba-nam:", "tong-quan-hang-nam:")

# What is generated: organizations founded per (year, kind), researchers per degree ("" = not
# recorded, so the breakdown by degree does not add up to the total), experts among them.
FOUNDED = {
    (2016, "university"): 4,  # before the period
    (2017, "university"): 2,
    (2017, "institute"): 3,
    (2018, "institute"): 5,
    (2019, "university"): 1,
    (2019, "institute"): 7,
    (2020, "institute"): 6,  # after it
}
DEGREES = {"TS": 6, "ThS": 9, "": 2}
EXPERTS = 4


def _orgs(scope):
    from sti.directory.models import Organization

    rows = Organization.objects.filter(
        founding_decision_date__gte=scope.start, founding_decision_date__lte=scope.end
    ).values_list("kind", flat=True)
    kinds = list(rows)
    return [(k, KIND_LABELS[k], kinds.count(k)) for k in sorted(set(kinds))]


def _researchers(scope):
    from sti.directory.models import Researcher

    degrees = list(Researcher.objects.exclude(degree="").values_list("degree", flat=True))
    return [(d, DEGREE_LABELS[d], degrees.count(d)) for d in sorted(set(degrees))]


def _researcher_total(scope):
    from sti.directory.models import Researcher

    return Researcher.objects.count()


def _experts(scope):
    from sti.directory.models import Researcher

    return Researcher.objects.filter(is_expert=True).count()


@pytest.fixture
def test_indicators(monkeypatch, settings):
    settings.STI_REPORT_TEMPLATE_DIRS = [str(TEMPLATES)]
    made = [
        indicators.define(
            "t.orgs",
            "Tổ chức thành lập",
            "Organizations founded",
            "tổ chức",
            ORG_SOURCE,
            "test",
            breakdown=_orgs,
            register=False,
        ),
        indicators.define(
            "t.researchers",
            "Nhân lực nghiên cứu",
            "Researchers",
            "người",
            STAFF_SOURCE,
            "test",
            value=_researcher_total,
            breakdown=_researchers,
            register=False,
        ),
        indicators.define(
            "t.experts",
            "Chuyên gia",
            "Experts",
            "người",
            EXPERT_SOURCE,
            "test",
            value=_experts,
            register=False,
        ),
    ]
    for indicator in made:
        monkeypatch.setitem(indicators._registry, indicator.code, indicator)
    return made


@pytest.fixture
def records(db, test_indicators):
    from sti.directory.models import Organization, Researcher

    n = 0
    for (year, kind), count in FOUNDED.items():
        for _i in range(count):
            n += 1
            Organization.objects.create(
                name=f"Tổ chức số {n}", kind=kind, founding_decision_date=date(year, 3, 1 + n % 27)
            )
    org = Organization.objects.first()
    n = 0
    for degree, count in DEGREES.items():
        for _i in range(count):
            n += 1
            Researcher.objects.create(
                full_name=f"Nhà khoa học {n}",
                degree=degree,
                organization=org,
                is_expert=n <= EXPERTS,
            )


def _draft(editor, **kw) -> ReportDraft:
    return services.create_draft(editor, "kiem-thu", 2017, 2019, **kw)


# ---------------------------------------------------------------------------
# Templates as data
# ---------------------------------------------------------------------------
def test_shipped_templates_follow_the_resolution_report_and_the_annual_overview():
    shipped = definitions._load(definitions.FOLDER)
    three_years = shipped["nq02-ba-nam"]
    assert [s.key for s in three_years.sections] == [
        "1.1",
        "1.2",
        "1.3",
        "1.4",
        "1.5",
        "1.6",
        "1.7",
        "2.1",
        "2.2",
    ]
    assert three_years.years == 3
    assert {c.kind for c in three_years.checks} == {"pair", "breakdown"}
    assert "tong-quan-hang-nam" in shipped
    for template in shipped.values():
        for section in template.sections:
            assert section.narrative, (template.key, section.key)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (
            "key: x\nsections:\n  - {key: '1', title: A, blocks: [{kind: map, indicator: a}]}",
            "kind 'map'",
        ),
        (
            "key: x\nsections:\n  - {key: '1', title: A, blocks: [{kind: table}]}",
            "needs 'indicator'",
        ),
        (
            "key: x\nsections:\n  - {key: '1', title: A, blocks: [{kind: chart, indicator: a, period: report}]}",
            "line chart needs period each_year",
        ),
        ("key: x\nsections:\n  - {key: '1', title: A}\n  - {key: '1', title: B}", "used twice"),
        (
            "key: x\nsections:\n  - {key: '1', title: A, blocks: [{kind: figure, indicator: a, period: tomorrow}]}",
            "period 'tomorrow'",
        ),
        (
            "key: x\nsections: [{key: '1', title: A}]\nchecks: [{key: c, kind: pair, indicators: [a]}]",
            "compares two",
        ),
        ("key: x\nsections: [{key: '1', title: A}]\nyears: 0", "years"),
        (
            "key: x\nsections:\n  - {key: '1', title: A, blocks: [{kind: figure, indicator: a, caption: Một, hai}]}",
            "unknown keys hai",
        ),
        (
            "key: x\nsections: [{key: '1', title: A}]\nchecks: [{key: c, kind: breakdown, indicator: a, tolerance: lots}]",
            "tolerance",
        ),
        ("key: [unclosed", "not YAML"),
        ("- just a list", "needs a key"),
    ],
)
def test_a_broken_template_is_refused_with_the_place_named(text, message):
    with pytest.raises(definitions.TemplateError, match=message) as caught:
        definitions.parse(text, "hong.yaml")
    assert "hong.yaml" in str(caught.value)


def test_an_unknown_indicator_code_is_an_error_of_the_system_check(
    tmp_path, settings, test_indicators
):
    from sti.analytics.reports.checks import report_templates

    (tmp_path / "x.yaml").write_text(
        "key: loi\nsections:\n  - {key: '1', title: A, blocks: [{kind: figure, indicator: t.khong_co}]}\n",
        encoding="utf-8",
    )
    settings.STI_REPORT_TEMPLATE_DIRS = [str(TEMPLATES), str(tmp_path)]
    errors = [e for e in report_templates() if not e.msg.startswith(SHIPPED)]
    assert [(e.id, e.msg) for e in errors] == [
        ("analytics.E001", "loi: unknown indicator code 't.khong_co'")
    ]
    settings.STI_REPORT_TEMPLATE_DIRS = [str(TEMPLATES)]
    assert [e for e in report_templates() if not e.msg.startswith(SHIPPED)] == []


def test_the_shipped_templates_name_only_registered_indicators():
    assert definitions.problems() == []


# ---------------------------------------------------------------------------
# Access: editors and administrators only
# ---------------------------------------------------------------------------
REFUSED = {
    "anonymous": LOGIN,
    "registered": 403,
    "member_a": 403,
    "reporter_a": 403,
    "expert_user": 403,
}
ALLOWED = ("editor", "admin_user")


def _actions(draft, build, version):
    return [
        ("get", reverse("analytics_reports:list"), {}),
        (
            "post",
            reverse("analytics_reports:list"),
            {"template_key": "kiem-thu", "start_year": 2017, "end_year": 2019, "scheme": "2025"},
        ),
        ("get", reverse("analytics_reports:draft", args=[draft.pk]), {}),
        ("post", reverse("analytics_reports:section_save", args=[draft.pk, "1"]), {"text": "Mới"}),
        ("get", reverse("analytics_reports:section_history", args=[draft.pk, "1"]), {}),
        ("post", reverse("analytics_reports:restore", args=[draft.pk, version.pk]), {}),
        (
            "post",
            reverse("analytics_reports:check_explain", args=[draft.pk, "experts"]),
            {"explanation": "Vì sao"},
        ),
        ("post", reverse("analytics_reports:build", args=[draft.pk]), {}),
        ("get", reverse("analytics_reports:build_status", args=[build.pk]), {}),
        ("get", reverse("analytics_reports:build_download", args=[build.pk, "pdf"]), {}),
    ]


@pytest.fixture
def existing(records, editor, tmp_path):
    from django.core.files.base import ContentFile

    draft = _draft(editor)
    version = services.save_section(editor, draft, "1", "Bản đầu")
    build = ReportBuild.objects.create(draft=draft, requested_by=editor)
    build.pdf.save("x.pdf", ContentFile(b"%PDF-1.4 test"), save=True)
    return draft, build, version


@pytest.mark.parametrize("persona", sorted(REFUSED))
def test_every_report_action_is_refused_to_non_editors(request, persona, existing, client_for):
    user = persona_user(request, persona)
    client = client_for(user)
    before = (
        ReportDraft.objects.count(),
        SectionVersion.objects.count(),
        CheckNote.objects.count(),
        ReportBuild.objects.count(),
        AuditEntry.objects.count(),
    )
    for method, url, data in _actions(*existing):
        response = getattr(client, method)(url, data)
        assert_refused(response, REFUSED[persona])
    after = (
        ReportDraft.objects.count(),
        SectionVersion.objects.count(),
        CheckNote.objects.count(),
        ReportBuild.objects.count(),
        AuditEntry.objects.count(),
    )
    assert before == after


@pytest.mark.parametrize("persona", ALLOWED)
def test_every_report_action_is_open_to_editors_and_administrators(
    request, persona, existing, client_for, django_capture_on_commit_callbacks
):
    client = client_for(persona_user(request, persona))
    for method, url, data in _actions(*existing):
        with django_capture_on_commit_callbacks(execute=True):
            response = getattr(client, method)(url, data)
        assert response.status_code in (200, 302), (url, response.status_code)
    assert ReportDraft.objects.count() == 2
    assert CheckNote.objects.get().explanation == "Vì sao"


# ---------------------------------------------------------------------------
# Narrative: versions, history, restore (htmx)
# ---------------------------------------------------------------------------
def test_each_save_is_a_version_and_an_old_one_can_be_restored(records, editor, admin_user, client):
    draft = _draft(editor)
    client.force_login(editor)
    url = reverse("analytics_reports:section_save", args=[draft.pk, "1"])
    nfd = unicodedata.normalize("NFD", "Số tổ chức tăng đều qua các năm.")
    response = client.post(url, {"text": nfd}, HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    assert "Phiên bản 1" in response.content.decode()
    client.post(url, {"text": nfd}, HTTP_HX_REQUEST="true")  # unchanged: no new version
    client.force_login(admin_user)
    client.post(url, {"text": "Bản sửa của quản trị."}, HTTP_HX_REQUEST="true")
    versions = list(draft.versions.order_by("number"))
    assert [v.number for v in versions] == [1, 2]
    assert versions[0].text == unicodedata.normalize("NFC", nfd)
    assert versions[1].author == admin_user
    history = client.get(reverse("analytics_reports:section_history", args=[draft.pk, "1"]))
    assert (
        "Nguyễn Thị Biên Tập" in history.content.decode() or "bientap" in history.content.decode()
    )
    response = client.post(
        reverse("analytics_reports:restore", args=[draft.pk, versions[0].pk]),
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 200
    current = services.current_texts(draft)["1"]
    assert (current.number, current.restored_from, current.text) == (3, 1, versions[0].text)
    assert AuditEntry.objects.filter(object_type="analytics.reportdraft").count() == 4


def test_bad_input_never_answers_5xx(records, editor, client):
    draft = _draft(editor)
    client.force_login(editor)
    cases = [
        (
            "post",
            reverse("analytics_reports:list"),
            {"template_key": "khong-co", "start_year": "x", "end_year": 1},
        ),
        (
            "post",
            reverse("analytics_reports:list"),
            {"template_key": "kiem-thu", "start_year": 2019, "end_year": 2017, "scheme": "2025"},
        ),
        ("post", reverse("analytics_reports:section_save", args=[draft.pk, "9.9"]), {"text": "x"}),
        (
            "post",
            reverse("analytics_reports:section_save", args=[draft.pk, "1"]),
            {"text": "x" * 60_000},
        ),
        ("get", reverse("analytics_reports:section_history", args=[draft.pk, "9.9"]), {}),
        ("post", reverse("analytics_reports:restore", args=[draft.pk, 999999]), {}),
        (
            "post",
            reverse("analytics_reports:check_explain", args=[draft.pk, "khong-co"]),
            {"explanation": "x"},
        ),
        ("get", reverse("analytics_reports:draft", args=[999999]), {}),
        ("get", reverse("analytics_reports:build_download", args=[999999, "pdf"]), {}),
    ]
    for method, url, data in cases:
        response = getattr(client, method)(url, data, HTTP_HX_REQUEST="true")
        assert response.status_code < 500, url
        assert response.status_code in (200, 400, 404), (url, response.status_code)
    assert ReportDraft.objects.count() == 1
    assert not draft.versions.exists()


@pytest.mark.parametrize(("text", "wrong"), [("a\x00b", "quá dài"), ("x" * 60_000, "")])
def test_a_refused_narrative_or_explanation_says_why(records, editor, client, text, wrong):
    """A NUL byte is not "too long": the form's own message is shown."""
    draft = _draft(editor)
    client.force_login(editor)
    url = reverse("analytics_reports:section_save", args=[draft.pk, "1"])
    response = client.post(url, {"text": text}, HTTP_HX_REQUEST="true")
    assert response.status_code == 400
    page = response.content.decode()
    nul = "ký tự rỗng (NUL"  # sti.core.validators.NUL_MESSAGE, not Django's English one
    assert (nul in page) if "\x00" in text else ("50000" in page or "50.000" in page)
    if wrong:
        assert wrong not in page
    explain = reverse("analytics_reports:check_explain", args=[draft.pk, "experts"])
    response = client.post(explain, {"explanation": text[:2100]}, follow=True)
    page = response.content.decode()
    if "\x00" in text:
        assert "dài quá" not in page and nul in page and "Null characters" not in page
    assert not draft.versions.exists() and not draft.check_notes.exists()


# ---------------------------------------------------------------------------
# Consistency checks, then the build read back
# ---------------------------------------------------------------------------
def _plain(paragraph) -> str:
    return "".join(r.text for r in paragraph.runs if not r.font.superscript)


def _number(text: str) -> int:
    return int(text.replace(".", ""))


def test_disagreements_are_listed_and_block_the_build_until_explained(records, editor, client):
    draft = _draft(editor)
    client.force_login(editor)
    page = client.get(reverse("analytics_reports:draft", args=[draft.pk])).content.decode()
    total = sum(DEGREES.values())
    # both values, both sources, for the pair; total against the sum of parts for the breakdown
    assert f"<strong>{total}</strong>" in page and f"<strong>{EXPERTS}</strong>" in page
    assert STAFF_SOURCE in page and EXPERT_SOURCE in page
    assert f"<strong>{total - DEGREES['']}</strong>" in page
    response = client.post(reverse("analytics_reports:build", args=[draft.pk]), follow=True)
    assert "chưa được giải thích" in response.content.decode()
    assert not ReportBuild.objects.exists()


def test_built_report_equals_an_independent_count_and_every_footnote_names_its_source(
    records, editor, client, django_capture_on_commit_callbacks
):
    import pypdfium2
    from docx import Document

    draft = _draft(editor, title="Báo cáo kiểm thử 2017–2019")
    services.save_section(
        editor, draft, "1", "Đoạn một về tổ chức.\n\nĐoạn hai:\n- ý một;\n- ý hai."
    )
    services.explain_check(editor, draft, "experts", "Chỉ một phần nhân lực là chuyên gia.")
    services.explain_check(editor, draft, "degrees", "Hai hồ sơ chưa ghi học vị.")
    client.force_login(editor)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("analytics_reports:build", args=[draft.pk]))
    assert response.status_code == 302
    build = ReportBuild.objects.get()
    assert build.state == "done", build.job.error
    assert (build.tables, build.figures) == (3, 2)

    # Independent counts, from what was generated
    years = (2017, 2018, 2019)
    per_year = {y: sum(c for (yy, _k), c in FOUNDED.items() if yy == y) for y in years}
    per_kind_year = {(k, y): FOUNDED.get((y, k), 0) for k in KIND_LABELS for y in years}
    staff = sum(DEGREES.values())

    document = Document(build.docx.path)
    texts = [_plain(p) for p in document.paragraphs]
    assert f"Số tổ chức thành lập (2017–2019): {sum(per_year.values())} tổ chức" in texts
    assert f"Số tổ chức thành lập năm cuối (2019): {per_year[2019]} tổ chức" in texts
    assert "Đoạn một về tổ chức." in texts and "Đoạn hai:" in texts
    assert "- ý một;" in texts and "- ý hai." in texts  # a line break is kept, not joined

    orgs_table, degree_table, staff_table = document.tables
    grid = [[c.text for c in row.cells] for row in orgs_table.rows]
    assert grid[0] == ["Chỉ tiêu", "2017", "2018", "2019"]
    for row in grid[1:-1]:
        kind = next(k for k, label in KIND_LABELS.items() if label == row[0])
        assert [_number(v) for v in row[1:]] == [per_kind_year[(kind, y)] for y in years]
    assert grid[-1][0] == "Tổng số"
    assert [_number(v) for v in grid[-1][1:]] == [per_year[y] for y in years]
    grid = {row.cells[0].text: _number(row.cells[1].text) for row in degree_table.rows[1:]}
    # the register's own total, not the sum of the parts (two researchers have no degree)
    assert grid == {"Tiến sĩ": DEGREES["TS"], "Thạc sĩ": DEGREES["ThS"], "Tổng số": staff}
    grid = {row.cells[0].text: _number(row.cells[1].text) for row in staff_table.rows[1:]}
    assert grid == {"Nhân lực nghiên cứu": staff, "Chuyên gia": EXPERTS}

    # Footnotes: one call per note, each note names its source (and the period)
    calls = [r.text for p in document.paragraphs for r in p.runs[1:] if r.font.superscript] + [
        r.text
        for t in document.tables
        for row in t.rows
        for c in row.cells
        for p in c.paragraphs
        for r in p.runs
        if r.font.superscript
    ]
    notes = [
        p.text[len(p.runs[0].text) :].strip()
        for p in document.paragraphs
        if p.runs and p.runs[0].font.superscript and p.runs[0].text.isdigit()
    ]
    numbers = [int(n) for call in calls for n in call.split(",")]
    assert sorted(numbers) == list(range(1, len(notes) + 1)) == list(range(1, build.footnotes + 1))
    sources = (ORG_SOURCE, STAFF_SOURCE, EXPERT_SOURCE)
    for note in notes:
        assert "nguồn" in note.lower() and any(s in note for s in sources), note
    assert any("Nguồn: " + ORG_SOURCE + "; số liệu các năm 2017–2019." == n for n in notes)
    explained = [n for n in notes if "Giải thích: Chỉ một phần" in n]
    assert len(explained) == 1 and STAFF_SOURCE in explained[0] and EXPERT_SOURCE in explained[0]

    pdf = pypdfium2.PdfDocument(build.pdf.path)
    pdf_text = "".join(pdf[i].get_textpage().get_text_range() for i in range(len(pdf)))
    assert ORG_SOURCE in pdf_text and "Giải thích: Hai hồ sơ chưa ghi học vị." in pdf_text
    response = client.get(reverse("analytics_reports:build_download", args=[build.pk, "docx"]))
    assert response.status_code == 200
    page = client.get(reverse("analytics_reports:draft", args=[draft.pk])).content.decode()
    assert reverse("analytics_reports:build_download", args=[build.pk, "pdf"]) in page


def test_an_admin_unit_report_and_an_unknown_template_are_handled(records, editor):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        services.create_draft(editor, "khong-co", 2017, 2019)
    with pytest.raises(ValidationError):
        services.create_draft(editor, "kiem-thu", 2019, 2017)
    with pytest.raises(ValidationError):
        services.create_draft(editor, "kiem-thu", 1990, 2019)
    with pytest.raises(ValidationError):
        services.create_draft(editor, "kiem-thu", 2019, 2019, admin_unit="77")  # no province
    draft = services.create_draft(editor, "kiem-thu", 2019, 2019, admin_unit="92")
    assert draft.title == "Báo cáo kiểm thử (2019)"


def test_a_second_build_waits_for_the_first(records, editor, client):
    """A double click on "build" queues one job, not two; once it is done, another may run."""
    draft = _draft(editor)
    services.explain_check(editor, draft, "experts", "Giải thích.")
    services.explain_check(editor, draft, "degrees", "Giải thích.")
    client.force_login(editor)
    url = reverse("analytics_reports:build", args=[draft.pk])
    assert client.post(url).status_code == 302
    assert client.post(url).status_code == 302
    assert ReportBuild.objects.filter(draft=draft).count() == 1
    build = ReportBuild.objects.get()
    build.job.state = "done"
    build.job.save(update_fields=["state"])
    client.post(url)
    assert ReportBuild.objects.filter(draft=draft).count() == 2


def test_a_draft_names_its_province_not_its_code(records, editor, client):
    from sti.analytics.reports.builder import collect

    draft = _draft(editor, admin_unit="93", scheme="before")
    assert draft.area_label == "Tỉnh Hậu Giang (địa giới trước sáp nhập 2025)"
    client.force_login(editor)
    for url in (
        reverse("analytics_reports:list"),
        reverse("analytics_reports:draft", args=[draft.pk]),
    ):
        page = client.get(url).content.decode()
        assert "Tỉnh Hậu Giang (địa giới trước sáp nhập 2025)" in page
    assert "Tỉnh Hậu Giang" in str(collect(draft).subtitle)


def test_a_nul_byte_in_the_narrative_is_refused_in_vietnamese(
    records, editor, reporter_a, client_for
):
    """Django's shared NUL check said "Null characters are not allowed.": every form now
    says it in Vietnamese (sti.core.validators.NUL_MESSAGE)."""
    draft = _draft(editor)
    url = reverse("analytics_reports:section_save", args=[draft.pk, "1"])
    refused = client_for(reporter_a).post(url, {"text": "Kết quả"}, HTTP_HX_REQUEST="true")
    assert refused.status_code == 403
    answer = client_for(editor).post(url, {"text": "Kết quả\x00nổi bật"}, HTTP_HX_REQUEST="true")
    assert answer.status_code == 400
    text = answer.content.decode()
    assert "Không được chứa ký tự rỗng (NUL" in text and "Null characters" not in text
    draft.refresh_from_db()
    assert "nổi bật" not in str(draft.__dict__)
