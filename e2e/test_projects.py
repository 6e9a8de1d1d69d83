"""An organization's reporter proposes a task close to one already funded; submitting it shows
the duplicate check, with the funded task flagged and the shared passages."""

import re

from playwright.sync_api import expect

FUNDED = "Ứng dụng màng bao chitosan kéo dài thời gian bảo quản bưởi Năm Roi xuất khẩu."


def test_proposal_shows_its_duplicate_check(new_page, audit, login, width):
    page = login(new_page(), "baocao_dhct")
    page.goto("/nhiem-vu/de-xuat/them/")
    audit(page, "proposal form")
    form = page.get_by_role("main").locator("form")
    form.get_by_label("Tên nhiệm vụ đề xuất").fill(
        f"Màng bao chitosan bảo quản bưởi Năm Roi xuất khẩu bằng đường biển ({width} px)"
    )
    form.get_by_label("Đơn vị đề xuất").select_option(label="Trường Đại học Cần Thơ")
    form.get_by_label("Mục tiêu").fill(
        # Typed without diacritics and with the old tone placement: found all the same.
        "Keo dai thoi gian bao quan buoi Nam Roi len 90 ngay, giu chat luong qua đáp ứng "
        "yêu cầu xuất khẩu; xác định nồng độ chitosan thích hợp, bao màng kết hợp bảo quản lạnh."
    )
    form.get_by_label("Kinh phí dự kiến (triệu đồng)").fill("850")
    form.get_by_role("button", name="Lưu").click()
    page.wait_for_url(re.compile(r"/nhiem-vu/de-xuat/\d+/$"))
    expect(page.get_by_role("alert")).to_contain_text("Đã lưu đề xuất")
    audit(page, "draft proposal")

    page.get_by_role("button", name="Nộp đề xuất").click()
    page.wait_for_load_state()
    check = page.get_by_role("region", name="Kết quả tra cứu trùng lặp")
    # Checked at once, or by the worker once its similarity index is ready (the page polls).
    expect(check.get_by_role("link", name=FUNDED)).to_be_visible(timeout=60_000)
    expect(
        page.get_by_text(re.compile(r"Nghi trùng lặp \(độ tương đồng 0[.,]\d\d\)"))
    ).to_be_visible()
    first = check.get_by_role("article").first
    expect(first.locator("mark").first).to_be_visible()  # the shared passages, highlighted
    audit(page, "submitted proposal with its duplicate check")
