"""Fits (`answer/fits.py`): whether an amount is of the unit the question asks for or counts what it
counts, and a time of the form it asks for."""

import pytest

from assistant.answer.fits import time_fits, unit_fits
from assistant.text.questions import question_form
from assistant.text.spans import typed_spans


def number_in(sentence: str):
    return next(span for span in typed_spans(sentence) if span.kind == "number")


@pytest.mark.parametrize("question, sentence, fits", [
    ("Khu đất rộng bao nhiêu mét vuông?", "Khu đất rộng gần 12.000 m².", True),
    ("Khu đất rộng bao nhiêu mét vuông?", "Khu đất cách trụ sở 2 km.", False),  # a length, not an area
    ("Có bao nhiêu thí sinh dự thi?", "Có hơn 866 nghìn thí sinh dự thi.", True),
    ("Có bao nhiêu thí sinh dự thi?", "Có 120 trường tổ chức thi.", False),  # counts schools
    ("Giá vàng tăng bao nhiêu phần trăm?", "Giá vàng tăng 2%.", True),
    ("Xã có bao nhiêu người?", "Xã có 3.000 nhân khẩu.", True),  # "người" is also counted as "nhân khẩu"
    # what is measured, not counted: electricity in kWh, a camera's "chấm" in MP
    ("Cả nước tiêu thụ bao nhiêu điện?", "Lượng tiêu thụ điện là hơn 606 triệu kWh.", True),
    ("Cả nước tiêu thụ bao nhiêu điện?", "Công suất đạt mức 29.306 MW.", False),  # power, not energy
    ("Camera sau bao nhiêu chấm?", "Máy trang bị máy ảnh 13 MP.", True),
    ("Camera sau bao nhiêu chấm?", "Máy có màn hình 5 inch.", False),
    ("Giải được trao cho mấy người?", "Giải được trao cho 3 khách hàng.", True),  # people of any kind
])
def test_a_number_fits_the_unit_or_the_thing_the_question_counts(question, sentence, fits):
    assert unit_fits(number_in(sentence), question_form(question)) is fits


@pytest.mark.parametrize("text, unit, fits", [
    ("năm 2025", "year", True), ("24-10", "year", False), ("tháng 2", "month", True),
    ("24-10", "date", True), ("14g30", "clock", True), ("tháng 2", "clock", False),
])
def test_a_time_fits_the_time_unit_asked(text, unit, fits):
    assert time_fits(text, unit) is fits


def test_countries_are_counted_not_measured():
    """"nước" is water and country: "bao nhiêu nước tham dự" counts countries."""
    assert unit_fits(number_in("Có 21 nước tham dự hội nghị."), question_form("Có bao nhiêu nước tham dự?"))
