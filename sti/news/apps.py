"""How the news app plugs itself into the platform: everything it contributes is registered
here, in `ready()`, and nothing central is edited (CONTRIBUTING.md, "Adding an app")."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


def _articles(user) -> int:
    """Home figure: the articles this visitor may read."""
    from sti.news.models import Article

    return Article.objects.visible_to(user).count()


class NewsConfig(AppConfig):
    name = "sti.news"
    verbose_name = _("Tin tức và ấn phẩm")

    def ready(self) -> None:
        from sti.core import registries as r
        from sti.news import worklist  # imports inside ready(): the app registry is loaded

        r.register_urls("tin-tuc/", "sti.news.urls")
        r.register_menu_entry(r.MAIN_MENU, _("Tin tức"), "news:article_list", order=50)
        r.register_menu_entry(r.USER_MENU, _("Viết bài tin"), "news:article_create", order=40)
        r.register_menu_entry(r.EDITOR_TOOLS, _("Chuyên mục tin"), "news:category_list", order=80)
        r.register_menu_entry(
            r.EDITOR_TOOLS, _("Tạo số bản tin chọn lọc"), "news:issue_assemble", order=90
        )
        r.register_home_figure("articles", _("bài tin"), _articles, "news:article_list", order=40)
        r.register_work_queue(
            "news.in_review",
            _("Bài tin chờ duyệt"),
            worklist.in_review,
            "news:article_list",
            query="status=review",
            order=60,
        )
        r.register_api_router("/news/", "sti.news.api.router")
        r.register_periodic("news.publish_due", "sti.news.jobs.publish_due", every_seconds=60)
        r.register_sample_data(self.label, load="sti.news.sample.load_sample")

        # Records news may link to and bulletins may pick. An app added later registers its
        # own (offers, courses) in its ready(), with its own `describe`.
        r.register_linkable(
            "document",
            "library.Document",
            _("Tài liệu"),
            date_field="published_at",
            describe="sti.news.bulletins.describe_document",
            order=10,
        )
        r.register_linkable(
            "task",
            "projects.Task",
            _("Nhiệm vụ KH&CN"),
            date_field="updated_at",
            describe="sti.news.bulletins.describe_task",
            order=20,
        )
