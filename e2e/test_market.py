"""A farmer posts a technology demand; among the technologies it matches, they open an offer
and express their interest to its owner."""

import re
import secrets

from playwright.sync_api import expect

# One demand per width, each answered by a different offer of the sample data (a user expresses
# interest in an offer once).
DEMANDS = {
    1280: (
        "Giữ rau ăn lá tươi lâu khi chở đi siêu thị",
        "Hợp tác xã rau an toàn ở Ô Môn giao xà lách, cải ngọt cho siêu thị; rau héo, dập sau "
        "một ngày. Cần cách đóng gói rau ăn lá giữ tươi lâu, bao bì khí quyển điều chỉnh.",
        "Bao bì khí quyển điều chỉnh (MAP) đóng gói rau ăn lá",
    ),
    390: (
        "Xử lý nước ao nuôi tôm thẻ chân trắng bị đục, tôm chết",
        "Ao nuôi tôm thẻ chân trắng ở Vĩnh Thạnh nước đục, nhiều khí độc, tôm chết rải rác. "
        "Cần chế phẩm vi sinh Bacillus xử lý nước ao nuôi tôm, dễ dùng.",
        "Chế phẩm vi sinh Bacillus xử lý nước ao nuôi tôm thẻ chân trắng",
    ),
}


def test_demand_then_interest_in_an_offer(new_page, audit, login, width):
    title, description, offer_title = DEMANDS[width]
    title = f"{title} ({secrets.token_hex(2)})"
    page = login(new_page(), "nguoidung")
    page.goto("/cho-cong-nghe/nhu-cau/gui/")
    audit(page, "demand form")
    form = page.get_by_role("main").locator("form")
    form.get_by_label("Bạn cần công nghệ gì?").fill(title)
    form.get_by_label("Mô tả").fill(description)
    form.get_by_label("Địa bàn").select_option(label="TP. Cần Thơ")
    form.get_by_label("Điện thoại liên hệ").fill("0292 3812 345")
    form.get_by_role("button", name="Gửi nhu cầu").click()
    page.wait_for_url(re.compile(r"/cho-cong-nghe/nhu-cau/\d+/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text(title)
    matches = page.get_by_role(
        "region", name="Công nghệ, nhiệm vụ, tài liệu và chuyên gia có thể đáp ứng"
    )
    offer_link = matches.get_by_role("link", name=offer_title)
    for _attempt in range(20):  # the matching data may still be built by the worker
        if offer_link.count():
            break
        page.wait_for_timeout(1000)
        page.reload()
    expect(offer_link).to_be_visible()
    audit(page, "demand with its matches")

    offer_link.click()
    page.wait_for_url(re.compile(r"/cho-cong-nghe/cong-nghe/\d+/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text(offer_title)
    audit(page, "offer")
    page.get_by_label("Lời nhắn cho chủ công nghệ").fill(
        f"Tôi gửi nhu cầu “{title}”, muốn nhận chuyển giao công nghệ này cho vùng Phong Điền."
    )
    page.get_by_role("button", name="Gửi cho chủ công nghệ").click()
    page.wait_for_load_state()
    expect(page.get_by_role("alert")).to_contain_text("Đã gửi tới chủ công nghệ")
    expect(page.get_by_text("Lời bày tỏ quan tâm của bạn:")).to_have_text(
        "Lời bày tỏ quan tâm của bạn: Chờ chủ công nghệ trả lời"
    )
    audit(page, "offer after the expression of interest")
