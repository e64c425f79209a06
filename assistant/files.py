"""Plain files, written durably: JSON and JSON lines in UTF-8 (Vietnamese kept as is), SHA-256
digests, fsync of a whole folder before it is published."""

from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path


def write_json(path: Path, data) -> None:
    """`data` as indented JSON, non-ASCII characters kept."""
    path.write_text(json.dumps(data, ensure_ascii=False, indent=1), encoding="utf-8")


def write_jsonl(path: Path, rows) -> None:
    with path.open("w", encoding="utf-8") as handle:
        for row in rows:
            handle.write(json.dumps(row, ensure_ascii=False) + "\n")


def read_jsonl(path: Path) -> list[dict]:
    with path.open(encoding="utf-8") as handle:
        return [json.loads(line) for line in handle if line.strip()]


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
