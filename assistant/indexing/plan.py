"""Planning an update: which documents the next generation holds, read from the watched folders
and the files named, compared with the live generation (nothing is written here)."""

from __future__ import annotations

import hashlib
import os
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from pathlib import Path

from ..config import Settings
from ..embed.embedders import Embedder
from ..errors import DocumentError
from ..ingest.discovery import find_document_files, path_order
from ..ingest.documents import Document, file_fingerprint, load_document
from ..ingest.metadata import SidecarError
from ..stores.snapshot import IndexSnapshot
from .changes import rebuild_reason
from .report import IndexReport


@dataclass
class UpdatePlan:
    """The documents the next generation will hold, the folders watched, and the report so far."""

    documents: dict[str, Document]  # the documents the new index will hold, by id
    sources: list[str]
    excluded: list[str]
    follow_symlinks: bool
    report: IndexReport
    named: set[str] = field(default_factory=set)  # ids of the documents of files named to be added

    def leave_out(self, document_id: str, reason: str, previous: Document | None) -> None:
        """Take a document that failed after it was read out of the plan, saying `reason` in one
        line: its `previous` version stays when there is one, else it is skipped."""
        report = self.report
        for changes in (report.added, report.updated):
            if document_id in changes:
                changes.remove(document_id)
        if previous is not None:
            self.documents[document_id] = previous
            report.unchanged.append(document_id)
            report.warnings.append(f"{reason}; keeping the version indexed before")
        else:
            del self.documents[document_id]
            report.skipped.append(f"{reason}; left out")


def _scan(sources: list[str], excluded: set[str], follow_symlinks: bool, report: IndexReport,
          real: Callable[[Path | str], str], real_paths: dict[str, str], indexed: list[str]) -> list[Path]:
    """The files of the watched sources, checked as folders named on the command line are; their
    real paths go into `real_paths`.

    A document is dropped only when a folder was read and no longer holds its file: a watched
    folder that is missing, cannot be read, or holds no article any more while the index holds
    some of it (renamed, unmounted) stops the update, so nothing is removed. `indexed`: the real
    paths of the documents the index holds.

    Raises:
        DocumentError: a watched folder holding indexed documents cannot be seen (one line naming
            it and the way out).
    """
    files: list[Path] = []
    for source in sources:
        path = Path(source)
        held = _count_under(source, indexed)
        if not path.exists():
            if source in indexed and path.parent.is_dir():
                continue  # a file watched on its own, deleted: its folder is there without it
            if held:
                what = "file (and its folder)" if source in indexed else "folder"
                raise DocumentError(
                    f"watched {what} {source} is missing, and {held} indexed article(s) came from it; nothing was "
                    f"changed: bring it back (or mount it), or stop watching it with `assistant index --remove {source}`",
                    "watched", name=source)
            report.skipped.append(f"{source}: no longer exists; stop watching it with `assistant index --remove {source}`")
            continue
        unreadable: dict[str, str] = {}
        try:
            found = find_document_files([path], follow_symlinks, skipped=report.skipped, real_paths=real_paths,
                                        unreadable=unreadable)
        except DocumentError as error:
            report.skipped.append(str(error))
            continue
        for folder, why in unreadable.items():
            lost = _count_under(real(folder), indexed)
            if lost:
                raise DocumentError(f"cannot read folder {folder} ({why}), and {lost} indexed article(s) came from "
                                    f"it; nothing was changed: make it readable, or stop watching it with "
                                    f"`assistant index --remove {source}`", "watched", name=folder)
            report.skipped.append(f"{folder}: cannot read this folder ({why}); left out")
        if path.is_dir() and held and not found:
            raise DocumentError(
                f"watched folder {source} holds none of its {held} indexed article(s) any more (unmounted?); nothing "
                f"was changed: mount or restore it, or, if they were deleted, run `assistant index --remove {source}`",
                "watched", name=source)
        files.extend(f for f in found if real(f) not in excluded)
    return sorted(set(files), key=path_order)


def _count_under(folder: str, paths: list[str]) -> int:
    """How many of the real `paths` are `folder` or lie under it."""
    inside = folder.rstrip(os.sep) + os.sep
    return sum(1 for path in paths if path == folder or path.startswith(inside))


def _watched(target: str, sources: list[str], real: Callable[[Path | str], str]) -> str | None:
    """The watched source `target` names (as recorded, or by its real path), if any."""
    if target in sources:
        return target
    try:
        candidates = (real(target), os.path.abspath(target))
    except ValueError:  # not a path at all (a NUL byte)
        return None
    return next((candidate for candidate in candidates if candidate in sources), None)


def _load(path: Path, previous: Document | None, explicit: bool, settings: Settings,
          report: IndexReport) -> Document | None:
    """The document at `path`, or what stands for it when it cannot be read: a watched file that
    was indexed keeps its last good version (only deleting it or `--remove` drops a document); a
    new one with an unreadable sidecar is indexed without its metadata; another is skipped.
    A file untouched since it was indexed (same fingerprint) is not read again."""
    if previous is not None and previous.fingerprint and previous.fingerprint == file_fingerprint(path):
        return previous
    try:
        return read_document(path, settings)
    except DocumentError as error:
        if previous is not None:
            report.warnings.append(f"{error}; keeping the version indexed before")
            return previous
        if isinstance(error, SidecarError):
            report.warnings.append(f"{error}; indexed without its metadata")
            return _load_without_sidecar(path, explicit, settings, report)
        if explicit:
            raise
        report.skipped.append(str(error))
        return None


