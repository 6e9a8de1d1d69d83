"""How the technology exchange plugs itself into the platform (CONTRIBUTING.md, "Adding an app")."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

EXPIRY_PERIOD_SECONDS = 15 * 60


def _contracts(user) -> int:
    from sti.market.services import contract_count

    return contract_count(user)


def _offers(user) -> int:
    from sti.market.services import published_offer_count

    return published_offer_count(user)


class MarketConfig(AppConfig):
    name = "sti.market"
    label = "market"
    verbose_name = _("Sàn giao dịch công nghệ")

    def ready(self) -> None:
        from sti.core import registries as r
        from sti.market import figures, matching, worklist

        r.register_urls("cho-cong-nghe/", "sti.market.urls")
        r.register_menu_entry(r.MAIN_MENU, _("Chợ công nghệ"), "market:offer_list", order=28)
        r.register_menu_entry(
            r.USER_MENU, _("Tin đăng chợ công nghệ của tôi"), "market:my_postings", order=45
        )
        r.register_menu_entry(
            r.EDITOR_TOOLS, _("Môi giới công nghệ"), "market:broker_desk", order=45
        )
        r.register_menu_entry(
            r.EDITOR_TOOLS, _("Phễu môi giới công nghệ"), "market:funnel", order=46
        )
        r.register_work_queue(
            "market.offers_in_review",
            _("Công nghệ chào bán chờ duyệt"),
            worklist.offers_in_review,
            "market:broker_desk",
            order=45,
        )
        r.register_work_queue(
            "market.demands_received",
            _("Nhu cầu công nghệ mới tiếp nhận"),
            worklist.demands_received,
            "market:broker_desk",
            query="state=received",
            order=46,
        )
        r.register_home_figure(
            "market_offers", _("công nghệ chào bán"), _offers, "market:offer_list", order=38
        )
        r.register_home_figure(
            "market_contracts",
            _("hợp đồng chuyển giao công nghệ"),
            _contracts,
            "market:offer_list",
            order=39,
        )
        r.register_api_router("/market/", "sti.market.api.router")
        r.register_periodic(
            "market.expire_offers",
            "sti.market.jobs.expire_offers",
            every_seconds=EXPIRY_PERIOD_SECONDS,
        )
        r.register_sample_data(
            self.label,
            load="sti.market.sample.load_sample",
            generate="sti.market.sample.generate",
        )
        # News articles and periodical issues may point to an offer (only to those the
        # reader may see, and print only its public part: see `sti.market.links`).
        r.register_linkable(
            "offer",
            "market.Offer",
            _("Công nghệ chào bán"),
            date_field="published_at",
            describe="sti.market.links.describe_offer",
            order=30,
        )
        figures.register_statistics()
        matching.register()  # the matching corpus and its periodic e-mails
