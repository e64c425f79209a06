"""What a question needs of a store's search indexes: the two protocols every store implements
(`search.dense.DenseIndex` and `search.lexical.LexicalIndex` locally, their Milvus counterparts in
`stores.milvus`)."""

from __future__ import annotations

from typing import Protocol, Sequence

import numpy as np

from ..config import LexicalSettings


class DenseSearch(Protocol):
    """Nearest passages to a question's vector, by cosine."""

    size: int
    dimension: int

    def search(self, query_vector: np.ndarray, k: int) -> list[tuple[int, float]]:
        """The `k` nearest `(passage index, cosine)` pairs, best first."""
        ...

    def similarities(self, query_vector: np.ndarray, passages: list[int]) -> dict[int, float]:
        """The cosine of the question with each of `passages`, whatever their rank."""
        ...

    def vectors(self) -> np.ndarray:
        """Every passage's vector, in passage order (reused when the index is updated or moved)."""
        ...


class LexicalSearch(Protocol):
    """BM25 over the passages' terms."""

    settings: LexicalSettings
    size: int

    def search(self, question: str, k: int) -> list[tuple[int, float]]:
        """The `k` best `(passage index, BM25 score)` pairs with a positive score, best first."""
        ...

    def idf(self, terms: Sequence[str]) -> dict[str, float]:
        """The archive's inverse document frequency of each term."""
        ...
