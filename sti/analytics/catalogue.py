"""The indicators the platform computes, registered at start-up (`AnalyticsConfig.ready`).

Each one reads a domain app only through a named report method of its QuerySet (e.g.
`Task.objects.report_by_level`) or the statistics aggregates (`report_totals`); none writes.
Codes are stable: the API, the report templates and the dashboard name them.

Periods: a flow (tasks started, filings, contracts…) counts the records dated in the period;
a stock (organizations, researchers) is the directory as it stands, and the library's
holdings are those published by the period's last day; the statistics forms are annual, so
their figures are those of the period's last year.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from decimal import Decimal

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from sti.analytics.indicators import SCHEME_2025, Scope, define
from sti.core.codelists import remembered
from sti.core.models import TaskLevel
from sti.core.provinces import area_value
from sti.directory.choices import Degree, Gender, OrganizationKind
from sti.directory.models import Organization, Researcher
from sti.ip.choices import IPKind
from sti.ip.models import Filing
from sti.library.models import Document
from sti.market.choices import DemandStatus, TransferKind
from sti.market.models import Demand, Proposal, TransferContract
from sti.news.models import Article, Category
from sti.projects.choices import CouncilKind, PublicationKind, TaskStatus
from sti.projects.models import Evaluation, Publication, Task
from sti.servicedesk.choices import ServiceKind
from sti.servicedesk.models import ServiceRequest
from sti.stats import aggregation
from sti.stats.choices import AggregateKind
from sti.training.choices import DeliveryKind, LearnerGender
from sti.training.models import Course, Registration

# Dashboard sections, in the order of the three-year report (seed 003, sections 1.3–1.7).
POTENTIAL = "potential"
TASKS = "tasks"
RESULTS = "results"
INFORMATION = "information"
MARKET = "market"
SERVICES = "services"
STATISTICS = "statistics"
GROUPS = {
    POTENTIAL: _("Tiềm lực KH&CN: tổ chức và nhân lực"),
    TASKS: _("Nhiệm vụ KH&CN, kinh phí và đánh giá"),
    RESULTS: _("Kết quả: công bố và sở hữu trí tuệ"),
    INFORMATION: _("Tiềm lực thông tin: tài liệu và số hóa"),
    MARKET: _("Thị trường công nghệ"),
    SERVICES: _("Đào tạo, dịch vụ và truyền thông"),
    STATISTICS: _("Báo cáo thống kê cơ sở"),
}
UNKNOWN = _("Chưa xác định")

SOURCE_DIRECTORY = _("Danh bạ tổ chức và nhà khoa học (Danh bạ KH&CN)")
SOURCE_TASKS = _("Sổ đăng ký nhiệm vụ KH&CN (Nhiệm vụ KH&CN)")
SOURCE_COUNCILS = _("Phiếu đánh giá của hội đồng (Nhiệm vụ KH&CN)")
SOURCE_PUBLICATIONS = _("Công bố từ kết quả nhiệm vụ (Nhiệm vụ KH&CN)")
SOURCE_IP = _("Sổ đơn và văn bằng sở hữu trí tuệ (Sở hữu trí tuệ)")
SOURCE_LIBRARY = _("Kho tài liệu (Thư viện số)")
SOURCE_MARKET = _("Nhu cầu, đề xuất và hợp đồng chuyển giao (Chợ công nghệ)")
SOURCE_TRAINING = _("Khóa học và đăng ký học viên (Đào tạo)")
SOURCE_SERVICES = _("Yêu cầu dịch vụ KH&CN (Dịch vụ)")
SOURCE_NEWS = _("Bài viết đã đăng (Tin tức)")
SOURCE_STATS = _("Báo cáo thống kê cơ sở đã duyệt, bản tổng hợp hiện hành (Thống kê KH&CN)")

# Stocks read as they stand today: a trend per year would only repeat today's figure.
WITHOUT_TREND = frozenset(
    {"organizations.by_kind", "researchers.by_degree", "researchers.by_gender"}
)

DIRECTORY_NOW = _("Danh bạ tại thời điểm xem, không theo kỳ.")
LAST_YEAR = _("Số liệu năm cuối của kỳ (báo cáo thống kê hằng năm).")


# ---------------------------------------------------------------------------
# Helpers
# ---------------------------------------------------------------------------
def area(scope: Scope):
    """The organizations of the scope's province-level unit; None for the whole city."""
    if not scope.admin_unit:
        return None
    return Organization.objects.in_province(scope.admin_unit, scope.scheme)


