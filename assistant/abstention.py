"""Abstention: decide whether the retrieved passages answer the question at all (model-free).

Two signals, both cheap: the dense cosine of the best passage, and the question's *coverage* —
the IDF-weighted share of its syllables found in the best passages. A question about something
the archive never mentions ("Dân số phường Phú Thuận…" when no article gives a population) finds
passages on the right topic but misses its most specific words.

The thresholds are calibrated by `benchmarks/calibrate_abstention.py` on XQuAD Vietnamese:
answerable = a question with its gold paragraph indexed; unanswerable = the same question with
its gold paragraph removed but the rest of its article kept (same topic, no answer), so the
decision is learned on near misses, not on unrelated text. See README, "Abstention".
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Mapping, Sequence

from .lexical import BIGRAM, FOLDED, LexicalSettings, passage_terms
from .vietnamese import strip_diacritics

if TYPE_CHECKING:
    from .core import Passage

# Calibrated values (see module docstring); a question is answered when
#   DENSE_WEIGHT * cosine + COVERAGE_WEIGHT * coverage >= THRESHOLD   (hybrid and dense modes)
#   coverage >= LEXICAL_THRESHOLD                                     (lexical mode)
DENSE_WEIGHT = 1.0
COVERAGE_WEIGHT = 0.25
THRESHOLD = 0.95
LEXICAL_THRESHOLD = 0.5
# A question in another language (the dense model is multilingual) is judged on the cosine alone.
FOREIGN_DENSE_THRESHOLD = 0.84
PASSAGES_CONSIDERED = 3
# Interrogatives never appear in an answer, so they say nothing about coverage.
QUESTION_WORDS = frozenset("ai gì nào đâu bao nhiêu mấy sao chăng hả nhỉ không chưa".split())
_IGNORED = QUESTION_WORDS | {FOLDED + strip_diacritics(word) for word in QUESTION_WORDS}


@dataclass(frozen=True)
class Relevance:
    """The evidence behind an answer-or-abstain decision."""

    answerable: bool
    dense: float | None
    coverage: float
    foreign: bool  # the question is not in Vietnamese


def coverage(weights: Mapping[str, float], passages_terms: Sequence[set[str]]) -> float:
    """Largest IDF-weighted share of the question's single-syllable terms found in one passage."""
    unigrams = {term: weight for term, weight in weights.items() if BIGRAM not in term and term not in _IGNORED}
    total = sum(unigrams.values())
    if total <= 0:
        return 0.0
    return max((sum(w for t, w in unigrams.items() if t in terms) / total for terms in passages_terms), default=0.0)


def decide(dense: float | None, covered: float, foreign: bool, mode: str) -> bool:
    """The calibrated rule (see the module docstring)."""
    if mode == "lexical" or dense is None:
        return covered >= LEXICAL_THRESHOLD
    if foreign:
        return dense >= FOREIGN_DENSE_THRESHOLD
    if mode == "dense":
        return dense >= THRESHOLD - COVERAGE_WEIGHT * 0.5
    return DENSE_WEIGHT * dense + COVERAGE_WEIGHT * covered >= THRESHOLD


def assess(passages: Sequence["Passage"], weights: Mapping[str, float], settings: LexicalSettings,
           mode: str, foreign: bool) -> Relevance:
    """Measure the evidence for a question in its top passages and apply the calibrated rule.

    Args:
        passages: the ranked passages.
        weights: the question's lexical terms with their IDF.
        settings: how passage terms are formed.
        mode: the retrieval mode used.
        foreign: the question is not in Vietnamese.
    """
    if not passages:
        return Relevance(False, None, 0.0, foreign)
    top = passages[:PASSAGES_CONSIDERED]
    terms = [set(passage_terms(p.text, settings)) for p in top]
    covered = coverage(weights, terms)
    dense_scores = [p.dense_score for p in top if p.dense_score is not None]
    dense = max(dense_scores) if dense_scores else None
    return Relevance(decide(dense, covered, foreign, mode), dense, covered, foreign)
