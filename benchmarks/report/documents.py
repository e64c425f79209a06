"""The documents whose benchmark tables are generated, and the markers that delimit each fragment:

    <!-- table: KIND [RECORD ...] -->
    ...lines written by the renderer of KIND...
    <!-- /table -->

and, inside a sentence, `<!-- value: KIND [RECORD ...] -->text<!-- /value -->`. RECORD names a
file of benchmarks/results/ without `.json`; without one, the renderer's own sources are read.
Everything outside the markers is hand-written and left as it is."""

from __future__ import annotations

import re
from pathlib import Path

from ..common.datasets import ROOT
from .registry import FRAGMENTS, Records, render

DOCUMENTS = (ROOT / "README.md", ROOT / "benchmarks" / "PERFORMANCE.md")
TABLE = re.compile(r"^<!-- table: (?P<spec>[^>]*?) -->\n(?P<body>.*?)^<!-- /table -->$", re.MULTILINE | re.DOTALL)
VALUE = re.compile(r"<!-- value: (?P<spec>[^>]*?) -->(?P<body>.*?)<!-- /value -->", re.DOTALL)


class MarkerError(Exception):
    """A marker names an unknown fragment, or a table where a value belongs (or the reverse)."""


def _parse(spec: str, inline: bool, path: Path) -> tuple[str, tuple[str, ...]]:
    kind, *sources = spec.split()
    fragment = FRAGMENTS.get(kind)
    if fragment is None:
        raise MarkerError(f"{path.name}: no generated fragment named {kind!r}; known: {', '.join(sorted(FRAGMENTS))}")
    if fragment.inline != inline:
        raise MarkerError(f"{path.name}: {kind!r} is a {'value' if fragment.inline else 'table'}; "
                          f"write it as <!-- {'value' if fragment.inline else 'table'}: {spec} -->")
    return kind, tuple(sources)


def regenerate(text: str, records: Records, path: Path) -> tuple[str, list[str]]:
    """`text` with every fragment rendered again, and the specs of the fragments that changed."""
    changed: list[str] = []

    def table(match: re.Match) -> str:
        kind, sources = _parse(match["spec"], False, path)
        body = "\n".join(render(kind, sources, records)) + "\n"
        if body != match["body"]:
            changed.append(match["spec"])
        return f"<!-- table: {match['spec']} -->\n{body}<!-- /table -->"

    def value(match: re.Match) -> str:
        kind, sources = _parse(match["spec"], True, path)
        body = render(kind, sources, records)
        if body != match["body"]:
            changed.append(match["spec"])
        return f"<!-- value: {match['spec']} -->{body}<!-- /value -->"

    return VALUE.sub(value, TABLE.sub(table, text)), changed


def fragments_in(text: str) -> list[str]:
    """The specs of every marker in `text`, tables then values."""
    return [match["spec"] for match in TABLE.finditer(text)] + [match["spec"] for match in VALUE.finditer(text)]