def labelled(counts: dict, choices: Iterable[tuple[str, str]]) -> list[tuple[str, str, float]]:
    """(key, label, value) in the order of `choices`, then keys outside them (a missing
    datum, "" or None, as "Chưa xác định"); zeros left out."""
    known = dict(choices)
    others = sorted((key for key in counts if key not in known), key=lambda k: str(k or ""))
    keys = [key for key in known if key in counts] + others
    return [
        (key or "", str(known.get(key) or key or UNKNOWN), _number(counts[key]))
        for key in keys
        if counts[key]
    ]


def _periods(scopes: Sequence[Scope]) -> list:
    return [(scope.start, scope.end) for scope in scopes]


def _parts(report, choices) -> Callable[[Sequence[Scope]], list]:
    """The breakdowns of several scopes of one area from a report method answering every
    period in one query (`report(periods, organizations)`), labelled by `choices` (a list,
    or a function giving one: read once)."""

    def parts(scopes: Sequence[Scope]) -> list:
        known = list(choices() if callable(choices) else choices)
        return [labelled(counts, known) for counts in report(_periods(scopes), area(scopes[0]))]

    return parts


def _number(value):
    return float(value) if isinstance(value, Decimal) else value


def level_choices() -> list[tuple[str, str]]:
    """(code, label) of the task levels, current list first (a remembered code list)."""
    return remembered(
        ("analytics_task_levels",),
        lambda: [
            (level.code, level.label)
            for level in TaskLevel.objects.order_by("-version__is_current", "order")
        ],
    )


def _list_url(name: str, scope: Scope, *, year: bool = True, **query) -> str:
    """The list page behind a figure, narrowed to the year when the period is one year
    (`year`) and to the figure's province (the lists' shared `province` filter)."""
    params = {k: v for k, v in query.items() if v}
    if year and scope.start.year == scope.end.year and "year" not in params:
        params["year"] = scope.start.year
    if scope.admin_unit:
        params["province"] = area_value(scope.scheme, scope.admin_unit)
    text = "&".join(f"{k}={v}" for k, v in params.items())
    return reverse(name) + (f"?{text}" if text else "")


def _url(name: str, *, year: bool = True):
    """The list behind a figure; it accepts the `province` filter."""

    def make(scope: Scope) -> str:
        return _list_url(name, scope, year=year)

    return make


def _unfiltered(name: str):
    """The list behind a figure that cannot narrow to a province (a search page, the
    periods): the same link for every area; the figure says so (`records_by_area=False`)."""
    return lambda scope: reverse(name)


# ---------------------------------------------------------------------------
# Organizations and researchers
# ---------------------------------------------------------------------------
def _researchers(scope: Scope) -> dict:
    return Researcher.objects.report_by_degree_gender(area(scope))


def _sum_over(counts: dict, position: int) -> dict:
    out: dict = {}
    for key, n in counts.items():
        out[key[position]] = out.get(key[position], 0) + n
    return out


def _register_potential() -> None:
    define(
        "organizations.by_kind",
        _("Tổ chức KH&CN đang hoạt động"),
        "Active S&T organizations",
        _("tổ chức"),
        SOURCE_DIRECTORY,
        POTENTIAL,
        breakdown=lambda s: labelled(
            Organization.objects.report_by_kind(area(s)), OrganizationKind.choices
        ),
        records_url=_url("directory:organization_list", year=False),
        note=DIRECTORY_NOW,
    )
    define(
        "researchers.by_degree",
        _("Nhà khoa học theo học vị"),
        "Researchers by degree",
        _("người"),
        SOURCE_DIRECTORY,
        POTENTIAL,
        breakdown=lambda s: labelled(_sum_over(_researchers(s), 0), Degree.choices),
        records_url=_url("directory:researcher_list", year=False),
        note=DIRECTORY_NOW,
    )
    define(
        "researchers.by_gender",
        _("Nhà khoa học theo giới tính"),
        "Researchers by gender",
        _("người"),
        SOURCE_DIRECTORY,
        POTENTIAL,
        breakdown=lambda s: labelled(_sum_over(_researchers(s), 1), Gender.choices),
        records_url=_url("directory:researcher_list", year=False),
        note=DIRECTORY_NOW,
    )


