"""Lexical index: BM25 (bm25s) over Vietnamese syllables and syllable bigrams, with an
accent-free field so questions typed without diacritics still match.

Besides bm25s's files the index keeps each passage's term counts (a sparse passages × terms
matrix). An update tokenises only the passages that are new and recomputes the BM25 weights of the
whole archive from the counts in a few vectorised steps (`bm25_weights`), so its cost follows the
change, not the archive.
"""

from __future__ import annotations

import functools
import logging
from collections import Counter
from pathlib import Path
from typing import Sequence

import numpy as np

from ..config import LexicalSettings
from ..text.terms import EMPTY, passage_terms, query_terms

log = logging.getLogger(__name__)

# The term counts, stored beside bm25s's own files in the lexical folder.
COUNT_FILES = {"indptr": "terms.indptr.npy", "indices": "terms.indices.npy", "data": "terms.counts.npy"}

def bm25_idf(passages: int, document_frequency: np.ndarray) -> np.ndarray:
    """BM25's inverse document frequency (Lucene variant, as bm25s), never negative."""
    return np.log1p((passages - document_frequency + 0.5) / (document_frequency + 0.5))


def bm25_weights(counts, k1: float, b: float):
    """BM25 (Lucene variant, as bm25s computes it) of every passage × term from term counts:
    `idf · tf / (tf + k1 · (1 − b + b · length / mean length))`, as a CSC matrix for bm25s."""
    from scipy import sparse

    passages, terms = counts.shape
    tf = counts.data.astype(np.float64)
    lengths = np.asarray(counts.sum(axis=1), dtype=np.float64).ravel()
    document_frequency = np.bincount(counts.indices, minlength=terms)
    idf = bm25_idf(passages, document_frequency)
    rows = np.repeat(np.arange(passages), np.diff(counts.indptr))
    weights = idf[counts.indices] * tf / (tf + k1 * (1 - b + b * lengths[rows] / lengths.mean()))
    return sparse.csr_matrix((weights.astype(np.float32), counts.indices, counts.indptr), shape=counts.shape).tocsc()


# A term's count in one passage is at most the passage's length in characters, and 32 bits hold
# the length of any text (16 bits overflowed on a passage of 70,000 times one word).
COUNT_TYPE = np.uint32


def _count_rows(texts: Sequence[str], vocabulary: dict[str, int], settings: LexicalSettings):
    """Term counts of `texts` as a CSR matrix, adding their new terms to `vocabulary` (in place)."""
    from scipy import sparse

    indptr, indices, data = [0], [], []
    for text in texts:
        counted = Counter(passage_terms(text, settings) or [EMPTY])
        indices.extend(vocabulary.setdefault(term, len(vocabulary)) for term in counted)
        data.extend(counted.values())
        indptr.append(len(indices))
    return sparse.csr_matrix((np.array(data, dtype=COUNT_TYPE), np.array(indices, dtype=np.int32),
                              np.array(indptr, dtype=np.int64)), shape=(len(texts), len(vocabulary)))


UNUSED_TERMS_KEPT = 0.01


def _drop_unused_terms(counts, vocabulary: dict[str, int]):
    """`counts` and `vocabulary` without the terms no passage holds any more (after removals), once
    they are over `UNUSED_TERMS_KEPT` of the vocabulary: until then they cost only memory (their
    columns are empty, so they score nothing), while rebuilding a vocabulary of a million terms
    took 0.44 s of removing one article from 3,000."""
    used = np.bincount(counts.indices, minlength=counts.shape[1]) > 0
    if used.mean() >= 1 - UNUSED_TERMS_KEPT:
        return counts, vocabulary
    from scipy import sparse

    new_id = (np.cumsum(used) - 1).astype(np.int32)
    kept = sparse.csr_matrix((counts.data, new_id[counts.indices], counts.indptr),
                             shape=(counts.shape[0], int(used.sum())))
    return kept, {term: int(new_id[i]) for term, i in vocabulary.items() if used[i]}


@functools.cache
def _precomputed_bm25():
    """A `bm25s.BM25` that takes the weights computed here (`bm25_weights`) as its score matrix.

    bm25s builds its matrix in `build_index_from_ids`, which its documentation invites to override
    "to build the index in a different way"; `index` then installs the matrix and the vocabulary
    as it does its own. Our weights follow the archive by difference (an update tokenises only new
    passages), which bm25s's own build, from every passage's tokens, cannot.
    `tests/search/test_lexical.py` checks the scores against bm25s's own index of the same terms.
    """
    import bm25s

    class PrecomputedBM25(bm25s.BM25):
        weights = None  # set for each build, before `index`

        def build_index_from_ids(self, unique_token_ids, corpus_token_ids, show_progress=True, leave_progress=False):
            self.nonoccurrence_array = None  # Lucene's BM25 scores nothing for absent terms
            weights = self.weights
            return {"data": weights.data, "indices": weights.indices.astype(np.int32), "indptr": weights.indptr,
                    "num_docs": weights.shape[0]}

    return PrecomputedBM25


