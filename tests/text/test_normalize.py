"""Normalisation (`text/normalize.py`): NFC, old and new tone-mark placement, accent folding, and
the tokens matching compares (numbers, codes, abbreviations)."""

import unicodedata

import pytest

from assistant.text.normalize import (
    bare_among_accents,
    canonical_tones,
    fold,
    has_diacritics,
    nfc,
    normalize_for_matching,
    strip_diacritics,
    tokens,
)


def test_nfd_input_becomes_nfc():
    decomposed = unicodedata.normalize("NFD", "Chủ tịch UBND phường Tân Mỹ")
    assert decomposed != "Chủ tịch UBND phường Tân Mỹ"
    assert nfc(decomposed) == "Chủ tịch UBND phường Tân Mỹ"
    assert tokens(decomposed) == tokens("Chủ tịch UBND phường Tân Mỹ")


@pytest.mark.parametrize("old, new", [
    ("hoà", "hòa"), ("thuý", "thúy"), ("khoẻ", "khỏe"), ("xã hội hoá", "xã hội hóa"),
    ("Uỷ ban", "Ủy ban"), ("Thuỵ Điển", "Thụy Điển"), ("loà", "lòa"), ("hoạ sĩ", "họa sĩ"),
])
def test_old_and_new_tone_placement_compare_equal(old, new):
    assert old != new
    assert canonical_tones(old) == canonical_tones(new)
    assert normalize_for_matching(old) == normalize_for_matching(new)


@pytest.mark.parametrize("word", [
    "quá", "giá", "gì", "ngoài", "khuỷu", "người", "tuổi", "hoàn", "toán", "thuở", "Huế", "quý", "giữ",
    "giường", "tiếng", "uống", "khuya", "quạ",
])
def test_canonical_tones_keep_correct_words(word):
    assert canonical_tones(word) == word


def test_strip_diacritics_maps_d_bar_and_all_marks():
    assert strip_diacritics("Đường Hòa Bình, đẹp quá") == "Duong Hoa Binh, dep qua"
    assert strip_diacritics(unicodedata.normalize("NFD", "Nguyễn Đăng Thoại")) == "Nguyen Dang Thoai"
    assert fold("Xã hội hoá") == fold("xa hoi hoa") == "xa hoi hoa"


def test_has_diacritics():
    assert has_diacritics("đi")
    assert has_diacritics(unicodedata.normalize("NFD", "Mỹ"))
    assert not has_diacritics("ai la chu tich phuong")


def test_tokens_keep_numbers_codes_and_single_syllables():
    assert tokens("Khu đất gần 12.000 m² ở TP.HCM") == ["khu", "đất", "gần", "12000", "m2", "ở", "tphcm"]
    assert tokens("Kế hoạch 249-KH/UBKTTW, tỷ lệ 3,5%") == ["kế", "hoạch", "249-kh/ubkttw", "tỷ", "lệ", "3,5"]
    assert tokens("12000 m2 tại TPHCM") == ["12000", "m2", "tại", "tphcm"]


def test_a_bare_word_among_accents_is_as_typed():
    assert bare_among_accents("quan", "Cơ quan này nói gì?")  # no "quận"
    assert not bare_among_accents("quan", "co quan nay noi gi")  # typed without accents: may be
    assert not bare_among_accents("quận", "Quận này ở đâu?")
