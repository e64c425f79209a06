"""Indexing throughput and peak memory of `Assistant.index` vs the bare sentence-transformers encode rate.

    python -m benchmarks indexing --limit 80 --threads 1 --batch-sizes 1 2 4 8 --index-batch-sizes 2 8
    python -m benchmarks indexing --limit 80 --threads 1 --backend torch     # indexing-torch.json
    python -m benchmarks indexing --limit 40 --rounds 1 --variant quick     # quick look

Every measurement runs in a fresh process that first loads the model and encodes a few texts
(not timed), so peaks and timings cover only the work measured:
- `encode B`: `model.encode` of the same search texts the indexer embeds (passage prompt, NFC,
  normalised), batch size B, for B in --batch-sizes;
- `index B`: `Assistant.index` of the XQuAD documents into a fresh index directory with
  `Settings(batch_size=B)`, i.e. chunking, embedding, BM25, vocabulary, checksums and fsync, with
  the embedder the assistant picks (`--backend auto`: ONNX Runtime for the bundled model).
Rounds interleave all configurations so machine load falls on each alike. Peak memory is the
process's peak resident memory during the timed work above what it held before (VmHWM reset).
"""

from __future__ import annotations

import json
import logging
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

from .common.archives import CACHE
from .common.datasets import ROOT, XQUAD, load_xquad, require, write_xquad_corpus
from .common.measure import percentile, reset_peak, spread, status_mb

CORPUS = CACHE / "xquad-documents"
WARM_UP_TEXTS = 8
CHILD = "import json, sys; from benchmarks.indexing import child; print(json.dumps(child(**json.loads(sys.argv[1]))))"
log = logging.getLogger("benchmarks")


def add_options(parser) -> None:
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--batch-sizes", nargs="+", type=int, default=[1, 2, 4, 8, 16, 32])
    parser.add_argument("--index-batch-sizes", nargs="+", type=int, default=[2, 8],
                        help="batch sizes to run Assistant.index with (2 is the default)")
    parser.add_argument("--limit", type=int, help="only the first N XQuAD paragraphs")
    parser.add_argument("--threads", type=int, help="torch intra-op threads (default: torch's choice)")
    parser.add_argument("--backend", choices=["auto", "onnx", "torch"], default="auto",
                        help="embedding backend of the indexer (the bare encode is always sentence-transformers)")


def variant(options) -> str | None:
    return options.backend if options.backend != "auto" else None


def search_texts(corpus: Path, limit: int | None) -> list[str]:
    """The texts the indexer embeds for the documents in `corpus`, in index order."""
    from assistant.ingest.chunking import ChunkingSettings, chunk_document
    from assistant.ingest.discovery import find_document_files
    from assistant.ingest.documents import load_document

    texts = []
    for path in sorted(find_document_files([corpus]))[:limit]:
        document = load_document(path)
        texts.extend(chunk.search_text(document.title) for chunk in chunk_document(document, ChunkingSettings()))
    return texts


def child(task: str, batch_size: int, limit: int | None, threads: int | None, backend: str = "auto") -> dict:
    """One measurement in this (fresh) process; returns seconds, chunks and extra peak MB."""
    import torch

    from assistant import Assistant, Settings
    from assistant.embed.embedders import SentenceTransformerEmbedder, embed_passages, make_embedder
    from assistant.text.normalize import nfc

    if threads:
        torch.set_num_threads(threads)
    texts = search_texts(CORPUS, limit)
    settings = Settings(batch_size=batch_size)
    if task == "encode":
        embedder = SentenceTransformerEmbedder(settings.model, batch_size=batch_size)
    else:
        embedder = make_embedder(Settings(batch_size=batch_size, backend=backend, threads=threads or 0))
    embed_passages(embedder, texts[:WARM_UP_TEXTS])  # loads the model; not timed
    with tempfile.TemporaryDirectory() as workdir:
        if task == "encode":
            inputs = [embedder.passage_prompt + nfc(text) for text in texts]
            baseline = reset_peak()
            started = time.perf_counter()
            embedder.model.encode(inputs, batch_size=batch_size, normalize_embeddings=True,
                                  convert_to_numpy=True, show_progress_bar=False)
            chunks = len(texts)
        else:
            documents = Path(workdir) / "documents"
            documents.mkdir()
            for path in sorted(CORPUS.glob("*.txt"))[:limit]:
                (documents / path.name).write_bytes(path.read_bytes())
            assistant = Assistant(Path(workdir) / "index", settings, embedder)
            baseline = reset_peak()
            started = time.perf_counter()
            chunks = assistant.index(sources=[str(documents)]).embedded_chunks
        seconds = time.perf_counter() - started
        peak = status_mb("VmHWM") - baseline
    return {"seconds": seconds, "chunks": chunks, "peak_mb": peak, "threads": torch.get_num_threads()}


def run_child(task: str, batch_size: int, options) -> dict:
    """`child` in a fresh Python process.

    Raises:
        RuntimeError: the process failed, with the end of its standard error.
    """
    arguments = {"task": task, "batch_size": batch_size, "limit": options.limit, "threads": options.threads,
                 "backend": options.backend}
    result = subprocess.run([sys.executable, "-c", CHILD, json.dumps(arguments)], check=False, capture_output=True,
                            text=True, cwd=ROOT)
    if result.returncode:
        raise RuntimeError(f"indexing child {arguments} failed:\n{result.stderr[-2000:]}")
    return json.loads(result.stdout.strip().splitlines()[-1])


def run(options) -> dict:
    require(XQUAD)
    paragraphs, _questions = load_xquad()
    write_xquad_corpus(paragraphs, CORPUS)
    texts = search_texts(CORPUS, options.limit)
    configurations = [("encode", b) for b in options.batch_sizes] + [("index", b) for b in options.index_batch_sizes]
    runs: dict[tuple[str, int], list[dict]] = {c: [] for c in configurations}
    for round_number in range(options.rounds):
        for task, batch_size in configurations:
            runs[(task, batch_size)].append(run_child(task, batch_size, options))
            log.info("  round %d: %s batch %d: %s", round_number + 1, task, batch_size, runs[(task, batch_size)][-1])

    def rates(task, batch_size):
        return [r["chunks"] / r["seconds"] for r in runs[(task, batch_size)]]

    best = max(options.batch_sizes, key=lambda b: statistics.median(rates("encode", b)))
    best_rate = statistics.median(rates("encode", best))
    rows = []
    for task, batch_size in configurations:
        values = rates(task, batch_size)
        rows.append({"task": task, "batch_size": batch_size, "chunks_per_second": spread(values),
                     "slowest_5_percent": percentile(values, 5),
                     "ratio_to_best_encode": statistics.median(values) / best_rate,
                     "extra_peak_mb": statistics.median(r["peak_mb"] for r in runs[(task, batch_size)])})
    return {"passages": len(texts), "paragraphs": options.limit or len(paragraphs),
            "mean_characters": float(np.mean([len(t) for t in texts])), "backend": options.backend,
            "torch_threads": runs[configurations[0]][0]["threads"], "best_encode_batch_size": best,
            "best_encode_rate": best_rate, "rows": rows}
