"""Chunking: cut each paragraph into sentence-aligned passages with exact character offsets."""

from __future__ import annotations

from dataclasses import dataclass

from ..config import ChunkingSettings
from ..text.sentences import cut_at_words, sentence_spans, shorten
from .documents import Document

__all__ = ["Chunk", "ChunkingSettings", "chunk_document", "paragraph_pieces"]

# A heading gives the passages below it context; a longer one (a Markdown `#` line can be a whole
# paragraph) is cut at a word, so it cannot make every passage's search text large.
MAX_HEADING_CHARS = 200


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
    cut into runs of whole sentences of at most that size, consecutive runs sharing
    `settings.overlap_sentences` sentences so an answer that spans a cut is still found in one
    passage. A sentence longer than that is cut at word boundaries: no passage is ever longer
    than `settings.max_chars`.
    """
    chunks: list[Chunk] = []
    heading = ""
    for paragraph in document.paragraphs:
        if paragraph.is_heading:
            heading = shorten(document.text[paragraph.start:paragraph.end].lstrip("#").strip(), MAX_HEADING_CHARS)
            continue
        for start, end in paragraph_pieces(document.text, paragraph.start, paragraph.end, settings):
            chunks.append(Chunk(document.id, paragraph.number, start, end, document.text[start:end], heading))
    return chunks


def paragraph_pieces(text: str, start: int, end: int, settings: ChunkingSettings) -> list[tuple[int, int]]:
    """The passages of the paragraph `text[start:end]` as spans (see `chunk_document`)."""
    if end - start <= settings.max_chars:
        return [(start, end)]
    limit = settings.max_chars
    sentences = []
    for sentence_start, sentence_end in sentence_spans(text[start:end]):
        sentence_start, sentence_end = start + sentence_start, start + sentence_end
        if sentence_end - sentence_start > limit:
            sentences.extend(cut_at_words(text, sentence_start, sentence_end, limit))
        else:
            sentences.append((sentence_start, sentence_end))
    pieces: list[tuple[int, int]] = []
    first = 0
    while first < len(sentences):
        last = first
        while last + 1 < len(sentences) and sentences[last + 1][1] - sentences[first][0] <= limit:
            last += 1
        pieces.append((sentences[first][0], sentences[last][1]))
        if last + 1 >= len(sentences):
            break
        first = max(first + 1, last + 1 - settings.overlap_sentences)
    return pieces
