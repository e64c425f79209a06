"""A loaded generation of the index: everything a question needs, read-only."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from ..ingest.chunking import Chunk
from ..ingest.documents import Document
from ..search.protocols import DenseSearch, LexicalSearch
from ..text.diacritics import DiacriticRestorer


@dataclass
class IndexSnapshot:
    """One generation of the index, as loaded (or as just written).

    Attributes:
        generation: its folder.
        manifest: what it was built with (`stores.manifest`).
        documents: the documents by id, in index order.
        chunks: the passages, in index order.
        chunk_hashes: each passage's vector key (`embed.keys.embedding_key`).
        dense / lexical: its search indexes, one row per passage.
        restorer: the archive's vocabulary, for questions typed without diacritics.
    """

    generation: Path
    manifest: dict
    documents: dict[str, Document]
    chunks: list[Chunk]
    chunk_hashes: list[str]
    dense: DenseSearch
    lexical: LexicalSearch
    restorer: DiacriticRestorer
