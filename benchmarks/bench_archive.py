"""A newsroom archive: what adding and removing one article costs, and how fast a build runs.

    python benchmarks/bench_archive.py updates                # the bundled article + 300 news articles
    python benchmarks/bench_archive.py updates --size 3000    # + 2,700 more from ../shared/corpus
    python benchmarks/bench_archive.py build                  # from-scratch rate and peak memory, per configuration
    python benchmarks/bench_archive.py build --only "int8, 2 cores, batch 2" Ray    # local bulk against Ray

`updates`: the archive's index is built once (kept in benchmarks/results/); then, `--rounds` times,
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

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from xquad import RESULTS, ROOT, SHARED_EVAL

NEWS = SHARED_EVAL / "news"
CORPUS = SHARED_EVAL.parent / "corpus" / "vi-news-5000.jsonl"
SEED = ROOT / "documents"
# Configurations of `build`: (label, environment). The first is the baseline of every ratio.
CONFIGURATIONS = [
    (f"{precision}, {workers} core{'s' if workers > 1 else ''}, batch {batch}",
     {"ASSISTANT_PRECISION": precision, "ASSISTANT_INDEX_WORKERS": str(workers), "ASSISTANT_BATCH_SIZE": str(batch)})
    for precision, workers, batch in [("float32", 1, 2), ("float32", 2, 2), ("float32", 2, 8), ("int8", 1, 2),
                                      ("int8", 2, 2), ("int8", 2, 8), ("int8", 2, 32)]
] + [("defaults", {}),
      ("int8, local Ray (2 CPUs), batch 2", {"ASSISTANT_RAY_ADDRESS": "local", "ASSISTANT_INDEX_WORKERS": "2"})]


def corpus_rows() -> list[dict]:
    with CORPUS.open(encoding="utf-8") as handle:
        return [json.loads(line) for line in handle if line.strip()]


def write_articles(rows: list[dict], folder: Path) -> None:
    """Each corpus row as `<id>.txt`, the way a newsroom export would hand them over."""
    folder.mkdir(parents=True, exist_ok=True)
    for row in rows:
        path = folder / f"{row['id']}.txt"
        if not path.exists():
            path.write_text(row["text"], encoding="utf-8")


def archive_sources(size: int) -> list[Path]:
    """The bundled article, the 300 news articles and, past 301, articles of ../shared/corpus."""
    sources = [SEED, NEWS]
    extra = size - 300
    if extra > 0:
        folder = RESULTS / f"corpus-{extra}"
        write_articles(corpus_rows()[:extra], folder)
        sources.append(folder)
    return sources


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


def _row(label: str, values: list[float]) -> str:
    return f"| {label} | {statistics.median(values):.2f} | {max(values):.2f} |"


def run_updates(args) -> int:
    from assistant import Assistant
    from assistant.config import Settings

    settings = Settings.from_env()
    index_dir = RESULTS / f"archive-updates-{args.size}-index"
    if settings.store != "local":  # a copy of the local index: its vectors move over, not re-embedded
        local, index_dir = index_dir, index_dir.with_name(f"{index_dir.name}-{settings.store}")
        if not index_dir.exists() and local.exists():
            shutil.copytree(local, index_dir, ignore=shutil.ignore_patterns(".lock"))
    sources = archive_sources(args.size)
    started = time.perf_counter()
    assistant = Assistant.open(index_dir, documents=sources, settings=settings, progress=True)
    embedder = assistant.embedder = TimedEmbedder(assistant.embedder)
    print(f"index ready in {time.perf_counter() - started:.1f} s: {len(assistant.documents())} articles, "
          f"{len(assistant.snapshot.chunks)} passages, precision {embedder.precision}\n")
    embedder.embed(["passage: khởi động"])  # load the model: an add to a running chat finds it loaded
    spare = corpus_rows()[max(args.size - 300, 0):][:args.rounds * 2]
    added, overhead, embedding, removed, passages = [], [], [], [], []
    with tempfile.TemporaryDirectory() as scratch:
        folder = Path(scratch)
        write_articles(spare, folder)
        for row in spare[:args.rounds]:
            path = folder / f"{row['id']}.txt"
            embedder.spans.clear()
            started = time.perf_counter()
            report = assistant.index([path])
            added.append(time.perf_counter() - started)
            embedding.append(embedder.seconds)
            overhead.append(added[-1] - embedder.seconds)
            passages.append(report.embedded_chunks)
            started = time.perf_counter()
            assistant.index(remove=[path.stem])
            removed.append(time.perf_counter() - started)
        cli = [sys.executable, "-m", "assistant"]
        floor, cli_added, cli_removed = [], [], []
        for row in spare[args.rounds:args.rounds + args.cli_rounds]:
            path = folder / f"{row['id']}.txt"
            for target, command in ((floor, [*cli, "--version"]),
                                    (cli_added, [*cli, "index", str(path), "--index-dir", str(index_dir), "--quiet"]),
                                    (cli_removed, [*cli, "index", "--remove", path.stem, "--index-dir", str(index_dir),
                                                   "--quiet"])):
                started = time.perf_counter()
                subprocess.run(command, check=True, capture_output=True)
                target.append(time.perf_counter() - started)

    print(f"{len(assistant.documents())} articles, {len(assistant.snapshot.chunks)} passages; "
          f"{args.rounds} articles added and removed ({statistics.median(passages):.0f} passages each, median)\n")
    print("| in the running process | median s | max s |")
    print("|---|---|---|")
    print(_row("add one article", added))
    print(_row("… embedding its passages", embedding))
    print(_row("… everything else", overhead))
    print(_row("remove one article", removed))
    if args.cli_rounds:
        print(f"\n| command line, fresh process ({args.cli_rounds} rounds) | median s | max s |")
        print("|---|---|---|")
        print(_row("`assistant --version` (floor)", floor))
        print(_row("`assistant index FILE`", cli_added))
        print(_row("`assistant index --remove ID`", cli_removed))
    return 0


_BUILD_CHILD = r"""
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


