"""A loaded generation of the index: everything a question needs, read-only."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from ..embed.keys import embedding_key
from ..errors import IndexStateError
from ..ingest.chunking import Chunk
from ..ingest.documents import Document
from ..search.protocols import DenseSearch, LexicalSearch
from ..text.diacritics import DiacriticRestorer
from .manifest import recorded_model


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

    def cited(self, index: int) -> Chunk:
        """The passage `index`, checked before it is shown: the text its offsets cut from its
        document must be the text its vector was keyed by (`embed.keys.embedding_key`). A large
        index is loaded without hashing its files (`generations.HASH_ON_LOAD_LIMIT`); this check
        still catches an altered offset, for the passages actually cited, at the cost of one
        hash each.

        Raises:
            IndexStateError: the passage's offsets do not give the text that was indexed.
        """
        chunk = self.chunks[index]
        title = self.documents[chunk.document_id].title
        if embedding_key(recorded_model(self.manifest), chunk.search_text(title)) != self.chunk_hashes[index]:
            raise IndexStateError(f"{self.generation}: passage {index + 1} (document {chunk.document_id!r}, "
                                  f"characters {chunk.start}-{chunk.end}) is not the text that was indexed; the "
                                  "index files were altered: run `assistant index --rebuild` to rebuild")
        return chunk
