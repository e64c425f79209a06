"""Dense index: FAISS inner-product search over L2-normalised passage embeddings."""

from __future__ import annotations

from pathlib import Path

import numpy as np

# Archives up to this many passages are searched exactly (a few ms); larger ones use HNSW.
EXACT_SEARCH_LIMIT = 200_000
HNSW_NEIGHBOURS = 32
HNSW_EF_CONSTRUCTION = 80
HNSW_EF_SEARCH = 128


def build_faiss_index(vectors: np.ndarray, exact_limit: int = EXACT_SEARCH_LIMIT):
    """An inner-product FAISS index of `vectors`: exact (`IndexFlatIP`) for small archives,
    HNSW for large ones, where exact search would read the whole matrix per question."""
    import faiss

    vectors = np.ascontiguousarray(vectors, dtype=np.float32)
    dimension = vectors.shape[1]
    if len(vectors) <= exact_limit:
        index = faiss.IndexFlatIP(dimension)
    else:
        index = faiss.IndexHNSWFlat(dimension, HNSW_NEIGHBOURS, faiss.METRIC_INNER_PRODUCT)
        index.hnsw.efConstruction = HNSW_EF_CONSTRUCTION
        index.hnsw.efSearch = HNSW_EF_SEARCH
    if len(vectors):
        index.add(vectors)
    return index


class DenseIndex:
    """Nearest passages by cosine similarity (vectors are normalised, so inner product)."""

    def __init__(self, index):
        self.index = index

    @classmethod
    def build(cls, vectors: np.ndarray, exact_limit: int = EXACT_SEARCH_LIMIT) -> "DenseIndex":
        return cls(build_faiss_index(vectors, exact_limit))

    @property
    def size(self) -> int:
        return int(self.index.ntotal)

    @property
    def dimension(self) -> int:
        return int(self.index.d)

    @property
    def kind(self) -> str:
        return type(self.index).__name__

    def search(self, query_vector: np.ndarray, k: int) -> list[tuple[int, float]]:
        """The `k` nearest `(passage index, cosine)` pairs, best first."""
        k = min(k, self.size)
        if k <= 0:
            return []
        scores, ids = self.index.search(np.asarray(query_vector, dtype=np.float32).reshape(1, -1), k)
        return [(int(i), float(s)) for i, s in zip(ids[0], scores[0]) if i >= 0]

    def vectors(self) -> np.ndarray:
        """All stored vectors, in passage order (reused when the index is updated)."""
        if self.size == 0:
            return np.zeros((0, self.dimension), dtype=np.float32)
        return self.index.reconstruct_n(0, self.size)

    def save(self, path: Path) -> None:
        import faiss

        faiss.write_index(self.index, str(path))

    @classmethod
    def load(cls, path: Path, mmap: bool = False) -> "DenseIndex":
        import faiss

        flags = faiss.IO_FLAG_MMAP | faiss.IO_FLAG_READ_ONLY if mmap else 0
        index = faiss.read_index(str(path), flags)
        if isinstance(index, faiss.IndexHNSW):
            index.hnsw.efSearch = HNSW_EF_SEARCH
        return cls(index)
