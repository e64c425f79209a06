"""Dense index: exact search for small archives, approximate for large ones, save/load with and without mmap."""

from __future__ import annotations

import numpy as np
import pytest

faiss = pytest.importorskip("faiss")

from assistant.search.dense import DenseIndex

DIMENSION = 48
# Measured recall@10 of the large-archive index against exact search on these 3,000 random
# vectors and 100 random queries: 1.000 in 20 of 20 builds (graphs built on several threads vary
# run to run). With efSearch lowered to 32 it falls to 0.95, to 16 0.84: the bound catches that.
MIN_RECALL_AT_10 = 0.98


def random_unit_vectors(count: int, seed: int, dimension: int = DIMENSION) -> np.ndarray:
    vectors = np.random.default_rng(seed).standard_normal((count, dimension)).astype(np.float32)
    return vectors / np.linalg.norm(vectors, axis=1, keepdims=True)


@pytest.fixture(scope="module")
def vectors() -> np.ndarray:
    return random_unit_vectors(3000, seed=7)


@pytest.fixture(scope="module")
def approximate(vectors) -> DenseIndex:
    return DenseIndex.build(vectors, exact_limit=len(vectors) - 1)


def test_small_archives_are_searched_exactly(vectors):
    index = DenseIndex.build(vectors[:500])
    assert index.kind == "IndexFlatIP"
    assert (index.size, index.dimension) == (500, DIMENSION)
    best, score = index.search(vectors[42], k=1)[0]
    assert best == 42 and score == pytest.approx(1.0, abs=1e-5)


def test_large_archives_use_an_approximate_index(approximate, vectors):
    assert approximate.kind != "IndexFlatIP"
    assert (approximate.size, approximate.dimension) == (len(vectors), DIMENSION)


def neighbours(index: DenseIndex, queries: np.ndarray, k: int = 10) -> list[list[int]]:
    return [[passage for passage, _ in index.search(query, k)] for query in queries]


def test_approximate_recall_against_exact_search(approximate, vectors, recall_at_k):
    queries = random_unit_vectors(100, seed=8)
    exact = neighbours(DenseIndex.build(vectors), queries)
    assert recall_at_k(neighbours(approximate, queries), exact, 10) >= MIN_RECALL_AT_10


def test_search_returns_best_first_and_at_most_size(vectors):
    index = DenseIndex.build(vectors[:5])
    hits = index.search(vectors[0], k=50)
    assert len(hits) == 5
    assert [score for _, score in hits] == sorted((score for _, score in hits), reverse=True)


@pytest.mark.parametrize("exact", [True, False], ids=["exact", "approximate"])
def test_vectors_come_back_in_passage_order(vectors, exact):
    index = DenseIndex.build(vectors, exact_limit=len(vectors) if exact else 0)
    assert np.array_equal(index.vectors(), vectors)


@pytest.mark.parametrize("mmap", [False, True], ids=["read", "mmap"])
@pytest.mark.parametrize("exact", [True, False], ids=["exact", "approximate"])
def test_save_load_round_trip(tmp_path, vectors, exact, mmap):
    index = DenseIndex.build(vectors, exact_limit=len(vectors) if exact else 0)
    path = tmp_path / "dense.faiss"
    index.save(path)
    loaded = DenseIndex.load(path, mmap=mmap)
    assert (loaded.kind, loaded.size, loaded.dimension) == (index.kind, index.size, index.dimension)
    assert np.array_equal(loaded.vectors(), vectors)
    queries = random_unit_vectors(20, seed=9)
    assert [loaded.search(q, 10) for q in queries] == [index.search(q, 10) for q in queries]


@pytest.mark.parametrize("mmap", [False, True], ids=["read", "mmap"])
def test_empty_index(tmp_path, mmap):
    index = DenseIndex.build(np.zeros((0, DIMENSION), dtype=np.float32))
    assert (index.size, index.dimension) == (0, DIMENSION)
    assert index.search(random_unit_vectors(1, seed=1)[0], k=5) == []
    assert index.vectors().shape == (0, DIMENSION)
    index.save(tmp_path / "dense.faiss")
    loaded = DenseIndex.load(tmp_path / "dense.faiss", mmap=mmap)
    assert (loaded.size, loaded.dimension) == (0, DIMENSION)
    assert loaded.search(random_unit_vectors(1, seed=1)[0], k=5) == []


def test_mmap_falls_back_to_reading_when_faiss_cannot_map(tmp_path, vectors, monkeypatch):
    DenseIndex.build(vectors[:100]).save(tmp_path / "dense.faiss")
    read_index = faiss.read_index

    def refuse_flags(path, flags=0):
        if flags:
            raise RuntimeError("mmap only supported for File objects")
        return read_index(path)

    monkeypatch.setattr(faiss, "read_index", refuse_flags)
    loaded = DenseIndex.load(tmp_path / "dense.faiss", mmap=True)
    assert np.array_equal(loaded.vectors(), vectors[:100])


def test_extending_a_mapped_graph_adds_rows_and_keeps_recall(tmp_path, vectors, recall_at_k):
    DenseIndex.build(vectors[:2000], exact_limit=0).save(tmp_path / "dense.faiss")
    mapped = DenseIndex.load(tmp_path / "dense.faiss", mmap=True)
    extended = mapped.extended(vectors[2000:])
    assert (mapped.size, extended.size) == (2000, len(vectors))  # the loaded index is left as it was
    assert extended.approximate and np.array_equal(extended.vectors(), vectors)
    queries = random_unit_vectors(100, seed=9)
    exact = neighbours(DenseIndex.build(vectors), queries)
    assert recall_at_k(neighbours(extended, queries), exact, 10) >= MIN_RECALL_AT_10
