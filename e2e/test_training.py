"""Registration for the open course, from the course list: by a signed-in user in one click (on
the desktop), by a visitor through the public form (on the phone)."""

import re
import secrets

from playwright.sync_api import expect

COURSE = "Đo lường và kiểm định phương tiện đo trong thương mại bán lẻ"


def test_course_registration(new_page, audit, login, width):
    signed_in = width >= 992
    page = login(new_page(), "nguoidung") if signed_in else new_page()
    page.goto("/dao-tao/")
    audit(page, "course list")
    page.get_by_role("main").get_by_role("link", name=COURSE).first.click()
    page.wait_for_url(re.compile(r"/dao-tao/\d+/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text(COURSE)
    audit(page, "course")
    page.get_by_role("link", name=re.compile("^Đăng ký (tham gia|vào danh sách chờ)$")).click()
    page.wait_for_url(re.compile(r"/dao-tao/\d+/dang-ky/$"))
    audit(page, "registration form")
    form = page.get_by_role("main").locator("form")
    if signed_in:
        expect(form).to_contain_text("Đăng ký với tài khoản của bạn: Trần Văn Phúc")
    else:
        form.get_by_label("Họ và tên").fill("Nguyễn Thị Mai")
        form.get_by_label("Thư điện tử").fill(f"mai.{secrets.token_hex(3)}@example.vn")
        form.get_by_label("Điện thoại").fill("09o7 123 456")  # a letter o for a zero
        form.get_by_label("Cơ quan, đơn vị").fill("Hợp tác xã Mỹ Khánh")
        form.get_by_role("button", name="Gửi đăng ký").click()
        page.wait_for_load_state()
        expect(form.get_by_text("Số điện thoại không hợp lệ.")).to_be_visible()
        expect(form.get_by_label("Họ và tên")).to_have_value("Nguyễn Thị Mai")
        audit(page, "registration form with an error")
        form.get_by_label("Điện thoại").fill("0907 123 456")
    form.get_by_role("button", name="Gửi đăng ký").click()
    page.wait_for_load_state()
    # The sample course is full: a new registration goes to its waiting list.
    expect(page.get_by_role("heading", level=1)).to_have_text(
        re.compile("^(Đăng ký thành công|Bạn đang trong danh sách chờ)$")
    )
    audit(page, "registration done")