def _retriever(weights, vocabulary: dict[str, int], settings: LexicalSettings):
    """A bm25s retriever scoring with `weights` (passages × terms, CSC) over `vocabulary`."""
    retriever = _precomputed_bm25()(k1=settings.k1, b=settings.b, method="lucene")
    retriever.weights = weights
    retriever.index(([], vocabulary), create_empty_token=False, show_progress=False)
    retriever.weights = None
    return retriever


class LexicalIndex:
    """BM25 over passage terms; scores every passage for a question in one sparse product."""

    def __init__(self, retriever, settings: LexicalSettings, counts=None, directory: Path | None = None):
        self.retriever = retriever
        self.settings = settings
        self._counts = counts  # passages × terms (ids of retriever.vocab_dict), CSR; read on demand
        self._directory = directory
        indptr = np.asarray(retriever.scores["indptr"])
        self._document_frequency = np.diff(indptr)  # CSC columns are terms

    @classmethod
    def build(cls, texts: Sequence[str], settings: LexicalSettings,
              previous: "LexicalIndex | None" = None, reuse: Sequence[int | None] = ()) -> "LexicalIndex":
        """Index `texts` (search texts of passages, in index order).

        Args:
            previous: an index built with the same term settings, whose passages may be reused.
            reuse: for each text, the row of `previous` holding the same text, or None; only the
                texts without one are tokenised.
        """
        from scipy import sparse

        old_counts = previous.counts if previous is not None else None
        if old_counts is None:
            reuse = [None] * len(texts)
        vocabulary = dict(previous.retriever.vocab_dict) if old_counts is not None else {}
        fresh = [i for i, row in enumerate(reuse) if row is None]
        new_counts = _count_rows([texts[i] for i in fresh], vocabulary, settings)
        if old_counts is not None:
            width = (old_counts.shape[0], len(vocabulary))
            old_counts = sparse.csr_matrix((old_counts.data, old_counts.indices, old_counts.indptr), shape=width)
            stacked = sparse.vstack([old_counts, new_counts], format="csr")
            fresh_row = dict(zip(fresh, range(old_counts.shape[0], stacked.shape[0])))
            order = [row if row is not None else fresh_row[i] for i, row in enumerate(reuse)]
            counts = stacked[np.array(order, dtype=np.int64)]
        else:
            counts = new_counts
        counts, vocabulary = _drop_unused_terms(counts, vocabulary)
        retriever = _retriever(bm25_weights(counts, settings.k1, settings.b), vocabulary, settings)
        return cls(retriever, settings, counts)

    @property
    def counts(self):
        """Term counts per passage (CSR, passages × terms), or None for an index written without them."""
        if self._counts is None and self._directory is not None:
            from scipy import sparse

            paths = {key: self._directory / name for key, name in COUNT_FILES.items()}
            if all(path.is_file() for path in paths.values()):
                arrays = {key: np.load(path, allow_pickle=False) for key, path in paths.items()}
                self._counts = sparse.csr_matrix((arrays["data"], arrays["indices"], arrays["indptr"]),
                                                 shape=(self.size, len(self.retriever.vocab_dict)))
        return self._counts

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
        vocab = self.retriever.vocab_dict
        df = np.array([self._document_frequency[vocab[term]] if term in vocab else 0 for term in terms], np.int64)
        return dict(zip(terms, bm25_idf(self.size, df).tolist()))

    def save(self, directory: Path) -> None:
        """Write the index as bm25s's plain files and the term counts (JSON and .npy, no pickle)."""
        self.retriever.save(str(directory), show_progress=False)
        counts = self.counts
        if counts is not None:
            for key, name in COUNT_FILES.items():
                np.save(directory / name, getattr(counts, key), allow_pickle=False)

    @classmethod
    def load(cls, directory: Path, settings: LexicalSettings, mmap: bool = False) -> "LexicalIndex":
        import bm25s

        retriever = bm25s.BM25.load(str(directory), mmap=mmap, show_progress=False)
        return cls(retriever, settings, directory=Path(directory))
