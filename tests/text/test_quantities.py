"""Quantities (`text/quantities.py`): amounts with their approximation and unit, dates and times,
identifiers and quotations, as typed spans."""

import pytest

from assistant.text.spans import typed_spans


def of_kind(sentence: str, kind: str) -> list[tuple[str, str]]:
    return [(sentence[s.start:s.end], s.unit) for s in typed_spans(sentence) if s.kind == kind]


@pytest.mark.parametrize("sentence, expected", [
    ("Khu đất rộng gần 12.000 m².", [("gần 12.000 m²", "m2")]),  # the approximation belongs to the amount
    ("Có hơn 866 nghìn thí sinh dự thi.", [("hơn 866 nghìn thí sinh", "thi sinh")]),
    ("Khoảng 1,5 triệu đồng mỗi tháng.", [("Khoảng 1,5 triệu đồng", "dong")]),  # "mỗi tháng" is no unit
    ("Giá vàng tăng 2%.", [("2%", "%")]),
    ("Cầu dài ba trăm mét.", [("ba trăm mét", "met")]),  # "ba" before a scale word is three
    ("Bà ba đi chợ.", []),  # and otherwise not
    ("Giá bán 12 nghìn đồng/kg, xe chạy 100 km/h.", [("12 nghìn đồng/kg", "dong"), ("100 km/h", "km")]),  # rates
    # a range of one unit is one amount, no date nor score; a temperature keeps its scale
    ("Nhiệt độ ở mức từ 33-35 độ C.", [("33-35 độ C", "do c")]),
    ("Lãi suất tăng 10-15% so với năm trước.", [("10-15%", "%")]),
    ("U23 thắng 3-0 trước Thái Lan.", []),
    ("Máy ảnh 16 MP ở mặt sau, pin 3.000 mAh.", [("16 MP", "mp"), ("3.000 mAh", "mah")]),
])
def test_amounts_with_their_approximation_and_unit(sentence, expected):
    assert of_kind(sentence, "number") == expected


def test_dates_and_times():
    sentence = "Ngày 24-10-2025, lúc 14g30, đoàn đến; năm 2024 đoàn cũng đến, như đầu tháng 5/2007."
    assert [text for text, _unit in of_kind(sentence, "time")] == ["24-10-2025", "14g30", "năm 2024",
                                                                   "đầu tháng 5/2007"]
    # hours from one to another are a clock time, no day and month
    hours = "Kết quả sẽ được công bố vào khoảng 2-3 giờ sáng ngày 10-5 (tức 4-5 giờ sáng tại Việt Nam)."
    assert [text for text, _unit in of_kind(hours, "time")] == ["2-3 giờ sáng", "10-5", "4-5 giờ sáng"]


def test_identifiers_and_quotations_are_whole():
    assert of_kind("Theo Kế hoạch 249-KH/UBKTTW của Ủy ban.", "code") == [("249-KH/UBKTTW", "")]
    assert of_kind("Ông nói “sẽ làm ngay” hôm qua.", "quote") == [("sẽ làm ngay", "")]


@pytest.mark.parametrize("sentence, expected", [
    ("Lợi nhuận tăng gần 670 tỷ đồng so với quý trước.", "gần 670 tỷ đồng"),  # "so với" compares
    ("Cứ hai tuần anh bón phân một lần.", "hai tuần"),  # a pronoun is nothing counted
])
def test_the_thing_counted_ends_before_a_function_word_or_a_pronoun(sentence, expected):
    assert [text for text, _unit in of_kind(sentence, "number")] == [expected]
