"""Benchmarks of the assistant, run from the repository root with one harness: `python -m benchmarks
NAME [options]` measures one thing and writes `benchmarks/results/NAME[-VARIANT].json`;
`python -m benchmarks report` regenerates the documents' tables from those files (`--check` only
compares). Shared helpers live in `benchmarks.common`, the tables in `benchmarks.report`."""
