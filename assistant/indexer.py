"""Indexing: bring an index directory in line with its documents, re-embedding only what changed."""

from __future__ import annotations

import hashlib
import logging
import os
import time
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from pathlib import Path

from .version import __version__
from .chunking import Chunk, chunk_document
from .config import Settings
from .diacritics import DiacriticRestorer
from .documents import Document, file_fingerprint, find_document_files, load_document, path_order
from .metadata import SidecarError
from .bulk import VectorCache, available_cores, embed_in_bulk
from .embeddings import Embedder
from .errors import DocumentError
from .index_files import changed_search_texts, store_kind
from .store import IndexSnapshot, IndexStore

log = logging.getLogger(__name__)


@dataclass
class IndexReport:
    """What an indexing run did."""

    added: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)  # "path: reason" for files left out
    warnings: list[str] = field(default_factory=list)  # one line each: metadata left out, files kept as they were
    embedded_chunks: int = 0
    reused_chunks: int = 0
    rebuild_reason: str | None = None
    seconds: float = 0.0

    @property
    def changed(self) -> bool:
        return bool(self.added or self.updated or self.removed or self.rebuild_reason)

    def summary(self) -> str:
        parts = [f"{len(self.added)} added", f"{len(self.updated)} updated", f"{len(self.removed)} removed",
                 f"{len(self.unchanged)} unchanged", f"{len(self.skipped)} skipped",
                 f"{self.embedded_chunks} passages embedded", f"{self.reused_chunks} reused"]
        if self.warnings:
            parts.append(f"{len(self.warnings)} warnings")
        return "Index: " + ", ".join(parts) + f" ({self.seconds:.1f} s)"


def index_settings(settings: Settings, embedder: Embedder) -> dict:
    """The part of the manifest that, when it changes, makes every stored vector invalid."""
    return {
        "model": {"id": embedder.model_id, "query_prompt": embedder.query_prompt,
                  "passage_prompt": embedder.passage_prompt, "precision": getattr(embedder, "precision", "float32")},
        "chunking": settings.chunking.to_dict(),
        "lexical": settings.lexical.to_dict(),
    }


def embedding_key(model: dict, search_text: str) -> str:
    """The key of a passage's vector: model, precision, prompt and text (float32 keys as before
    precision was recorded, so their vectors stay valid)."""
    precision = model.get("precision", "float32")
    model_id = model["id"] if precision == "float32" else f"{model['id']}@{precision}"
    payload = f"{model_id}\x1f{model['passage_prompt']}\x1f{search_text}"
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()[:32]


# --- planning ------------------------------------------------------------------------------------

@dataclass
class _Plan:
    documents: dict[str, Document]  # the documents the new index will hold, by id
    sources: list[str]
    excluded: list[str]
    follow_symlinks: bool
    report: IndexReport


def _scan(sources: list[str], excluded: set[str], follow_symlinks: bool, report: IndexReport,
          real: Callable[[Path | str], str], real_paths: dict[str, str]) -> list[Path]:
    """The files of the watched sources, checked as folders named on the command line are; their
    real paths go into `real_paths`."""
    files: list[Path] = []
    for source in sources:
        path = Path(source)
        if not path.exists():
            report.skipped.append(f"{source}: no longer exists")
            continue
        try:
            found = find_document_files([path], follow_symlinks, skipped=report.skipped, real_paths=real_paths)
        except DocumentError as error:
            report.skipped.append(str(error))
            continue
        files.extend(f for f in found if real(f) not in excluded)
    return sorted(set(files), key=path_order)


def _load(path: Path, previous: Document | None, explicit: bool, settings: Settings,
          report: IndexReport) -> Document | None:
    """The document at `path`, or what stands for it when it cannot be read: a watched file that
    was indexed keeps its last good version (only deleting it or `--remove` drops a document); a
    new one with an unreadable sidecar is indexed without its metadata; another is skipped.
    A file untouched since it was indexed (same fingerprint) is not read again."""
    if previous is not None and previous.fingerprint and previous.fingerprint == file_fingerprint(path):
        return previous
    try:
        return load_document(path, max_bytes=settings.max_document_bytes)
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
        return load_document(path, max_bytes=settings.max_document_bytes, sidecar=False)
    except DocumentError as error:
        if explicit:
            raise
        report.skipped.append(str(error))
        return None


