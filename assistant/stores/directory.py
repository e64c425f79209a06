"""An index directory with its store: loads the live generation as a snapshot, writes the next one.

The generations' files and the publishing are `stores.generations`'; the search indexes are the
store's (`stores.local`, `stores.milvus`). A generation is opened by the store that wrote it: an
index being moved to Milvus is read from its local files until the next update has moved it.
"""

from __future__ import annotations

import contextlib
from dataclasses import replace
from pathlib import Path
from typing import Mapping, Sequence

from ..errors import IndexStateError
from ..ingest.chunking import Chunk
from ..ingest.documents import Document
from ..search.protocols import DenseSearch, LexicalSearch
from ..text.diacritics import DiacriticRestorer
from .generations import REBUILD_HINT, Generations
from .manifest import store_kind
from .protocol import IndexStore
from .snapshot import IndexSnapshot


class IndexDirectory:
    """One index directory and the store its next generations go to.

    Args:
        generations: the directory's generations.
        store: where new generations keep their search indexes.
        readers: the stores that can open existing generations, by kind (the configured one and
            those it can take an index over from).
    """

    def __init__(self, generations: Generations, store: IndexStore, readers: Mapping[str, IndexStore]):
        self.generations = generations
        self.store = store
        self.readers = dict(readers)
        self._written: IndexSnapshot | None = None  # the generation last published here, as built

    @property
    def directory(self) -> Path:
        return self.generations.directory

    def current(self) -> Path | None:
        """The live generation's folder, or None when nothing was ever published (see
        `Generations.current`)."""
        return self.generations.current()

    def live_manifest(self) -> dict | None:
        return self.generations.live_manifest()

    def pointer_state(self) -> tuple[int, int, int, int] | None:
        """See `Generations.pointer_state`."""
        return self.generations.pointer_state()

    def writer_lock(self) -> contextlib.AbstractContextManager[None]:
        return self.generations.writer_lock()

    # --- reading -------------------------------------------------------------------------------

    def reader(self, manifest: dict) -> IndexStore:
        """The store that opens a generation with this manifest.

        Raises:
            IndexStateError: the generation is kept in a store not configured here, or its part of
                the manifest is malformed.
        """
        kind = store_kind(manifest)
        store = self.readers.get(kind)
        if store is None:
            raise IndexStateError(f"{self.directory} keeps its passages in {kind}; set ASSISTANT_STORE={kind} "
                                  "(README, \"Outgrowing one machine\"), or index into another --index-dir")
        return store

    def read_manifest(self, generation: Path) -> dict:
        """A generation's manifest, checked (the shared structure and its store's part).

        Raises:
            IndexStateError: missing, of another format or malformed, with the fix.
        """
        manifest = self.generations.read_manifest(generation)
        problem = self.reader(manifest).manifest_problem(manifest)
        if problem:
            raise IndexStateError(f"{generation / 'manifest.json'}: {problem}; {REBUILD_HINT}")
        return manifest

    def load(self, mmap: bool = False, verify: bool = False) -> IndexSnapshot | None:
        """The live generation, loaded; None when the directory holds no index yet. One this
        object has just written is handed over as built, not read back (unless `mmap` or `verify`
        asks for the files): an update costs what changed, not a reload.

        Raises:
            IndexStateError: the index is corrupted, truncated or of another format.
        """
        written, self._written = self._written, None
        if written is not None and not mmap and not verify and self.current() == written.generation:
            return written
        for attempt in range(3):
            generation = self.current()
            if generation is None:
                return None
            try:
                return self._load_generation(generation, mmap, verify)
            except (OSError, IndexStateError):
                if attempt < 2 and self.current() != generation:
                    continue  # a writer published a new generation while we read: read that one
                raise
        raise AssertionError("unreachable")

    def _load_generation(self, generation: Path, mmap: bool, verify: bool) -> IndexSnapshot:
        manifest = self.read_manifest(generation)
        self.generations.verify(generation, manifest, full=verify)
        try:
            documents, chunks, keys, restorer = self.generations.read_contents(generation)
            dense, lexical = self.reader(manifest).open(generation, manifest, keys, mmap)
        except (KeyError, ValueError, TypeError, RuntimeError) as error:
            raise IndexStateError(
                f"{generation}: the index files are inconsistent ({type(error).__name__}: {error}); {REBUILD_HINT}"
            ) from error
        if not (dense.size == lexical.size == len(chunks)):
            raise IndexStateError(
                f"{generation}: {len(chunks)} passages but {dense.size} vectors and {lexical.size} BM25 rows; "
                f"{REBUILD_HINT}"
            )
        return IndexSnapshot(generation, manifest, documents, chunks, keys, dense, lexical, restorer)

    def restore(self, name: str) -> Path:
        """Make the generation `name` live again after checking every file of it and what its store
        keeps elsewhere (call under the writer lock).

        Raises:
            IndexStateError: no such generation, or it is incomplete or altered.
        """
        generation = self.generations.generation(name)
        manifest = self.read_manifest(generation)
        self.generations.verify(generation, manifest, full=True)
        self.reader(manifest).verify(generation, manifest, self.generations.chunk_keys(generation))
        self.generations.point_to(generation)
        return generation

    # --- writing -------------------------------------------------------------------------------

    def write(self, documents: Sequence[Document], chunks: Sequence[Chunk], keys: Sequence[str],
              dense: DenseSearch, lexical: LexicalSearch, restorer: DiacriticRestorer, manifest: dict,
              replaced: IndexSnapshot | None = None) -> Path:
        """Write a complete generation beside the live one and publish it (call under the lock).

        Args:
            documents: the documents, in index order.
            chunks: their passages, in index order, with `keys` (the keys of their vectors).
            dense / lexical / restorer: the indexes the store built (`IndexStore.build`), one row
                per passage, and the vocabulary.
            manifest: what the index was built with (model, settings, sources); the document list,
                dimension, dense kind, store and file checksums are added here.
            replaced: the generation this one replaces (the live one), if any.

        Raises:
            IndexStateError: a file could not be written (a full disk: `Generations.write_failure`);
                the live generation stays, and nothing of the new one is left.
        """
        try:
            staging = self.generations.new_staging()
        except OSError as error:
            raise self.generations.write_failure(error) from error
        try:
            self.generations.write_contents(staging, documents, chunks, keys, restorer)
            stored = self.store.save(staging, dense, lexical)
            final = self.generations.publish(staging, {
                **manifest, **stored, "store": self.store.kind,
                "dimension": dense.dimension, "dense": {"kind": dense.kind, "passages": dense.size},
                "documents": {d.id: {"path": d.path, "sha256": d.sha256, "title": d.title} for d in documents},
            })
        except (OSError, RuntimeError) as error:  # faiss reports a short write as a RuntimeError
            failure = self.generations.write_failure(error)
            self.generations.discard(staging)
            raise failure from error
        except BaseException:
            self.generations.discard(staging)
            raise
        held = {d.id: replace(d, notes=()) if d.notes else d for d in documents}
        self._written = IndexSnapshot(final, self.read_manifest(final), held, list(chunks), list(keys), dense,
                                      lexical, restorer)
        self.store.published(keys, replaced)
        return final
