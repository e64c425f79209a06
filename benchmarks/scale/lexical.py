"""Lexical search at scale: building bm25s over the synthetic passages' term ids, its size on disk,
and loading it read into memory or memory-mapped, with the latency of questions on each."""

from __future__ import annotations

import shutil
import time

from assistant.config import LexicalSettings
from assistant.search.lexical import LexicalIndex

from ..common.measure import reset_peak, status_mb
from .corpus import QUERIES, SCRATCH, Stream, TermIdCorpus, windows
from .dense import CANDIDATES, evict_from_page_cache, latencies, size_mb


def lexical_row(stream: Stream, size: int) -> dict:
    """Build bm25s over `size` passages; save; load with and without mmap; time questions."""
    import bm25s

    starts, lengths = windows(stream, size)
    settings = LexicalSettings()
    baseline = reset_peak()
    started = time.perf_counter()
    retriever = bm25s.BM25(k1=settings.k1, b=settings.b)
    retriever.index(TermIdCorpus(stream, starts, lengths), show_progress=False)
    build_seconds = time.perf_counter() - started
    build_peak = status_mb("VmHWM") - baseline
    directory = SCRATCH / "lexical"
    shutil.rmtree(directory, ignore_errors=True)
    LexicalIndex(retriever, settings).save(directory)
    del retriever
    questions = stream.questions[:QUERIES]
    row = {"passages": size, "build_seconds": build_seconds, "build_peak_mb": build_peak,
           "disk_mb": size_mb(directory)}
    for mmap in (False, True):
        for path in directory.iterdir():
            evict_from_page_cache(path)
        anon = status_mb("RssAnon")
        started = time.perf_counter()
        index = LexicalIndex.load(directory, settings, mmap=mmap)
        load_seconds = time.perf_counter() - started
        loaded_anon = status_mb("RssAnon") - anon
        timing = latencies(lambda q, index=index: index.search(q, CANDIDATES), questions)
        row["mmap" if mmap else "read"] = {"load_seconds": load_seconds, "private_mb": loaded_anon,
                                           "p50_ms": timing["median"], "p95_ms": timing["p95"]}
        del index
    shutil.rmtree(directory, ignore_errors=True)
    return row
