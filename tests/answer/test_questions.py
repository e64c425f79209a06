"""Cleaning what was typed (`answer/questions.py`): control characters, lone surrogates and overlong
questions are cleaned or refused with a `QuestionError`, whatever the input."""

from hypothesis import given, settings
from hypothesis import strategies as st

from assistant.answer.questions import clean_question
from assistant.errors import QuestionError
from assistant.results import STATUSES

# Bounded for the suite's time: a few dozen inputs, seconds in all.
FUZZ = settings(max_examples=60, deadline=None)


@FUZZ
@given(question=st.text(max_size=2000) | st.binary(max_size=200).map(lambda b: b.decode("utf-8", "surrogateescape")))
def test_any_question_is_cleaned_or_refused(question):
    try:
        text, notes = clean_question(question, max_chars=1000)
    except QuestionError:
        return
    assert text == text.strip() and 0 < len(text) <= 1000
    assert not any(0xD800 <= ord(ch) <= 0xDFFF or ch in "\x00\n\r\t" for ch in text)


def test_odd_questions_are_cleaned_not_fatal(fake_assistant):
    long_question = "Phường Tân Mỹ kiến nghị gì " * 800
    answer = fake_assistant.ask(long_question)
    assert len(answer.question) <= fake_assistant.settings.max_question_chars
    assert answer.notes
    for odd in ["Tân Mỹ\ud800 kiến nghị gì?", "Tân\x07 Mỹ", "Какой район?", "哪个区?", "🙂"]:
        answer = fake_assistant.ask(odd)
        assert answer.status in STATUSES and answer.answered == (answer.status == "answered")
        assert (answer.passages == []) == (answer.status == "not_found")
