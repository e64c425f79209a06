"""Names (`text/names.py`): people, organisations, places and roles written with capitals, as the
typed spans a short answer is cut from."""

import pytest

from assistant.text.spans import typed_spans


def named(sentence: str) -> list[tuple[str, str]]:
    return [(sentence[span.start:span.end], span.kind) for span in typed_spans(sentence)
            if span.kind in ("person", "organization", "place", "role", "name")]


@pytest.mark.parametrize("sentence, expected", [
    # The title is no part of the name; the role before a name is a role of its own.
    ("Người đứng đầu là bà Nguyễn Thị Mỹ Hằng.", [("Nguyễn Thị Mỹ Hằng", "person")]),
    ("Thủ tướng Phạm Minh Chính chủ trì.", [("Thủ tướng", "role"), ("Phạm Minh Chính", "person")]),
    ("Ông Moon Jae-in phát biểu.", [("Moon Jae-in", "person")]),
    # Organisations keep the lower-case syllables of their words, and stop where the sentence goes on.
    ("Ủy ban Kiểm tra Trung ương làm việc.", [("Ủy ban Kiểm tra Trung ương", "organization")]),
    ("Bộ Y tế cho biết.", [("Bộ Y tế", "organization")]),
    ("Hội đồng nhân dân tỉnh Đồng Nai họp.",
     [("Hội đồng nhân dân tỉnh Đồng Nai", "organization"), ("tỉnh Đồng Nai", "place")]),
    ("Công ty CP Vinamilk báo lãi.", [("Công ty CP Vinamilk", "organization")]),
    # A party's name ends where a person's with a hyphenated given name starts.
    ("Ứng cử viên của đảng Dân chủ Moon Jae-in thắng cử.", [("đảng Dân chủ", "organization"),
                                                            ("Moon Jae-in", "person")]),
])
def test_names_and_their_kinds(sentence, expected):
    assert named(sentence) == expected


def test_a_role_keeps_its_qualifiers_body_and_place():
    sentence = "Phó Bí thư Thường trực Đảng ủy phường Phú Thuận Lê Văn Bình phát biểu."
    assert named(sentence) == [("Phó Bí thư Thường trực Đảng ủy phường Phú Thuận", "role"),
                               ("phường Phú Thuận", "place"), ("Lê Văn Bình", "person")]


def test_the_capital_that_opens_a_sentence_is_no_name():
    assert named("Hôm qua, trời mưa to.") == []


def test_the_holders_name_ends_a_role_of_a_named_body():
    assert named("Bí thư Thành ủy Đà Nẵng Nguyễn Xuân Anh nhấn mạnh.") == [
        ("Bí thư Thành ủy Đà Nẵng", "role"), ("Nguyễn Xuân Anh", "person")]


def test_a_name_opening_with_a_compass_point_is_a_region_not_a_person():
    sentence = "Tại miền Đông Afghanistan, ít nhất 50 người thiệt mạng; Năm APEC Việt Nam 2017 khép lại."
    assert ("Đông Afghanistan", "place") in named(sentence)
    assert all(kind != "person" for _name, kind in named(sentence))
    assert ("Năm APEC Việt Nam 2017", "place") not in named(sentence)  # "Năm" (year) is no "Nam" (south)


def test_roles_joined_by_kiem_are_one_and_a_billionaire_is_no_amount():
    sentence = "Chủ tịch kiêm Giám đốc điều hành Tập đoàn Alibaba, tỷ phú Jack Ma, phát biểu."
    assert named(sentence) == [("Chủ tịch kiêm Giám đốc điều hành Tập đoàn Alibaba", "role"), ("Jack Ma", "person")]
    assert not [span for span in typed_spans(sentence) if span.kind == "number"]
