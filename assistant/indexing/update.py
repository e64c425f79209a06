"""Updating an index: bring an index directory in line with its documents, embedding only the
passages whose text is new, then publish the next generation."""

from __future__ import annotations

import logging
import time
from collections import Counter
from pathlib import Path

from ..config import Settings
from ..embed.bulk import VectorCache, available_cores, embed_in_bulk
from ..embed.embedders import Embedder
from ..embed.keys import embedding_key
from ..errors import DocumentError
from ..ingest.chunking import Chunk, chunk_document
from ..ingest.discovery import find_document_files
from ..stores.directory import IndexDirectory
from ..stores.protocol import IndexBuild
from ..stores.snapshot import IndexSnapshot
from ..text.diacritics import DiacriticRestorer
from ..version import __version__
from .changes import index_settings, rebuild_reason
from .plan import UpdatePlan, plan_update
from .report import IndexReport

log = logging.getLogger(__name__)



def update_index(index: IndexDirectory, embedder: Embedder, settings: Settings, *, add: list[Path] = (),
                 remove: list[str] = (), sources: list[str] | None = None, rebuild: bool = False,
                 follow_symlinks: bool = False, progress: bool = False,
                 loaded: IndexSnapshot | None = None) -> IndexReport:
    """Add, update and remove documents, re-embedding only passages whose text is new.

    Args:
        index: the index directory and its store.
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
        DocumentError: a named file cannot be indexed, or a watched folder cannot be seen (the
            index is left untouched).
        IndexLockedError: another indexer is running on this directory.
        IndexStateError: the index cannot be written (a full disk), the live generation untouched.
    """
    started = time.perf_counter()
    add = [Path(p) for p in add]
    find_document_files(add, follow_symlinks)  # a missing path fails before anything is locked or written
    with index.writer_lock():
        live = loaded is not None and index.current() == loaded.generation
        snapshot = loaded if live else index.load(mmap=False)
        reason = "requested" if rebuild else rebuild_reason(snapshot, settings, embedder)
        plan = plan_update(snapshot, settings, add, list(remove), sources, reason, follow_symlinks)
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
        try:
            _build(index, snapshot, embedder, settings, plan, reuse=not rebuild, progress=progress)
        except OSError as error:  # saving the vectors embedded so far (the generation says its own)
            raise index.generations.write_failure(error) from error
        report.seconds = time.perf_counter() - started
        return report


def _passages(snapshot: IndexSnapshot | None, settings: Settings, plan: UpdatePlan, reuse: bool) -> list[Chunk]:
    """The passages of the new index, in order: those of an unchanged document taken from the
    previous generation when the chunking settings are the same, the others cut afresh. A
    document that cannot be cut is left out of the plan (its previous version kept when its
    passages are at hand), or refused when it was named to be added.

    Raises:
        DocumentError: a document named to be added cannot be cut into passages.
    """
    same_chunking = reuse and snapshot is not None and snapshot.manifest.get("chunking") == settings.chunking.to_dict()
    previous: dict[str, list[Chunk]] = {}
    if same_chunking:
        for chunk in snapshot.chunks:
            previous.setdefault(chunk.document_id, []).append(chunk)
    unchanged = set(plan.report.unchanged)
    chunks: list[Chunk] = []
    for document_id, document in list(plan.documents.items()):
        if document_id in unchanged and document_id in previous:
            chunks.extend(previous[document_id])
            continue
        try:
            chunks.extend(chunk_document(document, settings.chunking))
        except Exception as error:  # whatever a hostile file provokes, it is that file's failure only
            reason = f"{document.path}: could not be cut into passages ({type(error).__name__}: {error})"
            if document_id in plan.named:
                raise DocumentError(f"{reason}; the index is unchanged", "failed",
                                    name=Path(document.path).name) from error
            kept = snapshot.documents.get(document_id) if document_id in previous else None
            plan.leave_out(document_id, reason, kept)
            chunks.extend(previous[document_id] if kept is not None else [])
    return chunks


def _build(index: IndexDirectory, snapshot: IndexSnapshot | None, embedder: Embedder, settings: Settings,
           plan: UpdatePlan, reuse: bool, progress: bool) -> None:
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
    cache = VectorCache(index.directory)
    embedded = embed_in_bulk(
        embedder, [search_texts[i] for i in missing], [hashes[i] for i in missing], batch_size=settings.batch_size,
        workers=settings.index_workers or available_cores(), cache=cache, progress=progress,
        ray_address=settings.ray_address,
        documents=len({chunks[i].document_id for i in missing}))
    new_vectors = embedded.vectors
    report.embedded_chunks, report.resumed_chunks = embedded.embedded, embedded.resumed
    report.reused_chunks = len(chunks) - embedded.embedded - embedded.resumed
    removed, added = changed_search_texts(previous, hashes, search_texts) if previous is not None else ([], [])
    dense, lexical = index.store.build(IndexBuild(
        live=snapshot, previous=previous, keys=hashes, search_texts=search_texts, rows=rows, new_vectors=new_vectors,
        removed_texts=removed, added_texts=added, lexical=settings.lexical,
        exact_search_limit=settings.exact_search_limit))
    if previous is not None and previous.restorer.complete:
        restorer = previous.restorer.updated(removed, added)
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
    index.write(list(plan.documents.values()), chunks, hashes, dense, lexical, restorer, manifest,
                replaced=snapshot)
    cache.clear()  # its vectors are in the published generation now


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
