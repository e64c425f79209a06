"""The documents' benchmark tables are generated: `python -m benchmarks report --check` passes on the
committed records (benchmarks/results/*.json), so no table was edited by hand, left stale, or fed by
a record no document shows. Nothing is measured and nothing outside the repository is read (no
shared evaluation data, no model, no network)."""

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def benchmarks(*arguments: str) -> subprocess.CompletedProcess:
    """`python -m benchmarks ARGUMENTS` from the repository root, as the documents say to run it."""
    return subprocess.run([sys.executable, "-m", "benchmarks", *arguments], cwd=ROOT, capture_output=True, text=True,
                          timeout=120)


def test_documents_tables_match_the_committed_results():
    result = benchmarks("report", "--check")
    assert result.returncode == 0, result.stderr


def test_help_lists_every_benchmark_module():
    modules = [path.stem if path.is_file() else path.name for path in (ROOT / "benchmarks").iterdir()
               if (path.suffix == ".py" or (path / "__init__.py").exists())
               and path.stem not in ("__init__", "__main__", "harness", "common", "report")]
    result = benchmarks("--help")
    assert result.returncode == 0, result.stderr
    listed = {line.split()[0] for line in result.stdout.splitlines() if line.startswith("    ") and line.split()}
    assert {module.replace("_", "-") for module in modules} | {"report"} <= listed, result.stdout
