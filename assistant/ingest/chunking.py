"""Chunking: cut each paragraph into sentence-aligned passages with exact character offsets."""

from __future__ import annotations

from dataclasses import dataclass

from ..config import ChunkingSettings
from ..text.sentences import sentence_spans
from .documents import Document

__all__ = ["Chunk", "ChunkingSettings", "chunk_document", "paragraph_pieces"]


@dataclass(frozen=True)
class Chunk:
    """A passage of a document: `document.text[start:end] == text` exactly.

    `heading` is the section heading above the passage (context for search, never cited
    on its own); `paragraph` is the 1-based body paragraph number, headings not counted.
    """

    document_id: str
    paragraph: int
    start: int
    end: int
    text: str
    heading: str = ""

    def search_text(self, title: str = "") -> str:
        """The text that is embedded and indexed: title and heading give context to the passage
        (the heading once, when it is the headline the title came from)."""
        heading = self.heading if self.heading != title else ""
        return "\n".join(part for part in (title, heading, self.text) if part)


def chunk_document(document: Document, settings: ChunkingSettings) -> list[Chunk]:
    """Cut `document` into passages.

    Each body paragraph of at most `settings.max_chars` characters is one passage. A longer one is
    cut into runs of whole sentences of at most that size (a single longer sentence stays whole),
    consecutive runs sharing `settings.overlap_sentences` sentences so an answer that spans a cut is
    still found in one passage.
    """
    chunks: list[Chunk] = []
    heading = ""
    for paragraph in document.paragraphs:
        if paragraph.is_heading:
            heading = document.text[paragraph.start:paragraph.end].lstrip("#").strip()
            continue
        for start, end in paragraph_pieces(document.text, paragraph.start, paragraph.end, settings):
            chunks.append(Chunk(document.id, paragraph.number, start, end, document.text[start:end], heading))
    return chunks


def paragraph_pieces(text: str, start: int, end: int, settings: ChunkingSettings) -> list[tuple[int, int]]:
    if end - start <= settings.max_chars:
        return [(start, end)]
    sentences = [(start + s, start + e) for s, e in sentence_spans(text[start:end])]
    pieces: list[tuple[int, int]] = []
    first = 0
    while first < len(sentences):
        last = first
        while last + 1 < len(sentences) and sentences[last + 1][1] - sentences[first][0] <= settings.max_chars:
            last += 1
        pieces.append((sentences[first][0], sentences[last][1]))
        if last + 1 >= len(sentences):
            break
        first = max(first + 1, last + 1 - settings.overlap_sentences)
    return pieces
