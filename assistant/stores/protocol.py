"""The store protocol: where a generation's search indexes live, and what building them takes.

Two stores implement it fully: `stores.local.LocalStore` (FAISS and bm25s files in the generation)
and `stores.milvus.MilvusStore` (rows of a Milvus collection). Neither knows the other's files:
a generation written by one store is read by that store (`stores.directory.IndexDirectory`), and
moving an index from one to the other hands the vectors over through `IndexBuild.all_vectors`.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Protocol, Sequence

import numpy as np

from ..config import LexicalSettings
from ..search.protocols import DenseSearch, LexicalSearch
from .snapshot import IndexSnapshot


@dataclass(frozen=True)
class IndexBuild:
    """What the next generation's search indexes are built from.

    Attributes:
        live: the live generation this one replaces (None for a first build).
        previous: the generation whose vectors and term counts may be reused: the live one, or
            None when every vector is recomputed (`--rebuild`).
        keys: each passage's vector key, in index order.
        search_texts: each passage's indexed text (title, heading, passage).
        rows: for each passage, its row in `previous`, or None for a new passage, whose vector
            is the next row of `new_vectors`.
        new_vectors: the vectors of the new passages, in order.
        removed_texts / added_texts: search texts of the passages leaving and joining `previous`
            (as multisets), for statistics kept up to date by difference.
        lexical: the BM25 settings.
        exact_search_limit: archives up to this many passages are searched exactly.
    """

    live: IndexSnapshot | None
    previous: IndexSnapshot | None
    keys: Sequence[str]
    search_texts: Sequence[str]
    rows: Sequence[int | None]
    new_vectors: np.ndarray
    removed_texts: Sequence[str]
    added_texts: Sequence[str]
    lexical: LexicalSettings
    exact_search_limit: int

    @property
    def dimension(self) -> int:
        return self.new_vectors.shape[1] if len(self.new_vectors) else self.previous.dense.dimension

    def new_passages(self) -> list[int]:
        """The indexes of the passages whose vectors are new."""
        return [i for i, row in enumerate(self.rows) if row is None]

    def all_vectors(self) -> np.ndarray:
        """One vector per passage: its row of `previous`, or the next new vector."""
        missing = self.new_passages()
        kept = [i for i, row in enumerate(self.rows) if row is not None]
        if kept:
            old_vectors = self.previous.dense.vectors()
            vectors = np.zeros((len(self.rows), old_vectors.shape[1]), np.float32)
            vectors[kept] = old_vectors[[self.rows[i] for i in kept]]
        else:
            vectors = np.zeros((len(self.rows), self.new_vectors.shape[1]), np.float32)
        if missing:
            vectors[missing] = self.new_vectors
        return vectors


class IndexStore(Protocol):
    """Where a generation's vectors and BM25 terms live, and how they are searched."""

    kind: str  # recorded in the manifest (`stores.manifest.store_kind`)

    def manifest_problem(self, manifest: dict) -> str | None:
        """What is wrong with this store's part of a generation's manifest, or None."""
        ...

    def open(self, generation: Path, manifest: dict, keys: list[str], mmap: bool) -> tuple[DenseSearch, LexicalSearch]:
        """The search indexes of a generation this store wrote, whose passages have the vector
        keys `keys`.

        Raises:
            IndexStateError: they are missing or do not match the generation.
        """
        ...

    def build(self, build: IndexBuild) -> tuple[DenseSearch, LexicalSearch]:
        """The search indexes of the next generation."""
        ...

    def save(self, staging: Path, dense: DenseSearch, lexical: LexicalSearch) -> dict:
        """Write the indexes `build` made into the generation being made; returns what its
        manifest should add."""
        ...

    def published(self, keys: Sequence[str], replaced: IndexSnapshot | None) -> None:
        """Called once a generation holding the passages `keys` is live instead of `replaced`."""
        ...

    def verify(self, generation: Path, manifest: dict, keys: list[str]) -> None:
        """Check, beyond the generation's files, what this store keeps elsewhere (restoring,
        `--verify`).

        Raises:
            IndexStateError: the generation cannot be served any more.
        """
        ...