# ---------------------------------------------------------------------------
# Tasks, budgets, evaluations
# ---------------------------------------------------------------------------
def _budgets(scopes: Sequence[Scope]) -> list[dict]:
    return Task.objects.report_budget(_periods(scopes), area(scopes[0]))


def _budget_parts(scopes: Sequence[Scope]) -> list[list[tuple[str, str, float]]]:
    parts = [("state", _("Ngân sách nhà nước")), ("other", _("Nguồn khác"))]
    return [
        [(key, str(label), float(budget[key])) for key, label in parts if budget[key]]
        for budget in _budgets(scopes)
    ]


def _register_tasks() -> None:
    tasks = Task.objects
    define(
        "tasks.by_level",
        _("Nhiệm vụ đang thực hiện theo cấp quản lý"),
        "Tasks running, by level",
        _("nhiệm vụ"),
        SOURCE_TASKS,
        TASKS,
        breakdowns=_parts(tasks.report_by_level, level_choices),
        records_url=_url("projects:index"),
    )
    define(
        "tasks.by_status",
        _("Nhiệm vụ trong kỳ theo trạng thái"),
        "Tasks in the period, by status",
        _("nhiệm vụ"),
        SOURCE_TASKS,
        TASKS,
        breakdowns=_parts(tasks.report_by_status, TaskStatus.choices),
        records_url=_url("projects:index"),
    )
    define(
        "tasks.started",
        _("Nhiệm vụ mới bắt đầu theo cấp quản lý"),
        "Tasks started, by level",
        _("nhiệm vụ"),
        SOURCE_TASKS,
        TASKS,
        breakdowns=_parts(tasks.report_started_by_level, level_choices),
        records_url=_url("projects:index"),
    )
    define(
        "tasks.accepted",
        _("Nhiệm vụ nghiệm thu đạt theo cấp quản lý"),
        "Tasks accepted, by level",
        _("nhiệm vụ"),
        SOURCE_TASKS,
        TASKS,
        breakdowns=_parts(tasks.report_accepted_by_level, level_choices),
        records_url=_url("projects:index"),
    )
    define(
        "tasks.budget",
        _("Kinh phí các nhiệm vụ bắt đầu trong kỳ"),
        "Budget of the tasks started",
        _("triệu đồng"),
        SOURCE_TASKS,
        TASKS,
        values=lambda ss: [float(budget["total"]) for budget in _budgets(ss)],
        breakdowns=_budget_parts,
        records_url=_url("projects:index"),
    )
    define(
        "evaluations.by_council",
        _("Phiếu đánh giá của chuyên gia theo loại hội đồng"),
        "Expert evaluations, by council",
        _("phiếu"),
        SOURCE_COUNCILS,
        TASKS,
        breakdowns=_parts(Evaluation.objects.report_by_council_kind, CouncilKind.choices),
        records_url=_url("projects:index"),
    )


# ---------------------------------------------------------------------------
# Publications and IP
# ---------------------------------------------------------------------------
def _publications(scopes: Sequence[Scope]) -> list[dict]:
    return Publication.objects.report_by_kind(_periods(scopes), area(scopes[0]))


