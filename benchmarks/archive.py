"""A newsroom archive: what adding and removing one article costs, and how fast a build runs.

    python -m benchmarks archive updates                 # the bundled article + 300 news articles
    python -m benchmarks archive updates --size 3000     # + 2,700 more from ../shared/corpus
    python -m benchmarks archive updates --store milvus --cli-rounds 0     # archive-updates-milvus.json
    python -m benchmarks archive build                   # from-scratch rate and peak memory, per configuration
    python -m benchmarks archive build --only "int8, 2 cores, batch 2" Ray --variant build-ray   # local bulk against Ray

`updates`: the archive's index is built once (kept in benchmarks/.cache/); then, `--rounds` times,
one article of ../shared/corpus that is not in the archive is added with `Assistant.index([file])`
and removed again with `Assistant.index(remove=[id])`, in one process holding the index as the chat
does. Each add is split into the embedding of its passages (time spent inside the model) and the
rest, which is what the issue's target bounds. The same add and remove through the command line
(`assistant index FILE`, a fresh process each) are timed too, with `assistant --version` as the
floor of any command.

`build`: the bundled article + the 300 news articles indexed from scratch into a fresh directory,
once per configuration and round, each in a fresh process (model loaded and warmed before the
clock starts): seconds, passages/s and the process's peak resident memory. Configurations are
interleaved across rounds so machine load falls on each alike; ratios are against the first one,
the configuration before this benchmark existed (float32 model, one core, batches of 2), or the
first of `--only`. The Ray configuration's memory is the driver's alone (its workers are other
processes), and its time includes starting Ray and loading the model in each actor.
"""

from __future__ import annotations

import json
import logging
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from .common.archives import CACHE, add_settings_options, apply_settings_options, settings_variant
from .common.datasets import CORPUS, NEWS, SEED_DOCUMENTS, corpus_rows, require, write_articles
from .common.measure import spread

# Configurations of `build`: (label, environment). The first is the baseline of every ratio.
CONFIGURATIONS = [
    (f"{precision}, {workers} core{'s' if workers > 1 else ''}, batch {batch}",
     {"ASSISTANT_PRECISION": precision, "ASSISTANT_INDEX_WORKERS": str(workers), "ASSISTANT_BATCH_SIZE": str(batch)})
    for precision, workers, batch in [("float32", 1, 2), ("float32", 2, 2), ("float32", 2, 8), ("int8", 1, 2),
                                      ("int8", 2, 2), ("int8", 2, 8), ("int8", 2, 32)]
] + [("defaults", {}),
      ("int8, local Ray (2 CPUs), batch 2", {"ASSISTANT_RAY_ADDRESS": "local", "ASSISTANT_INDEX_WORKERS": "2"})]
log = logging.getLogger("benchmarks")


def add_options(parser) -> None:
    parser.add_argument("command", choices=("updates", "build"),
                        help="updates: add and remove one article; build: from-scratch rate and peak memory")
    parser.add_argument("--size", type=int, default=300, help="updates: news articles beside the bundled one (≥ 300)")
    parser.add_argument("--rounds", type=int, help="updates: articles added and removed (default 7); "
                                                   "build: rounds of every configuration (default 2)")
    parser.add_argument("--cli-rounds", type=int, default=3, help="updates: rounds through the command line")
    parser.add_argument("--only", nargs="+", metavar="WORD",
                        help="build: only the configurations whose label holds one of these (the first is the baseline)")
    add_settings_options(parser)


def variant(options) -> str:
    parts = [options.command] + ([str(options.size)] if options.size != 300 else []) + settings_variant()
    parts += [re.sub(r"[^a-z0-9]+", "-", " ".join(options.only).lower()).strip("-")] if options.only else []
    return "-".join(parts)


class TimedEmbedder:
    """Wraps the assistant's embedder and times the embedding inside each update."""

    def __init__(self, inner):
        self.inner = inner
        self.spans: list[tuple[float, float]] = []

    def __getattr__(self, name):
        return getattr(self.inner, name)

    @property
    def seconds(self) -> float:
        """Wall time with at least one batch being embedded (worker threads overlap theirs)."""
        covered, reached = 0.0, float("-inf")
        for start, end in sorted(self.spans):
            covered += max(0.0, end - max(start, reached))
            reached = max(reached, end)
        return covered

    def _timed(self, embed, texts):
        started = time.perf_counter()
        try:
            return embed(texts)
        finally:
            self.spans.append((started, time.perf_counter()))

    def embed(self, texts):
        return self._timed(self.inner.embed, texts)

    def embed_batch(self, texts):
        return self._timed(self.inner.embed_batch, texts)


def archive_sources(size: int) -> list[Path]:
    """The bundled article, the 300 news articles and, past 301, articles of ../shared/corpus."""
    sources = [SEED_DOCUMENTS, NEWS]
    extra = size - 300
    if extra > 0:
        folder = CACHE / f"corpus-{extra}"
        write_articles(corpus_rows()[:extra], folder)
        sources.append(folder)
    return sources


def command_line_rounds(rows: list[dict], folder: Path, index_dir: Path) -> dict:
    """`assistant --version`, `assistant index FILE` and `assistant index --remove ID`, fresh processes."""
    cli = [sys.executable, "-m", "assistant"]
    floor, added, removed = [], [], []
    for row in rows:
        path = folder / f"{row['id']}.txt"
        for target, command in ((floor, [*cli, "--version"]),
                                (added, [*cli, "index", str(path), "--index-dir", str(index_dir), "--quiet"]),
                                (removed, [*cli, "index", "--remove", path.stem, "--index-dir", str(index_dir),
                                           "--quiet"])):
            started = time.perf_counter()
            subprocess.run(command, check=True, capture_output=True)
            target.append(time.perf_counter() - started)
    return {"rounds": len(rows), "version": spread(floor), "add": spread(added), "remove": spread(removed)}


