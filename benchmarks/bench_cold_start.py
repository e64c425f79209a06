"""Cold start: process start to first answer with the index already built, and where the time goes.

    python benchmarks/bench_cold_start.py               # 5 runs of each command
    python benchmarks/bench_cold_start.py --runs 3 --top 15

Times, in fresh processes (median and p95 of `--runs`):
- baseline: `python -c pass`; a bare `import sentence_transformers, faiss` (the ratio's
  denominator: what any pipeline on these libraries pays before its first answer); and the floor of
  any answer on each backend: load the bundled model and embed one query, with ONNX Runtime (what
  the assistant uses, at the default precision) and with sentence-transformers;
- `python -m assistant ask "…" --json` on an index built beforehand (the bundled article), on the
  default backend and with `ASSISTANT_BACKEND=torch` (on an index of float32 vectors, which that
  backend computes);
- the same split into phases inside one process (imports, `Assistant.open`, first `ask`).
Then `python -X importtime` of the `ask` command (largest imports by cumulative time), and a check
that `assistant --help` and `import assistant.text.normalize` import nothing heavy.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
from xquad import ROOT

TARGET_SECONDS = 6.0
TARGET_RATIO = 0.25  # of the bare sentence-transformers + faiss import
QUESTION = "Ai là Chủ tịch UBND phường Tân Mỹ?"
HEAVY = ("torch", "faiss", "gradio", "bm25s", "sentence_transformers", "transformers", "onnxruntime", "ray")
NOTED = ("numpy", "scipy")  # not heavy enough to fail the check, but worth seeing

ONNX_FLOOR = """
from assistant.embed.embedders import OnnxEmbedder, embed_queries
embed_queries(OnnxEmbedder(threads=1), ["{question}"])
"""

MODEL_FLOOR = """
from assistant.embed.backend.bundled import resolve_model_path
from assistant.config import BUNDLED_MODEL_ID
path = resolve_model_path(BUNDLED_MODEL_ID)
from sentence_transformers import SentenceTransformer
SentenceTransformer(path, device="cpu").encode(["query: {question}"], normalize_embeddings=True)
"""

PHASES = """
import json, sys, time
started = time.perf_counter()
from assistant import Assistant
imported = time.perf_counter()
assistant = Assistant.open(sys.argv[1], update=True)
opened = time.perf_counter()
assistant.ask(sys.argv[2])
answered = time.perf_counter()
assistant.ask(sys.argv[2] + " nữa")
again = time.perf_counter()
print(json.dumps({"import assistant.answer.assistant": imported - started, "Assistant.open (index + model)": opened - imported,
                  "first ask": answered - opened, "second ask": again - answered}))
