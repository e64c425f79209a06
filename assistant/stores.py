"""Which store an index directory uses: `local` files, or a Milvus collection (`Settings.store`)."""

from __future__ import annotations

from pathlib import Path

from .config import Settings
from .store import IndexStore


def open_store(directory: str | Path, settings: Settings) -> IndexStore:
    """The store of `directory` as configured; Milvus' client is imported only when chosen."""
    if settings.store == "milvus":
        from .milvus_store import MilvusStore

        return MilvusStore(directory, settings.milvus_uri, settings.milvus_token)
    return IndexStore(directory)
