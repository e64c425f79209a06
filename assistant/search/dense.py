"""Dense index: FAISS inner-product search over L2-normalised passage embeddings.

Small archives are searched exactly (`IndexFlatIP`); large ones with HNSW (`IndexHNSWFlat`), whose
parameters were chosen with `python -m benchmarks scale` (tables in benchmarks/PERFORMANCE.md).
"""

from __future__ import annotations

import logging
from pathlib import Path

import numpy as np

from ..config import EXACT_SEARCH_LIMIT

log = logging.getLogger(__name__)

# Numbers below: `python -m benchmarks scale` on a shared 2-core machine (load 3-5), 384-dimensional
# "structured" vectors (mixtures of real e5 embeddings of XQuAD sentences; XQuAD questions as
# queries), k=50 as the assistant searches, one faiss thread; tables in benchmarks/PERFORMANCE.md.
#
# Exact search reads every vector for every question: p50 4.4 ms at 20k passages, 8.6 ms at 50k,
# 20 ms at 100k, 160 ms at 1M. Past 20k it costs a noticeable share of the question's embedding
# (~50 ms), while HNSW answers in 1-2 ms at recall@10 >= 0.99 and builds 20k vectors in 7 s:
# hence `config.EXACT_SEARCH_LIMIT`, 20,000.
# HNSW M=32, efConstruction=80: builds 100k vectors in 17-45 s, 1M in 416-523 s (peak +1.7 GB).
# At 1M, recall@10 is 0.885 at efSearch=128, 0.933 at 256, 0.966 at 384, 0.983 at 512 (p50
# 1.4-3.2 ms) and 0.989 at 768; at 100k efSearch=512 gives 0.999 in 1.9 ms. Cheaper builds lose
# recall at 100k (efSearch=128): M=16/efConstruction=40 0.934, M=32/efConstruction=40 0.957;
# IVFFlat with 1,024 lists stops at 0.963 (nprobe=128, 3.3-3.9 ms).
HNSW_NEIGHBOURS = 32
HNSW_EF_CONSTRUCTION = 80
HNSW_EF_SEARCH = 512


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


def read_faiss_index(path: Path, mmap: bool = False):
    """Read a FAISS index file, memory-mapping its vectors (and HNSW graph) when `mmap` is set.

    `IO_FLAG_MMAP_IFC` maps the codes of flat indexes and of HNSW's storage and graph, so loading
    takes milliseconds and the pages live in the OS page cache, shared by every process serving
    the same index. The older `IO_FLAG_MMAP` only maps IVF inverted lists: for `IndexFlatIP` and
    `IndexHNSWFlat` it still copies everything into private memory. When mapping is refused
    (an older faiss, an index type it cannot map), the file is read into memory instead.
    A mapped index is read-only: faiss aborts the process if one is added to, and nothing here does.
    """
    import faiss

    if mmap:
        flags = getattr(faiss, "IO_FLAG_MMAP_IFC", faiss.IO_FLAG_MMAP) | faiss.IO_FLAG_READ_ONLY
        try:
            return faiss.read_index(str(path), flags)
        except RuntimeError as error:
            log.info("%s: cannot memory-map (%s); reading it into memory", path, str(error).splitlines()[0][:200])
    return faiss.read_index(str(path))


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

    def similarities(self, query_vector: np.ndarray, passages: list[int]) -> dict[int, float]:
        """Cosine of `query_vector` with each of `passages` (by index), whatever their rank."""
        if not passages:
            return {}
        stored = np.stack([self.index.reconstruct(int(i)) for i in passages])
        return {int(i): float(s) for i, s in zip(passages, stored @ np.asarray(query_vector, dtype=np.float32))}

    def vectors(self) -> np.ndarray:
        """All stored vectors, in passage order (reused when the index is updated)."""
        if self.size == 0:
            return np.zeros((0, self.dimension), dtype=np.float32)
        return self.index.reconstruct_n(0, self.size)

    @property
    def approximate(self) -> bool:
        return self.kind.startswith("IndexHNSW")

    def extended(self, vectors: np.ndarray) -> "DenseIndex":
        """A copy of this index with `vectors` added after its own rows, leaving this one untouched.

        For HNSW the new vectors join the existing graph, which is how HNSW is built anyway: adding
        to a large archive costs what the new rows cost, not a rebuild (7–9 minutes at 1M passages).
        The copy is in memory even when this index is memory-mapped.
        """
        import faiss

        # Through a buffer, not `clone_index`: a clone of a mapped index still points at the mapped
        # file, and faiss aborts the process when one is added to.
        index = faiss.deserialize_index(faiss.serialize_index(self.index))
        if isinstance(index, faiss.IndexHNSW):
            index.hnsw.efConstruction = HNSW_EF_CONSTRUCTION
            index.hnsw.efSearch = HNSW_EF_SEARCH
        index.add(np.ascontiguousarray(vectors, dtype=np.float32))
        return DenseIndex(index)

    def save(self, path: Path) -> None:
        import faiss

        faiss.write_index(self.index, str(path))

    @classmethod
    def load(cls, path: Path, mmap: bool = False) -> "DenseIndex":
        """Load an index written by `save`; `mmap` maps it instead of reading it (see `read_faiss_index`)."""
        import faiss

        index = read_faiss_index(path, mmap)
        if isinstance(index, faiss.IndexHNSW):
            index.hnsw.efSearch = HNSW_EF_SEARCH
        return cls(index)