def _register_results() -> None:
    define(
        "publications.by_kind",
        _("Công bố theo loại"),
        "Publications, by kind",
        _("công bố"),
        SOURCE_PUBLICATIONS,
        RESULTS,
        breakdowns=lambda ss: [
            labelled(_sum_over(counts, 0), PublicationKind.choices) for counts in _publications(ss)
        ],
        records_url=_url("projects:index"),
    )
    define(
        "publications.international",
        _("Công bố quốc tế (WoS, Scopus)"),
        "International publications (WoS, Scopus)",
        _("công bố"),
        SOURCE_PUBLICATIONS,
        RESULTS,
        values=lambda ss: [
            sum(n for (_kind, intl), n in counts.items() if intl) for counts in _publications(ss)
        ],
        records_url=_url("projects:index"),
    )
    define(
        "ip.filings",
        _("Đơn sở hữu trí tuệ theo loại đối tượng"),
        "IP applications, by type",
        _("đơn"),
        SOURCE_IP,
        RESULTS,
        breakdowns=_parts(Filing.objects.report_filings_by_kind, IPKind.choices),
        records_url=_url("ip:filing_list"),
    )
    define(
        "ip.grants",
        _("Văn bằng bảo hộ được cấp theo loại đối tượng"),
        "IP titles granted, by type",
        _("văn bằng"),
        SOURCE_IP,
        RESULTS,
        breakdowns=_parts(Filing.objects.report_grants_by_kind, IPKind.choices),
        records_url=lambda s: (
            _list_url("ip:filing_list", s, status="granted")
            if s.start.year != s.end.year
            else _list_url(
                "ip:filing_list", s, year=False, status="granted", granted_year=s.start.year
            )
        ),
    )


# ---------------------------------------------------------------------------
# Library
# ---------------------------------------------------------------------------
def _holdings(scopes: Sequence[Scope]) -> list[dict]:
    return Document.objects.report_counts(_periods(scopes), area(scopes[0]))


def _register_information() -> None:
    define(
        "library.documents",
        _("Tài liệu trong kho (đến cuối kỳ)"),
        "Documents held (at the end of the period)",
        _("tài liệu"),
        SOURCE_LIBRARY,
        INFORMATION,
        values=lambda ss: [held["total"] for held in _holdings(ss)],
        breakdowns=lambda ss: [
            [("full_text", str(_("có toàn văn")), held["full_text"])] for held in _holdings(ss)
        ],
        records_url=_unfiltered("library:index"),
        records_by_area=False,
    )
    define(
        "library.digitized",
        _("Tài liệu số hóa từ bản giấy (đến cuối kỳ)"),
        "Documents digitized from paper (at the end of the period)",
        _("tài liệu"),
        SOURCE_LIBRARY,
        INFORMATION,
        values=lambda ss: [held["digitized"] for held in _holdings(ss)],
        breakdowns=lambda ss: [
            [("ocr", str(_("có văn bản nhận dạng (OCR)")), held["ocr"])] for held in _holdings(ss)
        ],
        records_url=_unfiltered("library:index"),
        records_by_area=False,
    )


# ---------------------------------------------------------------------------
# Technology market
# ---------------------------------------------------------------------------
def _contracts(scopes: Sequence[Scope]) -> list[dict]:
    return TransferContract.objects.report_by_kind(_periods(scopes), area(scopes[0]))


def _register_market() -> None:
    define(
        "market.demands",
        _("Nhu cầu công nghệ tiếp nhận theo trạng thái"),
        "Technology demands received, by state",
        _("nhu cầu"),
        SOURCE_MARKET,
        MARKET,
        breakdowns=_parts(Demand.objects.report_by_state, DemandStatus.choices),
        records_url=_unfiltered("market:demand_list"),
        records_by_area=False,
    )
    define(
        "market.matches",
        _("Kết nối cung – cầu (công nghệ đề xuất cho nhu cầu)"),
        "Matches (offers proposed for a demand)",
        _("lượt"),
        SOURCE_MARKET,
        MARKET,
        values=lambda ss: Proposal.objects.report_count(_periods(ss), area(ss[0])),
        records_url=_unfiltered("market:demand_list"),
        records_by_area=False,
    )
    define(
        "market.contracts",
        _("Hợp đồng chuyển giao công nghệ theo hình thức"),
        "Technology transfer contracts, by kind",
        _("hợp đồng"),
        SOURCE_MARKET,
        MARKET,
        breakdowns=lambda ss: [
            labelled({k: n for k, (n, _v) in found.items()}, TransferKind.choices)
            for found in _contracts(ss)
        ],
        records_url=_unfiltered("market:offer_list"),
        records_by_area=False,
    )
    define(
        "market.contract_value",
        _("Giá trị hợp đồng chuyển giao công nghệ"),
        "Value of technology transfer contracts",
        _("triệu đồng"),
        SOURCE_MARKET,
        MARKET,
        breakdowns=lambda ss: [
            labelled({k: v / 1_000_000 for k, (_n, v) in found.items()}, TransferKind.choices)
            for found in _contracts(ss)
        ],
        records_url=_unfiltered("market:offer_list"),
        records_by_area=False,
    )


