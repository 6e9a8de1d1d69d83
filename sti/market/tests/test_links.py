"""Offers as records that news articles and periodical issues point to: the offer's own
access rule decides who sees the link, and a bulletin prints only its public part."""

import pytest
from django.core.exceptions import ValidationError

from sti.core import registries
from sti.market.choices import OfferStatus
from sti.market.tests.conftest import SECRET_DETAIL, SECRET_EMAIL, SECRET_OWNER, SECRET_PHONE


def _published_article(editor, org_a, refs):
    from sti.news import services
    from sti.news.choices import ArticleStatus as S

    article = services.create_article(
        editor,
        {"title": "Công nghệ mới cho nhà vườn", "body": "Giới thiệu.", "organization": org_a},
        related=refs,
    )
    services.move_article(editor, article, S.REVIEW)
    services.move_article(editor, article, S.PUBLISHED)
    return article


def test_a_published_offer_is_linked_without_its_confidential_part(
    client, editor, org_a, make_offer
):
    from sti.news.links import parse_ref

    offer = make_offer(price_vnd=150_000_000)
    article = _published_article(editor, org_a, [parse_ref(f"offer:{offer.pk}")])
    html = client.get(article.get_absolute_url()).content.decode()
    assert offer.title in html and offer.get_absolute_url() in html
    for secret in (SECRET_DETAIL, SECRET_PHONE, SECRET_EMAIL, SECRET_OWNER):
        assert secret not in html


def test_a_draft_offer_cannot_be_linked_by_another_organization(
    client, editor, reporter_b, org_a, org_b, make_offer
):
    from sti.news import services
    from sti.news.links import parse_ref

    draft = make_offer(title="Công nghệ chưa công bố", state=OfferStatus.DRAFT, published_at=None)
    with pytest.raises(ValidationError):
        services.create_article(
            reporter_b,
            {"title": "Bản nháp", "body": "Nội dung", "organization": org_b},
            related=[parse_ref(f"offer:{draft.pk}")],
        )
    article = _published_article(editor, org_a, [parse_ref(f"offer:{draft.pk}")])
    assert "Công nghệ chưa công bố" not in client.get(article.get_absolute_url()).content.decode()


def test_a_bulletin_prints_only_the_public_part(make_offer):
    offer = make_offer(price_vnd=150_000_000)
    summary = registries.linkable("offer").describe(offer)
    printed = " ".join([summary.title, summary.text, *(v for _label, v in summary.lines)])
    assert "TRL 7" in printed and "150.000.000 đ" in printed
    assert "Tài liệu" in printed or "tài liệu" in printed  # a transfer method, by its label
    for secret in (SECRET_DETAIL, SECRET_PHONE, SECRET_EMAIL, SECRET_OWNER):
        assert secret not in printed
    assert summary.terms == ()
