"""Documents and passages as the JSON rows of a generation's `documents.jsonl` and `chunks.jsonl`."""

from __future__ import annotations

from ..ingest.chunking import Chunk
from ..ingest.documents import Document, Paragraph


def document_row(document: Document) -> dict:
    """A document as one row of `documents.jsonl`."""
    return {
        "id": document.id, "title": document.title, "date": document.date, "path": document.path,
        "source": document.source, "sha256": document.sha256, "text": document.text,
        "paragraphs": [[p.start, p.end, p.number, p.is_heading] for p in document.paragraphs],
        "encoding": document.encoding, "fingerprint": document.fingerprint,
    }


def document_from_row(row: dict) -> Document:
    """A document as `documents.jsonl` holds it (`document_row`), read back."""
    return Document(
        id=row["id"], title=row["title"], date=row.get("date"), path=row["path"], text=row["text"],
        source=row.get("source"), sha256=row["sha256"],
        paragraphs=tuple(Paragraph(*p) for p in row["paragraphs"]), encoding=row.get("encoding", "utf-8"),
        fingerprint=row.get("fingerprint", ""),
    )


def chunk_row(chunk: Chunk, key: str) -> dict:
    """A passage as one row of `chunks.jsonl`: its citation and the key of its vector (its text
    is its document's, between the offsets)."""
    return {"document_id": chunk.document_id, "paragraph": chunk.paragraph, "start": chunk.start, "end": chunk.end,
            "heading": chunk.heading, "hash": key}


def chunk_from_row(row: dict, documents: dict[str, Document]) -> tuple[Chunk, str]:
    """A passage and its vector key as `chunks.jsonl` holds them (`chunk_row`), its text taken from
    its document."""
    text = documents[row["document_id"]].text[row["start"]:row["end"]]
    return Chunk(row["document_id"], row["paragraph"], row["start"], row["end"], text, row.get("heading", "")), \
        row["hash"]
