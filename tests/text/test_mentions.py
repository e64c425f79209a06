"""Mentions (`text/mentions.py`): the people and places a question names, typed with or without
diacritics, and the phrase matching the conversation rules use."""

import pytest

from assistant.text.mentions import entities, is_capitalised, phrase_at, splice, words_of


@pytest.mark.parametrize("text, expected", [
    ("Còn bà Nguyễn Thị Bé Ngoan thì sao?", [("bà", "person", "Nguyễn Thị Bé Ngoan")]),
    ("Bí thư Đảng ủy phường Tân Mỹ là ai?", [("phường", "place", "Tân Mỹ")]),
    ("con ong tran chi dung thi sao", [("ông", "person", "tran chi dung")]),  # typed lower case, no accents
    ("ong ay o phuong tan my noi gi", [("phường", "place", "tan my")]),  # "ông ấy" is a pronoun, no name
    ("ap dung cho phuong nao", []),  # "áp dụng", no "ấp Dung"
    ("Năm sau ai làm đường hoa Nguyễn Huệ?", []),  # a street, no person
])
def test_entities_with_their_kind_and_name(text, expected):
    assert [(e.kind.lower(), e.category, text[e.name_start:e.end]) for e in entities(text)] == expected


def test_phrases_match_with_or_without_diacritics():
    words = words_of("Vậy ong ấy nói gì")
    assert phrase_at(words, 1, ("ông ấy", "bà ấy")) == ("ông ấy", 2)
    assert phrase_at(words, 0, ("ông ấy",)) is None


def test_splice_keeps_the_spacing_and_capitals_right():
    assert splice("Ai là Bí thư phường Phú Thuận?", 20, 29, "Tân Mỹ") == "Ai là Bí thư phường Tân Mỹ?"
    assert is_capitalised("Đảng") and not is_capitalised("đảng")


def test_a_name_goes_on_through_a_part_joined_by_a_hyphen():
    question = "Ông Moon Jae-in hứa gì trong bài phát biểu?"
    assert [question[e.name_start:e.end] for e in entities(question)] == ["Moon Jae-in"]
    spaced = "Ông Nguyễn Văn A - Giám đốc Sở nói gì?"
    assert [spaced[e.name_start:e.end] for e in entities(spaced)] == ["Nguyễn Văn A"]
