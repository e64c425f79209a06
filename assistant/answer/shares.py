"""What a text says of a question's words: each word weighed by how rare it is (reference IDF,
accent-free), its adjacent pairs, how a passage's sentences share them, and the rarest one a
text leaves out. `reading` chooses the answering sentence with them."""

from __future__ import annotations

import math
from functools import lru_cache

from ..text.questions import QuestionForm
from ..text.reference import reference_idf
from ..text.sentence_words import sentence_words


@lru_cache(maxsize=4096)
def word_weight(word: str) -> float:
    return reference_idf("~" + word)


def question_words(form: QuestionForm) -> dict[str, float]:
    return {word: word_weight(word) for word in dict.fromkeys(form.content) if not word.isdigit() or len(word) > 1}


def question_pairs(form: QuestionForm) -> dict[str, float]:
    """The question's adjacent word pairs outside its question phrase, weighted like its words."""
    start, end = form.ask
    outside = [w if not start <= i < end else None for i, w in enumerate(form.words)]
    return {f"{a}_{b}": word_weight(f"{a}_{b}") for a, b in zip(outside, outside[1:]) if a and b}


@lru_cache(maxsize=8192)
def text_pairs(text: str) -> frozenset[str]:
    """The adjacent word pairs of a text, accent-free ("a_b"), cached by the text."""
    words = sentence_words(text)
    return frozenset(f"{a.folded}_{b.folded}" for a, b in zip(words, words[1:]))


@lru_cache(maxsize=8192)
def text_words(text: str) -> frozenset[str]:
    return frozenset(w.folded for w in sentence_words(text))


def spread_weights(weights: dict[str, float], sentences: list[frozenset[str]]) -> dict[str, float]:
    """Each question term's weight within a passage: its IDF times `log(1 + sentences / (1 + sentences
    holding it))`, so a term every sentence has (the passage's topic) says little about which answers."""
    count = len(sentences)
    return {term: weight * math.log(1 + count / (1 + sum(term in terms for terms in sentences)))
            for term, weight in weights.items()}


def missing_share(content: dict[str, float], said: set[str]) -> float:
    """How rare the rarest question word missing from `said` is, against the rarest of all: a question
    naming something the text never mentions ("khối A", "dân số") is seldom answered by it."""
    if not content:
        return 0.0
    absent = [weight for word, weight in content.items() if word not in said]
    return max(absent, default=0.0) / max(content.values())
