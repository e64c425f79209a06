"""Index storage: a directory of plain files, written atomically, locked while written, verified on load.

Layout of an index directory::

    index/
      CURRENT            name of the live generation (replaced atomically)
      .lock              held by the one process writing
      gen-<time>-<pid>/  one complete index: manifest.json, documents.jsonl, chunks.jsonl,
                         dense.faiss, lexical/ (bm25s), vocabulary.json

A new generation is written beside the live one, flushed to disk, then published by replacing
`CURRENT`; a crash at any moment leaves the previous generation live and intact. Reading and
writing a generation's files happens here only (`IndexStore.load`, `IndexStore.write_generation`):
the seam where another storage backend would plug in.
"""

from __future__ import annotations

import contextlib
import errno
import fcntl
import hashlib
import json
import logging
import os
import shutil
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Iterator, Sequence

from .chunking import Chunk
from .config import LexicalSettings
from .dense import DenseIndex
from .diacritics import DiacriticRestorer
from .documents import Document, Paragraph
from .errors import IndexLockedError, IndexStateError
from .lexical import LexicalIndex

log = logging.getLogger(__name__)

FORMAT_VERSION = 1
CURRENT = "CURRENT"
LOCK = ".lock"
MANIFEST = "manifest.json"
# Above this total size, loading checks file sizes only; `verify=True` always hashes everything.
HASH_ON_LOAD_LIMIT = 256 * 1024 * 1024


def write_json(path: Path, data) -> None:
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


@dataclass
class IndexSnapshot:
    """One loaded generation of the index: everything a question needs, read-only."""

    generation: Path
    manifest: dict
    documents: dict[str, Document]
    chunks: list[Chunk]
    chunk_hashes: list[str]
    dense: DenseIndex
    lexical: LexicalIndex
    restorer: DiacriticRestorer



def _document_from_row(row: dict) -> Document:
    return Document(
        id=row["id"], title=row["title"], date=row.get("date"), path=row["path"], text=row["text"],
        source=row.get("source"), sha256=row["sha256"],
        paragraphs=tuple(Paragraph(*p) for p in row["paragraphs"]),
    )


def _document_row(document: Document) -> dict:
    return {
        "id": document.id, "title": document.title, "date": document.date, "path": document.path,
        "source": document.source, "sha256": document.sha256, "text": document.text,
        "paragraphs": [[p.start, p.end, p.number, p.is_heading] for p in document.paragraphs],
    }


def _load_snapshot(store: "IndexStore", mmap: bool = False, verify: bool = False) -> "IndexSnapshot | None":
    """Load the live generation, or None when the directory holds no index yet.

    Raises:
        IndexStateError: the index is corrupted, truncated or of another format.
    """
    for attempt in range(3):
        generation = store.current()
        if generation is None:
            return None
        try:
            return _load_generation(store, generation, mmap, verify)
        except (OSError, IndexStateError):
            if attempt < 2 and store.current() != generation:
                continue  # a writer published a new generation while we read: read that one
            raise
    raise AssertionError("unreachable")


def _load_generation(store: "IndexStore", generation: Path, mmap: bool, verify: bool) -> "IndexSnapshot":
    manifest = store.read_manifest(generation)
    store.verify(generation, manifest, full=verify)
    try:
        documents = {row["id"]: _document_from_row(row) for row in read_jsonl(generation / "documents.jsonl")}
        rows = read_jsonl(generation / "chunks.jsonl")
        chunks = [
            Chunk(r["document_id"], r["paragraph"], r["start"], r["end"],
                  documents[r["document_id"]].text[r["start"]:r["end"]], r.get("heading", ""))
            for r in rows
        ]
        dense = DenseIndex.load(generation / "dense.faiss", mmap=mmap)
        lexical = LexicalIndex.load(generation / "lexical", LexicalSettings(**manifest["lexical"]), mmap=mmap)
        restorer = DiacriticRestorer.from_dict(json.loads((generation / "vocabulary.json").read_text(encoding="utf-8")))
    except (KeyError, ValueError, RuntimeError) as error:
        raise IndexStateError(
            f"{generation}: the index files are inconsistent ({type(error).__name__}: {error}); "
            "run `assistant index --rebuild` to rebuild"
        ) from error
    if not (dense.size == lexical.size == len(chunks)):
        raise IndexStateError(
            f"{generation}: {len(chunks)} passages but {dense.size} vectors and {lexical.size} BM25 rows; "
            "run `assistant index --rebuild` to rebuild"
        )
    return IndexSnapshot(generation, manifest, documents, chunks, [r["hash"] for r in rows], dense, lexical, restorer)


