"""Search without diacritics: "can tho" typed on the home page finds "Cần Thơ"."""

import re

from playwright.sync_api import expect


def test_search_without_diacritics(new_page, audit, width):
    page = new_page()
    page.goto("/")
    audit(page, "home")

    hero = page.get_by_role("main").get_by_role("search")
    hero.get_by_role("searchbox", name="Từ khóa").fill("can tho")
    hero.get_by_role("button", name="Tìm kiếm").click()
    page.wait_for_url(re.compile(r"/tim-kiem/\?q=can\+tho"))
    results = page.locator("#search-results article")
    # Accents folded both ways: the marks fall on the accented words of the titles.
    expect(results.first.get_by_role("heading")).to_contain_text("Cần Thơ")
    expect(results.first.locator("mark").first).to_have_text(re.compile("^(Cần|Can)$"))
    audit(page, "search results")

    # Narrow to documents; on a phone the facets sit behind the "Bộ lọc" button.
    if width < 992:
        page.get_by_role("button", name="Bộ lọc").click()
    page.get_by_role("complementary", name="Bộ lọc").get_by_role(
        "link", name=re.compile("^Tài liệu")
    ).click()
    page.wait_for_url(re.compile(r"type=document"))
    expect(results.first.locator(".badge-type")).to_have_text("Tài liệu")
    expect(
        page.locator("#search-results .badge-type").filter(has_not_text="Tài liệu")
    ).to_have_count(0)
    audit(page, "search results documents")

    results.first.get_by_role("heading").get_by_role("link").click()
    page.wait_for_url(re.compile(r"/thu-vien/tai-lieu/\d+/"))
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    audit(page, "document")
