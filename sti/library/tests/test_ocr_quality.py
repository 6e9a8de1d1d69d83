"""OCR quality control: the page estimate, the flags, flagged text kept out of the index and
the document's text until an editor accepts it, and who may accept it.

The image analysis and the flags are tested on generated pages without Tesseract; the
end-to-end cases at the bottom run the real OCR (skipped, with the reason, without it).
"""

from __future__ import annotations

import io

import numpy as np
import pytest
from django.core.exceptions import PermissionDenied

from sti.core.models import AuditEntry
from sti.library import ingest, ocrqc, services
from sti.library.choices import QualityFlag
from sti.library.models import OcrPage
from sti.library.tests import ocr_pages
from sti.library.tests.conftest import cer, docx_bytes, upload

GOOD_TEXT = (
    "Đề tài đã khảo sát hai trăm bốn mươi hộ nông dân tại huyện Trần Đề và Mỹ Xuyên, "
    "đo độ mặn của nước kênh mỗi tuần."
)
HELD_TEXT = "Mô hình luân canh lúa với tôm càng xanh giúp cải thiện thu nhập ở Phước Long."


def _page(name: str) -> ocr_pages.Page:
    return ocr_pages.pages({name})[0]


# ---------------------------------------------------------------------------
# What the image holds (no Tesseract needed)
# ---------------------------------------------------------------------------
def test_blank_and_noise_pages_are_told_apart_from_text():
    blank = ocrqc.analyse(_page("trang-trang").image, 150)
    noise = ocrqc.analyse(_page("nhieu-khong-chu").image, 150)
    text = ocrqc.analyse(_page("sach-serif-1cot").image, 150)
    assert blank.blank and not blank.text_like
    assert not noise.blank and not noise.text_like
    assert text.text_like and not text.blank


@pytest.mark.parametrize(
    "name", ["sach-serif-1cot", "sach-sans-2cot", "nghieng-mo-serif-1cot", "muoi-tieu-sans-1cot"]
)
def test_estimate_of_the_text_a_page_holds(name):
    page = _page(name)
    layout = ocrqc.analyse(page.image, page.spec.dpi)
    truth = ocrqc.visible(page.truth)
    # Within 40 % of the characters drawn: enough to see a page that lost half its text.
    assert 0.75 * truth <= layout.expected_chars <= 1.4 * truth, (layout, truth)
    assert 18 <= layout.lines <= 25, layout
    assert abs(layout.skew - page.spec.degradation.skew) <= 0.4, layout
    assert layout.columns == page.spec.columns, layout


def test_plausible_vietnamese_tokens():
    assert ocrqc.valid_share("Nghiên cứu chọn tạo giống lúa thơm chịu mặn, năm 2024.") == 1.0
    assert ocrqc.valid_share("ĐBSCL và KH&CN") > 0.5
    assert ocrqc.valid_share("Ɐ⊗ iịìí xzq ''~ Ẻẻẽ wrrt") < 0.3
    assert not ocrqc.plausible_token("ẻẽ")  # two tone marks on one syllable


def test_a_closed_syllable_carries_sac_or_nang():
    for word in ("các", "học", "đẹp", "mặt", "tích", "xuất,", "Cần", "ĐBSCL", "2024"):
        assert ocrqc.spelled(word), word
    for word in ("hoc", "mầt", "tìch", "cãp", "ẻẽ"):
        assert not ocrqc.spelled(word), word


def test_the_vote_prefers_a_spelled_word():
    # Two readings slip on "mặt" the same way ("mầt", no Vietnamese syllable), one reads it
    # right: the misspelling counts half, 2 × 85 / 2 < 90.
    lines = ["mặt nước kênh mỗi tuần"]
    slip = [lines[0].replace("mặt", "mầt")]
    voted = ocrqc.consensus(
        [
            _reading(slip, 85.0, "otsu"),
            _reading(slip, 85.0, "blur"),
            _reading(lines, 90.0, "grey"),
        ]
    )
    assert voted.text == lines[0]


def _layout(page: str) -> ocrqc.Layout:
    sample = _page(page)
    return ocrqc.analyse(sample.image, sample.spec.dpi)


