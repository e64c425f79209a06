"""Vietnamese text handling: normalisation, tone marks, diacritics, tokens, sentences."""

import unicodedata

import pytest

from assistant.text.language import looks_vietnamese
from assistant.text.normalize import (
    canonical_tones,
    fold,
    has_diacritics,
    nfc,
    normalize_for_matching,
    strip_diacritics,
    tokens,
)
from assistant.text.sentences import sentence_spans


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


def _sentences(text):
    return [text[s:e] for s, e in sentence_spans(text)]


def test_sentence_splitter_hard_cases():
    text = ("Khu đất gần 12.000 m² ở TP.HCM được đề xuất. Kế hoạch 249-KH/UBKTTW có hiệu lực. "
            "Lãi suất là 6.5 phần trăm. TS. Lê Văn An nói: “Chúng tôi làm. Các bạn chờ.” Sau đó ông về. "
            "Đầu tư công, quy hoạch… ảnh hưởng đến tiến độ.")
    assert _sentences(text) == [
        "Khu đất gần 12.000 m² ở TP.HCM được đề xuất.",
        "Kế hoạch 249-KH/UBKTTW có hiệu lực.",
        "Lãi suất là 6.5 phần trăm.",
        "TS. Lê Văn An nói: “Chúng tôi làm. Các bạn chờ.”",
        "Sau đó ông về.",
        "Đầu tư công, quy hoạch… ảnh hưởng đến tiến độ.",
    ]


def test_sentence_spans_are_offsets_into_the_original():
    text = "  Câu một.   Câu hai!\nCâu ba? "
    spans = sentence_spans(text)
    assert [text[s:e] for s, e in spans] == ["Câu một.", "Câu hai!", "Câu ba?"]
    assert all(0 <= s < e <= len(text) for s, e in spans)


def test_quoted_text_is_not_split():
    text = "Ông kỳ vọng các mô hình “liên phường. Mỗi phường một lĩnh vực” sớm được triển khai."
    assert _sentences(text) == [text]


@pytest.mark.parametrize("text, expected", [
    ("Ai là Chủ tịch UBND phường Tân Mỹ?", True),
    ("chu tich ubnd phuong tan my la ai", True),
    ("dien tich khu dat xay trung tam hanh chinh", True),
    ("tru so cong an phuong phu thuan the nao", True),  # "an", "the": công an, thế nào
    ("cach chuyen file word sang pdf", True),  # a few foreign words in a Vietnamese question
    ("TP.HCM", True),
    ("What did the working group chief expect about the inter-ward model?", False),
    ("How do I convert a Word file to PDF?", False),
    ("Comment faire une tarte aux pommes ?", False),
    ("How big is the land plot?", False),
    ("Какой район?", False),
    ("哪个区的主席是谁?", False),
    ("12.000", False),
])
def test_looks_vietnamese(text, expected):
    assert looks_vietnamese(text) is expected
