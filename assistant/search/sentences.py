"""Sentences: how much of a question a passage and each of its sentences say, and which
sentence answers (model-free).

A question's content words and word pairs are weighed by their reference IDF (`reference.py`), so
the measure reads the same on an archive of one article or of thousands. The best sentence is the
one that says most of the question, counting the passage's title as context, plus a bonus when it
holds the kind of thing the question asks for (a person for "ai", a date for "khi nào",
`answer_types.py`). Hybrid search reorders its best candidates by this, and the answer confidence
reads it. Highlighting picks the sentence(s) of a passage to mark as the answer, weighing the
question's terms by the archive's IDF and their spread within the passage.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from functools import lru_cache

from ..config import LexicalSettings
from ..text.answer_types import AnswerType, asked_type, focus_words, holds
from ..text.normalize import fold
from ..text.reference import reference_idf
from ..text.terms import BIGRAM, FOLDED, passage_sentences, query_terms, term_set
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
        words, pairs = {}, {}
        for term in query_terms(question, settings):
            if not _asks(term):
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


def best_sentence(terms: QuestionTerms, text: str, title: str, settings: LexicalSettings) -> SentenceMatch | None:
    """The sentence of the passage `text` that matches `terms` best (None for an empty passage)."""
    best = None
    for start, end, sentence_terms in passage_sentences(text, settings):
        match = sentence_match(terms, text, start, end, title, settings, sentence_terms)
        if best is None or match.score > best.score:
            best = match
    return best


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
    return SentenceMatch(start, end, words, pairs, holds_answer(terms, text[start:end]), focus)


def holds_answer(terms: QuestionTerms, sentence: str) -> bool:
    """Whether `sentence` holds the kind of thing the question asks for (False for open questions)."""
    return terms.asked is not None and _holds(terms.asked, sentence, terms.question)


@lru_cache(maxsize=4096)
def _holds(answer_type: AnswerType, sentence: str, question: str) -> bool:
    return holds(answer_type, sentence, question)


def passage_coverage(terms: QuestionTerms, text: str, title: str, settings: LexicalSettings) -> float:
    """The share of the question's word IDF found anywhere in the passage or its title."""
    return terms.share(term_set(text, settings), term_set(title, settings) if title else frozenset())[0]


# --- highlighting ---------------------------------------------------------------------------

# A second sentence is highlighted too when it scores at least this share of the best one.
SECOND_SENTENCE_RATIO = 0.9
# A sentence that holds what the question asks for (a person for "ai", a date for "khi nào") gains
# this share of the question's weight. XQuAD Vietnamese, gold passage given, answer in the chosen
# sentence: 0.823 without, 0.827 with 0.1 (`python -m benchmarks retrieval` measures it on retrieved passages).
ANSWER_TYPE_BONUS = 0.1


def sentence_scores(question_weights: Mapping[str, float], text: str,
                    settings: LexicalSettings,
                    holds_answer: Callable[[str], bool] | None = None) -> list[tuple[int, int, float]]:
    """Score each sentence of `text` by the question terms it contains.

    A term counts with its corpus weight (IDF) times its weight *within the passage*,
    `log(1 + sentences / (1 + sentences containing it))`: a term found in every sentence (often the
    topic, e.g. the article's subject) says little about which sentence answers. Measured on XQuAD
    Vietnamese with the gold passage given: 0.813 of answers in the chosen sentence by IDF alone,
    0.823 with the within-passage weight.

    Args:
        question_weights: question term → weight (IDF), terms as produced by `lexical.query_terms`.
        text: the passage text; returned offsets are relative to it.
        holds_answer: tells whether a sentence holds what the question asks for (`answer_types`).

    Returns:
        `(start, end, score)` for every sentence, in text order; a score is the share of the
        question's weight the sentence holds, plus `ANSWER_TYPE_BONUS` when it holds the answer's type.
    """
    sentences = passage_sentences(text, settings)
    count = len(sentences)
    weights = {term: weight * math.log(1 + count / (1 + sum(term in terms for _s, _e, terms in sentences)))
               for term, weight in question_weights.items()}
    total = sum(weights.values()) or 1.0
    return [(start, end, sum(weight for term, weight in weights.items() if term in terms) / total
             + (ANSWER_TYPE_BONUS if holds_answer is not None and holds_answer(text[start:end]) else 0.0))
            for start, end, terms in sentences]


def best_sentence_spans(question_weights: Mapping[str, float], text: str,
                        settings: LexicalSettings,
                        holds_answer: Callable[[str], bool] | None = None) -> list[tuple[int, int]]:
    """The span(s) of the best answering sentence(s) of `text`, relative to `text`, best first.

    The best sentence always; the runner-up too when it scores almost as well.
    """
    scored = sentence_scores(question_weights, text, settings, holds_answer)
    if not scored:
        return []
    ranked = sorted(scored, key=lambda item: -item[2])
    chosen = [ranked[0]]
    if len(ranked) > 1 and ranked[0][2] > 0 and ranked[1][2] >= SECOND_SENTENCE_RATIO * ranked[0][2]:
        chosen.append(ranked[1])
    return [(s, e) for s, e, _score in chosen]