# ---------------------------------------------------------------------------
# Training, services, news
# ---------------------------------------------------------------------------
def _register_services() -> None:
    define(
        "training.courses",
        _("Khóa đào tạo, tập huấn theo hình thức"),
        "Training courses, by delivery",
        _("khóa học"),
        SOURCE_TRAINING,
        SERVICES,
        breakdowns=_parts(Course.objects.report_by_delivery, DeliveryKind.choices),
        records_url=_url("training:course_list"),
    )
    define(
        "training.learners",
        _("Học viên theo giới tính"),
        "Learners, by gender",
        _("học viên"),
        SOURCE_TRAINING,
        SERVICES,
        breakdowns=_parts(Registration.objects.report_learners_by_gender, LearnerGender.choices),
        records_url=_url("training:course_list"),
    )
    define(
        "services.requests",
        _("Yêu cầu dịch vụ KH&CN theo loại dịch vụ"),
        "S&T service requests, by service",
        _("yêu cầu"),
        SOURCE_SERVICES,
        SERVICES,
        breakdowns=_parts(
            lambda periods, _area: ServiceRequest.objects.report_by_kind(periods),
            ServiceKind.choices,
        ),
        records_url=_unfiltered("servicedesk:request_list"),
        records_by_area=False,
        by_area=False,
    )
    define(
        "news.articles",
        _("Bài viết đã đăng theo chuyên mục"),
        "Articles published, by category",
        _("bài"),
        SOURCE_NEWS,
        SERVICES,
        breakdowns=_parts(
            Article.objects.report_published,
            lambda: Category.objects.order_by("order", "name").values_list("slug", "name"),
        ),
        records_url=_url("news:article_list"),
    )


# ---------------------------------------------------------------------------
# Statistics aggregates (the organizations' own annual reports)
# ---------------------------------------------------------------------------
def _stats_totals(scopes: Sequence[Scope], codes: tuple[str, ...], kind: str) -> list:
    """The total of `codes` in the last year of each scope (None where none is stored)."""
    first = scopes[0]
    by = ""
    if first.admin_unit:
        by = "admin_unit_2025" if first.scheme == SCHEME_2025 else "admin_unit"
    years = [scope.end.year for scope in scopes]
    found = aggregation.report_totals_by_year(
        set(years), codes, kind=kind, by=by, group=first.admin_unit
    )
    return [float(sum(found[year].values())) if found[year] else None for year in years]


def _register_statistics() -> None:
    define(
        "stats.rd_staff",
        _("Nhân lực nghiên cứu và phát triển (chỉ tiêu 1403)"),
        "R&D personnel (indicator 1403)",
        _("người"),
        SOURCE_STATS,
        STATISTICS,
        values=lambda ss: _stats_totals(ss, ("1403",), AggregateKind.NATIONAL),
        records_url=_unfiltered("stats:period_list"),
        records_by_area=False,
        note=LAST_YEAR,
    )
    define(
        "stats.tasks_reported",
        _("Nhiệm vụ KH&CN báo cáo trong biểu 04/KHCN-NV"),
        "S&T tasks reported on form 04/KHCN-NV",
        _("nhiệm vụ"),
        SOURCE_STATS,
        STATISTICS,
        values=lambda ss: _stats_totals(ss, ("04.01", "04.11"), AggregateKind.CELL),
        records_url=_unfiltered("stats:period_list"),
        records_by_area=False,
        note=LAST_YEAR,
    )


def register_all() -> None:
    _register_potential()
    _register_tasks()
    _register_results()
    _register_information()
    _register_market()
    _register_services()
    _register_statistics()
