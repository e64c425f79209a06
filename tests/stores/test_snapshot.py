"""A loaded generation (`stores/snapshot.py`): a passage is checked against the text its vector was
keyed by before it is cited, so an altered offset is refused even in an index too large to hash."""

import json

import pytest

import assistant.stores.generations as generations
from assistant import Assistant
from assistant.errors import IndexStateError
from assistant.testing import HashingEmbedder

QUESTION = "Ai là Bí thư Đảng ủy phường Phú Thuận?"


def _shift_an_offset(chunks_file) -> int:
    """Move one passage's start a character on, keeping the file's size (as a flipped digit would)."""
    lines = chunks_file.read_text(encoding="utf-8").splitlines(keepends=True)
    starts = [json.loads(line)["start"] for line in lines]
    index = next(i for i, start in enumerate(starts) if start >= 100 and len(str(start + 1)) == len(str(start)))
    lines[index] = lines[index].replace(f'"start":{starts[index]},', f'"start":{starts[index] + 1},')
    chunks_file.write_text("".join(lines), encoding="utf-8")
    return index


def test_an_altered_offset_in_an_index_too_large_to_hash_is_refused_when_cited(fake_assistant, monkeypatch):
    generation = fake_assistant.snapshot.generation
    chunks_file = generation / "chunks.jsonl"
    size = chunks_file.stat().st_size
    index = _shift_an_offset(chunks_file)
    assert chunks_file.stat().st_size == size
    monkeypatch.setattr(generations, "HASH_ON_LOAD_LIMIT", 0)  # as for an index over 256 MB: sizes only
    reopened = Assistant.open(fake_assistant.index_dir, embedder=HashingEmbedder(), update=False)  # loads
    chunk = reopened.snapshot.chunks[index]
    with pytest.raises(IndexStateError, match=rf"passage {index + 1} .*is not the text that was indexed") as caught:
        reopened.snapshot.cited(index)
    assert "--rebuild" in str(caught.value) and "\n" not in str(caught.value)
    assert chunk.text != fake_assistant.snapshot.chunks[index].text  # what would have been shown, mid-word
    with pytest.raises(IndexStateError, match="is not the text that was indexed"):
        for question in [QUESTION, chunk.text[:80]]:
            reopened.retrieve(question, k=20, mode="lexical")
    monkeypatch.undo()
    with pytest.raises(IndexStateError, match="checksum differs"):  # a small index is hashed when loaded
        Assistant.open(fake_assistant.index_dir, embedder=HashingEmbedder(), update=False)


def test_every_passage_of_a_whole_index_passes_the_check(fake_assistant):
    snapshot = fake_assistant.snapshot
    assert [snapshot.cited(i) for i in range(len(snapshot.chunks))] == snapshot.chunks
