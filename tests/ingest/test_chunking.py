"""Chunking (`ingest/chunking.py`): passages with exact offsets, headings as context, long
paragraphs cut at sentences with overlap."""

from assistant.ingest.chunking import Chunk, ChunkingSettings, chunk_document
from assistant.ingest.documents import load_document


def test_chunk_offsets_are_exact_and_headings_are_context(seed_article):
    document = load_document(seed_article)
    chunks = chunk_document(document, ChunkingSettings())
    assert chunks, "the article yields passages"
    for chunk in chunks:
        assert document.text[chunk.start:chunk.end] == chunk.text
        assert not chunk.text.startswith("Nhân sự chuyên môn còn thiếu")  # headings are not passages
    second = [c for c in chunks if c.paragraph == 2][0]
    assert second.heading == "Nhân sự chuyên môn còn thiếu và không đồng đều"
    assert second.search_text("T").split("\n")[:2] == ["T", second.heading]


def test_long_paragraphs_are_cut_at_sentences_with_overlap(seed_article):
    document = load_document(seed_article)
    chunks = chunk_document(document, ChunkingSettings(max_chars=350, overlap_sentences=1))
    paragraph_eleven = [c for c in chunks if c.paragraph == 11]
    assert len(paragraph_eleven) > 1
    for chunk in chunks:
        assert document.text[chunk.start:chunk.end] == chunk.text
        assert chunk.text[-1] in ".!?…”" or chunk.end == document.paragraphs[-1].end
    # consecutive pieces of one paragraph share a sentence
    assert paragraph_eleven[1].start < paragraph_eleven[0].end


def test_a_sentence_longer_than_a_passage_stays_whole(tmp_path):
    sentence = "Phường Tân Mỹ " + "kiến nghị thêm trụ sở, " * 30 + "xong."
    path = tmp_path / "a.txt"
    path.write_text(f"Câu ngắn.\n\n{sentence} Câu sau.", encoding="utf-8")
    document = load_document(path)
    chunks = chunk_document(document, ChunkingSettings(max_chars=100, overlap_sentences=1))
    assert [c.text for c in chunks] == ["Câu ngắn.", sentence, "Câu sau."]
    assert all(document.text[c.start:c.end] == c.text for c in chunks)


def test_the_search_text_gives_title_and_heading_once():
    chunk = Chunk("a", 1, 0, 9, "Câu ngắn.", heading="Trụ sở")
    assert chunk.search_text("Tin phường") == "Tin phường\nTrụ sở\nCâu ngắn."
    assert chunk.search_text("Trụ sở") == "Trụ sở\nCâu ngắn."  # the headline the title came from
    assert chunk.search_text() == "Trụ sở\nCâu ngắn."
