"""A registered user deposits a report; an editor accepts it; it is published and found by
search."""

import re
import secrets

from playwright.sync_api import expect


def test_deposit_then_review_and_publication(new_page, audit, login, width):
    title = f"Mô hình luân canh lúa – tôm càng xanh ở Phong Điền, đợt {secrets.token_hex(3)}"

    depositor = login(new_page(), "nguoidung")
    depositor.goto("/thu-vien/nop-tai-lieu/")
    audit(depositor, "deposit form")
    form = depositor.get_by_role("main").locator("form")
    form.get_by_label("Nhan đề").fill(title)
    form.get_by_label("Tóm tắt").fill("Kết quả ba vụ luân canh trên đất nhiễm mặn nhẹ.")
    form.get_by_label("Loại nguồn tin").select_option(label="Báo cáo kết quả nghiên cứu")
    form.get_by_label("Năm xuất bản").fill("2025")
    form.get_by_label("Tác giả").fill("Trần Văn Phúc\nLê Thị Hồng Nhung")
    form.get_by_role("button", name="Nộp để duyệt").click()
    depositor.wait_for_url(re.compile(r"/thu-vien/tai-lieu/\d+/$"))
    expect(depositor.get_by_role("alert")).to_contain_text("Đã nộp tài liệu")
    expect(depositor.get_by_role("heading", level=1)).to_have_text(title)
    audit(depositor, "deposited document")
    document_url = depositor.url

    editor = login(new_page(), "bientap")
    editor.goto("/thu-vien/bien-tap/cho-duyet/")
    audit(editor, "review queue")
    editor.get_by_role("link", name=title).click()
    editor.wait_for_url(document_url)
    audit(editor, "document under review")
    review = editor.locator("form", has=editor.get_by_role("button", name="Ghi quyết định"))
    review.get_by_label("Chấp nhận và công bố").check()
    review.get_by_label("Ý kiến").fill("Đủ thông tin, công bố.")
    review.get_by_role("button", name="Ghi quyết định").click()
    editor.wait_for_url(re.compile(r"/thu-vien/bien-tap/cho-duyet/"))
    expect(editor.get_by_role("alert")).to_contain_text("Đã ghi quyết định")
    expect(editor.get_by_role("link", name=title)).to_have_count(0)
    audit(editor, "review queue after decision")

    depositor.goto("/thu-vien/tai-lieu-cua-toi/")
    expect(depositor.get_by_role("listitem").filter(has_text=title)).to_contain_text("Đã công bố")
    audit(depositor, "my deposits")

    # Published: an anonymous visitor finds it by search once the worker has indexed it.
    visitor = new_page()
    visitor.goto("/tim-kiem/?q=" + title.split(", đợt ")[1])
    for _attempt in range(30):
        if visitor.get_by_role("link", name=title).count():
            break
        visitor.wait_for_timeout(1000)
        visitor.reload()
    expect(visitor.get_by_role("link", name=title)).to_be_visible()
    audit(visitor, "search finds the published document")