def _fsync_tree(directory: Path) -> None:
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


class IndexStore:
    """One index directory: finds the live generation, publishes new ones, holds the writer lock."""

    def __init__(self, directory: str | Path):
        self.directory = Path(directory)

    def current(self) -> Path | None:
        """The live generation's folder, or None when nothing was ever published."""
        pointer = self.directory / CURRENT
        for _attempt in range(3):  # a writer may publish (and delete our generation) between the two reads
            try:
                name = pointer.read_text(encoding="utf-8").strip()
            except (FileNotFoundError, NotADirectoryError):
                return None
            except OSError as error:
                raise IndexStateError(f"{pointer}: unreadable ({error.strerror}); check permissions") from error
            generation = self.directory / name
            if name and "/" not in name and generation.is_dir():
                return generation
        raise IndexStateError(
            f"{pointer} names a missing index ({name!r}); delete {self.directory} and run `assistant index` to rebuild"
        )

    def load(self, mmap: bool = False, verify: bool = False) -> "IndexSnapshot | None":
        """The live generation, loaded; None when the directory holds no index yet.

        Raises:
            IndexStateError: the index is corrupted, truncated or of another format.
        """
        return _load_snapshot(self, mmap, verify)

    def write_generation(self, documents: Sequence[Document], chunks: Sequence[Chunk], hashes: Sequence[str],
                         dense: DenseIndex, lexical: LexicalIndex, restorer: DiacriticRestorer,
                         manifest: dict) -> Path:
        """Write a complete generation beside the live one and publish it (call under the lock).

        Args:
            documents: the documents, in index order.
            chunks: their passages, in index order, with `hashes` (the keys of their vectors).
            dense / lexical / restorer: the built indexes, one row per passage.
            manifest: what the index was built with (model, settings, sources); the document list,
                dimension, dense kind and file checksums are added here.
        """
        staging = self.new_generation()
        try:
            write_jsonl(staging / "documents.jsonl", (_document_row(d) for d in documents))
            write_jsonl(staging / "chunks.jsonl", (
                {"document_id": c.document_id, "paragraph": c.paragraph, "start": c.start, "end": c.end,
                 "heading": c.heading, "hash": h} for c, h in zip(chunks, hashes, strict=True)))
            dense.save(staging / "dense.faiss")
            lexical.save(staging / "lexical")
            write_json(staging / "vocabulary.json", restorer.to_dict())
            return self.publish(staging, {
                **manifest, "dimension": dense.dimension, "dense": {"kind": dense.kind, "passages": dense.size},
                "documents": {d.id: {"path": d.path, "sha256": d.sha256, "title": d.title} for d in documents},
            })
        except BaseException:
            shutil.rmtree(staging, ignore_errors=True)
            raise

    def read_manifest(self, generation: Path) -> dict:
        try:
            manifest = json.loads((generation / MANIFEST).read_text(encoding="utf-8"))
        except (OSError, ValueError) as error:
            raise IndexStateError(
                f"{generation / MANIFEST}: missing or corrupted ({error}); run `assistant index --rebuild` to rebuild"
            ) from error
        if manifest.get("format_version") != FORMAT_VERSION:
            raise IndexStateError(
                f"{self.directory}: index format {manifest.get('format_version')} is not {FORMAT_VERSION}; "
                "run `assistant index --rebuild` to rebuild"
            )
        return manifest

    def verify(self, generation: Path, manifest: dict, full: bool = False) -> None:
        """Check every file the manifest lists: size always, SHA-256 when small or `full`.

        Raises:
            IndexStateError: a file is missing, truncated or altered.
        """
        files = manifest.get("files", {})
        total = sum(entry["bytes"] for entry in files.values())
        hash_all = full or total <= HASH_ON_LOAD_LIMIT
        for name, entry in files.items():
            path = generation / name
            hint = "run `assistant index --rebuild` to rebuild the index"
            if not path.is_file():
                raise IndexStateError(f"{path}: missing from the index; {hint}")
            if path.stat().st_size != entry["bytes"]:
                raise IndexStateError(f"{path}: truncated or altered (size differs from the manifest); {hint}")
            if hash_all and file_digest(path) != entry["sha256"]:
                raise IndexStateError(f"{path}: corrupted (checksum differs from the manifest); {hint}")

    @contextlib.contextmanager
    def writer_lock(self) -> Iterator[None]:
        """Hold the exclusive writer lock, or fail at once if another indexer holds it.

        Raises:
            IndexLockedError: another process is writing this index.
            IndexStateError: the directory cannot be created or written.
        """
        self._ensure_writable()
        lock_path = self.directory / LOCK
        handle = lock_path.open("a+", encoding="utf-8")
        try:
            try:
                fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
            except OSError as error:
                if error.errno not in (errno.EAGAIN, errno.EACCES):
                    raise
                handle.seek(0)
                holder = handle.read().strip() or "another process"
                raise IndexLockedError(
                    f"{self.directory} is being indexed by {holder}; wait for it to finish, then try again"
                ) from error
            handle.seek(0)
            handle.truncate()
            handle.write(f"process {os.getpid()}")
            handle.flush()
            yield
        finally:
            handle.close()

    def _ensure_writable(self) -> None:
        try:
            self.directory.mkdir(parents=True, exist_ok=True)
        except OSError as error:
            raise IndexStateError(
                f"cannot create index directory {self.directory} ({error.strerror}); choose another with --index-dir"
            ) from error
        if not os.access(self.directory, os.W_OK | os.X_OK):
            raise IndexStateError(
                f"index directory {self.directory} is not writable; fix its permissions or choose another with --index-dir"
            )

    def new_generation(self) -> Path:
        """A fresh, hidden folder to write the next generation into (call under the lock)."""
        folder = self.directory / f".tmp-{time.strftime('%Y%m%dT%H%M%S')}-{os.getpid()}-{time.monotonic_ns()}"
        folder.mkdir()
        return folder

    def publish(self, staging: Path, manifest: dict) -> Path:
        """Seal `staging` (manifest with checksums, fsync) and make it the live generation."""
        files = {}
        for path in sorted(p for p in staging.rglob("*") if p.is_file()):
            name = path.relative_to(staging).as_posix()
            files[name] = {"bytes": path.stat().st_size, "sha256": file_digest(path)}
        write_json(staging / MANIFEST, {**manifest, "format_version": FORMAT_VERSION, "files": files})
        _fsync_tree(staging)
        final = self.directory / staging.name.replace(".tmp-", "gen-", 1)
        os.rename(staging, final)
        pointer_tmp = self.directory / f".{CURRENT}.{os.getpid()}"
        pointer_tmp.write_text(final.name + "\n", encoding="utf-8")
        with pointer_tmp.open("rb") as handle:
            os.fsync(handle.fileno())
        os.replace(pointer_tmp, self.directory / CURRENT)
        fd = os.open(self.directory, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)
        self.remove_stale(keep=final)
        return final

    def remove_stale(self, keep: Path | None) -> None:
        """Delete earlier generations and leftovers of interrupted runs (call under the lock)."""
        for path in self.directory.iterdir():
            if path == keep or not path.is_dir():
                continue
            if path.name.startswith(("gen-", ".tmp-")):
                shutil.rmtree(path, ignore_errors=True)
