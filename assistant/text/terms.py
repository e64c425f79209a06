"""Terms: the words a passage is indexed by and a question searched with (syllables, syllable
pairs, and their accent-free forms), and each sentence's terms. Shared by BM25, the sentence
scorer and the answer's confidence, so all read a text the same way."""

from __future__ import annotations

from functools import lru_cache

from ..config import LexicalSettings
from .normalize import has_diacritics, strip_diacritics, strip_word_diacritics, tokens
from .sentences import sentence_spans

FOLDED = "~"  # prefix of accent-free terms, so `~duong` never collides with a real syllable
BIGRAM = "_"
EMPTY = ""  # the one term of a passage without any, so every passage has a row



def _with_bigrams(words: list[str], bigrams: bool) -> list[str]:
    if not bigrams:
        return list(words)
    return words + [a + BIGRAM + b for a, b in zip(words, words[1:])]


def passage_terms(text: str, settings: LexicalSettings) -> list[str]:
    """Terms indexed for a passage: exact syllables (+ bigrams), and their accent-free forms."""
    words = tokens(text)
    terms = _with_bigrams(words, settings.bigrams)
    if settings.folded:
        terms += [FOLDED + term for term in _with_bigrams([strip_word_diacritics(w) for w in words], settings.bigrams)]
    return terms


@lru_cache(maxsize=1024)
def term_set(text: str, settings: LexicalSettings) -> frozenset[str]:
    """The distinct `passage_terms` of `text`, cached: the same passages come back question after
    question, and highlighting and the answer's confidence both need their terms."""
    return frozenset(passage_terms(text, settings))


@lru_cache(maxsize=4096)
def passage_sentences(text: str, settings: LexicalSettings
                      ) -> tuple[tuple[int, int, frozenset[str]], ...]:
    """`(start, end, terms)` of each sentence of a passage, cached like `term_set`: ranking,
    highlighting and the answer's confidence all read the sentences of the same few passages."""
    return tuple((start, end, frozenset(passage_terms(text[start:end], settings))) for start, end in sentence_spans(text))


@lru_cache(maxsize=1024)
def query_terms(question: str, settings: LexicalSettings) -> tuple[str, ...]:
    """Terms searched for a question, without repeats (cached: search, ranking, highlighting and
    the answer's confidence all read them).

    A question with diacritics searches both the exact and the accent-free terms, so exact
    matches score twice and rank above accent-folded ones (`đường` over `dương`). A question
    without any diacritic searches only the accent-free terms.
    """
    words = tokens(question)
    folded = [FOLDED + term for term in _with_bigrams([strip_diacritics(w) for w in words], settings.bigrams)]
    if not settings.folded:
        terms = _with_bigrams(words, settings.bigrams)
    elif has_diacritics(question):
        terms = _with_bigrams(words, settings.bigrams) + folded
    else:
        terms = folded
    return tuple(dict.fromkeys(terms))


