"""Lexical index: BM25 (bm25s) over Vietnamese syllables and syllable bigrams, with an
accent-free field so questions typed without diacritics still match."""

from __future__ import annotations

import logging
from functools import lru_cache
from pathlib import Path
from typing import Sequence

import numpy as np

from .config import LexicalSettings
from .vietnamese import has_diacritics, sentence_spans, strip_diacritics, tokens

log = logging.getLogger(__name__)

FOLDED = "~"  # prefix of accent-free terms, so `~duong` never collides with a real syllable
BIGRAM = "_"


def _with_bigrams(words: list[str], bigrams: bool) -> list[str]:
    if not bigrams:
        return list(words)
    return words + [a + BIGRAM + b for a, b in zip(words, words[1:])]


def passage_terms(text: str, settings: LexicalSettings = LexicalSettings()) -> list[str]:
    """Terms indexed for a passage: exact syllables (+ bigrams), and their accent-free forms."""
    words = tokens(text)
    terms = _with_bigrams(words, settings.bigrams)
    if settings.folded:
        terms += [FOLDED + term for term in _with_bigrams([strip_diacritics(w) for w in words], settings.bigrams)]
    return terms


@lru_cache(maxsize=1024)
def term_set(text: str, settings: LexicalSettings = LexicalSettings()) -> frozenset[str]:
    """The distinct `passage_terms` of `text`, cached: the same passages come back question after
    question, and highlighting and the answer's confidence both need their terms."""
    return frozenset(passage_terms(text, settings))


@lru_cache(maxsize=4096)
def passage_sentences(text: str, settings: LexicalSettings = LexicalSettings()
                      ) -> tuple[tuple[int, int, frozenset[str]], ...]:
    """`(start, end, terms)` of each sentence of a passage, cached like `term_set`: ranking,
    highlighting and the answer's confidence all read the sentences of the same few passages."""
    return tuple((start, end, frozenset(passage_terms(text[start:end], settings))) for start, end in sentence_spans(text))


@lru_cache(maxsize=1024)
def query_terms(question: str, settings: LexicalSettings = LexicalSettings()) -> tuple[str, ...]:
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


class LexicalIndex:
    """BM25 over passage terms; scores every passage for a question in one sparse product."""

    def __init__(self, retriever, settings: LexicalSettings):
        self.retriever = retriever
        self.settings = settings
        indptr = np.asarray(retriever.scores["indptr"])
        self._document_frequency = np.diff(indptr)  # CSC columns are terms

    @classmethod
    def build(cls, texts: Sequence[str], settings: LexicalSettings = LexicalSettings(),
              show_progress: bool = False) -> "LexicalIndex":
        """Index `texts` (search texts of passages, in index order)."""
        import bm25s

        retriever = bm25s.BM25(k1=settings.k1, b=settings.b)
        corpus_terms = [passage_terms(text, settings) or [""] for text in texts]
        retriever.index(corpus_terms, show_progress=show_progress)
        return cls(retriever, settings)

    @property
    def size(self) -> int:
        return int(self.retriever.scores["num_docs"])

    def scores(self, question: str) -> np.ndarray:
        """BM25 score of every passage for `question` (zeros when no term is known)."""
        ids = self.retriever.get_tokens_ids(query_terms(question, self.settings))
        if not ids:
            return np.zeros(self.size, dtype=np.float32)
        return np.asarray(self.retriever.get_scores_from_ids(ids), dtype=np.float32)

    def search(self, question: str, k: int) -> list[tuple[int, float]]:
        """The `k` best `(passage index, score)` pairs with a positive score, best first."""
        scores = self.scores(question)
        k = min(k, len(scores))
        if k <= 0:
            return []
        top = np.argpartition(-scores, k - 1)[:k]
        top = top[np.argsort(-scores[top], kind="stable")]
        return [(int(i), float(scores[i])) for i in top if scores[i] > 0]

    def idf(self, terms: Sequence[str]) -> dict[str, float]:
        """Inverse document frequency of each term; terms absent from the index get the maximum."""
        n = self.size
        vocab = self.retriever.vocab_dict
        weights = {}
        for term in terms:
            df = int(self._document_frequency[vocab[term]]) if term in vocab else 0
            weights[term] = float(np.log(1 + (n - df + 0.5) / (df + 0.5)))
        return weights

    def save(self, directory: Path) -> None:
        """Write the index as bm25s's plain files (JSON and .npy, no pickle)."""
        self.retriever.save(str(directory), show_progress=False)

    @classmethod
    def load(cls, directory: Path, settings: LexicalSettings, mmap: bool = False) -> "LexicalIndex":
        import bm25s

        retriever = bm25s.BM25.load(str(directory), mmap=mmap, show_progress=False)
        return cls(retriever, settings)
