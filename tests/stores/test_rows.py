"""A generation's rows (`stores/rows.py`): documents and passages as `documents.jsonl` and
`chunks.jsonl` hold them, read back as they were written."""

from assistant.config import ChunkingSettings
from assistant.ingest.chunking import chunk_document
from assistant.ingest.documents import load_document
from assistant.stores.rows import chunk_from_row, chunk_row, document_from_row, document_row


def test_documents_and_passages_read_back_as_written(seed_article):
    document = load_document(seed_article)
    assert document_from_row(document_row(document)) == document
    documents = {document.id: document}
    for number, chunk in enumerate(chunk_document(document, ChunkingSettings())):
        row = chunk_row(chunk, f"key-{number}")
        assert "text" not in row  # a passage's text is its document's, between the offsets
        assert chunk_from_row(row, documents) == (chunk, f"key-{number}")


def test_rows_written_before_encodings_and_fingerprints_were_recorded_still_read(seed_article):
    document = load_document(seed_article)
    row = {key: value for key, value in document_row(document).items() if key not in ("encoding", "fingerprint")}
    read = document_from_row(row)
    assert (read.encoding, read.fingerprint, read.text) == ("utf-8", "", document.text)
