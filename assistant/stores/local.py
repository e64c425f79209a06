"""The `local` store: a generation's vectors in a FAISS file and its terms in bm25s's files, in the
generation folder itself. The default store."""

from __future__ import annotations

from pathlib import Path
from typing import Sequence

import numpy as np

from ..config import LexicalSettings
from ..search.dense import DenseIndex
from ..search.lexical import LexicalIndex
from .manifest import missing_files
from .protocol import IndexBuild
from .snapshot import IndexSnapshot

DENSE_FILE = "dense.faiss"
LEXICAL_FOLDER = "lexical"  # bm25s's files and the term counts


class LocalStore:
    """Search indexes as files of the generation: `dense.faiss` and `lexical/`."""

    kind = "local"

    def manifest_problem(self, manifest: dict) -> str | None:
        missing = missing_files(manifest, (DENSE_FILE,))
        if missing or not any(name.startswith(LEXICAL_FOLDER + "/") for name in manifest["files"]):
            return f"files missing from the list: {', '.join(missing) or LEXICAL_FOLDER + '/'}"
        return None

    def open(self, generation: Path, manifest: dict, keys: list[str], mmap: bool) -> tuple[DenseIndex, LexicalIndex]:
        dense = DenseIndex.load(generation / DENSE_FILE, mmap=mmap)
        lexical = LexicalIndex.load(generation / LEXICAL_FOLDER, LexicalSettings(**manifest["lexical"]), mmap=mmap)
        return dense, lexical

    def build(self, build: IndexBuild) -> tuple[DenseIndex, LexicalIndex]:
        """The FAISS index of every passage's vector (the previous HNSW graph extended when
        passages were only appended) and BM25 over their terms (only new passages tokenised)."""
        vectors = build.all_vectors()
        dense = _dense_index(build.previous, build.keys, vectors, build.exact_search_limit)
        previous = build.previous.lexical if build.previous is not None else None
        same_terms = isinstance(previous, LexicalIndex) and previous.settings.terms == build.lexical.terms
        lexical = LexicalIndex.build(build.search_texts, build.lexical, previous=previous if same_terms else None,
                                     reuse=build.rows)
        return dense, lexical

    def save(self, staging: Path, dense: DenseIndex, lexical: LexicalIndex) -> dict:
        dense.save(staging / DENSE_FILE)
        lexical.save(staging / LEXICAL_FOLDER)
        return {}

    def published(self, keys: Sequence[str], replaced: IndexSnapshot | None) -> None:
        """Nothing to do: the replaced generation's files go with its folder."""

    def verify(self, generation: Path, manifest: dict, keys: list[str]) -> None:
        """Nothing beyond the generation's files, which the directory checks."""


def _dense_index(previous: IndexSnapshot | None, keys: Sequence[str], vectors: np.ndarray,
                 exact_limit: int) -> DenseIndex:
    """The dense index for `vectors`: the previous HNSW graph extended when passages were only
    appended (new documents come after the indexed ones), else built afresh."""
    if previous is not None and isinstance(previous.dense, DenseIndex) and previous.dense.approximate \
            and len(vectors) > exact_limit:
        size = previous.dense.size
        if len(keys) > size and list(keys[:size]) == list(previous.chunk_hashes):
            return previous.dense.extended(vectors[size:])
    return DenseIndex.build(vectors, exact_limit)
