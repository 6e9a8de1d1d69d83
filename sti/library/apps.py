from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LibraryConfig(AppConfig):
    name = "sti.library"
    verbose_name = _("Thư viện số")

    def ready(self) -> None:
        from sti.core import pagecache
        from sti.core import registries as r
        from sti.library import health, services, worklist
        from sti.library.models import UsageMonth

        # The view and download counters are written on every visit: they do not drop the
        # anonymous page cache, and a document page served from it still counts its view.
        pagecache.ignore_writes_to(UsageMonth)
        pagecache.register_hit_hook("library.document_view", services.count_view)

        r.register_menu_entry(r.MAIN_MENU, _("Thư viện số"), "library:index", order=10)
        r.register_menu_entry(
            r.USER_MENU, _("Tài liệu tôi đã nộp"), "library:my_deposits", order=10
        )
        r.register_menu_entry(r.USER_MENU, _("Nộp tài liệu"), "library:deposit", order=20)
        r.register_menu_entry(
            r.EDITOR_TOOLS, _("Thống kê sử dụng thư viện"), "library:usage_report", order=10
        )
        r.register_menu_entry(
            r.EDITOR_TOOLS, _("Nhập tài liệu hàng loạt"), "library:batch_import", order=20
        )
        r.register_menu_entry(
            r.EDITOR_TOOLS, _("Nhập biểu ghi MARC"), "library:marc_import", order=30
        )
        r.register_work_queue(
            "library.deposits",
            _("Tài liệu chờ duyệt"),
            worklist.deposits_to_review,
            "library:review_queue",
            order=10,
        )
        r.register_work_queue(
            "library.files",
            _("Tệp cần kiểm tra chất lượng"),
            worklist.files_to_check,
            "library:flagged_files",
            order=20,
        )
        r.register_urls("thu-vien/", "sti.library.urls")
        r.register_urls("", "sti.library.root_urls")  # /oai and /sitemap.xml
        r.register_api_router("/library/", "sti.library.api.router")
        r.register_status_check(health.ocr, order=40)
        r.register_status_check(health.pdftotext, order=60)
        rel = "sti.library.related."
        r.register_related(
            "library.document",
            "library.authors",
            _("Tác giả trong danh bạ"),
            rel + "document_authors",
            order=10,
        )
        r.register_related(
            "library.document",
            "library.organizations",
            _("Tổ chức liên quan"),
            rel + "document_organizations",
            order=20,
        )
        r.register_related(
            "directory.researcher",
            "library.researcher_documents",
            _("Tài liệu trong thư viện"),
            rel + "researcher_documents",
            order=40,
        )
        r.register_related(
            "directory.organization",
            "library.organization_documents",
            _("Tài liệu trong thư viện"),
            rel + "organization_documents",
            order=40,
        )
        r.register_sample_data(
            self.label,
            load="sti.library.sample.load_sample",
            generate="sti.library.sample.generate",
        )
