import unicodedata

import pytest

from sti.core.text import (
    fold,
    fold_lower,
    has_diacritics,
    normalize,
    slugify,
    syllable_ngrams,
    tokenize,
    tokenize_folded,
)


@pytest.mark.parametrize(
    ("text", "folded"),
    [
        ("Cần Thơ", "Can Tho"),
        ("Đường Lý Thường Kiệt", "Duong Ly Thuong Kiet"),
        ("đường", "duong"),
        ("Ưu tiên ỷ lại Ỹ", "Uu tien y lai Y"),
        ("Thủy sản – Hậu Giang", "Thuy san – Hau Giang"),
        ("", ""),
    ],
)
def test_fold_removes_every_vietnamese_mark_and_maps_d_stroke(text, folded):
    assert fold(text) == folded


def test_fold_handles_decomposed_input():
    nfd = unicodedata.normalize("NFD", "Nghiên cứu lúa chịu mặn Sóc Trăng")
    assert fold_lower(nfd) == "nghien cuu lua chiu man soc trang"


def test_normalize_returns_nfc_and_collapses_whitespace():
    nfd = unicodedata.normalize("NFD", "  Trường  Đại học\tCần Thơ \x00")
    result = normalize(nfd)
    assert result == "Trường Đại học Cần Thơ"
    assert unicodedata.is_normalized("NFC", result)


def test_normalize_keeps_line_breaks():
    assert normalize("Dòng 1 \n  Dòng   2") == "Dòng 1\nDòng 2"


def test_tokenize_keeps_accents_and_splits_codes():
    assert tokenize("Cần Thơ, QCVN 11-MT:2015!") == ["cần", "thơ", "qcvn", "11", "mt", "2015"]
    assert tokenize_folded("ĐƯỜNG Cần Thơ") == ["duong", "can", "tho"]
    assert tokenize(None) == []


def test_syllable_ngrams_join_neighbours():
    assert list(syllable_ngrams(["cá", "tra", "phi"], sizes=(1, 2))) == [
        "cá",
        "tra",
        "phi",
        "cá_tra",
        "tra_phi",
    ]


def test_slugify_folds_and_truncates_at_a_word():
    assert slugify("Đề tài cấp Thành phố Cần Thơ") == "de-tai-cap-thanh-pho-can-tho"
    assert slugify("Đường " * 40, max_length=20) == "duong-duong-duong"
    assert slugify("!!!") == ""


def test_has_diacritics():
    assert has_diacritics("đường")
    assert has_diacritics("Cần")
    assert not has_diacritics("can tho")
    assert not has_diacritics("")