def run_build(args) -> int:
    sources = [str(path) for path in archive_sources(300)]
    chosen = [(label, environment) for label, environment in CONFIGURATIONS
              if not args.only or any(word in label for word in args.only)]
    results = {label: [] for label, _ in chosen}
    for _round in range(args.rounds):
        for label, environment in chosen:
            with tempfile.TemporaryDirectory() as scratch:
                output = subprocess.run(
                    [sys.executable, "-c", _BUILD_CHILD, str(Path(scratch) / "index"), *sources],
                    env={**os.environ, **environment}, check=True, capture_output=True, text=True)
            results[label].append(json.loads(output.stdout.strip().splitlines()[-1]))
            print(f"  {label}: {results[label][-1]}", file=sys.stderr)

    baseline = statistics.median(r["passages"] / r["seconds"] for r in results[chosen[0][0]])
    first = results[chosen[0][0]][0]
    print(f"\nthe bundled article + 300 news articles from scratch ({first['passages']} passages), "
          f"{args.rounds} rounds, {os.cpu_count()} cores\n")
    print("| configuration | seconds | passages/s | × baseline | peak memory MB |")
    print("|---|---|---|---|---|")
    for label, runs in results.items():
        rate = statistics.median(r["passages"] / r["seconds"] for r in runs)
        what = f"{label} ({runs[0]['precision']}, {runs[0]['workers']} workers, batch {runs[0]['batch_size']})" \
            if label == "defaults" else label
        print(f"| {what} | {statistics.median(r['seconds'] for r in runs):.1f} | {rate:.1f} | "
              f"{rate / baseline:.2f} | {statistics.median(r['peak_mb'] for r in runs):.0f} |")
    return 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    commands = parser.add_subparsers(dest="command", required=True)
    updates = commands.add_parser("updates", help="add and remove one article")
    updates.add_argument("--size", type=int, default=300, help="news articles beside the bundled one (300 or more)")
    updates.add_argument("--rounds", type=int, default=7)
    updates.add_argument("--cli-rounds", type=int, default=3)
    build = commands.add_parser("build", help="from-scratch rate and peak memory")
    build.add_argument("--rounds", type=int, default=2)
    build.add_argument("--only", nargs="+", metavar="WORD",
                       help="only the configurations whose label holds one of these (the first is the baseline)")
    args = parser.parse_args()
    if not NEWS.exists():
        print(f"{NEWS} is missing: this benchmark needs ../shared beside the project", file=sys.stderr)
        return 1
    if args.command == "updates" and args.size < 300:
        parser.error("--size is at least 300 (the news articles of ../shared/eval/news)")
    return run_updates(args) if args.command == "updates" else run_build(args)


if __name__ == "__main__":
    sys.exit(main())