def _load_without_sidecar(path: Path, explicit: bool, settings: Settings, report: IndexReport) -> Document | None:
    try:
        return read_document(path, settings, sidecar=False)
    except DocumentError as error:
        if explicit:
            raise
        report.skipped.append(str(error))
        return None


def read_document(path: Path, settings: Settings, sidecar: bool = True) -> Document:
    """`load_document`, with any failure of one file a `DocumentError` naming it.

    Raises:
        DocumentError: the file cannot be indexed, for a reason `load_document` checks or for one
            nobody foresaw (an unexpected exception, named with its type), so that one file can
            never cost the other files of an import theirs.
    """
    try:
        return load_document(path, max_bytes=settings.max_document_bytes, sidecar=sidecar)
    except DocumentError:
        raise
    except Exception as error:  # whatever a hostile file provokes, it is that file's failure only
        raise DocumentError(f"{path}: could not be read ({type(error).__name__}: {error}); left out",
                            "failed", name=path.name) from error


def plan_update(snapshot: IndexSnapshot | None, settings: Settings, add: list[Path], remove: list[str],
                sources: list[str] | None, reason: str | None, follow_symlinks: bool = False) -> UpdatePlan:
    """The documents the next generation holds: those of the watched `sources` (and the
    generation's own) and of `add`, without `remove` (document ids, or watched sources to stop
    watching); the report says what changes and why (`reason`: every vector is recomputed).

    Raises:
        DocumentError: a named file cannot be indexed, a `remove` names nothing in the index, or a
            watched folder holding indexed documents cannot be seen (`_scan`).
    """
    report = IndexReport(rebuild_reason=reason)
    real_paths: dict[str, str] = {}  # one lookup per path in an update; the scan fills in its files

    def real(path: Path | str) -> str:
        key = os.fspath(path)
        found = real_paths.get(key)
        if found is None:
            found = real_paths[key] = os.path.realpath(key)
        return found

    manifest = snapshot.manifest if snapshot else {}
    follow_symlinks = follow_symlinks or bool(manifest.get("follow_symlinks"))
    known_sources = list(manifest.get("sources", []))
    excluded = set(manifest.get("excluded", []))
    for path in add:
        excluded.discard(real(path))
    sources = list(dict.fromkeys(known_sources + (sources or []) + [real(p) for p in add]))

    old = snapshot.documents if snapshot else {}
    for target in remove:
        if target in old:
            excluded.add(real(old[target].path))
            sources = [s for s in sources if s != real(old[target].path)]
            continue
        watched = _watched(target, sources, real)
        if watched is None:
            raise DocumentError(f"no document with id {target!r} and no watched folder {target!r} in the index; "
                                "`assistant documents` lists the ids")
        sources.remove(watched)  # its documents go with it, unless another watched source holds them

    explicit = {real(p) for p in add}
    named: set[str] = set()
    documents: dict[str, Document] = {}
    by_hash: dict[str, str] = {}
    # Files already indexed come first, so a new copy of one is the duplicate, not the original.
    by_path = {real(d.path): d for d in old.values()}
    scanned = _scan(sources, excluded, follow_symlinks, report, real, real_paths,
                    [path for path in by_path if path not in excluded])
    indexed = {path: i for i, path in enumerate(by_path)}
    files = sorted(scanned, key=lambda p: (indexed.get(real(p), len(indexed)), path_order(p)))
    for path in files:
        document = _load(path, by_path.get(real(path)), real(path) in explicit, settings, report)
        if document is None:
            continue
        document_id = document.id
        if document_id in documents:  # two files with the same name in different folders
            document_id = f"{document.id}-{hashlib.sha256(real(path).encode()).hexdigest()[:6]}"
            document = replace(document, id=document_id)
        if document.sha256 in by_hash:
            message = f"{path}: same text as document {by_hash[document.sha256]!r}; not indexed twice"
            if real(path) in explicit:
                raise DocumentError(message, "duplicate", name=path.name, original=by_hash[document.sha256])
            report.skipped.append(message)
            continue
        by_hash[document.sha256] = document_id
        documents[document_id] = document
        if real(path) in explicit:
            named.add(document_id)
        previous = old.get(document_id)
        if previous is None:
            report.added.append(document_id)
        elif previous.sha256 != document.sha256 or previous.title != document.title or previous.date != document.date:
            report.updated.append(document_id)
        else:
            report.unchanged.append(document_id)
            continue
        report.warnings.extend(document.notes)  # said once, when the document is indexed
    report.removed = [document_id for document_id in old if document_id not in documents]
    return UpdatePlan(documents, sources, sorted(excluded), follow_symlinks, report, named)


def pending_changes(snapshot: IndexSnapshot | None, settings: Settings, embedder: Embedder,
                    sources: list[str] | None = None) -> IndexReport:
    """What `update_index` would do now, without writing anything."""
    reason = rebuild_reason(snapshot, settings, embedder) if snapshot else None
    return plan_update(snapshot, settings, [], [], sources, reason).report
