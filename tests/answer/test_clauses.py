"""Clauses that fill a question word's slot (`assistant.answer.clauses`): where they start and end."""

from assistant.answer.clauses import before_preposition, clause_after, readable, slot_anchor, slot_clauses
from assistant.text.questions import question_form
from assistant.text.sentence_words import sentence_words

PROPOSAL = ("Phường kiến nghị TPHCM sớm chấp thuận chủ trương xây dựng Trung tâm hành chính đa chức năng trên khu "
            "đất gần 12.000 m².")


def clauses(question: str, sentence: str) -> list[str]:
    form = question_form(question)
    words = sentence_words(sentence)
    matched = [i for i, word in enumerate(words) if word.folded in form.content]
    return [sentence[span.start:span.end] for span in slot_clauses(form, words, sentence, matched)]


def test_what_was_proposed_runs_on_what_was_built_ends_before_a_preposition():
    assert clauses("Phường kiến nghị gì?", PROPOSAL)[0].startswith("TPHCM sớm chấp thuận")
    # after the whole word the sentence writes ("xây dựng" for "xây")
    assert clauses("Khu đất được đề xuất để xây gì?", PROPOSAL) == ["Trung tâm hành chính đa chức năng"]


def test_the_slot_of_a_verb_after_a_verb_of_saying_is_after_that_verb():
    form = question_form("Phường Phú Thuận kiến nghị xây gì?")
    assert form.words[slot_anchor(form)] == "xay"


def test_a_clause_ends_at_the_clause_s_end_and_a_thing_before_its_preposition():
    sentence = "Phường đề xuất cơ chế hợp đồng cộng tác viên từ nguồn kinh phí của Thành phố, để bảo đảm tiến độ."
    words = sentence_words(sentence)
    clause = clause_after(words, sentence, readable(sentence), 2)
    assert sentence[clause.start:clause.end] == "cơ chế hợp đồng cộng tác viên từ nguồn kinh phí của Thành phố"
    cut = before_preposition(clause, words)
    assert sentence[cut.start:cut.end] == "cơ chế hợp đồng cộng tác viên"
    # even after a thing of one word: "lên mức b3 từ mức caa1" → "b3"
    sentence = "Moody's nâng lên mức b3 từ mức caa1 trước đó."
    words = sentence_words(sentence)
    cut = before_preposition(clause_after(words, sentence, readable(sentence), 4), words)
    assert sentence[cut.start:cut.end] == "b3"
    # but a clause that opens with a preposition keeps its second word
    sentence = "Kinh phí của Thành phố đối với các phường có số lượng đảng viên lớn."
    words = sentence_words(sentence)
    cut = before_preposition(clause_after(words, sentence, readable(sentence), 4), words)
    assert sentence[cut.start:cut.end] == "đối với các phường có số lượng đảng viên lớn"


def test_how_a_proposal_solves_it_is_what_was_proposed():
    sentence = "Phường đã có công văn báo cáo và đề xuất phương án sắp xếp lại tài sản công, đưa về chung trụ sở."
    assert clauses("Phường đề xuất giải quyết khó khăn về trụ sở thế nào?", sentence) == \
        ["phương án sắp xếp lại tài sản công, đưa về chung trụ sở"]
    # "cơ cấu" is no "yêu cầu": nothing was proposed after it
    staff = "Số lượng và cơ cấu công chức hiện nay đáp ứng yêu cầu thực hiện nhiệm vụ."
    assert not clauses("Số lượng và cơ cấu công chức hiện nay thế nào?", staff)[0].startswith("công chức")


def test_what_was_said_starts_after_said_more_and_runs_through_a_list_of_abbreviations():
    sentence = ("Ông Nguyễn Đăng Thoại cho biết thêm, phường đang gặp khó khăn khi các trụ sở làm việc của Đảng ủy, "
                "HĐND, UBND, MTTQ đều hạn chế về diện tích và đang xuống cấp.")
    assert clauses("Ông Nguyễn Đăng Thoại cho biết gì?", sentence) == [
        "phường đang gặp khó khăn khi các trụ sở làm việc của Đảng ủy, HĐND, UBND, MTTQ đều hạn chế về diện tích và "
        "đang xuống cấp"]


def test_what_was_promised_is_what_follows_a_verb_of_promising():
    sentence = "Ông Moon cam kết sẽ đẩy mạnh cải cách và đoàn kết đất nước một khi chính thức nhậm chức."
    assert clauses("Ông Moon hứa gì?", sentence) == ["sẽ đẩy mạnh cải cách và đoàn kết đất nước một khi chính thức "
                                                     "nhậm chức"]
