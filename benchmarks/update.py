"""Adding passages to a large archive: extend the HNSW graph vs rebuild it, and recall after extending.

    python -m benchmarks update --threads 1                      # 100k passages + 1,000 new, 3 rounds
    python -m benchmarks update --size 1000000 --rounds 1        # the 1M case (~10 min, 3 GB): update-1000k.json

Vectors are random-normal, normalised (the graph cost does not depend on the text). For each round:
the archive's graph is built once (`DenseIndex.build`, as the indexer builds it); then the time to
rebuild it with the new rows (what an update cost before) and to extend a copy of it with them
(`DenseIndex.extended`, what the indexer does when documents were only added). Recall@10 of both
against exact search over all vectors, on 200 queries.
"""

from __future__ import annotations

import statistics
import time

import numpy as np

from assistant.embed.runtime import configure_libraries
from assistant.search.dense import DenseIndex

from .common.measure import spread


def add_options(parser) -> None:
    parser.add_argument("--size", type=int, default=100_000, help="passages already indexed")
    parser.add_argument("--new", type=int, default=1_000, help="passages added")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--threads", type=int, default=2, help="faiss threads while building")
    parser.add_argument("--dimension", type=int, default=384)


def variant(options) -> str | None:
    return f"{options.size // 1000}k" if options.size != 100_000 else None


def unit_vectors(count: int, dimension: int, rng: np.random.Generator) -> np.ndarray:
    vectors = rng.standard_normal((count, dimension)).astype(np.float32)
    return vectors / np.linalg.norm(vectors, axis=1, keepdims=True)


def recall_at_10(index: DenseIndex, exact: DenseIndex, queries: np.ndarray) -> float:
    return float(np.mean([len({i for i, _ in index.search(q, 10)} & {i for i, _ in exact.search(q, 10)}) / 10
                          for q in queries]))


def run(options) -> dict:
    configure_libraries(options.threads)
    rng = np.random.default_rng(0)
    base = unit_vectors(options.size, options.dimension, rng)
    new = unit_vectors(options.new, options.dimension, rng)
    everything = np.vstack([base, new])
    queries = unit_vectors(200, options.dimension, rng)
    exact = DenseIndex.build(everything, exact_limit=len(everything))

    rebuild, extend, rebuild_recall, extend_recall = [], [], [], []
    graph = DenseIndex.build(base, exact_limit=0)
    for _ in range(options.rounds):
        started = time.perf_counter()
        rebuilt = DenseIndex.build(everything, exact_limit=0)
        rebuild.append(time.perf_counter() - started)
        started = time.perf_counter()
        extended = graph.extended(new)
        extend.append(time.perf_counter() - started)
        rebuild_recall.append(recall_at_10(rebuilt, exact, queries))
        extend_recall.append(recall_at_10(extended, exact, queries))
    return {"size": options.size, "new": options.new, "dimension": options.dimension, "threads": options.threads,
            "rounds": options.rounds,
            "rebuild": {"seconds": spread(rebuild), "recall_at_10": statistics.median(rebuild_recall)},
            "extend": {"seconds": spread(extend), "recall_at_10": statistics.median(extend_recall)},
            "extend_to_rebuild": statistics.median(extend) / statistics.median(rebuild)}
