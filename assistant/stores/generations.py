"""Generations: an index directory of immutable generations, one of them live.

Layout of an index directory::

    index/
      CURRENT            name of the live generation (replaced atomically)
      .lock              held by the one process writing
      gen-<time>-<pid>/  one complete index: manifest.json, documents.jsonl, chunks.jsonl,
                         vocabulary.json, and the files of its store (`stores.local`, `stores.milvus`)

A new generation is written into a hidden staging folder beside the live one, sealed (checksums
in its manifest, fsync), then published by replacing `CURRENT`; a crash at any moment leaves the
previous generation live and intact. This module is the one that reads and writes a generation's
common files and the directory's own files; a store writes only its search indexes, into the
staging folder it is handed, and keeps what it must remember between updates through
`read_state` / `write_state`.
"""

from __future__ import annotations

import contextlib
import errno
import fcntl
import json
import os
import re
import shutil
import time
from pathlib import Path
from typing import Iterator, Sequence

from ..errors import DiskFullError, IndexLockedError, IndexStateError
from ..files import file_digest, fsync_tree, read_json, read_jsonl, write_json, write_jsonl
from ..ingest.chunking import Chunk
from ..ingest.documents import Document
from ..text.diacritics import DiacriticRestorer
from .manifest import (
    CHUNKS_FILE,
    DOCUMENTS_FILE,
    FORMAT_VERSION,
    MANIFEST,
    READABLE_FORMATS,
    VOCABULARY_FILE,
    checksum_problem,
    manifest_checksum,
    manifest_problem,
)
from .rows import chunk_from_row, chunk_row, document_from_row, document_row

CURRENT = "CURRENT"
LOCK = ".lock"
# Above this total size, loading checks file sizes only; `verify=True` always hashes everything.
HASH_ON_LOAD_LIMIT = 256 * 1024 * 1024
REBUILD_HINT = "run `assistant index --rebuild` to rebuild"
# Less free space than this on the index's device when a write fails: the disk is full (a short
# write through numpy or faiss carries no errno to say so).
LOW_SPACE = 1024 * 1024
_GENERATION = re.compile(r"gen-[0-9A-Za-z_-]+")