def run_updates(options) -> dict:
    from assistant import Assistant

    if options.size < 300:
        raise ValueError("--size is at least 300 (the news articles of ../shared/eval/news)")
    rounds = options.rounds or 7
    settings = apply_settings_options(options)
    index_dir = CACHE / f"archive-updates-{options.size}-index"
    if settings.store != "local":  # a copy of the local index: its vectors move over, not re-embedded
        local, index_dir = index_dir, index_dir.with_name(f"{index_dir.name}-{settings.store}")
        if not index_dir.exists() and local.exists():
            shutil.copytree(local, index_dir, ignore=shutil.ignore_patterns(".lock"))
    sources = archive_sources(options.size)
    built = not index_dir.exists()  # otherwise opening it is what `index_ready_seconds` measures
    started = time.perf_counter()
    assistant = Assistant.open(index_dir, documents=sources, settings=settings, progress=True)
    embedder = assistant.embedder = TimedEmbedder(assistant.embedder)
    ready = time.perf_counter() - started
    log.info("index ready in %.1f s: %d articles, %d passages", ready, len(assistant.documents()),
             len(assistant.snapshot.chunks))
    embedder.embed(["passage: khởi động"])  # load the model: an add to a running chat finds it loaded
    spare = corpus_rows()[max(options.size - 300, 0):][:rounds * 2]
    added, rest, embedding, removed, passages = [], [], [], [], []
    with tempfile.TemporaryDirectory() as scratch:
        folder = Path(scratch)
        write_articles(spare, folder)
        for row in spare[:rounds]:
            path = folder / f"{row['id']}.txt"
            embedder.spans.clear()
            started = time.perf_counter()
            report = assistant.index([path])
            added.append(time.perf_counter() - started)
            embedding.append(embedder.seconds)
            rest.append(added[-1] - embedder.seconds)
            passages.append(report.embedded_chunks)
            started = time.perf_counter()
            assistant.index(remove=[path.stem])
            removed.append(time.perf_counter() - started)
        cli = command_line_rounds(spare[rounds:rounds + options.cli_rounds], folder, index_dir) \
            if options.cli_rounds else None
    return {"size": options.size, "articles": len(assistant.documents()), "passages": len(assistant.snapshot.chunks),
            "precision": embedder.precision, "store": settings.store, "index_built_in_run": built,
            "index_ready_seconds": ready, "rounds": rounds,
            "passages_per_added_article": statistics.median(passages),
            "in_process": {"add": spread(added), "embedding": spread(embedding), "rest": spread(rest),
                           "remove": spread(removed)},
            "command_line": cli}


BUILD_CHILD = r"""
import json, os, sys, time
from pathlib import Path
from assistant import Assistant, Settings
from assistant.embed.bulk import available_cores
settings = Settings.from_env()
assistant = Assistant(sys.argv[1], settings)
assistant.embedder.embed(["passage: khởi động"] * 4)  # load and warm the model before the clock
started = time.perf_counter()
report = assistant.index(sys.argv[2:])
seconds = time.perf_counter() - started
peak = next(int(l.split()[1]) for l in Path("/proc/self/status").read_text().splitlines() if l.startswith("VmHWM"))
print(json.dumps({"seconds": seconds, "passages": report.embedded_chunks, "peak_mb": peak / 1024,
                  "precision": assistant.embedder.precision, "workers": settings.index_workers or available_cores(),
                  "batch_size": settings.batch_size}))
"""


def run_build(options) -> dict:
    sources = [str(path) for path in archive_sources(300)]
    chosen = [(label, environment) for label, environment in CONFIGURATIONS
              if not options.only or any(word in label for word in options.only)]
    runs = {label: [] for label, _ in chosen}
    for _round in range(options.rounds or 2):
        for label, environment in chosen:
            with tempfile.TemporaryDirectory() as scratch:
                output = subprocess.run(
                    [sys.executable, "-c", BUILD_CHILD, str(Path(scratch) / "index"), *sources],
                    env={**os.environ, **environment}, check=True, capture_output=True, text=True)
            runs[label].append(json.loads(output.stdout.strip().splitlines()[-1]))
            log.info("  %s: %s", label, runs[label][-1])
    baseline = statistics.median(r["passages"] / r["seconds"] for r in runs[chosen[0][0]])
    configurations = []
    for label, environment in chosen:
        measured = runs[label]
        rate = statistics.median(r["passages"] / r["seconds"] for r in measured)
        configurations.append({"label": label, "environment": environment, "precision": measured[0]["precision"],
                               "workers": measured[0]["workers"], "batch_size": measured[0]["batch_size"],
                               "seconds": spread(r["seconds"] for r in measured), "passages_per_second": rate,
                               "ratio": rate / baseline, "peak_mb": statistics.median(r["peak_mb"] for r in measured)})
    return {"passages": runs[chosen[0][0]][0]["passages"], "rounds": options.rounds or 2, "cores": os.cpu_count(),
            "configurations": configurations}


def run(options) -> dict:
    require(NEWS, CORPUS)
    return run_updates(options) if options.command == "updates" else run_build(options)
