"""The harness: the registry of benchmarks, one command line for all of them, and the record each run writes."""

from __future__ import annotations

import argparse
import importlib
import logging
import sys
import time
from pathlib import Path

from .common.datasets import ROOT, MissingData
from .common.records import assistant_environment, load_average, make_record, now, write_record

# Name on the command line -> module. Each module has a docstring whose first line says what it
# measures, `add_options(parser)`, `run(options) -> dict` of measured numbers and, when some options
# change what is measured, `variant(options) -> str | None` naming the record.
BENCHMARKS = {
    "retrieval": "benchmarks.retrieval",
    "answers": "benchmarks.answers",
    "reading": "benchmarks.reading",
    "latency": "benchmarks.latency",
    "cold-start": "benchmarks.cold_start",
    "indexing": "benchmarks.indexing",
    "archive": "benchmarks.archive",
    "update": "benchmarks.update",
    "scale": "benchmarks.scale",
    "model": "benchmarks.model",
    "milvus": "benchmarks.milvus",
    "llm": "benchmarks.llm",
    "load": "benchmarks.load",
    "chat-api": "benchmarks.chat_api",
    "reliability": "benchmarks.reliability",
}
HARNESS_OPTIONS = ("benchmark", "module", "variant")
log = logging.getLogger("benchmarks")


def build_parser() -> argparse.ArgumentParser:
    from . import report

    parser = argparse.ArgumentParser(
        prog="python -m benchmarks", description=sys.modules["benchmarks"].__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
        epilog="Every run writes benchmarks/results/NAME[-VARIANT].json; run from the repository root.")
    commands = parser.add_subparsers(dest="benchmark", required=True, metavar="NAME")
    for name, module_name in BENCHMARKS.items():
        module = importlib.import_module(module_name)
        command = commands.add_parser(name, help=module.__doc__.strip().splitlines()[0], description=module.__doc__,
                                      formatter_class=argparse.RawDescriptionHelpFormatter)
        module.add_options(command)
        command.add_argument("--variant", help="name the record NAME-VARIANT.json (default: from the options)")
        command.set_defaults(module=module)
    command = commands.add_parser("report", help=report.__doc__.strip().splitlines()[0], description=report.__doc__,
                                  formatter_class=argparse.RawDescriptionHelpFormatter)
    report.add_options(command)
    command.set_defaults(module=report)
    return parser


def parameters_of(options: argparse.Namespace) -> dict:
    """The benchmark's options as JSON values."""
    return {name: str(value) if isinstance(value, Path) else value for name, value in vars(options).items()
            if name not in HARNESS_OPTIONS}


def run_benchmark(options: argparse.Namespace, argv: list[str] | None) -> int:
    """Run the chosen benchmark, write its record, print its tables; 1 when it reports a failure."""
    from .report import tables_of

    module = options.module
    started, load_at_start, clock, environment = now(), load_average(), time.perf_counter(), assistant_environment()
    log.info("%s: load average %.2f on this machine at the start", options.benchmark, load_at_start)
    try:
        results = module.run(options)
    except MissingData as error:
        print(f"skipped: {error}", file=sys.stderr)
        return 0
    name_variant = options.variant or (module.variant(options) if hasattr(module, "variant") else None)
    record = make_record(options.benchmark, name_variant, parameters_of(options), results, started, load_at_start,
                         time.perf_counter() - clock, argv, environment=environment)
    path = write_record(record)
    for lines in tables_of(record):
        print("\n".join(lines) + "\n")
    print(f"wrote {path.relative_to(ROOT)} ({record['seconds']:.0f} s, load {record['load']['start']:.2f} → "
          f"{record['load']['end']:.2f})")
    return 1 if results.get("failed") else 0


def main(argv: list[str] | None = None) -> int:
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(logging.Formatter("%(message)s"))
    log.addHandler(handler)
    log.setLevel(logging.INFO)
    options = build_parser().parse_args(argv)
    if options.benchmark == "report":
        return options.module.run(options)
    return run_benchmark(options, argv)
