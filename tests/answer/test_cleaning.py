"""Cleaning what was typed (`answer/cleaning.py`): control characters, lone surrogates and overlong
questions are cleaned or refused with a `QuestionError`, whatever the input."""

from hypothesis import given
from hypothesis import strategies as st

from assistant.answer.assistant import FOREIGN_NOTE
from assistant.answer.cleaning import clean_question
from assistant.errors import QuestionError


@given(question=st.text(max_size=2000) | st.binary(max_size=200).map(lambda b: b.decode("utf-8", "surrogateescape")))
def test_any_question_is_cleaned_or_refused(question):
    try:
        text, notes = clean_question(question, max_chars=1000)
    except QuestionError:
        return
    assert text == text.strip() and 0 < len(text) <= 1000
    assert not any(0xD800 <= ord(ch) <= 0xDFFF or ch in "\x00\n\r\t" for ch in text)


def test_odd_questions_are_cleaned_not_fatal(lexical_assistant):
    assistant = lexical_assistant
    long_question = "Phường Tân Mỹ kiến nghị gì " * 800
    answer = assistant.ask(long_question)
    assert len(answer.question) <= assistant.settings.max_question_chars and long_question.startswith(answer.question)
    assert any("quá dài" in note for note in answer.notes)
    # Control characters and lone surrogates are dropped: the question is then the clean one, answered alike.
    for odd, clean in [("Tân Mỹ\ud800 kiến nghị gì?", "Tân Mỹ kiến nghị gì?"), ("Tân\x07 Mỹ", "Tân Mỹ")]:
        answer = assistant.ask(odd)
        assert answer.question == clean and answer.to_dict() == assistant.ask(clean).to_dict()
    # Other scripts, or no words at all: nothing is quoted, and the user is told to ask in Vietnamese.
    for foreign in ["Какой район?", "哪个区?", "🙂"]:
        answer = assistant.ask(foreign)
        assert (answer.status, answer.passages, answer.notes) == ("not_found", [], [FOREIGN_NOTE])
