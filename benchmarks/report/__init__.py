"""Regenerate the documents' benchmark tables from benchmarks/results/*.json (`--check`: only compare).

    python -m benchmarks report            # rewrite every generated table and value in README.md and PERFORMANCE.md
    python -m benchmarks report --check    # exit 1, naming them, when any differs from what the records give

Tables and values sit between markers (see `documents.py`); the renderers are in `quality.py`,
`speed.py`, `scale.py`, `serving.py` and `summaries.py`. Nothing is measured: only the committed records are read.
"""

from __future__ import annotations

import sys

from ..common.datasets import ROOT
from . import quality, reading, scale, serving, speed, summaries  # noqa: F401 - each module registers its renderers
from .documents import DOCUMENTS, MarkerError, fragments_in, regenerate
from .registry import FRAGMENTS, Records


def add_options(parser) -> None:
    parser.add_argument("--check", action="store_true",
                        help="change nothing; exit 1 when a document's tables differ from the records")


def run(options) -> int:
    records = Records()
    stale = []
    for path in DOCUMENTS:
        text = path.read_text(encoding="utf-8")
        try:
            updated, changed = regenerate(text, records, path)
        except (FileNotFoundError, MarkerError) as error:
            print(f"error: {error}", file=sys.stderr)
            return 1
        name = path.relative_to(ROOT)
        if options.check:
            stale += [f"{name}: {spec}" for spec in changed]
        elif updated != text:
            path.write_text(updated, encoding="utf-8")
            print(f"{name}: regenerated {len(changed)} fragment(s): {', '.join(changed)}")
        else:
            print(f"{name}: up to date")
    if stale:
        print("Generated fragments differ from benchmarks/results/ (run `python -m benchmarks report`):\n  "
              + "\n  ".join(stale), file=sys.stderr)
    unshown = unshown_records(records)
    if unshown:
        print("Records no document shows (delete them, or add a marker that reads them): "
              + ", ".join(unshown), file=sys.stderr)
    return 1 if stale or unshown else 0


def unshown_records(records: Records) -> list[str]:
    """Records of benchmarks/results/ that no marker of the documents reads by name (a marker that
    lists every record does not count)."""
    shown: set[str] = set()
    for path in DOCUMENTS:
        for spec in fragments_in(path.read_text(encoding="utf-8")):
            kind, *sources = spec.split()
            shown |= set(sources or FRAGMENTS[kind].sources)
    return sorted(set(records.names()) - shown)


def tables_of(record: dict) -> list[list[str]]:
    """The tables of one fresh record, to print after its run."""
    return [fragment.render(record) for fragment in FRAGMENTS.values()
            if not fragment.inline and fragment.benchmark == record["benchmark"] and fragment.accepts(record)]