"""


def run(command: list[str], **kwargs) -> tuple[float, subprocess.CompletedProcess]:
    started = time.perf_counter()
    result = subprocess.run(command, capture_output=True, text=True, cwd=ROOT, **kwargs)
    seconds = time.perf_counter() - started
    if result.returncode != 0:
        raise SystemExit(f"{' '.join(command)} failed ({result.returncode}):\n{result.stderr[-2000:]}")
    return seconds, result


def timed_runs(command: list[str], runs: int, **environment: str) -> list[float]:
    env = {**os.environ, **environment}
    return [run(command, env=env)[0] for _ in range(runs)]


def summary(seconds: list[float]) -> str:
    return f"{statistics.median(seconds):.2f} | {float(np.percentile(seconds, 95)):.2f}"


def import_times(stderr: str) -> dict[str, tuple[int, int]]:
    """`-X importtime` output as {module: (self µs, cumulative µs)}."""
    times = {}
    for line in stderr.splitlines():
        match = re.match(r"import time:\s+(\d+) \|\s+(\d+) \|( *)(\S+)", line)
        if match:
            times[match.group(4)] = (int(match.group(1)), int(match.group(2)))
    return times


def heavy_imports(command: list[str]) -> tuple[list[str], list[str], float]:
    """Heavy and noted top-level packages `command` imports, and its total import time (s)."""
    _seconds, result = run([sys.executable, "-X", "importtime", *command])
    times = import_times(result.stderr)
    packages = {name.split(".")[0] for name in times}
    total = sum(self_us for self_us, _cumulative in times.values()) / 1e6
    return sorted(packages & set(HEAVY)), sorted(packages & set(NOTED)), total


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5, help="fresh processes per command (at least 3)")
    parser.add_argument("--top", type=int, default=20, help="imports to list")
    args = parser.parse_args()
    python = sys.executable
    print(f"load average {os.getloadavg()[0]:.2f} (1 min) on {os.cpu_count()} cores\n")
    with tempfile.TemporaryDirectory() as workdir:
        index_dir = str(Path(workdir) / "index")
        run([python, "-m", "assistant", "index", "--index-dir", index_dir, "-q"])  # built once, not timed
        float_dir = str(Path(workdir) / "index-float32")
        run([python, "-m", "assistant", "index", "--index-dir", float_dir, "-q"],
            env={**os.environ, "ASSISTANT_PRECISION": "float32"})
        ask = [python, "-m", "assistant", "ask", QUESTION, "--index-dir", index_dir, "--json", "-q"]
        ask_float = [*ask[:ask.index(index_dir)], float_dir, *ask[ask.index(index_dir) + 1:]]
        answer = json.loads(run(ask)[1].stdout)
        print(f"answer: answered={answer['answered']} {answer['answer'][:80]}…\n")

        rows = [
            ("python -c pass", timed_runs([python, "-c", "pass"], args.runs)),
            ("bare `import sentence_transformers, faiss`",
             timed_runs([python, "-c", "import sentence_transformers, faiss"], args.runs)),
            ("floor, ONNX Runtime: load model + embed 1 query",
             timed_runs([python, "-c", ONNX_FLOOR.format(question=QUESTION)], args.runs)),
            ("floor, sentence-transformers: import + load model + embed 1 query",
             timed_runs([python, "-c", MODEL_FLOOR.format(question=QUESTION)], args.runs)),
            ("python -m assistant ask \"…\" --json", timed_runs(ask, args.runs)),
            ("same, ASSISTANT_BACKEND=torch (float32 index)", timed_runs(ask_float, args.runs, ASSISTANT_BACKEND="torch")),
        ]
        print("| process | median s | p95 s |\n|---|---|---|")
        for label, seconds in rows:
            print(f"| {label} | {summary(seconds)} |")
        ask_median = statistics.median(rows[4][1])
        bare_median, floor_median = statistics.median(rows[1][1]), statistics.median(rows[2][1])
        ratio = ask_median / bare_median
        print(f"\nask cold start {ask_median:.2f} s ({'meets' if ask_median <= TARGET_SECONDS else 'misses'} the "
              f"≤ {TARGET_SECONDS:.0f} s target); {ratio:.2f} × the bare sentence-transformers + faiss import "
              f"({'meets' if ratio <= TARGET_RATIO else 'misses'} ≤ {TARGET_RATIO}); "
              f"{ask_median / floor_median:.2f} × the ONNX model floor")

        phases = [json.loads(run([python, "-c", PHASES, index_dir, QUESTION])[1].stdout) for _ in range(args.runs)]
        print("\n| phase (one process) | median s | p95 s |\n|---|---|---|")
        for name in phases[0]:
            print(f"| {name} | {summary([p[name] for p in phases])} |")

        _seconds, traced = run([python, "-X", "importtime", *ask[1:]])
        times = import_times(traced.stderr)
        top_level = {name: cumulative for name, (_self, cumulative) in times.items() if "." not in name}
        print(f"\n`-X importtime` of the ask command: {len(times)} modules, "
              f"{sum(s for s, _c in times.values()) / 1e6:.2f} s in total\n")
        print("| top-level package | cumulative s |\n|---|---|")
        for name, cumulative in sorted(top_level.items(), key=lambda item: -item[1])[:args.top]:
            print(f"| {name} | {cumulative / 1e6:.3f} |")

    print("\nHeavy imports (should be none):")
    for label, command in (("assistant --help", ["-m", "assistant", "--help"]),
                           ("import assistant.text.normalize", ["-c", "import assistant.text.normalize"]),
                           ("import assistant", ["-c", "import assistant"])):
        heavy, noted, total = heavy_imports(command)
        print(f"- {label}: heavy {', '.join(heavy) if heavy else 'none'}; also {', '.join(noted) or 'nothing else'}; "
              f"{total:.2f} s of imports")
    print(f"\nload average {os.getloadavg()[0]:.2f} (1 min) at the end")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
