"""Chunking (`ingest/chunking.py`): passages with exact offsets, headings as context, long
paragraphs cut at sentences with overlap, no passage over the bound, in linear time."""

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from assistant.ingest.chunking import MAX_HEADING_CHARS, Chunk, ChunkingSettings, chunk_document, paragraph_pieces
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


def test_a_sentence_longer_than_a_passage_is_cut_at_words(tmp_path):
    sentence = "Phường Tân Mỹ " + "kiến nghị thêm trụ sở, " * 30 + "xong."
    path = tmp_path / "a.txt"
    path.write_text(f"Câu ngắn.\n\n{sentence} Câu sau.", encoding="utf-8")
    document = load_document(path)
    chunks = chunk_document(document, ChunkingSettings(max_chars=100, overlap_sentences=1))
    assert chunks[0].text == "Câu ngắn." and chunks[-1].text.endswith("xong. Câu sau.")
    assert all(len(c.text) <= 100 and document.text[c.start:c.end] == c.text for c in chunks)
    assert all(document.text[c.end] == " " for c in chunks[1:-1])  # each piece ends at a word's end
    assert document.text[chunks[1].start:chunks[-1].end] == f"{sentence} Câu sau."
    assert all(not document.text[a.end:b.start].strip() for a, b in zip(chunks[1:], chunks[2:]))  # nothing left out


@settings(max_examples=200)
@given(words=st.lists(st.text(alphabet="ab. \t!“”xyzĐ", min_size=1, max_size=400), min_size=1, max_size=30),
       max_chars=st.integers(min_value=50, max_value=300), overlap=st.integers(min_value=0, max_value=3))
def test_no_passage_is_longer_than_the_bound(words, max_chars, overlap):
    text = " ".join(words).strip() or "x"
    pieces = paragraph_pieces(text, 0, len(text), ChunkingSettings(max_chars=max_chars, overlap_sentences=overlap))
    assert pieces and all(0 <= start < end <= len(text) and end - start <= max_chars for start, end in pieces)
    assert all(not text[start].isspace() and not text[end - 1].isspace() for start, end in pieces)
    covered = set().union(*(range(start, end) for start, end in pieces))
    assert all(i in covered for i, char in enumerate(text) if not char.isspace())  # nothing is dropped


@pytest.mark.timeout(20)  # a bound, not a measurement: quadratic cutting took 127 s for 20k sentences
def test_a_line_of_fifty_thousand_sentences_is_cut_in_linear_time():
    text = "Tin tức. " * 50_000
    pieces = paragraph_pieces(text, 0, len(text), ChunkingSettings())
    assert all(end - start <= ChunkingSettings().max_chars for start, end in pieces)
    assert pieces[-1][1] == len(text.rstrip()) and len(pieces) > 250


def test_a_long_heading_gives_its_first_words_as_context(tmp_path):
    path = tmp_path / "a.md"
    path.write_text("# " + "Tiêu đề rất dài " * 200 + "\n\nThân bài có một câu.\n", encoding="utf-8")
    chunk, = chunk_document(load_document(path), ChunkingSettings())
    assert chunk.heading.startswith("Tiêu đề rất dài") and len(chunk.heading) <= MAX_HEADING_CHARS


def test_the_search_text_gives_title_and_heading_once():
    chunk = Chunk("a", 1, 0, 9, "Câu ngắn.", heading="Trụ sở")
    assert chunk.search_text("Tin phường") == "Tin phường\nTrụ sở\nCâu ngắn."
    assert chunk.search_text("Trụ sở") == "Trụ sở\nCâu ngắn."  # the headline the title came from
    assert chunk.search_text() == "Trụ sở\nCâu ngắn."
