"""Units (`text/units.py`): what a "how much / how many" question measures or counts, and the form
of time a "when" asks for."""

import pytest

from assistant.text.questions import question_form
from assistant.text.units import UNIT_CUE_WORDS, find_phrase, time_unit


@pytest.mark.parametrize("question, unit, counted", [
    ("Khu đất rộng bao nhiêu?", "area", ()),  # the cue before the question word
    ("Chiều cao yên xe là bao nhiêu?", "length", ()),
    ("Có bao nhiêu thí sinh dự thi?", "people", ("thi", "sinh")),  # the noun counted after it
    ("Xe nặng bao nhiêu kg?", "weight", ("kg",)),
    ("Tỷ lệ cử tri đi bỏ phiếu trong cuộc bầu cử tổng thống lần này là bao nhiêu?", "percent", ()),  # the measure opening it
    ("cong suat tieu thu dien ngay 1/6 la bao nhieu", "power", ()),  # not "ngày": a date, no duration
    ("Trận đấu kéo dài bao lâu?", "duration", ()),
    ("Lan quý bán giá bao nhiêu một chậu?", "money", ()),  # a rate per chậu: the measure is named before
    ("quyt ban gia bao nhieu 1kg", "money", ()),  # the same, written with its unit: "1kg"
    ("Vụ quýt vừa qua chị Hồng lãi bao nhiêu?", "money", ()),  # a profit
    ("Lãi suất bao nhiêu?", "percent", ()),  # the nearest cue: "lãi suất", a rate
    ("con lai bao nhieu", None, ()),  # typed without accents "lai" is "lại", no profit
])
def test_the_unit_and_the_thing_counted(question, unit, counted):
    form = question_form(question)
    assert (form.unit, form.counted) == (unit, counted)


@pytest.mark.parametrize("phrase, unit", [
    (("may", "gio"), "clock"), (("phut", "may"), "minute"), (("nam", "nao"), "year"), (("thang", "may"), "month"),
    (("ngay", "nao"), "date"), (("khi", "nao"), None),
])
def test_the_form_of_time_asked(phrase, unit):
    assert time_unit(phrase) == unit


def test_phrases_and_cue_words():
    assert find_phrase(("bao", "nhieu", "met", "vuong"), ("met", "vuong")) == 2
    assert find_phrase(("bao", "nhieu"), ("met",)) == -1
    assert {"rong", "dien", "tich", "cong", "suat"} <= UNIT_CUE_WORDS