class Generations:
    """The generations of one index directory: finds the live one, seals and publishes new ones,
    restores old ones, holds the writer lock, and reads and writes their common files."""

    def __init__(self, directory: str | Path):
        self.directory = Path(directory)

    # --- the live generation ---------------------------------------------------------------------

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

    def pointer_state(self) -> tuple[int, int, int, int] | None:
        """What tells one `CURRENT` file from the next (inode, size, modification and change times),
        None without one: a single `stat`, for readers to see cheaply whether a generation was
        published or restored since they loaded theirs (each replaces the file)."""
        try:
            status = (self.directory / CURRENT).stat()
        except OSError:
            return None
        return status.st_ino, status.st_size, status.st_mtime_ns, status.st_ctime_ns

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

    def generation(self, name: str) -> Path:
        """The published generation called `name`.

        Raises:
            IndexStateError: there is none of that name.
        """
        generation = self.directory / name
        if not _GENERATION.fullmatch(name) or not generation.is_dir() or generation.is_symlink():
            names = ", ".join(p.name for p in self.generations()) or "none"
            raise IndexStateError(f"{name!r} is not a generation of {self.directory}; present: {names}")
        return generation

    # --- reading a generation ------------------------------------------------------------------

    def read_manifest(self, generation: Path) -> dict:
        """The generation's manifest, checked: the structure all manifests share, and its own
        checksum (`manifest.manifest_checksum`, from format 3), so no byte of it can change unseen.

        Raises:
            IndexStateError: missing, not JSON, of another format, malformed or altered (with the fix).
        """
        try:
            manifest = json.loads((generation / MANIFEST).read_text(encoding="utf-8"))
        except (OSError, ValueError) as error:
            raise IndexStateError(f"{generation / MANIFEST}: missing or corrupted ({error}); {REBUILD_HINT}") from error
        if not isinstance(manifest, dict) or manifest.get("format_version") not in READABLE_FORMATS:
            version = manifest.get("format_version") if isinstance(manifest, dict) else None
            raise IndexStateError(f"{self.directory}: index format {version} is not {FORMAT_VERSION}; {REBUILD_HINT}")
        problem = manifest_problem(manifest) or checksum_problem(manifest)
        if problem:
            raise IndexStateError(f"{generation / MANIFEST}: {problem}; {REBUILD_HINT}")
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

    def read_contents(self, generation: Path) -> tuple[dict[str, Document], list[Chunk], list[str], DiacriticRestorer]:
        """A generation's documents (by id, in order), passages, their vector keys and vocabulary.

        Raises:
            KeyError, ValueError, TypeError: the files do not fit together (the caller says so).
        """
        documents = {row["id"]: document_from_row(row) for row in read_jsonl(generation / DOCUMENTS_FILE)}
        passages = [chunk_from_row(row, documents) for row in read_jsonl(generation / CHUNKS_FILE)]
        restorer = DiacriticRestorer.from_dict(read_json(generation / VOCABULARY_FILE))
        return documents, [chunk for chunk, _key in passages], [key for _chunk, key in passages], restorer

    def chunk_keys(self, generation: Path) -> list[str]:
        """The vector keys of a generation's passages, in order."""
        return [row["hash"] for row in read_jsonl(generation / CHUNKS_FILE)]

    # --- writing a generation ------------------------------------------------------------------

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

    def new_staging(self) -> Path:
        """A fresh, hidden folder to write the next generation into (call under the lock)."""
        folder = self.directory / f".tmp-{time.strftime('%Y%m%dT%H%M%S')}-{os.getpid()}-{time.monotonic_ns()}"
        folder.mkdir()
        return folder

    def write_contents(self, staging: Path, documents: Sequence[Document], chunks: Sequence[Chunk],
                       keys: Sequence[str], restorer: DiacriticRestorer) -> None:
        """Write a generation's common files into `staging`: documents, passages with their vector
        keys, vocabulary."""
        write_jsonl(staging / DOCUMENTS_FILE, (document_row(d) for d in documents))
        write_jsonl(staging / CHUNKS_FILE, (chunk_row(c, key) for c, key in zip(chunks, keys, strict=True)))
        write_json(staging / VOCABULARY_FILE, restorer.to_dict(), indent=False)

    def publish(self, staging: Path, manifest: dict) -> Path:
        """Seal `staging` (manifest with checksums, fsync) and make it the live generation; earlier
        generations are removed once it is live. When it fails, the live generation stays and
        nothing of the new one is left (the caller discards `staging`)."""
        files = {}
        for path in sorted(p for p in staging.rglob("*") if p.is_file()):
            name = path.relative_to(staging).as_posix()
            files[name] = {"bytes": path.stat().st_size, "sha256": file_digest(path)}
        sealed = {**manifest, "format_version": FORMAT_VERSION, "files": files}
        write_json(staging / MANIFEST, {**sealed, "checksum": manifest_checksum(sealed)})
        fsync_tree(staging)
        final = self.directory / staging.name.replace(".tmp-", "gen-", 1)
        os.rename(staging, final)
        try:
            self.point_to(final)
        except BaseException:
            if self.current() != final:
                shutil.rmtree(final, ignore_errors=True)
            raise
        self.remove_stale(keep=final)
        return final

    def write_failure(self, error: Exception) -> IndexStateError:
        """The one-line error for a write into this directory that failed (`error`): what failed,
        whether the disk is full, and that the live generation is as it was."""
        try:
            free = shutil.disk_usage(self.directory).free
        except OSError:
            free = None
        what = getattr(error, "strerror", None) or str(error).strip().splitlines()[-1]
        if getattr(error, "errno", None) in (errno.ENOSPC, errno.EDQUOT) or (free is not None and free < LOW_SPACE):
            space = f"; {free:,} bytes free" if free is not None else ""
            return DiskFullError(f"the disk holding {self.directory} is full ({what}{space}); the index is as it "
                                   "was: free some space and run the same command again")
        return IndexStateError(f"cannot write the index in {self.directory} ({what}); the index is as it was: "
                               "check the disk and its permissions, then run the same command again")

    def discard(self, staging: Path) -> None:
        """Delete a staging folder that will not be published."""
        shutil.rmtree(staging, ignore_errors=True)

    def point_to(self, generation: Path) -> None:
        """Replace `CURRENT` atomically with the name of `generation`, durably."""
        pointer_tmp = self.directory / f".{CURRENT}.{os.getpid()}"
        try:
            pointer_tmp.write_text(generation.name + "\n", encoding="utf-8")
            with pointer_tmp.open("rb") as handle:
                os.fsync(handle.fileno())
            os.replace(pointer_tmp, self.directory / CURRENT)
        finally:
            pointer_tmp.unlink(missing_ok=True)  # gone already once it replaced CURRENT
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

    # --- what a store keeps between updates ----------------------------------------------------

    def read_state(self, name: str):
        """A store's state file in the index directory (JSON), or None when absent or unreadable."""
        try:
            return read_json(self.directory / name)
        except (OSError, ValueError):
            return None

    def write_state(self, name: str, data) -> None:
        """Write a store's state file in the index directory (JSON)."""
        write_json(self.directory / name, data, indent=False)

    def remove_state(self, name: str) -> None:
        (self.directory / name).unlink(missing_ok=True)
