"""Query latency, stage by stage, as a ratio of `ask()` to the bare query embedding of the same question.

    python benchmarks/bench_latency.py                      # 100 XQuAD questions + article dev set, 3 rounds
    python benchmarks/bench_latency.py --questions 20 --rounds 1 --corpora article   # quick look
    python benchmarks/bench_latency.py --profile            # cProfile of ask() minus the model call

For every question, in each round: the bare `embed_queries(embedder, [question])` (the floor: one
model call), then `ask(question)` with the query cache cleared, then `search(question)` (cache cleared)
for the per-stage timings, and `rewrite_question(question, history)` with the previous questions as
history. Ratios are taken per question, between calls made seconds apart, so machine load cancels.
"""

from __future__ import annotations

import argparse
import cProfile
import os
import pstats
import statistics
import tempfile
import time
from pathlib import Path

import numpy as np
from xquad import ROOT, XQUAD, load_article_questions, load_xquad, open_xquad_assistant

from assistant import Assistant
from assistant.answer.conversation import rewrite_question
from assistant.embed.embedders import embed_queries

STAGES = ("normalise", "embed", "dense", "lexical", "fuse", "highlight", "confidence")
TARGET_RATIO = 1.25


def percentile(values, q: float) -> float:
    return float(np.percentile(np.asarray(values, dtype=float), q))


def measure(assistant: Assistant, questions: list[str], rounds: int) -> dict[str, list[float]]:
    """Seconds per call for every question and round: bare embedding, ask, stages, rewrite."""
    samples: dict[str, list[float]] = {name: [] for name in ("bare", "ask", "ratio", "ratio_with_rewrite", "overhead",
                                                             "rewrite", *STAGES)}
    for question in questions[:3]:  # warm-up: first calls allocate buffers
        assistant.ask(question)
        embed_queries(assistant.embedder, [question])
    for _round in range(rounds):
        for position, question in enumerate(questions):
            history = questions[max(0, position - 3):position]
            started = time.perf_counter()
            embed_queries(assistant.embedder, [question])
            bare = time.perf_counter() - started

            assistant._query_vector.cache_clear()
            started = time.perf_counter()
            assistant.ask(question)
            ask = time.perf_counter() - started

            assistant._query_vector.cache_clear()
            timings = assistant.search(question).timings

            started = time.perf_counter()
            rewrite_question(question, history)
            rewrite = time.perf_counter() - started
            samples["rewrite"].append(rewrite)
            samples["ratio_with_rewrite"].append((ask + rewrite) / bare)

            samples["bare"].append(bare)
            samples["ask"].append(ask)
            samples["ratio"].append(ask / bare)
            samples["overhead"].append(sum(timings.get(stage, 0.0) for stage in STAGES if stage != "embed"))
            for stage in STAGES:
                samples[stage].append(timings.get(stage, 0.0))
    return samples


def report(name: str, assistant: Assistant, questions: list[str], samples: dict[str, list[float]]) -> None:
    print(f"\n### {name}: {len(assistant.snapshot.chunks)} passages, {len(questions)} distinct questions, "
          f"{len(samples['ask'])} timed asks\n")
    print("| measure | median ms | p95 ms |")
    print("|---|---|---|")
    rows = [("bare query embedding (embed_queries)", "bare"), ("ask() end to end, cache cleared", "ask")]
    rows += [(f"stage: {stage}", stage) for stage in STAGES]
    rows += [("all stages except embed", "overhead"), ("rewrite_question (3-question history)", "rewrite")]
    for label, key in rows:
        values = samples[key]
        print(f"| {label} | {1000 * statistics.median(values):.2f} | {1000 * percentile(values, 95):.2f} |")
    ratio = samples["ratio"]
    verdict = "meets" if statistics.median(ratio) <= TARGET_RATIO else "misses"
    print(f"\nask / bare embedding, per question: median {statistics.median(ratio):.3f}, "
          f"p95 {percentile(ratio, 95):.3f} ({verdict} the ≤ {TARGET_RATIO} target); "
          f"ratio of medians {statistics.median(samples['ask']) / statistics.median(samples['bare']):.3f}")
    with_rewrite = samples["ratio_with_rewrite"]
    print(f"(ask + rewrite_question) / bare embedding, as a follow-up in a conversation costs: median "
          f"{statistics.median(with_rewrite):.3f}, p95 {percentile(with_rewrite, 95):.3f}")


def profile(assistant: Assistant, questions: list[str], top: int) -> None:
    """cProfile of ask() with the model call replaced by a stored vector: where the rest goes."""
    vector = assistant.snapshot.dense.vectors()[0]
    assistant._query_vector = lambda _question: vector
    for question in questions[:3]:
        assistant.ask(question)
    profiler = cProfile.Profile()
    started = time.perf_counter()
    profiler.enable()
    for question in questions:
        assistant.ask(question)
    profiler.disable()
    print(f"\nask() without the model call: {1000 * (time.perf_counter() - started) / len(questions):.2f} ms "
          f"per question (under the profiler)\n")
    pstats.Stats(profiler).sort_stats("cumulative").print_stats(top)


def open_corpora(names: list[str], limit: int, workdir: Path):
    """Yield `(name, assistant, questions)` for each requested corpus."""
    if "xquad" in names:
        if not XQUAD.exists():
            print(f"skipped XQuAD: {XQUAD} not found")
        else:
            _paragraphs, questions = load_xquad()
            distinct = list(dict.fromkeys(q.question for q in questions))[:limit]
            yield "XQuAD Vietnamese index", open_xquad_assistant(), distinct
    if "article" in names:
        rows = load_article_questions()
        assistant = Assistant.open(workdir / "article-index", documents=[ROOT / "documents"])
        yield "Bundled article index", assistant, list(dict.fromkeys(row["question"] for row in rows))[:limit]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--questions", type=int, default=100, help="distinct questions per corpus")
    parser.add_argument("--rounds", type=int, default=3, help="times each question is timed")
    parser.add_argument("--corpora", nargs="+", default=["xquad", "article"], choices=["xquad", "article"])
    parser.add_argument("--threads", type=int, help="model and faiss threads (default: the assistant's, 1)")
    parser.add_argument("--backend", choices=["auto", "onnx", "torch"], help="embedding backend (default: auto)")
    parser.add_argument("--profile", action="store_true", help="also profile ask() without the model call")
    parser.add_argument("--top", type=int, default=20, help="rows of the profile to print")
    args = parser.parse_args()

    if args.threads is not None:
        os.environ["ASSISTANT_THREADS"] = str(args.threads)  # read by Settings.from_env
    if args.backend:
        os.environ["ASSISTANT_BACKEND"] = args.backend
    print(f"load average {os.getloadavg()[0]:.2f} (1 min) on {os.cpu_count()} cores")
    with tempfile.TemporaryDirectory() as workdir:
        for name, assistant, questions in open_corpora(args.corpora, args.questions, Path(workdir)):
            print(f"\n{type(assistant.embedder).__name__}, {assistant.settings.threads} thread(s)")
            samples = measure(assistant, questions, args.rounds)
            report(name, assistant, questions, samples)
            if args.profile:
                profile(assistant, questions, args.top)
    print(f"\nload average {os.getloadavg()[0]:.2f} (1 min) at the end")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
