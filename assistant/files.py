"""Plain files, written durably: JSON and JSON lines in UTF-8 (Vietnamese kept as is), SHA-256
digests, fsync of a whole folder before it is published."""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

import orjson  # several times faster than json on the index's large files


def write_json(path: Path, data, indent: bool = True) -> None:
    """`data` as JSON in UTF-8, indented unless `indent` is False (large data files)."""
    path.write_bytes(orjson.dumps(data, option=orjson.OPT_INDENT_2 if indent else 0))


def read_json(path: Path):
    return orjson.loads(path.read_bytes())


def write_jsonl(path: Path, rows) -> None:
    with path.open("wb") as handle:
        for row in rows:
            handle.write(orjson.dumps(row) + b"\n")


def read_jsonl(path: Path) -> list[dict]:
    with path.open("rb") as handle:
        return [orjson.loads(line) for line in handle if line.strip()]


def file_digest(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def fsync_tree(directory: Path) -> None:
    for path in sorted(directory.rglob("*"), reverse=True):
        if path.is_file():
            with path.open("rb") as handle:
                os.fsync(handle.fileno())
    for folder in [*sorted(p for p in directory.rglob("*") if p.is_dir()), directory, directory.parent]:
        fd = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)