def _plan(snapshot: IndexSnapshot | None, settings: Settings, add: list[Path], remove: list[str],
          sources: list[str] | None, rebuild_reason: str | None, follow_symlinks: bool = False) -> _Plan:
    report = IndexReport(rebuild_reason=rebuild_reason)
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
    for document_id in remove:
        if document_id not in old:
            raise DocumentError(f"no document with id {document_id!r} in the index; `assistant documents` lists them")
        excluded.add(real(old[document_id].path))
        sources = [s for s in sources if s != real(old[document_id].path)]

    explicit = {real(p) for p in add}
    documents: dict[str, Document] = {}
    by_hash: dict[str, str] = {}
    scanned = _scan(sources, excluded, follow_symlinks, report, real, real_paths)
    # Files already indexed come first, so a new copy of one is the duplicate, not the original.
    by_path = {real(d.path): d for d in old.values()}
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
                raise DocumentError(message)
            report.skipped.append(message)
            continue
        by_hash[document.sha256] = document_id
        documents[document_id] = document
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
    return _Plan(documents, sources, sorted(excluded), follow_symlinks, report)


def recorded_model(manifest: dict | None) -> dict | None:
    """A manifest's model entry (`id`, prompts, `precision`), or None without a manifest."""
    return {"precision": "float32", **manifest["model"]} if manifest else None  # precision recorded since format 2


def model_change(snapshot: IndexSnapshot, settings: Settings, embedder: Embedder) -> str | None:
    """How `embedder` differs from the model that embedded the index's passages, or None."""
    wanted = index_settings(settings, embedder)["model"]
    have = recorded_model(snapshot.manifest)
    if have == wanted:
        return None
    before, after = (f"{m['id']} {m['precision']}" for m in (have, wanted))
    return f"embedding model changed ({before} → {after})"


def rebuild_reason(snapshot: IndexSnapshot | None, settings: Settings, embedder: Embedder) -> str | None:
    """Why every vector must be recomputed (model or settings changed), or None."""
    if snapshot is None:
        return None
    changed = model_change(snapshot, settings, embedder)
    if changed:
        return changed
    wanted = index_settings(settings, embedder)
    if any(snapshot.manifest.get(key) != wanted[key] for key in ("chunking", "lexical")):
        return "chunking or lexical settings changed"
    if store_kind(snapshot.manifest) != settings.store:
        return f"the store changed ({store_kind(snapshot.manifest)} → {settings.store}); vectors are reused"
    return None


def pending_changes(snapshot: IndexSnapshot | None, settings: Settings, embedder: Embedder,
                    sources: list[str] | None = None) -> IndexReport:
    """What `update_index` would do now, without writing anything."""
    reason = rebuild_reason(snapshot, settings, embedder) if snapshot else None
    return _plan(snapshot, settings, [], [], sources, reason).report


# --- writing -------------------------------------------------------------------------------------

def update_index(store: IndexStore, embedder: Embedder, settings: Settings, *, add: list[Path] = (),
                 remove: list[str] = (), sources: list[str] | None = None, rebuild: bool = False,
                 follow_symlinks: bool = False, progress: bool = False,
                 loaded: IndexSnapshot | None = None) -> IndexReport:
    """Add, update and remove documents, re-embedding only passages whose text is new.

    Args:
        store: the index directory.
        embedder: the embedding model (its id and prompts are recorded in the manifest).
        settings: chunking, lexical and size settings.
        add: files or folders to index (and to keep watching for changes).
        remove: document ids to drop (and to stop watching).
        sources: folders or files to watch in addition to those already recorded.
        rebuild: recompute every vector even if nothing changed.
        follow_symlinks: index files reached through links that lead out of their folder (and
            keep doing so for the watched folders).
        progress: show a progress bar while embedding.
        loaded: the live generation as the caller already holds it (not read again if still live).

    Raises:
        DocumentError: a named file cannot be indexed (the index is left untouched).
        IndexLockedError: another indexer is running on this directory.
    """
    started = time.perf_counter()
    add = [Path(p) for p in add]
    find_document_files(add, follow_symlinks)  # a missing path fails before anything is locked or written
    with store.writer_lock():
        live = loaded is not None and store.current() == loaded.generation
        snapshot = loaded if live else store.load(mmap=False)
        reason = "requested" if rebuild else rebuild_reason(snapshot, settings, embedder)
        plan = _plan(snapshot, settings, add, list(remove), sources, reason, follow_symlinks)
        report = plan.report
        if snapshot is not None and not report.changed and plan.sources == snapshot.manifest.get("sources") \
                and plan.excluded == snapshot.manifest.get("excluded") \
                and plan.follow_symlinks == bool(snapshot.manifest.get("follow_symlinks")):
            report.seconds = time.perf_counter() - started
            return report
        if reason:
            log.info("Rebuilding the index: %s.", reason)
        # Vectors are keyed by model, prompt and text, so they stay valid across chunking changes;
        # only an explicit rebuild recomputes them all.
        _build(store, snapshot, embedder, settings, plan, reuse=not rebuild, progress=progress)
        report.seconds = time.perf_counter() - started
        return report


