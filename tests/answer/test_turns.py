"""Turns of a conversation: questions, turn objects and answers read alike; what a turn established
(`assistant.answer.turns`)."""

import pytest

from assistant.answer.turns import Turn, read_history, statement
from assistant.errors import QuestionError
from assistant.results import Answer, Passage

SENTENCE = ("Ngày 24-10, tổ công tác số 5 do đồng chí Nguyễn Thị Mỹ Hằng, Ủy viên Ban Thường vụ Thành ủy, làm tổ "
            "trưởng, đã làm việc với phường Phú Thuận và phường Tân Mỹ.")


def answer(question: str, short: str | None, status: str = "answered") -> Answer:
    passage = Passage(SENTENCE, 1.0, "doc", "Tin", None, 1, 0, len(SENTENCE), rank=1, highlights=((0, len(SENTENCE)),))
    return Answer(question, status, f"“{SENTENCE}” [1]", [passage], None, [], short_answer=short)


def test_questions_turn_objects_and_answers_are_read_alike():
    turns = read_history(["Câu hỏi đầu?", {"question": "Câu hai?", "answer": "Trả lời hai."},
                          {"question": "Câu ba?", "answer": answer("Câu ba?", "Nguyễn Thị Mỹ Hằng").to_dict()},
                          answer("Câu bốn?", "24-10")])
    assert [t.question for t in turns] == ["Câu hỏi đầu?", "Câu hai?", "Câu ba?", "Câu bốn?"]
    assert turns[0].status is None and not turns[0].answered
    assert turns[1].sentence == "Trả lời hai." and turns[1].answered
    assert turns[2].short_answer == "Nguyễn Thị Mỹ Hằng" and turns[2].sentence == SENTENCE
    assert turns[3].document == "doc" and turns[3].short_answer == "24-10"


def test_a_related_answer_in_json_form_gives_the_sentence_it_showed_first():
    shown = answer("Câu năm?", None, status="related").to_dict()
    turn = read_history([{"question": "Câu năm?", "answer": shown}])[0]
    assert (turn.status, turn.sentence, turn.short_answer, turn.document) == ("related", SENTENCE, None, "doc")


@pytest.mark.parametrize("history", ["not a list", {"question": "q"}, [42], [{"answer": "no question"}]])
def test_history_that_is_no_list_of_turns_is_refused_in_one_line(history):
    with pytest.raises(QuestionError, match="history|history item"):
        read_history(history)


def test_a_not_found_turn_is_no_referent():
    assert not Turn.of_answer(answer("Giá vàng hôm nay?", None, "not_found")).relevant


def test_a_statement_puts_the_answer_in_the_question_words_place():
    turn = Turn("Tổ công tác số 5 do ai làm tổ trưởng?", "Tổ công tác số 5 do ai làm tổ trưởng?", "answered",
                "Nguyễn Thị Mỹ Hằng", SENTENCE)
    assert statement(turn) == "Tổ công tác số 5 do Nguyễn Thị Mỹ Hằng làm tổ trưởng"
    unknown = Turn("Còn phường Tân Mỹ thì sao?", "Còn phường Tân Mỹ thì sao?")
    assert statement(unknown).startswith("phường Tân Mỹ")
    # the noun counted, said by the answer too, is said once
    counted = Turn("Afghanistan có bao nhiêu người chết?", "Afghanistan có bao nhiêu người chết?", "answered",
                   "ít nhất 50 người", "Ít nhất 50 người đã thiệt mạng.")
    assert statement(counted) == "Afghanistan có ít nhất 50 người chết"
    kind = Turn("Giải trao cho mấy người?", "Giải trao cho mấy người?", "answered", "3 khách hàng", "…")
    assert statement(kind) == "Giải trao cho 3 khách hàng"  # the answer's noun for the people counted
    # a yes-no question established what it asked, without "có … không"
    asked = Turn("Phường Tân Mỹ có thiếu cán bộ không?", "Phường Tân Mỹ có thiếu cán bộ không?", "related", None, "…")
    assert statement(asked) == "Phường Tân Mỹ thiếu cán bộ"
    # a number is several words where the question word is found ("126.821.490.000")
    when = Turn("Vietlott trao giải 126.821.490.000 đồng khi nào?", "Vietlott trao giải 126.821.490.000 đồng khi nào?",
                "answered", "8/2/2017", "…")
    assert statement(when) == "Vietlott trao giải 126.821.490.000 đồng 8/2/2017"
