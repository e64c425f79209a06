"""Index storage: a directory of plain files, written atomically, locked while written, verified on load.

Layout of an index directory::

    index/
      CURRENT            name of the live generation (replaced atomically)
      .lock              held by the one process writing
      gen-<time>-<pid>/  one complete index: manifest.json, documents.jsonl, chunks.jsonl,
                         dense.faiss, lexical/ (bm25s), vocabulary.json

A new generation is written beside the live one, flushed to disk, then published by replacing
`CURRENT`; a crash at any moment leaves the previous generation live and intact. Reading and
writing a generation's files happens here only (`IndexStore.load`, `IndexStore.write_generation`).
Where the vectors and BM25 terms live is the store's choice (`open_indexes`, `build_indexes`,
`save_indexes`, `published`): files here (`local_indexes.py`), or a Milvus collection
(`milvus_store.MilvusStore`).
"""

from __future__ import annotations

import contextlib
import errno
import fcntl
import json
import logging
import os
import re
import shutil
import time
from dataclasses import replace
from pathlib import Path
from typing import Iterator, Sequence

import numpy as np

from .chunking import Chunk
from .config import LexicalSettings, Settings
from .dense import DenseIndex
from .diacritics import DiacriticRestorer
from .documents import Document
from .errors import IndexLockedError, IndexStateError
from .files import file_digest, fsync_tree, read_json, read_jsonl, write_json, write_jsonl
from .index_files import IndexSnapshot, document_from_row, document_row, manifest_problem, store_kind
from .lexical import LexicalIndex
from .local_indexes import build_local_indexes

log = logging.getLogger(__name__)

FORMAT_VERSION = 2
# Format 1 lacks the term counts and keeps only some word-pair counts: still read, and fully
# recounted (not re-embedded) by the next update.
READABLE_FORMATS = (1, 2)
CURRENT = "CURRENT"
LOCK = ".lock"
MANIFEST = "manifest.json"
# Above this total size, loading checks file sizes only; `verify=True` always hashes everything.
HASH_ON_LOAD_LIMIT = 256 * 1024 * 1024
_GENERATION = re.compile(r"gen-[0-9A-Za-z_-]+")


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
        documents = {row["id"]: document_from_row(row) for row in read_jsonl(generation / "documents.jsonl")}
        rows = read_jsonl(generation / "chunks.jsonl")
        chunks = [
            Chunk(r["document_id"], r["paragraph"], r["start"], r["end"],
                  documents[r["document_id"]].text[r["start"]:r["end"]], r.get("heading", ""))
            for r in rows
        ]
        hashes = [r["hash"] for r in rows]
        dense, lexical = store.open_indexes(generation, manifest, hashes, mmap)
        restorer = DiacriticRestorer.from_dict(read_json(generation / "vocabulary.json"))
    except (KeyError, ValueError, TypeError, RuntimeError) as error:
        raise IndexStateError(
            f"{generation}: the index files are inconsistent ({type(error).__name__}: {error}); "
            "run `assistant index --rebuild` to rebuild"
        ) from error
    if not (dense.size == lexical.size == len(chunks)):
        raise IndexStateError(
            f"{generation}: {len(chunks)} passages but {dense.size} vectors and {lexical.size} BM25 rows; "
            "run `assistant index --rebuild` to rebuild"
        )
    return IndexSnapshot(generation, manifest, documents, chunks, hashes, dense, lexical, restorer)


