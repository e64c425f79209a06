"""Which store an index directory uses: `local` files, or a Milvus collection (`Settings.store`)."""

from __future__ import annotations

from pathlib import Path

from ..config import Settings
from .directory import IndexDirectory
from .generations import Generations
from .local import LocalStore


def open_index_directory(directory: str | Path, settings: Settings) -> IndexDirectory:
    """The index directory `directory` with the store `settings` choose; Milvus' client is imported
    only when chosen. A local index stays readable under the Milvus store (the next update moves
    it there); an index kept in Milvus needs the Milvus store."""
    generations = Generations(directory)
    local = LocalStore()
    if settings.store == "milvus":
        from .milvus import MilvusStore

        milvus = MilvusStore(generations, settings.milvus_uri, settings.milvus_token)
        return IndexDirectory(generations, milvus, {milvus.kind: milvus, local.kind: local})
    return IndexDirectory(generations, local, {local.kind: local})
