"""Dense search at scale: exact search against HNSW and IVF indexes (build time, recall@10, latency,
size, build peak), and loading the shipped index read into memory or memory-mapped."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

import numpy as np

from assistant.search.dense import DenseIndex

from ..common.measure import reset_peak, spread, status_mb
from .corpus import SCRATCH, SEED

K = 10
CANDIDATES = 50  # what the assistant asks each retriever for (Settings.candidates)


def latencies(function, items, threads: int = 1) -> dict[str, float]:
    """Spread in milliseconds of `function(item)` over `items`, one call at a time, with faiss limited
    to `threads` OpenMP threads (one question is one thread's work: see PERFORMANCE.md)."""
    import faiss

    default = faiss.omp_get_max_threads()
    faiss.omp_set_num_threads(threads)
    seconds = []
    try:
        for item in items:
            started = time.perf_counter()
            function(item)
            seconds.append(time.perf_counter() - started)
    finally:
        faiss.omp_set_num_threads(default)
    return spread(seconds, scale=1000)


def size_mb(path: Path) -> float:
    files = [path] if path.is_file() else [p for p in path.rglob("*") if p.is_file()]
    return sum(p.stat().st_size for p in files) / 1e6


def build_ann(spec: str, vectors: np.ndarray):
    """An approximate index from a spec: `shipped` (DenseIndex.build), `hnsw:M:efConstruction`, `ivf:nlist`.

    Returns:
        `(faiss index, name of its search parameter, values of it to sweep)`.

    Raises:
        ValueError: an unknown spec, with the forms accepted.
    """
    import faiss

    dimension = vectors.shape[1]
    if spec == "shipped":
        index = DenseIndex.build(vectors, exact_limit=0).index
    elif spec.startswith("hnsw:"):
        _, neighbours, construction = spec.split(":")
        index = faiss.IndexHNSWFlat(dimension, int(neighbours), faiss.METRIC_INNER_PRODUCT)
        index.hnsw.efConstruction = int(construction)
        index.add(vectors)
    elif spec.startswith("ivf:"):
        lists = int(spec.split(":")[1])
        quantizer = faiss.IndexFlatIP(dimension)
        index = faiss.IndexIVFFlat(quantizer, dimension, lists, faiss.METRIC_INNER_PRODUCT)
        sample = np.random.default_rng(SEED).choice(len(vectors), min(len(vectors), 64 * lists), replace=False)
        index.train(vectors[np.sort(sample)])
        index.add(vectors)
    else:
        raise ValueError(f"unknown --ann spec {spec!r}; use shipped, hnsw:M:efConstruction or ivf:nlist")
    if isinstance(index, faiss.IndexHNSW):
        return index, "efSearch", (64, 128, 256, 384, 512, 768)
    return index, "nprobe", (1, 4, 8, 16, 32, 64, 128)


def set_search_parameter(index, name: str, value: int) -> None:
    if name == "efSearch":
        index.hnsw.efSearch = value
    else:
        index.nprobe = value


def recall_at_k(found: np.ndarray, truth: np.ndarray) -> float:
    return float(np.mean([len(set(f[f >= 0]) & set(t)) / len(t) for f, t in zip(found, truth)]))


def dense_rows(size: int, kind: str, vectors: np.ndarray, queries: np.ndarray, specs: list[str]) -> tuple[list, list]:
    """Exact search, then each approximate index at each value of its search parameter.

    Recall is that of the top 10 of a search for `CANDIDATES` passages, as the assistant searches
    (HNSW explores max(efSearch, k) candidates, so efSearch below 50 changes nothing there).

    Returns:
        The rows of the search table, and those of the load table (read vs mmap) when `shipped`
        is among `specs`.
    """
    import faiss

    rows = []
    baseline = reset_peak()
    exact = DenseIndex.build(vectors, exact_limit=size)
    truth = exact.index.search(queries, K)[1]
    path = SCRATCH / "dense.faiss"
    exact.save(path)
    for threads in sorted({1, os.cpu_count() or 1}):
        timing = latencies(lambda q, exact=exact: exact.search(q, CANDIDATES), queries[:100], threads)
        rows.append({"passages": size, "vectors": kind, "index": "exact", "faiss_type": "IndexFlatIP",
                     "threads": threads, "build_seconds": None, "parameter": None, "value": None, "recall_at_10": 1.0,
                     "p50_ms": timing["median"], "p95_ms": timing["p95"], "file_mb": size_mb(path),
                     "build_peak_mb": status_mb("VmHWM") - baseline})
    load_rows = load_table_rows(size, kind, path, queries) if "shipped" in specs else []
    del exact
    for spec in specs:
        baseline = reset_peak()
        started = time.perf_counter()
        index, parameter, values = build_ann(spec, vectors)
        build_seconds = time.perf_counter() - started
        peak = status_mb("VmHWM") - baseline
        faiss.write_index(index, str(path))
        for value in values:
            set_search_parameter(index, parameter, value)
            found = index.search(queries, CANDIDATES)[1][:, :K]
            timing = latencies(lambda q, index=index: index.search(q.reshape(1, -1), CANDIDATES), queries[:100])
            rows.append({"passages": size, "vectors": kind, "index": spec, "faiss_type": type(index).__name__,
                         "threads": 1, "build_seconds": build_seconds, "parameter": parameter, "value": value,
                         "recall_at_10": recall_at_k(found, truth), "p50_ms": timing["median"],
                         "p95_ms": timing["p95"], "file_mb": size_mb(path), "build_peak_mb": peak})
        del index
        if spec == "shipped":
            load_rows += load_table_rows(size, kind, path, queries)
    path.unlink(missing_ok=True)
    return rows, load_rows


def evict_from_page_cache(path: Path) -> None:
    """Drop `path`'s pages from the OS page cache (that file only), so the next read is cold."""
    with path.open("rb") as handle:
        os.fsync(handle.fileno())
        os.posix_fadvise(handle.fileno(), 0, 0, os.POSIX_FADV_DONTNEED)


# The child's search takes as many candidates as the store does (CANDIDATES, set on its first line).
LOAD_SCRIPT = f"CANDIDATES = {CANDIDATES}\n" + """
import json, sys, time
import numpy as np
from pathlib import Path
from assistant.search.dense import DenseIndex

def status(field):
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1]) / 1024

def timed(index, queries):
    seconds = []
    for query in queries:
        started = time.perf_counter()
        index.search(query, CANDIDATES)
        seconds.append(time.perf_counter() - started)
    return [1000 * float(np.median(seconds)), 1000 * float(np.percentile(seconds, 95))]

import faiss  # imported before timing: its import is a cold-start cost, not a load cost
queries = np.load(sys.argv[3])
anon, file_backed = status("RssAnon"), status("RssFile")
started = time.perf_counter()
index = DenseIndex.load(Path(sys.argv[1]), mmap=sys.argv[2] == "mmap")
load_ms = 1000 * (time.perf_counter() - started)
loaded_anon = status("RssAnon") - anon
kind = index.kind
cold, warm = timed(index, queries[100:110]), timed(index, queries[:100])
file_mb = status("RssFile") - file_backed
del index
started = time.perf_counter()
DenseIndex.load(Path(sys.argv[1]), mmap=sys.argv[2] == "mmap")
warm_load_ms = 1000 * (time.perf_counter() - started)
print(json.dumps({"kind": kind, "load_ms": load_ms, "warm_load_ms": warm_load_ms,
                  "anon": loaded_anon, "file": file_mb, "cold": cold, "warm": warm}))
"""


def load_table_rows(size: int, kind: str, path: Path, queries: np.ndarray) -> list[dict]:
    """`DenseIndex.load` of `path`, read into memory and memory-mapped, each in a fresh process
    (one faiss thread) from a cold page cache: load time (and again once the file is cached),
    private memory after loading, page-cache memory mapped after the questions, the first 10
    questions (cold) and the next 100 (warm)."""
    query_file = SCRATCH / "queries.npy"
    np.save(query_file, queries)
    rows = []
    for load in ("read", "mmap"):
        evict_from_page_cache(path)
        result = subprocess.run([sys.executable, "-c", LOAD_SCRIPT, str(path), load, str(query_file)], check=False,
                                capture_output=True, text=True, env={**os.environ, "OMP_NUM_THREADS": "1"})
        if result.returncode:
            raise RuntimeError(f"loading {path} failed:\n{result.stderr[-2000:]}")
        measured = json.loads(result.stdout)
        rows.append({"passages": size, "vectors": kind, "index": measured["kind"], "load": load,
                     "load_ms": measured["load_ms"], "warm_load_ms": measured["warm_load_ms"],
                     "private_mb": measured["anon"], "mapped_mb": measured["file"],
                     "first_10_p50_ms": measured["cold"][0], "first_10_p95_ms": measured["cold"][1],
                     "next_100_p50_ms": measured["warm"][0], "next_100_p95_ms": measured["warm"][1]})
    query_file.unlink()
    return rows
