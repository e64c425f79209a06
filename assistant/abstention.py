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

from .lexical import BIGRAM, FOLDED, LexicalSettings, term_set
from .vietnamese import strip_diacritics

if TYPE_CHECKING:
    from .core import Passage

# Calibrated values (see module docstring); a question is answered when
#   cosine + COVERAGE_WEIGHT * coverage >= THRESHOLD   (hybrid and dense modes)
#   coverage >= LEXICAL_THRESHOLD                      (lexical mode: no cosine)
# `python benchmarks/calibrate_abstention.py --every 2` (595 XQuAD Vietnamese questions per group):
# percentiles 5/50/95 of the cosine: answerable 0.840/0.883/0.920, near miss 0.815/0.848/0.889,
# unrelated 0.756/0.789/0.821; of coverage: answerable 0.552/0.891/1.0, near miss 0.256/0.495/0.841,
# unrelated 0.0/0.112/0.266. Best rules by balanced accuracy at each operating point:
#   answered >= 0.95: cosine + 0.30 * coverage >= 1.025 (near misses abstained 0.659, unrelated 0.998)
#   answered >= 0.98: cosine + 0.20 * coverage >= 0.940 (0.429, 0.998)
#   answered >= 0.99: cosine + 0.30 * coverage >= 0.970 (0.338, 0.998)   <- chosen
# The product must not refuse answerable questions, so the highest-recall point is used: unrelated
# questions are still refused, near misses (same topic, answer absent) only a third of the time.
# Lexical mode, same data: coverage >= 0.405 answers 0.992, abstains on 0.296 / 0.990.
# Rechecked after hybrid search began reordering its top five by best sentence: the chosen rule
# answers 0.992 and abstains on 0.331 / 0.998 (the script's "shipped" row); the best rule at 0.99 does 0.336.
COVERAGE_WEIGHT = 0.30
THRESHOLD = 0.97
LEXICAL_THRESHOLD = 0.405
# A question in another language (the dense model is multilingual) is judged on the cosine alone.
# No foreign-language questions exist to calibrate on, and lexical evidence cannot help, so the
# bar is conservative: the 5th percentile of answerable same-language cosines. Quoting nothing
# beats quoting the wrong passage.
FOREIGN_DENSE_THRESHOLD = 0.84
PASSAGES_CONSIDERED = 3
# Interrogatives never appear in an answer, and function words may be missing from a small
# archive altogether (where their IDF would then be the highest of all): neither says whether a
# passage covers the question's content.
QUESTION_WORDS = frozenset("ai gì nào đâu bao nhiêu mấy sao chăng hả nhỉ không chưa".split())
FUNCTION_WORDS = frozenset(
    "và các của là có được cho với những một này đó thì mà để từ đến về theo như trong ra vào sẽ cũng "
    "đã đang bị nên nếu hay hoặc rằng còn rất vẫn lại đều chỉ cùng ở tại trên dưới sau trước khi lúc "
    "cái chiếc sự nhằm do bởi vì".split())
_IGNORED = frozenset(QUESTION_WORDS | FUNCTION_WORDS
                     | {FOLDED + strip_diacritics(word) for word in QUESTION_WORDS | FUNCTION_WORDS})


@dataclass(frozen=True)
class Relevance:
    """The evidence behind an answer-or-abstain decision."""

    answerable: bool
    dense: float | None
    coverage: float
    foreign: bool  # the question is not in Vietnamese


def coverage(weights: Mapping[str, float], passages_terms: Sequence[frozenset[str]]) -> float:
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
    return dense + COVERAGE_WEIGHT * covered >= THRESHOLD


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
    terms = [term_set(p.text, settings) for p in top]
    covered = coverage(weights, terms)
    dense_scores = [p.dense_score for p in top if p.dense_score is not None]
    dense = max(dense_scores) if dense_scores else None
    return Relevance(decide(dense, covered, foreign, mode), dense, covered, foreign)
