"""Query latency, stage by stage, as a ratio of `ask()` to the bare query embedding of the same question.

    python -m benchmarks latency --questions 60                  # 60 XQuAD questions + the 21 of the article dev set
    python -m benchmarks latency --questions 60 --precision float32   # latency-float32.json
    python -m benchmarks latency --backend torch                 # with sentence-transformers (PyTorch)
    python -m benchmarks latency --profile                       # + cProfile of ask() without the model call
    python -m benchmarks latency --baseline 8c0e1c4              # + ask() of that revision, in the same run

For every question, in each round: the bare `embed_queries(embedder, [question])` (the floor: one
model call), then `ask(question)` with the query cache cleared, then `search(question)` (cache cleared)
for the per-stage timings, and `rewrite_question(question, history)` with the previous questions as
history. Ratios are taken per question, between calls made seconds apart, so machine load cancels.

`--baseline REF` also times `ask()` of another revision of the project (checked out once into
benchmarks/.cache/, its own index of the same XQuAD documents) against this checkout, in fresh
processes that take turns round by round on the same questions: how much slower or faster the
code got, whatever the machine's load.
"""

from __future__ import annotations

import cProfile
import io
import os
import pstats
import json
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

from assistant import Assistant
from assistant.answer.conversation import rewrite_question
from assistant.embed.embedders import embed_queries

from .common.archives import (
    CACHE,
    add_settings_options,
    apply_settings_options,
    open_xquad_assistant,
    settings_variant,
)
from .common.datasets import ARTICLE_QA, ROOT, SEED_DOCUMENTS, XQUAD, load_article_questions, load_xquad, require
from .common.measure import spread

STAGES = ("normalise", "embed", "dense", "lexical", "fuse", "highlight", "read", "confidence")
TARGET_RATIO = 1.25


def add_options(parser) -> None:
    parser.add_argument("--questions", type=int, default=100, help="distinct questions per corpus")
    parser.add_argument("--rounds", type=int, default=3, help="times each question is timed")
    parser.add_argument("--corpora", nargs="+", default=["xquad", "article"], choices=["xquad", "article"])
    parser.add_argument("--threads", type=int, help="model and faiss threads (default: the assistant's, 1)")
    add_settings_options(parser)
    parser.add_argument("--profile", action="store_true", help="also profile ask() without the model call")
    parser.add_argument("--top", type=int, default=20, help="rows of the profile to keep")
    parser.add_argument("--baseline", metavar="REF", help="also time ask() of this git revision in the same run")


def variant(options) -> str | None:
    parts = settings_variant() + ([f"threads-{options.threads}"] if options.threads is not None else [])
    return "-".join(parts) or None


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


class FixedVectorEmbedder:
    """The assistant's embedder with the model call replaced by one stored vector, for profiling the rest."""

    def __init__(self, inner, vector):
        self.inner, self.vector = inner, vector

    def __getattr__(self, name):
        return getattr(self.inner, name)

    def embed(self, texts):
        return np.tile(self.vector, (len(texts), 1))


def profile(assistant: Assistant, questions: list[str], top: int) -> dict:
    """cProfile of ask() with the model call replaced by a stored vector: where the rest goes."""
    vector = assistant.snapshot.dense.vectors()[0]
    stubbed = Assistant.open(assistant.index_dir, settings=assistant.settings,
                             embedder=FixedVectorEmbedder(assistant.embedder, vector), update=False)
    for question in questions[:3]:
        stubbed.ask(question)
    profiler = cProfile.Profile()
    started = time.perf_counter()
    profiler.enable()
    for question in questions:
        stubbed.ask(question)
    profiler.disable()
    milliseconds = 1000 * (time.perf_counter() - started) / len(questions)
    text = io.StringIO()
    pstats.Stats(profiler, stream=text).sort_stats("cumulative").print_stats(top)
    return {"ms_per_question_under_profiler": milliseconds, "cumulative": text.getvalue()}


def corpora(names: list[str], limit: int, workdir: Path, settings):
    """Yield `(key, assistant, questions)` for each requested corpus."""
    if "xquad" in names:
        require(XQUAD)
        _paragraphs, questions = load_xquad()
        distinct = list(dict.fromkeys(q.question for q in questions))[:limit]
        yield "xquad", open_xquad_assistant(settings), distinct
    if "article" in names:
        require(ARTICLE_QA)
        rows = load_article_questions()
        assistant = Assistant.open(workdir / "article-index", documents=[SEED_DOCUMENTS], settings=settings)
        yield "article", assistant, list(dict.fromkeys(row["question"] for row in rows))[:limit]


