"""Index storage: a directory of plain files, written atomically, locked while written, verified on load.

Layout of an index directory::

    index/
      CURRENT            name of the live generation (replaced atomically)
      .lock              held by the one process writing
      gen-<time>-<pid>/  one complete index: manifest.json, documents.jsonl, chunks.jsonl,
                         dense.faiss, lexical/ (bm25s), vocabulary.json

A new generation is written beside the live one, flushed to disk, then published by replacing
`CURRENT`; a crash at any moment leaves the previous generation live and intact.
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
from pathlib import Path
from typing import Iterator

from .errors import IndexLockedError, IndexStateError

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
