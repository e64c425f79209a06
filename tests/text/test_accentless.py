"""Question words typed without accents that are also other words (`text/accentless.py`)."""

import pytest

from assistant.text.accentless import asks_dau, asks_may


@pytest.mark.parametrize("question, index, asks", [
    ("co may phuong", 1, True),  # "mấy phường"
    ("may bay roi o dau", 0, False),  # "máy bay": a plane
    ("thang may o dau", 1, True),  # after "tháng": "tháng mấy"
    ("nha may o dau", 1, False),  # "nhà máy": a factory
])
def test_may_is_how_many_unless_the_words_around_make_it_a_machine(question, index, asks):
    assert asks_may(tuple(question.split()), index) is asks


@pytest.mark.parametrize("question, index, asks", [
    ("tru so o dau", 3, True),  # "ở đâu": where
    ("lay kinh phi tu dau", 4, True),
    ("dau tu bao nhieu", 0, False),  # "đầu tư": invest
    ("lan dau tien o day", 1, False),  # "đầu tiên": the first
    ("nguoi dung dau la ai", 2, False),  # "đứng đầu": at the head of
])
def test_dau_is_where_after_a_preposition_or_at_the_end(question, index, asks):
    assert asks_dau(tuple(question.split()), index) is asks
