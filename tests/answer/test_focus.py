"""Focus phrases (`answer/focus.py`): where a sentence says the noun a question asks about, and the
name or code that runs on from a word."""

from assistant.answer.focus import after_focus, focus_phrases, named_run
from assistant.text.questions import question_form
from assistant.text.sentence_words import sentence_words


def phrases(find, question: str, sentence: str) -> list[str]:
    return [sentence[span.start:span.end] for span in find(sentence_words(sentence), sentence, question_form(question))]


def test_the_focus_noun_runs_on_through_the_name_or_code_after_it():
    sentence = "Tổ công tác làm việc về kết quả thực hiện Kế hoạch 249-KH/UBKTTW của Ủy ban Kiểm tra Trung ương."
    assert phrases(focus_phrases, "Tổ công tác làm việc về kế hoạch nào?", sentence) == ["Kế hoạch 249-KH/UBKTTW"]


def test_what_follows_the_focus_noun_is_what_it_is():
    sentence = "Suzuki bổ sung thêm phiên bản màu đen mờ mới Ecstar, bên cạnh các phiên bản cũ."
    assert phrases(after_focus, "Suzuki vừa bổ sung bản màu gì?", sentence) == ["đen mờ mới Ecstar"]


def test_a_name_runs_over_capitalised_words_and_codes_and_stops_at_a_lower_case_word():
    sentence = "Phường thực hiện Kế hoạch 249-KH/UBKTTW của Ủy ban Kiểm tra Trung ương."
    words = sentence_words(sentence)
    first = next(i for i, w in enumerate(words) if w.text == "Kế")
    assert sentence[words[first].start:words[named_run(words, sentence, first)].end] == "Kế"  # "hoạch": lower case
    assert sentence[words[first + 2].start:words[named_run(words, sentence, first + 2)].end] == "249-KH/UBKTTW"
    assert named_run(words, sentence, first - 1) is None  # "hiện"
