"""Embedding many passages: on every core, with progress, resumable after an interruption.

Passages are embedded in parts of a few hundred. Each finished part is written to the index
directory (`VectorCache`) before the next starts, so after Ctrl-C, a crash or a power cut the
same command embeds only what is left; the cache is deleted once the new generation is published.
Within a part, batches go to worker threads that share one model: ONNX Runtime runs them at the
same time on different cores (each with the query's thread count), questions keep their own lock.
"""

from __future__ import annotations

import logging
import os
import shutil
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable, Iterator, Sequence

import numpy as np

from .embedders import Embedder, embed_passages

log = logging.getLogger(__name__)

CACHE_FOLDER = ".vectors-in-progress"
PART_SIZE = 256  # passages per cached part: seconds of work, so an interruption loses little
LOG_INTERVAL = 30.0  # seconds between progress lines when stderr is not a terminal


def available_cores() -> int:
    """The cores this process may run on."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


class VectorCache:
    """Vectors of an unfinished indexing run, by passage key, in `<index>/.vectors-in-progress/`.

    Each part is one `.npz` (keys and vectors, no pickle), written under a temporary name and
    renamed, so a part is either whole or absent. Keys name the model, its prompt and the text
    (`indexer.embedding_key`), so vectors of another model are never taken for this one's.
    """

    def __init__(self, index_dir: Path):
        self.directory = Path(index_dir) / CACHE_FOLDER

    def load(self, wanted: set[str]) -> dict[str, np.ndarray]:
        """The cached vectors whose key is in `wanted`; unreadable parts are skipped."""
        found: dict[str, np.ndarray] = {}
        for part in sorted(self.directory.glob("part-*.npz")):
            try:
                with np.load(part, allow_pickle=False) as data:
                    keys, vectors = data["keys"], data["vectors"]
            except (OSError, ValueError, KeyError) as error:
                log.info("%s: unreadable (%s); its passages are embedded again", part, error)
                continue
            for key, vector in zip(keys.tolist(), vectors):
                if key in wanted:
                    found[key] = vector
        return found

    def append(self, keys: Sequence[str], vectors: np.ndarray) -> None:
        """Save a part, whole or not at all (a full disk leaves no piece of it)."""
        self.directory.mkdir(exist_ok=True)
        name = f"part-{time.time_ns()}-{os.getpid()}"
        staging = self.directory / f".{name}.npz"
        try:
            with staging.open("wb") as handle:
                np.savez(handle, keys=np.array(list(keys), dtype=str), vectors=vectors)
                handle.flush()
                os.fsync(handle.fileno())
            os.replace(staging, self.directory / f"{name}.npz")
        finally:
            staging.unlink(missing_ok=True)  # gone already once renamed

    def clear(self) -> None:
        shutil.rmtree(self.directory, ignore_errors=True)


class Progress:
    """Passages embedded, rate and time left: a tqdm bar on a terminal, a line every
    `LOG_INTERVAL` seconds in a log, nothing when `enabled` is False."""

    def __init__(self, total: int, documents: int, enabled: bool):
        self.total, self.documents, self.done = total, documents, 0
        self.started = self.last_line = time.monotonic()
        self.bar = None
        self.enabled = enabled and total > 0
        if self.enabled and sys.stderr.isatty():
            from tqdm.auto import tqdm

            self.bar = tqdm(total=total, desc=f"Embedding {documents} articles", unit=" passages",
                            file=sys.stderr, dynamic_ncols=True)
        elif self.enabled:  # a log: say at once what is under way, then every LOG_INTERVAL seconds
            log.info("Embedding %d passages of %d article(s)…", total, documents)

    def update(self, count: int) -> None:
        self.done += count
        if self.bar is not None:
            self.bar.update(count)
        elif self.enabled and time.monotonic() - self.last_line >= LOG_INTERVAL:
            self.last_line = time.monotonic()
            rate = self.done / max(self.last_line - self.started, 1e-9)
            left = (self.total - self.done) / max(rate, 1e-9)
            log.info("Embedding %d articles: %d/%d passages, %.1f passages/s, about %s left",
                     self.documents, self.done, self.total, rate, _duration(left))

    def close(self) -> None:
        if self.bar is not None:
            self.bar.close()


def _duration(seconds: float) -> str:
    if seconds < 90:
        return f"{seconds:.0f} s"
    if seconds < 5400:
        return f"{seconds / 60:.0f} min"
    return f"{seconds / 3600:.1f} h"


class ThreadRunner:
    """Batches embedded by worker threads sharing `embedder`, results in the order given (`map`)."""

    def __init__(self, embedder: Embedder, workers: int):
        self.embedder = embedder
        self.batch = getattr(embedder, "embed_batch", None)
        self.pool = ThreadPoolExecutor(max_workers=max(1, workers) if self.batch is not None else 1)

    def run(self, texts: Sequence[str]) -> np.ndarray:
        if self.batch is None:
            return embed_passages(self.embedder, texts)
        return self.batch([self.embedder.passage_prompt + text for text in texts])

    def map(self, batches: Iterable[Sequence[str]]) -> Iterator[np.ndarray]:
        return self.pool.map(self.run, batches)

    def close(self) -> None:
        self.pool.shutdown(wait=True, cancel_futures=True)  # after Ctrl-C only the batches already running finish


@dataclass(frozen=True)
class BulkVectors:
    """What `embed_in_bulk` gives: the vectors, and how they were come by.

    Attributes:
        vectors: one row per text, in order.
        embedded: distinct texts embedded by this run.
        resumed: distinct texts whose vectors an interrupted run had saved.
    """

    vectors: np.ndarray
    embedded: int
    resumed: int


def embed_in_bulk(embedder: Embedder, texts: Sequence[str], keys: Sequence[str], *, batch_size: int,
                  workers: int, cache: VectorCache | None, documents: int = 0, progress: bool = False,
                  ray_address: str | None = None) -> BulkVectors:
    """Vectors of `texts` (rows in order), taking those `cache` holds and adding the others to it.
    Texts of the same key are embedded once (a file may repeat a passage thousands of times).

    Args:
        texts: passages, prompts not applied (`embeddings.embed_passages` applies them).
        keys: the cache key of each text.
        workers: threads embedding batches at once (embedders without `embed_batch` use one), or
            the cores of a local Ray.
        documents: how many articles the passages come from (for the progress display).
        ray_address: embed on Ray actors instead (`ray_bulk`): `local`, or a cluster's address.
    """
    first = {}  # key -> the first text of that key
    for index, key in enumerate(keys):
        first.setdefault(key, index)
    cached = cache.load(set(first)) if cache is not None else {}
    missing = [i for key, i in first.items() if key not in cached]
    if cached:
        log.info("Resuming: %d of %d passages were embedded by an interrupted run", len(cached), len(first))
    by_key: dict[str, np.ndarray] = dict(cached)
    if ray_address and missing:
        from .ray_actors import RayRunner

        runner = RayRunner(ray_address, embedder, workers)
    else:
        runner = ThreadRunner(embedder, workers)
    missing.sort(key=lambda i: len(texts[i]))  # length order: batches pad little
    display = Progress(len(missing), documents, progress)
    try:
        for begin in range(0, len(missing), PART_SIZE):
            part = missing[begin:begin + PART_SIZE]
            batches = [part[i:i + batch_size] for i in range(0, len(part), batch_size)]
            for indices, vectors in zip(batches, runner.map([[texts[i] for i in b] for b in batches]), strict=True):
                by_key.update((keys[i], vector) for i, vector in zip(indices, vectors))
                display.update(len(indices))
            if cache is not None:
                cache.append([keys[i] for i in part], np.stack([by_key[keys[i]] for i in part]))
    finally:
        runner.close()
        display.close()
    if not keys:
        vectors = np.zeros((0, 0), dtype=np.float32)
    else:
        vectors = np.stack([by_key[key] for key in keys]).astype(np.float32, copy=False)
    return BulkVectors(vectors, len(missing), len(cached))