# Times ask() on the questions of argv[4] in a fresh process importing the project at argv[1]. The
# warm-up questions are not among them, so that no timed question is answered from a cache.
BASELINE_CHILD = r"""
import json, sys, time
sys.path.insert(0, sys.argv[1])
from assistant import Assistant
assistant = Assistant.open(sys.argv[2], documents=[sys.argv[3]])
for question in ("Ai là Chủ tịch?", "Khi nào?", "Bao nhiêu người?"):
    assistant.ask(question)
seconds = []
for question in json.loads(sys.argv[4]):
    started = time.perf_counter()
    assistant.ask(question)
    seconds.append(time.perf_counter() - started)
print(json.dumps(seconds))
"""


def checkout(ref: str) -> Path:
    """A detached worktree of `ref` in the benchmarks' cache (made once)."""
    folder = CACHE / f"baseline-{ref}"
    if not folder.exists():
        subprocess.run(["git", "-C", str(ROOT), "worktree", "add", "--detach", str(folder), ref], check=True,
                       capture_output=True)
    return folder


def time_asks(code: Path, index: Path, documents: Path, questions: list[str]) -> list[float]:
    """Seconds of each `ask()` in a fresh process running the project at `code`."""
    result = subprocess.run([sys.executable, "-c", BASELINE_CHILD, str(code), str(index), str(documents),
                             json.dumps(questions, ensure_ascii=False)], check=False, capture_output=True, text=True)
    if result.returncode:
        raise RuntimeError(f"timing ask() of {code} failed: {result.stderr.strip()[-500:]}")
    return json.loads(result.stdout.strip().splitlines()[-1])


def against_baseline(ref: str, questions: list[str], rounds: int) -> dict:
    """ask() of this checkout and of `ref` on the XQuAD index, the two taking turns round by round."""
    sides = {"current": ROOT, "baseline": checkout(ref)}
    # Each ref its own index: another ref's code may write another index format.
    indexes = {"current": CACHE / "latency-current-index",
               "baseline": CACHE / f"latency-baseline-{ref.replace('/', '-')}-index"}
    documents = CACHE / "xquad-documents"
    per_question: dict[str, list[list[float]]] = {side: [] for side in sides}
    for side, code in sides.items():  # build (or update) each side's own index, untimed
        time_asks(code, indexes[side], documents, [])
    for _round in range(rounds):
        for side, code in sides.items():
            per_question[side].append(time_asks(code, indexes[side], documents, questions))
    medians = {side: [statistics.median(times) for times in zip(*rounds_)] for side, rounds_ in per_question.items()}
    ratios = [now / then for now, then in zip(medians["current"], medians["baseline"])]
    return {"ref": ref, "commit": subprocess.run(["git", "-C", str(ROOT), "rev-parse", ref], check=True,
                                                 capture_output=True, text=True).stdout.strip(),
            "questions": len(questions), "rounds": rounds,
            "ask_ms": {side: 1000 * statistics.median(values) for side, values in medians.items()},
            "ratio": spread(ratios), "ratio_of_medians": statistics.median(medians["current"])
            / statistics.median(medians["baseline"])}


def run(options) -> dict:
    if options.threads is not None:
        os.environ["ASSISTANT_THREADS"] = str(options.threads)  # read by Settings.from_env
    settings = apply_settings_options(options)
    results = {"target_ratio": TARGET_RATIO, "corpora": {}}
    with tempfile.TemporaryDirectory() as workdir:
        for key, assistant, questions in corpora(options.corpora, options.questions, Path(workdir), settings):
            samples = measure(assistant, questions, options.rounds)
            corpus = {"embedder": type(assistant.embedder).__name__, "precision": assistant.embedder.precision,
                      "threads": assistant.settings.threads, "passages": len(assistant.snapshot.chunks),
                      "questions": len(questions), "timed_asks": len(samples["ask"]),
                      "seconds": {name: spread(values) for name, values in samples.items()
                                  if not name.startswith("ratio")},
                      "ratio": spread(samples["ratio"]), "ratio_with_rewrite": spread(samples["ratio_with_rewrite"]),
                      "ratio_of_medians": statistics.median(samples["ask"]) / statistics.median(samples["bare"])}
            if options.profile:
                corpus["profile"] = profile(assistant, questions, options.top)
            results["corpora"][key] = corpus
    if options.baseline:
        _paragraphs, questions = load_xquad()
        distinct = list(dict.fromkeys(q.question for q in questions))[:options.questions]
        results["baseline"] = against_baseline(options.baseline, distinct, options.rounds)
    return results
