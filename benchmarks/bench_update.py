"""Adding passages to a large archive: extend the HNSW graph vs rebuild it, and recall after extending.

    python benchmarks/bench_update.py                       # 100k passages + 1,000 new, 3 rounds
    python benchmarks/bench_update.py --size 1000000 --rounds 1   # the 1M case (~10 min, 3 GB)

Vectors are random-normal, normalised (the graph cost does not depend on the text). For each round:
the archive's graph is built once (`DenseIndex.build`, as the indexer builds it); then the time to
rebuild it with the new rows (what an update cost before) and to extend a copy of it with them
(`DenseIndex.extended`, what the indexer does when documents were only added). Recall@10 of both
against exact search over all vectors, on 200 queries.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time

import numpy as np

from assistant.embed.runtime import configure_libraries
from assistant.search.dense import DenseIndex


def unit_vectors(count: int, dimension: int, rng: np.random.Generator) -> np.ndarray:
    vectors = rng.standard_normal((count, dimension)).astype(np.float32)
    return vectors / np.linalg.norm(vectors, axis=1, keepdims=True)


def recall_at_10(index: DenseIndex, exact: DenseIndex, queries: np.ndarray) -> float:
    return float(np.mean([len({i for i, _ in index.search(q, 10)} & {i for i, _ in exact.search(q, 10)}) / 10
                          for q in queries]))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", type=int, default=100_000, help="passages already indexed")
    parser.add_argument("--new", type=int, default=1_000, help="passages added")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--threads", type=int, default=2, help="faiss threads while building")
    parser.add_argument("--dimension", type=int, default=384)
    args = parser.parse_args()
    configure_libraries(args.threads)
    rng = np.random.default_rng(0)
    base = unit_vectors(args.size, args.dimension, rng)
    new = unit_vectors(args.new, args.dimension, rng)
    everything = np.vstack([base, new])
    queries = unit_vectors(200, args.dimension, rng)
    exact = DenseIndex.build(everything, exact_limit=len(everything))

    rebuild, extend, rebuild_recall, extend_recall = [], [], [], []
    graph = DenseIndex.build(base, exact_limit=0)
    for _ in range(args.rounds):
        started = time.perf_counter()
        rebuilt = DenseIndex.build(everything, exact_limit=0)
        rebuild.append(time.perf_counter() - started)
        started = time.perf_counter()
        extended = graph.extended(new)
        extend.append(time.perf_counter() - started)
        rebuild_recall.append(recall_at_10(rebuilt, exact, queries))
        extend_recall.append(recall_at_10(extended, exact, queries))

    print(f"{args.size:,} passages + {args.new:,} new, dimension {args.dimension}, {args.threads} faiss threads, "
          f"{args.rounds} rounds\n")
    print("| update | median s | max s | recall@10 vs exact |")
    print("|---|---|---|---|")
    print(f"| rebuild the graph | {statistics.median(rebuild):.2f} | {max(rebuild):.2f} | "
          f"{statistics.median(rebuild_recall):.3f} |")
    print(f"| extend the graph | {statistics.median(extend):.2f} | {max(extend):.2f} | "
          f"{statistics.median(extend_recall):.3f} |")
    print(f"\nextend / rebuild: {statistics.median(extend) / statistics.median(rebuild):.3f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
