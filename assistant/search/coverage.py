"""Coverage: how much of a question a passage and one of its sentences say (model-free).

A question's content words and word pairs are weighed by their reference IDF (`text/reference.py`),
so the measure reads the same on an archive of one article or of thousands; a passage's title counts
as context. The answer's confidence reads it (`confidence.py`) for the passages and for the sentence
the reader chose (`answer/reading.py`, which chooses it).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from ..config import LexicalSettings
from ..text.answer_types import AnswerType, asked_type, focus_words, holds
from ..text.normalize import fold
from ..text.reference import reference_idf
from ..text.terms import BIGRAM, FOLDED, query_terms, term_set
from ..text.words import QUESTION_WORDS

# A sentence that holds what the question asks for scores this much more (a share of the
# question's words and pairs). Chosen with the reordering weight on the fit half of the natural
# questions and the even XQuAD questions (`python -m tools.fit_confidence`, README "Answers").
TYPE_BONUS = 0.2


@dataclass(frozen=True)
class QuestionTerms:
    """A question's content terms with their reference IDF, and the type of answer it asks for."""

    question: str
    words: dict[str, float]  # syllables (exact and accent-free forms as searched), question words left out
    pairs: dict[str, float]  # syllable pairs
    asked: AnswerType | None  # what the question asks for; None for open questions
    focus: frozenset[str] = frozenset()  # accent-free words the wh-word attaches to (answer_types.focus_words)

    @classmethod
    def of(cls, question: str, settings: LexicalSettings) -> "QuestionTerms":
        """The question's terms as searched, accent-free ones only when the index has them, so a
        question typed with or without diacritics weighs the same (`settings.folded`)."""
        words, pairs = {}, {}
        for term in query_terms(question, settings):
            if not _asks(term) and (term.startswith(FOLDED) or not settings.folded):
                (pairs if BIGRAM in term else words)[term] = reference_idf(term)
        return cls(question, words, pairs, asked_type(question), focus_words(question))

    def share(self, found: frozenset[str], context: frozenset[str] = frozenset()) -> tuple[float, float]:
        """The IDF-weighted shares of the question's words and of its pairs found among `found`
        or `context` terms."""
        return _share(self.words, found, context), _share(self.pairs, found, context)


_FOLDED_QUESTION_WORDS = frozenset(fold(word) for word in QUESTION_WORDS)


def _asks(term: str) -> bool:
    """Whether a term is or holds a question word ("gì", "bao_nhiêu", "~nao"): never in an answer."""
    if term.startswith(FOLDED):
        return any(part in _FOLDED_QUESTION_WORDS for part in term[len(FOLDED):].split(BIGRAM))
    return any(part in QUESTION_WORDS for part in term.split(BIGRAM))


def _share(weights: dict[str, float], found: frozenset[str], context: frozenset[str]) -> float:
    total = sum(weights.values())
    if total <= 0:
        return 0.0
    return sum(weight for term, weight in weights.items() if term in found or term in context) / total


@dataclass(frozen=True)
class SentenceMatch:
    """How one sentence of a passage (offsets relative to the passage text) matches a question."""

    start: int
    end: int
    words: float  # share of the question's word IDF found in the sentence or the passage's title
    pairs: float  # the same for word pairs
    typed: bool  # the sentence holds what the question asks for
    focus: float = 1.0  # share of the question's focus words in the sentence or title (1 when none)

    @property
    def score(self) -> float:
        return (self.words + self.pairs) / 2 + TYPE_BONUS * self.typed


def sentence_match(terms: QuestionTerms, text: str, start: int, end: int, title: str, settings: LexicalSettings,
                   sentence_terms: frozenset[str] | None = None) -> SentenceMatch:
    """How the sentence `text[start:end]` of a passage matches `terms`, its title as context
    (`sentence_terms`: the sentence's terms when the caller has them)."""
    if sentence_terms is None:
        sentence_terms = term_set(text[start:end], settings)
    context = term_set(title, settings) if title else frozenset()
    words, pairs = terms.share(sentence_terms, context)
    focus = (sum(FOLDED + word in sentence_terms or FOLDED + word in context for word in terms.focus)
             / len(terms.focus) if terms.focus else 1.0)
    return SentenceMatch(start, end, words, pairs, terms.asked is not None and holds_type(terms.asked, text[start:end], terms.question), focus)


@lru_cache(maxsize=4096)
def holds_type(answer_type: AnswerType, sentence: str, question: str) -> bool:
    """`answer_types.holds`, cached: the same sentences come back question after question."""
    return holds(answer_type, sentence, question)


def passage_coverage(terms: QuestionTerms, text: str, title: str, settings: LexicalSettings) -> float:
    """The share of the question's word IDF found anywhere in the passage or its title."""
    return terms.share(term_set(text, settings), term_set(title, settings) if title else frozenset())[0]
