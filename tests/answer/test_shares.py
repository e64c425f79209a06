"""What a text says of a question's words (`answer/shares.py`): weights, pairs, how a passage's
sentences share them, and the rarest word a text leaves out."""

from assistant.answer.shares import missing_share, question_pairs, question_words, spread_weights, text_words
from assistant.text.questions import question_form


def test_a_rare_word_weighs_more_than_a_common_one():
    weights = question_words(question_form("Trung tâm hành chính phường Phú Thuận rộng bao nhiêu?"))
    assert weights["thuan"] > weights["phuong"]


def test_pairs_leave_out_the_question_phrase():
    pairs = question_pairs(question_form("Ai là Bí thư Đảng ủy phường Tân Mỹ?"))
    assert "tan_my" in pairs and not any(pair.startswith("ai_") for pair in pairs)


def test_a_word_every_sentence_has_says_little_about_which_answers():
    sentences = [text_words(s) for s in ("Warsaw có sông.", "Warsaw có sở giao dịch.", "Warsaw rất đông.")]
    weights = spread_weights({"warsaw": 1.0, "giao": 1.0}, sentences)
    assert weights["warsaw"] < weights["giao"]


def test_the_rarest_missing_word_against_the_rarest_of_all():
    content = {"dan": 1.0, "so": 2.0, "tan": 4.0}
    assert missing_share(content, {"dan", "so", "tan"}) == 0.0
    assert missing_share(content, {"tan"}) == 0.5
    assert missing_share(content, {"dan", "so"}) == 1.0
    assert missing_share({}, set()) == 0.0
