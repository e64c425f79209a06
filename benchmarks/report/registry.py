"""The generated fragments of the documents: each has a kind (the name in its marker), the records
it reads by default, and a renderer that turns those records into Markdown lines (a table) or a
piece of text (a value inside a sentence)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from ..common.records import RESULTS, read_record


@dataclass(frozen=True)
class Fragment:
    """A renderer and the records it reads.

    Attributes:
        kind: its name in the documents' markers, e.g. `retrieval/xquad`.
        sources: the record names it reads unless its marker names others (`*`: every record).
        render: `render(*records)` -> list of Markdown lines (table) or text (value).
        inline: a value inside a sentence rather than a block of lines.
        benchmark: the benchmark whose single record it can render right after a run (None: it
            combines several benchmarks).
        accepts: for `benchmark`, which of its records it renders (e.g. archive builds, not updates).
    """

    kind: str
    sources: tuple[str, ...]
    render: Callable
    inline: bool = False
    benchmark: str | None = None
    accepts: Callable[[dict], bool] = field(default=lambda record: True)


FRAGMENTS: dict[str, Fragment] = {}


def table(kind: str, *sources: str, benchmark: str | None = None, accepts: Callable[[dict], bool] | None = None):
    """Register a renderer of Markdown lines under `kind`, reading `sources` by default."""
    def register(render: Callable) -> Callable:
        FRAGMENTS[kind] = Fragment(kind, sources, render, False, benchmark, accepts or (lambda record: True))
        return render
    return register


def value(kind: str, *sources: str):
    """Register a renderer of text inside a sentence under `kind`, reading `sources` by default."""
    def register(render: Callable) -> Callable:
        FRAGMENTS[kind] = Fragment(kind, sources, render, True)
        return render
    return register


class Records:
    """The records of benchmarks/results/, each read once."""

    def __init__(self, folder: Path = RESULTS):
        self.folder = folder
        self._read: dict[str, dict] = {}

    def names(self) -> list[str]:
        """Every record's name (file name without `.json`), sorted."""
        return sorted(path.stem for path in self.folder.glob("*.json"))

    def __getitem__(self, name: str) -> dict:
        if name not in self._read:
            self._read[name] = read_record(name, self.folder)
        return self._read[name]


def render(kind: str, sources: tuple[str, ...], records: Records):
    """The fragment `kind` rendered from `sources` (its defaults when empty).

    Raises:
        KeyError: no fragment of that kind, with the kinds there are.
    """
    if kind not in FRAGMENTS:
        raise KeyError(f"no generated fragment named {kind!r}; known: {', '.join(sorted(FRAGMENTS))}")
    fragment = FRAGMENTS[kind]
    names = sources or fragment.sources
    if names == ("*",):  # every record there is
        names = tuple(records.names())
    return fragment.render(*(records[name] for name in names))