def _passages(snapshot: IndexSnapshot | None, settings: Settings, plan: _Plan, reuse: bool) -> list[Chunk]:
    """The passages of the new index, in order: those of an unchanged document taken from the
    previous generation when the chunking settings are the same, the others cut afresh."""
    same_chunking = reuse and snapshot is not None and snapshot.manifest.get("chunking") == settings.chunking.to_dict()
    previous: dict[str, list[Chunk]] = {}
    if same_chunking:
        for chunk in snapshot.chunks:
            previous.setdefault(chunk.document_id, []).append(chunk)
    unchanged = set(plan.report.unchanged)
    chunks: list[Chunk] = []
    for document_id, document in plan.documents.items():
        if document_id in unchanged and document_id in previous:
            chunks.extend(previous[document_id])
        else:
            chunks.extend(chunk_document(document, settings.chunking))
    return chunks


def _build(store: IndexStore, snapshot: IndexSnapshot | None, embedder: Embedder, settings: Settings,
           plan: _Plan, reuse: bool, progress: bool) -> None:
    report = plan.report
    model = index_settings(settings, embedder)["model"]
    chunks = _passages(snapshot, settings, plan, reuse)
    if not chunks:
        raise DocumentError("no documents to index; add .txt or .md articles (e.g. `assistant index documents/`)")
    search_texts = [chunk.search_text(plan.documents[chunk.document_id].title) for chunk in chunks]
    hashes = [embedding_key(model, text) for text in search_texts]

    previous = snapshot if reuse else None
    known = {h: i for i, h in reversed(list(enumerate(previous.chunk_hashes)))} if previous else {}
    rows = [known.get(h) for h in hashes]  # the row of the previous generation with this passage, if any
    missing = [i for i, row in enumerate(rows) if row is None]
    cache = VectorCache(store.directory)
    new_vectors = embed_in_bulk(
        embedder, [search_texts[i] for i in missing], [hashes[i] for i in missing], batch_size=settings.batch_size,
        workers=settings.index_workers or available_cores(), cache=cache, progress=progress,
        ray_address=settings.ray_address,
        documents=len({chunks[i].document_id for i in missing}))
    report.embedded_chunks = len(missing)
    report.reused_chunks = len(chunks) - len(missing)
    changed = changed_search_texts(previous, hashes, search_texts) if previous is not None else None
    dense, lexical = store.build_indexes(snapshot, previous, hashes, search_texts, rows, new_vectors, changed,
                                         settings)
    if changed is not None and previous.restorer.complete:
        restorer = previous.restorer.updated(*changed)
    else:
        restorer = DiacriticRestorer.from_texts(search_texts)
    manifest = {
        "package_version": __version__,
        "created": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
        **index_settings(settings, embedder),
        "sources": plan.sources,
        "excluded": plan.excluded,
        "follow_symlinks": plan.follow_symlinks,
    }
    store.write_generation(list(plan.documents.values()), chunks, hashes, dense, lexical, restorer, manifest,
                           replaced=snapshot)
    cache.clear()  # its vectors are in the published generation now
