"""Timing and memory helpers shared by the benchmarks: one percentile function, a summary of a list
of timings (min, median, p95, max), timed repetitions, and the process's peak resident memory."""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable, Iterable
from pathlib import Path

import numpy as np


def percentile(values: Iterable[float], q: float) -> float:
    """The `q`-th percentile (0–100) of `values`, linearly interpolated (numpy's default)."""
    return float(np.percentile(np.asarray(list(values), dtype=float), q))


def spread(values: Iterable[float], scale: float = 1.0) -> dict[str, float]:
    """`{"runs", "min", "median", "p95", "max"}` of `values`, each multiplied by `scale` (1000: s → ms).

    Raises:
        ValueError: `values` is empty (a benchmark that measured nothing has nothing to report).
    """
    values = [float(value) * scale for value in values]
    if not values:
        raise ValueError("no measurements to summarise")
    return {"runs": len(values), "min": min(values), "median": statistics.median(values),
            "p95": percentile(values, 95), "max": max(values)}


def timed(function: Callable[[], object]) -> tuple[float, object]:
    """Run `function()`; return the seconds it took and its result."""
    started = time.perf_counter()
    result = function()
    return time.perf_counter() - started, result


def repeat(function: Callable[[], object], runs: int) -> list[float]:
    """Seconds of `runs` calls of `function()`, one after the other."""
    return [timed(function)[0] for _ in range(runs)]


def status_mb(field: str) -> float:
    """A memory field of /proc/self/status in MB (VmHWM, VmRSS, RssAnon, RssFile); NaN elsewhere."""
    try:
        lines = Path("/proc/self/status").read_text().splitlines()
    except OSError:
        return float("nan")
    for line in lines:
        if line.startswith(field + ":"):
            return int(line.split()[1]) / 1024
    return float("nan")


def reset_peak() -> float:
    """Reset the process's peak resident memory (VmHWM) so a phase's own peak can be read.

    Returns:
        The resident memory now, in MB: subtract it from `status_mb("VmHWM")` for the phase's extra peak.
    """
    try:
        Path("/proc/self/clear_refs").write_text("5")
    except OSError:
        pass
    return status_mb("VmRSS")
