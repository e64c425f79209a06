"""Answer highlighting: pick the sentence(s) of a passage that best answer a question (model-free)."""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping

from .lexical import LexicalSettings, passage_sentences

# A second sentence is highlighted too when it scores at least this share of the best one.
SECOND_SENTENCE_RATIO = 0.9
# A sentence that holds what the question asks for (a person for "ai", a date for "khi nào") gains
# this share of the question's weight. XQuAD Vietnamese, gold passage given, answer in the chosen
# sentence: 0.823 without, 0.827 with 0.1 (benchmarks/eval_retrieval.py measures it on retrieved passages).
ANSWER_TYPE_BONUS = 0.1


def sentence_scores(question_weights: Mapping[str, float], text: str,
                    settings: LexicalSettings = LexicalSettings(),
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
                        settings: LexicalSettings = LexicalSettings(),
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
