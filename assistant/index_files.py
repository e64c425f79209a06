"""What a generation's files hold: the manifest's structure, and documents as JSON rows.

A generation of the `local` store holds every part of the index; one of the `milvus` store holds
the documents, the passages' citations and the diacritic vocabulary, while the passages' vectors
and BM25 terms are rows of a Milvus collection the manifest names (`milvus_store.py`).
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol, Sequence

import numpy as np

from .chunking import Chunk
from .config import LexicalSettings
from .diacritics import DiacriticRestorer
from .documents import Document, Paragraph

# A file name in a manifest: relative, inside the generation, no "..".
_FILE_NAME = re.compile(r"[\w-][\w.-]*(?:/[\w-][\w.-]*)*")
_SHA256 = re.compile(r"[0-9a-f]{64}")
COMMON_FILES = ("documents.jsonl", "chunks.jsonl", "vocabulary.json")
LOCAL_FILES = ("dense.faiss",)  # and the bm25s files under lexical/
MILVUS_FILES = ("term-ids.npy", "term-frequencies.npy")  # term_statistics.FILES


def store_kind(manifest: dict) -> str:
    """The store that holds a generation's vectors and terms (`local` before it was recorded)."""
    return manifest.get("store", "local")


def manifest_problem(manifest: dict) -> str | None:
    """What is wrong with a manifest's structure, or None: every generation file listed with a
    size and checksum, names inside the generation, settings and sources of the right shapes."""
    files = manifest.get("files")
    if not isinstance(files, dict) or not files:
        return "the list of files and checksums is missing"
    for name, entry in files.items():
        if not isinstance(name, str) or not _FILE_NAME.fullmatch(name) or ".." in name.split("/"):
            return f"file name {name!r} is not a plain name inside the generation"
        if not (isinstance(entry, dict) and isinstance(entry.get("bytes"), int) and entry["bytes"] >= 0
                and isinstance(entry.get("sha256"), str) and _SHA256.fullmatch(entry["sha256"])):
            return f"the entry of {name!r} lacks its size or checksum"
    kind = store_kind(manifest)
    if kind == "local":
        missing = [name for name in COMMON_FILES + LOCAL_FILES if name not in files]
        if missing or not any(name.startswith("lexical/") for name in files):
            return f"files missing from the list: {', '.join(missing) or 'lexical/'}"
    elif kind == "milvus":
        missing = [name for name in COMMON_FILES + MILVUS_FILES if name not in files]
        if missing:
            return f"files missing from the list: {', '.join(missing)}"
        if not isinstance(manifest.get("milvus"), dict) or not isinstance(manifest["milvus"].get("collection"), str):
            return "the Milvus collection is not named"
    else:
        return f"the store {kind!r} is unknown"
    if not isinstance(manifest.get("lexical"), dict) or set(manifest["lexical"]) - set(LexicalSettings.__annotations__):
        return "the lexical settings are malformed"
    for key in ("sources", "excluded"):
        if not isinstance(manifest.get(key, []), list) or not all(isinstance(v, str) for v in manifest.get(key, [])):
            return f"{key!r} is not a list of paths"
    if not isinstance(manifest.get("model"), dict) or not isinstance(manifest["model"].get("id"), str):
        return "the model entry is malformed"
    return None


def document_from_row(row: dict) -> Document:
    """A document as `documents.jsonl` holds it (`document_row`), read back."""
    return Document(
        id=row["id"], title=row["title"], date=row.get("date"), path=row["path"], text=row["text"],
        source=row.get("source"), sha256=row["sha256"],
        paragraphs=tuple(Paragraph(*p) for p in row["paragraphs"]), encoding=row.get("encoding", "utf-8"),
        fingerprint=row.get("fingerprint", ""),
    )


def document_row(document: Document) -> dict:
    """A document as one row of `documents.jsonl`."""
    return {
        "id": document.id, "title": document.title, "date": document.date, "path": document.path,
        "source": document.source, "sha256": document.sha256, "text": document.text,
        "paragraphs": [[p.start, p.end, p.number, p.is_heading] for p in document.paragraphs],
        "encoding": document.encoding, "fingerprint": document.fingerprint,
    }


class DenseSearch(Protocol):
    """What a question needs of a store's vectors (`dense.DenseIndex`, `milvus_store.MilvusDense`)."""

    size: int
    dimension: int

    def search(self, query_vector: np.ndarray, k: int) -> list[tuple[int, float]]: ...

    def similarities(self, query_vector: np.ndarray, passages: list[int]) -> dict[int, float]: ...

    def vectors(self) -> np.ndarray: ...


class LexicalSearch(Protocol):
    """What a question needs of a store's terms (`lexical.LexicalIndex`, `milvus_store.MilvusLexical`)."""

    settings: LexicalSettings
    size: int

    def search(self, question: str, k: int) -> list[tuple[int, float]]: ...

    def idf(self, terms: Sequence[str]) -> dict[str, float]: ...


@dataclass
class IndexSnapshot:
    """One loaded generation of the index: everything a question needs, read-only."""

    generation: Path
    manifest: dict
    documents: dict[str, Document]
    chunks: list[Chunk]
    chunk_hashes: list[str]
    dense: DenseSearch
    lexical: LexicalSearch
    restorer: DiacriticRestorer


def changed_search_texts(snapshot: IndexSnapshot, hashes: list[str], search_texts: list[str]) -> tuple[list[str], list[str]]:
    """Search texts of the passages the update removes and of those it adds (as multisets)."""
    removed = Counter(snapshot.chunk_hashes) - Counter(hashes)
    added = Counter(hashes) - Counter(snapshot.chunk_hashes)
    old_texts = []
    for chunk, h in zip(snapshot.chunks, snapshot.chunk_hashes):
        if removed[h] > 0:
            removed[h] -= 1
            old_texts.append(chunk.search_text(snapshot.documents[chunk.document_id].title))
    new_texts = []
    for text, h in zip(search_texts, hashes):
        if added[h] > 0:
            added[h] -= 1
            new_texts.append(text)
    return old_texts, new_texts
