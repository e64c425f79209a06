"""Cold start: process start to first answer with the index already built, and where the time goes.

    python -m benchmarks cold-start               # 5 runs of each command
    python -m benchmarks cold-start --runs 3 --top 15

Times, in fresh processes (min, median, p95, max of `--runs`):
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

import json
import os
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from .common.datasets import ROOT
from .common.measure import spread

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
print(json.dumps({"import": imported - started, "open": opened - imported, "first_ask": answered - opened,
                  "second_ask": again - answered}))
"""


def add_options(parser) -> None:
    parser.add_argument("--runs", type=int, default=5, help="fresh processes per command (at least 3)")
    parser.add_argument("--top", type=int, default=20, help="imports to list")


def run_process(command: list[str], **kwargs) -> tuple[float, subprocess.CompletedProcess]:
    """Run `command` from the repository root; its seconds and result.

    Raises:
        RuntimeError: the command failed, with the end of its standard error.
    """
    started = time.perf_counter()
    result = subprocess.run(command, check=False, capture_output=True, text=True, cwd=ROOT, **kwargs)
    seconds = time.perf_counter() - started
    if result.returncode != 0:
        raise RuntimeError(f"{' '.join(command)} failed ({result.returncode}):\n{result.stderr[-2000:]}")
    return seconds, result


def timed_runs(command: list[str], runs: int, **environment: str) -> list[float]:
    env = {**os.environ, **environment}
    return [run_process(command, env=env)[0] for _ in range(runs)]


def import_times(stderr: str) -> dict[str, tuple[int, int]]:
    """`-X importtime` output as {module: (self µs, cumulative µs)}."""
    times = {}
    for line in stderr.splitlines():
        match = re.match(r"import time:\s+(\d+) \|\s+(\d+) \|( *)(\S+)", line)
        if match:
            times[match.group(4)] = (int(match.group(1)), int(match.group(2)))
    return times


def heavy_imports(command: list[str]) -> dict:
    """Heavy and noted top-level packages `command` imports, and its total import time (s)."""
    _seconds, result = run_process([sys.executable, "-X", "importtime", *command])
    times = import_times(result.stderr)
    packages = {name.split(".")[0] for name in times}
    return {"heavy": sorted(packages & set(HEAVY)), "noted": sorted(packages & set(NOTED)),
            "import_seconds": sum(self_us for self_us, _cumulative in times.values()) / 1e6}


def processes(python: str, ask: list[str], ask_float: list[str], runs: int) -> dict[str, dict]:
    """Seconds of each command in fresh processes: `python -c pass`, the bare import, the ONNX and
    sentence-transformers floors, the ask command, and the ask command with `ASSISTANT_BACKEND=torch`."""
    rows = {
        "python_pass": timed_runs([python, "-c", "pass"], runs),
        "bare_import": timed_runs([python, "-c", "import sentence_transformers, faiss"], runs),
        "onnx_floor": timed_runs([python, "-c", ONNX_FLOOR.format(question=QUESTION)], runs),
        "torch_floor": timed_runs([python, "-c", MODEL_FLOOR.format(question=QUESTION)], runs),
        "ask": timed_runs(ask, runs),
        "ask_torch": timed_runs(ask_float, runs, ASSISTANT_BACKEND="torch"),
    }
    return {label: spread(seconds) for label, seconds in rows.items()}


def run(options) -> dict:
    python = sys.executable
    results = {"target_seconds": TARGET_SECONDS, "target_ratio": TARGET_RATIO}
    with tempfile.TemporaryDirectory() as workdir:
        index_dir = str(Path(workdir) / "index")
        run_process([python, "-m", "assistant", "index", "--index-dir", index_dir, "-q"])  # built once, not timed
        float_dir = str(Path(workdir) / "index-float32")
        run_process([python, "-m", "assistant", "index", "--index-dir", float_dir, "-q"],
                    env={**os.environ, "ASSISTANT_PRECISION": "float32"})
        ask = [python, "-m", "assistant", "ask", QUESTION, "--index-dir", index_dir, "--json", "-q"]
        ask_float = [*ask[:ask.index(index_dir)], float_dir, *ask[ask.index(index_dir) + 1:]]
        answer = json.loads(run_process(ask)[1].stdout)
        results["answer"] = {"answered": answer["answered"], "text": answer["answer"][:80]}
        results["processes"] = processes(python, ask, ask_float, options.runs)
        phases = [json.loads(run_process([python, "-c", PHASES, index_dir, QUESTION])[1].stdout)
                  for _ in range(options.runs)]
        results["phases"] = {name: spread([phase[name] for phase in phases]) for name in phases[0]}

        _seconds, traced = run_process([python, "-X", "importtime", *ask[1:]])
        times = import_times(traced.stderr)
        top_level = {name: cumulative for name, (_self, cumulative) in times.items() if "." not in name}
        packages = {name.split(".")[0] for name in times}
        results["ask_imports"] = {
            "modules": len(times), "seconds": sum(self_us for self_us, _cumulative in times.values()) / 1e6,
            "heavy": sorted(packages & set(HEAVY)),
            "top_level_cumulative_seconds": {name: cumulative / 1e6 for name, cumulative in
                                             sorted(top_level.items(), key=lambda item: -item[1])[:options.top]}}
    results["light_commands"] = {label: heavy_imports(command) for label, command in (
        ("assistant --help", ["-m", "assistant", "--help"]),
        ("import assistant.text.normalize", ["-c", "import assistant.text.normalize"]),
        ("import assistant", ["-c", "import assistant"]))}
    medians = {label: row["median"] for label, row in results["processes"].items()}
    results["ask_to_bare_import"] = medians["ask"] / medians["bare_import"]
    results["ask_to_onnx_floor"] = medians["ask"] / medians["onnx_floor"]
    return results
