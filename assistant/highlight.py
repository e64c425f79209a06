"""Answer highlighting: pick the sentence(s) of a passage that best answer a question (model-free)."""

from __future__ import annotations

from collections.abc import Callable, Mapping

from .lexical import LexicalSettings, passage_terms
from .vietnamese import sentence_spans

# A second sentence is highlighted too when it scores at least this share of the best one.
SECOND_SENTENCE_RATIO = 0.9


def sentence_scores(question_weights: Mapping[str, float], text: str,
                    settings: LexicalSettings = LexicalSettings()) -> list[tuple[int, int, float]]:
    """Score each sentence of `text` by the summed weight of the question terms it contains.

    Args:
        question_weights: question term → weight (IDF), terms as produced by `lexical.query_terms`.
        text: the passage text; returned offsets are relative to it.

    Returns:
        `(start, end, score)` for every sentence, in text order.
    """
    scored = []
    for start, end in sentence_spans(text):
        present = set(passage_terms(text[start:end], settings))
        scored.append((start, end, sum(w for term, w in question_weights.items() if term in present)))
    return scored


def best_sentence_spans(question_weights: Mapping[str, float], text: str,
                        settings: LexicalSettings = LexicalSettings(),
                        tie_break: Callable[[int, int], float] | None = None) -> list[tuple[int, int]]:
    """The span(s) of the best answering sentence(s) of `text`, relative to `text`, best first.

    The best sentence always; the runner-up too when it scores almost as well. `tie_break` may add
    a small score per span (e.g. closeness to the passage start) to order equal sentences.
    """
    scored = sentence_scores(question_weights, text, settings)
    if not scored:
        return []
    if tie_break:
        scored = [(s, e, score + tie_break(s, e)) for s, e, score in scored]
    ranked = sorted(scored, key=lambda item: -item[2])
    chosen = [ranked[0]]
    if len(ranked) > 1 and ranked[0][2] > 0 and ranked[1][2] >= SECOND_SENTENCE_RATIO * ranked[0][2]:
        chosen.append(ranked[1])
    return [(s, e) for s, e, _score in chosen]