class IndexStore:
    """One index directory: finds the live generation, publishes new ones, holds the writer lock."""

    kind = "local"  # where the vectors and terms are kept (`index_files.store_kind`)

    def __init__(self, directory: str | Path):
        self.directory = Path(directory)
        self._written: IndexSnapshot | None = None  # the generation this store last published, as built

    def current(self) -> Path | None:
        """The live generation's folder, or None when nothing was ever published.

        Raises:
            IndexStateError: `CURRENT` is missing, empty or garbled while generations are present,
                or names one that is not there (the message lists them and how to restore one).
        """
        pointer = self.directory / CURRENT
        for _attempt in range(3):  # a writer may publish (and delete our generation) between the two reads
            try:
                name = pointer.read_bytes().decode("utf-8").strip()
            except (FileNotFoundError, NotADirectoryError):
                if self.generations():
                    raise IndexStateError(self._lost_pointer(f"{pointer} is missing")) from None
                return None
            except UnicodeDecodeError:
                raise IndexStateError(self._lost_pointer(f"{pointer} is garbled")) from None
            except OSError as error:
                raise IndexStateError(f"{pointer}: unreadable ({error.strerror}); check permissions") from error
            if not _GENERATION.fullmatch(name):
                raise IndexStateError(self._lost_pointer(f"{pointer} does not name a generation ({name[:40]!r})"))
            generation = self.directory / name
            if generation.is_dir() and not generation.is_symlink():
                return generation
        raise IndexStateError(self._lost_pointer(f"{pointer} names a missing generation ({name!r})"))

    def live_manifest(self) -> dict | None:
        """The live generation's manifest, or None when there is no readable one: opening the
        index then builds it, or says what is wrong."""
        try:
            generation = self.current()
            return self.read_manifest(generation) if generation else None
        except IndexStateError:
            return None

    def generations(self) -> list[Path]:
        """The published generation folders, oldest first."""
        try:
            return sorted(p for p in self.directory.iterdir()
                          if _GENERATION.fullmatch(p.name) and p.is_dir() and not p.is_symlink())
        except (FileNotFoundError, NotADirectoryError):
            return []

    def _lost_pointer(self, what: str) -> str:
        found = self.generations()
        if not found:
            return f"{what} and no generation is left; delete {self.directory} and run `assistant index` to rebuild"
        names = ", ".join(p.name for p in found)
        return (f"{what}; generations present: {names}. Restore one with "
                f"`assistant index --restore {found[-1].name} --index-dir {self.directory}` (the newest is last)")

    def restore(self, name: str) -> Path:
        """Make the generation `name` live again after checking every file of it (under the lock).

        Raises:
            IndexStateError: no such generation, or it is incomplete or altered.
        """
        generation = self.directory / name
        if not _GENERATION.fullmatch(name) or not generation.is_dir() or generation.is_symlink():
            names = ", ".join(p.name for p in self.generations()) or "none"
            raise IndexStateError(f"{name!r} is not a generation of {self.directory}; present: {names}")
        self.verify(generation, self.read_manifest(generation), full=True)
        self._point_to(generation)
        return generation

    def load(self, mmap: bool = False, verify: bool = False) -> "IndexSnapshot | None":
        """The live generation, loaded; None when the directory holds no index yet. One this
        store object has just written is handed over as built, not read back (unless `mmap` or
        `verify` asks for the files): an update costs what changed, not a reload.

        Raises:
            IndexStateError: the index is corrupted, truncated or of another format.
        """
        written, self._written = self._written, None
        if written is not None and not mmap and not verify and self.current() == written.generation:
            return written
        return _load_snapshot(self, mmap, verify)

    def open_indexes(self, generation: Path, manifest: dict, hashes: list[str], mmap: bool):
        """The dense and lexical indexes of a generation whose passages have the vector keys `hashes`.

        Raises:
            IndexStateError: the generation keeps them in a store this one cannot read.
        """
        if store_kind(manifest) != "local":
            raise IndexStateError(f"{self.directory} keeps its passages in {store_kind(manifest)}; set ASSISTANT_STORE="
                                  f"{store_kind(manifest)} (README, \"Outgrowing one machine\"), or index into another "
                                  "--index-dir")
        dense = DenseIndex.load(generation / "dense.faiss", mmap=mmap)
        return dense, LexicalIndex.load(generation / "lexical", LexicalSettings(**manifest["lexical"]), mmap=mmap)

    def build_indexes(self, live: IndexSnapshot | None, previous: IndexSnapshot | None, hashes: Sequence[str],
                      search_texts: Sequence[str], rows: Sequence[int | None], new_vectors: np.ndarray,
                      changed: tuple[list[str], list[str]] | None, settings: Settings):
        """The dense and lexical indexes of the next generation, to replace `live` (see
        `local_indexes.build_local_indexes`). `changed`: the search texts of the passages removed
        from `previous` and added to it (`index_files.changed_search_texts`), when there is one."""
        return build_local_indexes(previous, hashes, search_texts, rows, new_vectors, settings)

    def save_indexes(self, staging: Path, dense: DenseIndex, lexical: LexicalIndex) -> dict:
        """Write the indexes into a generation being made; returns what the manifest should add."""
        dense.save(staging / "dense.faiss")
        lexical.save(staging / "lexical")
        return {}

    def published(self, hashes: Sequence[str], replaced: IndexSnapshot | None) -> None:
        """Called once a generation holding the passages `hashes` is live instead of `replaced`."""

    def write_generation(self, documents: Sequence[Document], chunks: Sequence[Chunk], hashes: Sequence[str],
                         dense: DenseIndex, lexical: LexicalIndex, restorer: DiacriticRestorer,
                         manifest: dict, replaced: IndexSnapshot | None = None) -> Path:
        """Write a complete generation beside the live one and publish it (call under the lock).

        Args:
            documents: the documents, in index order.
            chunks: their passages, in index order, with `hashes` (the keys of their vectors).
            dense / lexical / restorer: the built indexes, one row per passage.
            manifest: what the index was built with (model, settings, sources); the document list,
                dimension, dense kind, store and file checksums are added here.
            replaced: the generation this one replaces (the live one), if any.
        """
        staging = self.new_generation()
        try:
            write_jsonl(staging / "documents.jsonl", (document_row(d) for d in documents))
            write_jsonl(staging / "chunks.jsonl", (
                {"document_id": c.document_id, "paragraph": c.paragraph, "start": c.start, "end": c.end,
                 "heading": c.heading, "hash": h} for c, h in zip(chunks, hashes, strict=True)))
            stored = self.save_indexes(staging, dense, lexical)
            write_json(staging / "vocabulary.json", restorer.to_dict(), indent=False)
            final = self.publish(staging, {
                **manifest, **stored, "store": self.kind,
                "dimension": dense.dimension, "dense": {"kind": dense.kind, "passages": dense.size},
                "documents": {d.id: {"path": d.path, "sha256": d.sha256, "title": d.title} for d in documents},
            })
        except BaseException:
            shutil.rmtree(staging, ignore_errors=True)
            raise
        held = {d.id: replace(d, notes=()) if d.notes else d for d in documents}
        self._written = IndexSnapshot(final, self.read_manifest(final), held, list(chunks), list(hashes), dense,
                                      lexical, restorer)
        self.published(hashes, replaced)
        return final

    def read_manifest(self, generation: Path) -> dict:
        """The generation's manifest, its structure checked.

        Raises:
            IndexStateError: missing, not JSON, of another format, or malformed (with the fix).
        """
        hint = "run `assistant index --rebuild` to rebuild"
        try:
            manifest = json.loads((generation / MANIFEST).read_text(encoding="utf-8"))
        except (OSError, ValueError) as error:
            raise IndexStateError(f"{generation / MANIFEST}: missing or corrupted ({error}); {hint}") from error
        if not isinstance(manifest, dict) or manifest.get("format_version") not in READABLE_FORMATS:
            version = manifest.get("format_version") if isinstance(manifest, dict) else None
            raise IndexStateError(f"{self.directory}: index format {version} is not {FORMAT_VERSION}; {hint}")
        problem = manifest_problem(manifest)
        if problem:
            raise IndexStateError(f"{generation / MANIFEST}: {problem}; {hint}")
        return manifest

    def verify(self, generation: Path, manifest: dict, full: bool = False) -> None:
        """Check every file the manifest lists (a checked manifest: `read_manifest`): a plain file
        inside the generation, its size always, its SHA-256 when the index is small or `full`.

        Raises:
            IndexStateError: a file is missing, a link, truncated or altered.
        """
        files = manifest["files"]
        hash_all = full or sum(entry["bytes"] for entry in files.values()) <= HASH_ON_LOAD_LIMIT
        hint = "run `assistant index --rebuild` to rebuild the index"
        for name, entry in files.items():
            path = generation / name
            if path.is_symlink() or not path.is_file():
                raise IndexStateError(f"{path}: missing from the index or not a plain file; {hint}")
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
        fsync_tree(staging)
        final = self.directory / staging.name.replace(".tmp-", "gen-", 1)
        os.rename(staging, final)
        self._point_to(final)
        self.remove_stale(keep=final)
        return final

    def _point_to(self, generation: Path) -> None:
        """Replace `CURRENT` atomically with the name of `generation`, durably."""
        pointer_tmp = self.directory / f".{CURRENT}.{os.getpid()}"
        pointer_tmp.write_text(generation.name + "\n", encoding="utf-8")
        with pointer_tmp.open("rb") as handle:
            os.fsync(handle.fileno())
        os.replace(pointer_tmp, self.directory / CURRENT)
        fd = os.open(self.directory, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)

    def remove_stale(self, keep: Path | None) -> None:
        """Delete earlier generations and leftovers of interrupted runs (call under the lock)."""
        for path in self.directory.iterdir():
            if path == keep or not path.is_dir():
                continue
            if path.name.startswith(("gen-", ".tmp-")):
                shutil.rmtree(path, ignore_errors=True)
