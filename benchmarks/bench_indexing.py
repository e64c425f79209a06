"""Indexing throughput and peak memory of `Assistant.index` vs the bare sentence-transformers encode rate.

    python benchmarks/bench_indexing.py                        # XQuAD paragraphs, 3 rounds
    python benchmarks/bench_indexing.py --limit 40 --rounds 1  # quick look
    python benchmarks/bench_indexing.py --threads 1            # torch limited to one thread
    python benchmarks/bench_indexing.py --backend torch        # index with sentence-transformers too

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

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
from xquad import RESULTS, XQUAD, load_xquad, write_corpus

CORPUS = RESULTS / "xquad-documents"
WARM_UP_TEXTS = 8


def _status_mb(field: str) -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1]) / 1024
    return float("nan")


def _reset_peak() -> float:
    """Reset VmHWM; return the resident memory now (MB)."""
    try:
        Path("/proc/self/clear_refs").write_text("5")
    except OSError:
        pass
    return _status_mb("VmRSS")


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
            baseline = _reset_peak()
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
            baseline = _reset_peak()
            started = time.perf_counter()
            chunks = assistant.index(sources=[str(documents)]).embedded_chunks
        seconds = time.perf_counter() - started
        peak = _status_mb("VmHWM") - baseline
    return {"seconds": seconds, "chunks": chunks, "peak_mb": peak, "threads": torch.get_num_threads()}


def run_child(task: str, batch_size: int, args) -> dict:
    command = [sys.executable, __file__, "--child", task, "--batch-size", str(batch_size)]
    if args.limit:
        command += ["--limit", str(args.limit)]
    if args.threads:
        command += ["--threads", str(args.threads)]
    command += ["--backend", args.backend]
    result = subprocess.run(command, capture_output=True, text=True, cwd=Path(__file__).parent)
    if result.returncode:
        raise SystemExit(f"{' '.join(command)} failed:\n{result.stderr[-2000:]}")
    return json.loads(result.stdout.strip().splitlines()[-1])


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--batch-sizes", nargs="+", type=int, default=[1, 2, 4, 8, 16, 32])
    parser.add_argument("--index-batch-sizes", nargs="+", type=int, default=[2, 8],
                        help="batch sizes to run Assistant.index with (2 is the default)")
    parser.add_argument("--limit", type=int, help="only the first N XQuAD paragraphs")
    parser.add_argument("--threads", type=int, help="torch intra-op threads (default: torch's choice)")
    parser.add_argument("--backend", choices=["auto", "onnx", "torch"], default="auto",
                        help="embedding backend of the indexer (the bare encode is always sentence-transformers)")
    parser.add_argument("--child", choices=["encode", "index"], help=argparse.SUPPRESS)
    parser.add_argument("--batch-size", type=int, default=8, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        print(json.dumps(child(args.child, args.batch_size, args.limit, args.threads, args.backend)))
        return 0
    if not XQUAD.exists():
        print(f"skipped: {XQUAD} not found")
        return 0
    paragraphs, _questions = load_xquad()
    write_corpus(paragraphs, CORPUS)
    texts = search_texts(CORPUS, args.limit)
    print(f"{len(texts)} passages from {args.limit or len(paragraphs)} XQuAD paragraphs, "
          f"mean {np.mean([len(t) for t in texts]):.0f} characters; load average {os.getloadavg()[0]:.2f} "
          f"on {os.cpu_count()} cores")

    configurations = [("encode", b) for b in args.batch_sizes] + [("index", b) for b in args.index_batch_sizes]
    results: dict[tuple[str, int], list[dict]] = {c: [] for c in configurations}
    for _round in range(args.rounds):
        for task, batch_size in configurations:
            results[(task, batch_size)].append(run_child(task, batch_size, args))
            print(f"  round {_round + 1}: {task} batch {batch_size}: {results[(task, batch_size)][-1]}",
                  file=sys.stderr, flush=True)

    def rates(task, batch_size):
        return [r["chunks"] / r["seconds"] for r in results[(task, batch_size)]]

    best = max(args.batch_sizes, key=lambda b: statistics.median(rates("encode", b)))
    best_rate = statistics.median(rates("encode", best))
    print(f"\ntorch threads {results[configurations[0]][0]['threads']}\n")
    print("| run | batch size | chunks/s median | chunks/s slowest 5 % | ratio to best bare encode | extra peak MB |")
    print("|---|---|---|---|---|---|")
    for task, batch_size in configurations:
        values = rates(task, batch_size)
        label = "bare model.encode" if task == "encode" else "Assistant.index (fresh dir)"
        peak = statistics.median(r["peak_mb"] for r in results[(task, batch_size)])
        print(f"| {label} | {batch_size} | {statistics.median(values):.1f} | {float(np.percentile(values, 5)):.1f} | "
              f"{statistics.median(values) / best_rate:.2f} | {peak:.0f} |")
    print(f"\nbest bare batch size: {best} ({best_rate:.1f} chunks/s)")
    print(f"load average {os.getloadavg()[0]:.2f} (1 min) at the end")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
