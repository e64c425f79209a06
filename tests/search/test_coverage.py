"""How a sentence matches a question (`search/coverage.py`): a question's terms, accent-free so any
typing weighs the same, the share of them a sentence says, and whether it holds the answer's kind."""

import pytest

from assistant.config import LexicalSettings
from assistant.search.coverage import QuestionTerms, passage_coverage, sentence_match
from assistant.text.answer_types import PERSON, AnswerType
from assistant.text.normalize import strip_diacritics

SETTINGS = LexicalSettings()


def test_question_terms_are_accent_free_and_leave_out_question_words():
    terms = QuestionTerms.of("Ai là Chủ tịch UBND phường Tân Mỹ?", SETTINGS)
    assert terms.asked == AnswerType(PERSON)
    assert "~ai" not in terms.words and not any("ai_" in pair for pair in terms.pairs)
    assert {"~chu", "~tich", "~tan", "~my"} <= set(terms.words) and "~tan_my" in terms.pairs
    assert all(term.startswith("~") for term in [*terms.words, *terms.pairs])
    accent_free = QuestionTerms.of(strip_diacritics("Ai là Chủ tịch UBND phường Tân Mỹ?"), SETTINGS)
    assert (accent_free.words, accent_free.pairs) == (terms.words, terms.pairs)


def test_a_sentence_that_says_the_question_and_names_a_person_matches_it():
    terms = QuestionTerms.of("Ai là Chủ tịch UBND phường Tân Mỹ?", SETTINGS)
    text = ("Phường Tân Mỹ có trụ sở mới. Chủ tịch UBND phường Tân Mỹ là bà Nguyễn Thị Bé Ngoan. "
            "Chủ tịch UBND thành phố đến thăm.")
    start = text.index("Chủ tịch UBND phường")
    match = sentence_match(terms, text, start, text.index(".", start) + 1, "", SETTINGS)
    assert match.typed and match.words == pytest.approx(1.0) and match.pairs > 0.8
    scattered = sentence_match(terms, text, 0, text.index(".") + 1, "", SETTINGS)
    assert scattered.words < match.words and not scattered.typed
    assert passage_coverage(terms, text, "", SETTINGS) == pytest.approx(1.0)
    assert passage_coverage(terms, "Trời mưa to.", "Tin phường Tân Mỹ", SETTINGS) < 0.7


def test_an_index_without_accent_free_terms_keeps_the_exact_ones():
    exact = LexicalSettings(folded=False)
    terms = QuestionTerms.of("Ai là Chủ tịch UBND phường Tân Mỹ?", exact)
    assert "chủ" in terms.words and not any(term.startswith("~") for term in terms.words)
