"""Informal spellings (`text/informal.py`): chat short forms written out, with accents only when the
question has them, and nothing else touched."""

import pytest

from assistant.text.informal import written_out


@pytest.mark.parametrize("question, expected", [
    ("Tại sao ko đc để rễ lan ngập nước?", "Tại sao không được để rễ lan ngập nước?"),
    ("xe nay gia bn", "xe nay gia bao nhieu"),  # typed without accents: written out without them
    ("Cty nào sản xuất?", "Công ty nào sản xuất?"),
    ("lam ntn de dang ky", "lam nhu the nao de dang ky"),
])
def test_short_forms_are_written_out(question, expected):
    assert written_out(question) == expected


@pytest.mark.parametrize("question", ["Giá 50 k một kg?", "Ông K. nói gì?", "K là gì?", "TP.HCM có kg nào?",
                                      "Kế hoạch 249-KH/UBKTTW là gì?"])
def test_what_is_no_short_form_is_left_as_typed(question):
    assert written_out(question) == question
