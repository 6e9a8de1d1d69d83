"""An organization's reporter fills in a statistics form: submitting it with a required cell
left empty shows the error at that cell; with the cell filled, the report is submitted."""

import re

from playwright.sync_api import expect

# One organization per width: each submits its own 2025 form 04/KHCN-NV once.
REPORTERS = {1280: "baocao_dhct", 390: "baocao_vienlua"}


def test_statistics_submission_error_then_success(new_page, audit, login, width):
    page = login(new_page(), REPORTERS[width])
    page.goto("/thong-ke/")
    audit(page, "my statistics reports")
    row = page.get_by_role("row").filter(has_text="04/KHCN-NV").first  # the latest year first
    expect(row).to_contain_text("Chưa nộp")
    row.get_by_role("link", name="04/KHCN-NV").click()
    page.wait_for_url(re.compile(r"/thong-ke/bao-cao/\d+/$"))
    audit(page, "statistics form")

    projects_total = page.get_by_role("textbox", name="Tổng số dự án", exact=True)
    expect(projects_total).to_have_value("")
    page.get_by_role("button", name="Lưu và nộp báo cáo").click()
    page.wait_for_load_state()
    required = "Chỉ tiêu “Tổng số dự án” là bắt buộc (ghi 0 nếu không có)."
    expect(page.get_by_role("alert").filter(has_text=required)).to_be_visible()
    expect(projects_total).to_have_attribute("aria-invalid", "true")
    expect(projects_total).to_have_accessible_description(required)
    expect(page.get_by_text("Chưa nộp", exact=True)).to_be_visible()
    audit(page, "statistics form with a validation error")

    projects_total.fill("0")
    page.get_by_role("button", name="Lưu và nộp báo cáo").click()
    page.wait_for_load_state()
    expect(page.get_by_role("alert").filter(has_text="Đã nộp báo cáo.")).to_be_visible()
    expect(page.get_by_role("main")).to_contain_text("Đã nộp, chờ duyệt")
    expect(projects_total).to_have_count(0)  # a submitted report is read-only
    audit(page, "statistics form submitted")

    page.goto("/thong-ke/")
    row = page.get_by_role("row").filter(has_text="04/KHCN-NV").first
    expect(row).to_contain_text("Đã nộp, chờ duyệt")
    audit(page, "my statistics reports after submission")
