"""The `local` store's search indexes: a FAISS index of the vectors and a BM25 (bm25s) matrix of
the terms, built for a new generation from the previous one and the newly embedded passages."""

from __future__ import annotations

from typing import Sequence

import numpy as np

from .config import Settings
from .dense import DenseIndex
from .index_files import IndexSnapshot
from .lexical import LexicalIndex


def _dense_index(snapshot: IndexSnapshot | None, hashes: Sequence[str], vectors: np.ndarray,
                 exact_limit: int) -> DenseIndex:
    """The dense index for `vectors`: the previous HNSW graph extended when passages were only
    appended (new documents come after the indexed ones), else built afresh."""
    if snapshot is not None and snapshot.dense.approximate and len(vectors) > exact_limit:
        size = snapshot.dense.size
        if len(hashes) > size and list(hashes[:size]) == list(snapshot.chunk_hashes):
            return snapshot.dense.extended(vectors[size:])
    return DenseIndex.build(vectors, exact_limit)


def all_vectors(previous: IndexSnapshot | None, rows: Sequence[int | None], new_vectors: np.ndarray) -> np.ndarray:
    """One vector per passage: row `rows[i]` of the previous generation, or the next new vector
    where `rows[i]` is None."""
    missing = [i for i, row in enumerate(rows) if row is None]
    kept = [i for i, row in enumerate(rows) if row is not None]
    if kept:
        old_vectors = previous.dense.vectors()
        vectors = np.zeros((len(rows), old_vectors.shape[1]), np.float32)
        vectors[kept] = old_vectors[[rows[i] for i in kept]]
    else:
        vectors = np.zeros((len(rows), new_vectors.shape[1]), np.float32)
    if missing:
        vectors[missing] = new_vectors
    return vectors


def build_local_indexes(previous: IndexSnapshot | None, hashes: Sequence[str], search_texts: Sequence[str],
                        rows: Sequence[int | None], new_vectors: np.ndarray,
                        settings: Settings) -> tuple[DenseIndex, LexicalIndex]:
    """The dense and lexical indexes of the passages `hashes` / `search_texts`, reusing the rows
    `rows` of `previous` (None: a new passage, whose vector is the next of `new_vectors`)."""
    vectors = all_vectors(previous, rows, new_vectors)
    dense = _dense_index(previous, hashes, vectors, settings.exact_search_limit)
    same_terms = previous is not None and previous.lexical.settings.terms == settings.lexical.terms
    lexical = LexicalIndex.build(search_texts, settings.lexical, previous=previous.lexical if same_terms else None,
                                 reuse=rows)
    return dense, lexical
