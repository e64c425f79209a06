"""Sentence scoring and highlighting (`search/sentences.py`): a question's terms, the sentence that
best says the question and holds its answer, and the sentences highlighted in a passage."""

import pytest

from assistant.config import LexicalSettings
from assistant.search.sentences import (
    QuestionTerms,
    best_sentence,
    best_sentence_spans,
    passage_coverage,
    sentence_match,
    sentence_scores,
)
from assistant.text.answer_types import PERSON, AnswerType
from assistant.text.terms import query_terms

SETTINGS = LexicalSettings()


def test_question_terms_leave_out_question_words():
    terms = QuestionTerms.of("Ai là Chủ tịch UBND phường Tân Mỹ?", SETTINGS)
    assert terms.asked == AnswerType(PERSON)
    assert "ai" not in terms.words and "~ai" not in terms.words and "ai_là" not in terms.pairs
    assert {"chủ", "tịch", "tân", "mỹ", "~tan"} <= set(terms.words) and "tân_mỹ" in terms.pairs
    accent_free = QuestionTerms.of("chu tich phuong tan my la ai", SETTINGS)
    assert all(term.startswith("~") for term in [*accent_free.words, *accent_free.pairs])


def test_best_sentence_says_the_question_and_holds_its_answer():
    terms = QuestionTerms.of("Ai là Chủ tịch UBND phường Tân Mỹ?", SETTINGS)
    text = ("Phường Tân Mỹ có trụ sở mới. Chủ tịch UBND phường Tân Mỹ là bà Nguyễn Thị Bé Ngoan. "
            "Chủ tịch UBND thành phố đến thăm.")
    match = best_sentence(terms, text, "", SETTINGS)
    assert text[match.start:match.end].startswith("Chủ tịch UBND phường Tân Mỹ là bà")
    assert match.typed and match.words == pytest.approx(1.0) and match.pairs > 0.8
    scattered = sentence_match(terms, text, 0, text.index(".") + 1, "", SETTINGS)
    assert scattered.score < match.score and not scattered.typed
    assert passage_coverage(terms, text, "", SETTINGS) == pytest.approx(1.0)
    assert passage_coverage(terms, "Trời mưa to.", "Tin phường Tân Mỹ", SETTINGS) < 0.7
    assert best_sentence(terms, "", "", SETTINGS) is None


def test_highlight_picks_the_sentence_with_the_question_terms():
    text = ("Phường Tân Mỹ có nhiều kiến nghị. Chủ tịch UBND phường Tân Mỹ là đồng chí Nguyễn Thị Bé Ngoan. "
            "Các đơn vị vẫn còn phân tán.")
    weights = {term: 1.0 for term in query_terms("Ai là Chủ tịch UBND phường Tân Mỹ?", SETTINGS)}
    spans = best_sentence_spans(weights, text, SETTINGS)
    assert text[spans[0][0]:spans[0][1]].startswith("Chủ tịch UBND")
    assert len(sentence_scores(weights, text, SETTINGS)) == 3


def test_highlight_weighs_down_terms_found_in_every_sentence():
    text = "Warsaw có sông. Warsaw có sở giao dịch chứng khoán mở lại năm 1991. Warsaw rất đông."
    weights = {term: 1.0 for term in query_terms("Sở giao dịch chứng khoán Warsaw mở lại khi nào?", SETTINGS)}
    start, end = best_sentence_spans(weights, text, SETTINGS)[0]
    assert "1991" in text[start:end]