def test_flags_from_the_reading_and_the_estimate():
    text_layout = _layout("sach-serif-1cot")
    truth = _page("sach-serif-1cot").truth
    ok = ocrqc.Reading(truth, 95.0, "psm3")
    assert ocrqc.judge(ok, text_layout) == (ocrqc.OK, "")
    # Whole paragraphs dropped by the page-layout analysis, read with high confidence.
    lost = ocrqc.Reading(truth[: len(truth) * 2 // 5], 96.0, "psm3")
    flag, reason = ocrqc.judge(lost, text_layout)
    assert flag == ocrqc.LOW_QUALITY and "ký tự ước tính" in reason
    unsure = ocrqc.Reading(truth, 52.0, "psm3")
    flag, reason = ocrqc.judge(unsure, text_layout)
    assert flag == ocrqc.LOW_QUALITY and "độ tin cậy 52.0%" in reason
    # Dust read as a few characters on a blank scan; garbage read from noise.
    assert ocrqc.judge(ocrqc.Reading(". ' ,ẻ", 30.0, ""), _layout("trang-trang"))[0] == "blank"
    garbage = ocrqc.Reading("Ɐ⊗ iịì xzq ~ Ẻẻẽ wrrt ' . ,, mmm ĩ ỹ " * 4, 31.0, "")
    assert ocrqc.judge(garbage, _layout("nhieu-khong-chu"))[0] == ocrqc.NOISE


def test_retry_images_are_binarised_at_300_dpi():
    page = _page("nang-serif-2cot")
    for binarize in ("smooth", "blur", "otsu", "sauvola"):
        picture, dpi = ocrqc.prepare(page.image, 150, -1.8, binarize)
        assert dpi == 300 and picture.width > 2 * page.image.width
        pixels = np.asarray(picture)
        assert set(np.unique(pixels)) <= {0, 255}
        # Smoothing keeps the glyphs: some ink, far from all of the page.
        ink = float((pixels == 0).mean())
        assert 0.01 < ink < 0.3, (binarize, ink)


def test_grey_retries_keep_the_glyphs_grey_and_whiten_the_paper():
    page = _page("phai-mo-serif-1cot")
    grey, dpi = ocrqc.prepare(page.image, 150, 1.0, "grey")
    masked, _dpi = ocrqc.prepare(page.image, 150, 1.0, "masked")
    assert dpi == 300 and masked.size == grey.size
    grey, masked = np.asarray(grey), np.asarray(masked)
    # Stretched: ink reaches black; the grey levels of glyph edges are kept (not 0/255 only).
    for pixels in (grey, masked):
        assert pixels.min() == 0 and len(np.unique(pixels)) > 100
    # The grain between words and lines is whitened on the masked image, not on the grey one.
    assert (masked == 255).mean() > 0.7 and (masked == 255).mean() > (grey == 255).mean() + 0.1
    ink = masked < 128
    assert 0.01 < ink.mean() < 0.3


def _reading(lines, confidence, method="psm3", offset=0):
    """A reading of lines of words, each word read with `confidence` (a dict word → conf
    overrides it)."""
    words = []
    for number, line in enumerate(lines):
        for word in line.split():
            conf = confidence.get(word, 90.0) if isinstance(confidence, dict) else confidence
            words.append((word, conf, (1, 1, number + offset)))
    mean = sum(c for _w, c, _l in words) / len(words)
    return ocrqc.Reading("\n".join(lines), mean, method, words)


TRUE_LINES = [
    "Đồng bằng sông Cửu Long là vùng sản xuất lúa gạo",
    "trái cây và thủy sản lớn nhất cả nước",
    "xâm nhập mặn đến sớm hơn và vào sâu hơn",
]


def test_consensus_outvotes_the_words_each_binarisation_misread():
    a = _reading([TRUE_LINES[0].replace("Cửu", "Cứu"), *TRUE_LINES[1:]], 84.0, "otsu")
    b = _reading([TRUE_LINES[0], TRUE_LINES[1].replace("thủy", "thuỷ"), TRUE_LINES[2]], 83.0)
    c = _reading([*TRUE_LINES[:2], TRUE_LINES[2].replace("mặn", "thận")], 82.0, "masked")
    voted = ocrqc.consensus([a, b, c])
    assert voted.text == "\n".join(TRUE_LINES)  # every slip outvoted, the lines kept
    assert voted.method.startswith("vote of 3")
    assert 82.0 <= voted.confidence <= 84.0
    # Two readings are not a vote.
    assert ocrqc.consensus([a, b]) is None


def test_consensus_counts_near_copies_once_and_leaves_out_another_reading_order():
    right = [*TRUE_LINES[:2], TRUE_LINES[2].replace("mặn", "mận")]
    wrong = [TRUE_LINES[0].replace("Long", "Lòng"), *TRUE_LINES[1:]]
    # One binarisation read twice (psm 3 and 4): the same slip on "Long", confidently.
    first, copy = _reading(wrong, 90.0, "otsu/psm3"), _reading(wrong, 90.0, "otsu/psm4")
    b = _reading(right, 86.0, "grey")
    c = _reading(TRUE_LINES, 85.0, "masked")
    # The columns read across: the same words, another order, a high confidence.
    words = " ".join(TRUE_LINES).split()
    across = _reading([" ".join(words[0::2]), " ".join(words[1::2])], 91.0, "psm6")
    voted = ocrqc.consensus([first, copy, b, c, across])
    assert "Cửu Long" in voted.text  # 90 (one vote) against 86 + 85
    assert "mặn" in voted.text  # 90 + 85 against 86
    assert "psm6" not in voted.method and "vote of 3" in voted.method
    assert voted.text.split() == words


def test_tesseract_tsv_gives_words_with_their_confidence_and_line():
    header = "level\tpage_num\tblock_num\tpar_num\tline_num\tword_num\tleft\ttop\twidth"
    header += "\theight\tconf\ttext\n"
    rows = [
        "5\t1\t1\t1\t1\t1\t0\t0\t9\t9\t96.5\tCần",
        "5\t1\t1\t1\t1\t2\t0\t0\t9\t9\t90.5\tThơ",
        "5\t1\t1\t1\t2\t1\t0\t0\t9\t9\t71\tHậu",
        "5\t1\t1\t1\t2\t2\t0\t0\t9\t9\t-1\t ",
    ]
    reading = ocrqc.read_tsv(header + "\n".join(rows))
    assert reading.text == "Cần Thơ\nHậu" and reading.confidence == 86.0
    assert reading.words == [
        ("Cần", 96.5, (1, 1, 1)),
        ("Thơ", 90.5, (1, 1, 1)),
        ("Hậu", 71.0, (1, 1, 2)),
    ]


def _result(number, flag, text, reason=""):
    layout = ocrqc.Layout(400, 10, 0.0, 0.9, 0.03, len(text))
    return ocrqc.PageResult(number, flag, reason, ocrqc.Reading(text, 90.0, "psm3"), layout)


def test_file_flag_from_its_pages():
    ok = _result(1, ocrqc.OK, GOOD_TEXT)
    blank = _result(2, ocrqc.BLANK, "", "Trang trắng")
    low = _result(3, ocrqc.LOW_QUALITY, HELD_TEXT, "Chất lượng thấp: độ tin cậy 40%.")
    assert ingest.assess_pages([ok]) == (QualityFlag.OK, "")
    flag, note = ingest.assess_pages([ok, blank])
    assert flag == QualityFlag.OK and "2" in note
    assert ingest.assess_pages([blank])[0] == QualityFlag.BLANK
    flag, note = ingest.assess_pages([ok, blank, low])
    assert flag == QualityFlag.LOW_QUALITY and "Trang 3" in note and "40%" in note
    assert ingest.released_text([ok, blank, low]) == GOOD_TEXT


# ---------------------------------------------------------------------------
# Flagged text stays out of the index until an editor accepts it (OCR faked)
# ---------------------------------------------------------------------------
@pytest.fixture
def fake_ocr(monkeypatch):
    """Ingest an image as if OCR had read `results` (ocrqc.PageResult) from it."""

    def install(results):
        monkeypatch.setattr(ingest, "ocr_status", lambda: (True, ""))
        monkeypatch.setattr(ingest, "ocr_available", lambda: True)
        monkeypatch.setattr(
            ingest,
            "extract_file",
            lambda path, mime: ingest.Extraction(
                text=ingest.released_text(results),
                method="ocr",
                pages=len(results),
                confidence=90.0,
                page_results=results,
            ),
        )

    return install


def _png() -> bytes:
    buffer = io.BytesIO()
    ocr_pages.small_page("blank").image.save(buffer, format="PNG")
    return buffer.getvalue()


def _found(client, query: str, document) -> bool:
    html = client.get("/thu-vien/", {"q": query}).content.decode()
    return f"/thu-vien/tai-lieu/{document.pk}/" in html


@pytest.fixture
def flagged_scan(db, editor, make_document, run_on_commit, fake_ocr):
    """A scanned file of two pages: page 1 ok, page 2 read badly (flagged)."""
    fake_ocr(
        [
            _result(1, ocrqc.OK, GOOD_TEXT),
            _result(2, ocrqc.LOW_QUALITY, HELD_TEXT, "Chất lượng thấp: chỉ đọc được 80/300."),
        ]
    )
    document = make_document("Báo cáo quét hai trang", abstract="")
    with run_on_commit():
        file = services.add_file(editor, document, upload("quet.png", _png()))
    file.refresh_from_db()
    return file


def test_a_flagged_pages_text_is_not_found_by_search(flagged_scan, client, client_for, editor):
    file = flagged_scan
    assert file.quality == QualityFlag.LOW_QUALITY and file.needs_attention
    assert file.text_by_page and file.text == GOOD_TEXT
    pages = {p.number: p for p in file.ocr_pages.all()}
    assert pages[2].flag == QualityFlag.LOW_QUALITY and pages[2].text == HELD_TEXT
    assert _found(client, "Trần Đề Mỹ Xuyên", file.document)
    # Neither the public nor an editor's search finds the held page's words.
    assert not _found(client, "tôm càng xanh Phước Long", file.document)
    assert not _found(client_for(editor), "tôm càng xanh Phước Long", file.document)


def test_accepted_by_an_editor_the_page_is_indexed(flagged_scan, client, editor, run_on_commit):
    page = flagged_scan.ocr_pages.get(number=2)
    with run_on_commit():
        services.accept_ocr_page(editor, page, "Đã đọc lại, đúng.")
    page.refresh_from_db()
    file = page.file
    file.refresh_from_db()
    assert page.accepted_by == editor and page.accepted_at is not None
    assert HELD_TEXT in file.text and GOOD_TEXT in file.text
    assert file.quality_checked_by == editor and not file.needs_attention
    assert _found(client, "tôm càng xanh Phước Long", file.document)
    entry = AuditEntry.objects.get(object_type="library.ocrpage", object_id=str(page.pk))
    assert entry.actor == editor and entry.note == "Đã đọc lại, đúng."


def test_confirming_the_file_accepts_every_held_page(flagged_scan, client, editor, run_on_commit):
    with run_on_commit():
        services.confirm_quality(editor, flagged_scan)
    assert not OcrPage.objects.filter(file=flagged_scan).held().exists()
    assert _found(client, "tôm càng xanh Phước Long", flagged_scan.document)


def test_editors_see_the_flags_and_reasons(flagged_scan, client_for, editor, registered):
    url = flagged_scan.document.get_absolute_url()
    html = client_for(editor).get(url).content.decode()
    assert 'data-ocr-page="2" data-flag="low_quality"' in html
    assert "chỉ đọc được 80/300" in html and HELD_TEXT in html
    queue = client_for(editor).get("/thu-vien/bien-tap/tep-can-kiem-tra/").content.decode()
    assert "quet.png" in queue and "chỉ đọc được 80/300" in queue
    # The held text is shown to nobody else.
    for user in (None, registered):
        other = client_for(user).get(url).content.decode()
        assert HELD_TEXT not in other and "data-ocr-page" not in other


@pytest.mark.parametrize(
    ("persona", "status"),
    [("editor", 302), (None, 302), ("registered", 403), ("member_a", 403), ("reporter_a", 403)],
)
def test_who_may_accept_a_page(request, flagged_scan, client_for, persona, status):
    user = request.getfixturevalue(persona) if persona else None
    page = flagged_scan.ocr_pages.get(number=2)
    response = client_for(user).post(f"/thu-vien/trang-ocr/{page.pk}/chap-nhan/")
    assert response.status_code == status
    page.refresh_from_db()
    assert (page.accepted_by is not None) == (persona == "editor")
    if persona is None:
        assert "/dang-nhap" in response["Location"] or "login" in response["Location"]
    if persona and persona != "editor":
        with pytest.raises(PermissionDenied):
            services.accept_ocr_page(user, page)
        # Pages are not readable outside the editors' rule either.
        assert not OcrPage.objects.visible_to(user).exists()
    assert OcrPage.objects.visible_to(request.getfixturevalue("editor")).count() == 2


def test_blank_scan_is_flagged_blank_and_its_dust_never_indexed(
    db, editor, make_document, run_on_commit, fake_ocr, client
):
    fake_ocr([_result(1, ocrqc.BLANK, "Ỹ ẻ mcn", "Trang trắng: 3 vết mực cỡ ký tự.")])
    document = make_document("Trang trắng quét", abstract="")
    with run_on_commit():
        file = services.add_file(editor, document, upload("trang.png", _png()))
    file.refresh_from_db()
    assert file.quality == QualityFlag.BLANK and file.needs_attention and file.text == ""
    assert not _found(client, "mcn", document)


def test_flagged_text_layer_waits_for_an_editor_too(
    db, editor, make_document, run_on_commit, client
):
    document = make_document("Bản tin ngắn", abstract="")
    with run_on_commit():
        file = services.add_file(
            editor, document, upload("ngan.docx", docx_bytes("Kênh Xáng Xà No"))
        )
    file.refresh_from_db()
    assert file.quality == QualityFlag.EMPTY and not file.text_by_page
    assert not _found(client, "Xáng Xà No", document)
    with run_on_commit():
        services.confirm_quality(editor, file)
    assert _found(client, "Xáng Xà No", document)


# ---------------------------------------------------------------------------
# End to end with the real OCR (a few seconds a page)
# ---------------------------------------------------------------------------
def _image_upload(page: ocr_pages.Page, name: str):
    buffer = io.BytesIO()
    page.image.save(buffer, format="PNG", dpi=(page.spec.dpi, page.spec.dpi))
    return upload(name, buffer.getvalue())


def test_degraded_150dpi_page_end_to_end(
    db, editor, make_document, run_on_commit, ocr_ready, client
):
    page = ocr_pages.small_page("degraded")
    document = make_document("Trang quét 150 dpi nghiêng, mờ", abstract="")
    with run_on_commit():
        file = services.add_file(editor, document, _image_upload(page, "nho.png"))
    file.refresh_from_db()
    assert file.text_by_page and file.quality == QualityFlag.OK, file.quality_note
    assert cer(page.truth, file.text) < 0.05, file.text
    (stored,) = file.ocr_pages.all()
    assert stored.flag == QualityFlag.OK and stored.expected_chars > 0
    assert _found(client, "Phong Điền Thới Lai", document)


def test_blank_scan_end_to_end(db, editor, make_document, run_on_commit, ocr_ready, client):
    document = make_document("Trang trắng thật", abstract="")
    with run_on_commit():
        file = services.add_file(
            editor, document, _image_upload(ocr_pages.small_page("blank"), "trang.png")
        )
    file.refresh_from_db()
    assert file.quality == QualityFlag.BLANK and file.text == ""
    assert file.ocr_pages.get().flag == QualityFlag.BLANK


def test_review_queue_marks_a_deposit_whose_text_is_held(
    db, registered, editor, run_on_commit, fake_ocr, client_for
):
    fake_ocr([_result(1, ocrqc.NOISE, "~ ' ẻẽ", "Nhiễu, không thấy dòng chữ")])
    data = {"title": "Luận văn quét", "source_type": "thesis", "year": 2024, "language": "vie"}
    with run_on_commit():
        services.deposit(registered, data, files=[upload("luan-van.png", _png())])
    clean = services.deposit(registered, {**data, "title": "Luận văn gõ"})
    html = client_for(editor).get("/thu-vien/bien-tap/cho-duyet/").content.decode()
    rows = {row.split("</a>")[0]: row for row in html.split('<tr><td><a href="')[1:]}
    quet = next(row for key, row in rows.items() if "Luận văn quét" in key)
    go = next(row for key, row in rows.items() if "Luận văn gõ" in key)
    assert "data-text-held" in quet and "data-text-held" not in go
    assert clean.pk


def test_first_reading_from_ocrmypdfs_hocr(tmp_path):
    hocr = tmp_path / "000001_ocr_hocr.hocr"
    hocr.write_text(
        "<div class='ocr_page'><p class='ocr_par' id='par_1_1'>"
        "<span class='ocr_line' id='line_1_1' title='bbox 1 1 9 9'>"
        "<span class='ocrx_word' id='word_1_1' title='bbox 1 1 4 4; x_wconf 96'>Cần</span> "
        "<span class='ocrx_word' id='word_1_2' title='bbox 5 1 9 4; x_wconf 90'>Thơ</span>"
        "</span><span class='ocr_line' id='line_1_2' title='bbox 1 5 9 9'>"
        "<span class='ocrx_word' id='word_1_3' title='bbox 1 5 4 9; x_wconf 60'>"
        "<strong>&amp;</strong></span></span></p>"
        "<p class='ocr_par' id='par_1_2'><span class='ocr_line' id='line_1_3'>"
        "<span class='ocrx_word' id='word_1_4' title='bbox 1 9 4 12; x_wconf 84'>Hậu</span>"
        "</span></p></div>",
        encoding="utf-8",
    )
    reading = ingest.hocr_reading(hocr)
    assert reading.text == "Cần Thơ\n&\n\nHậu"
    assert reading.confidence == 82.5 and reading.method == "psm3"
