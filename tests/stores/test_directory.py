"""The index directory (`stores/directory.py`): a generation written, kept as built and read back
the same; readers opening it while a writer publishes; any tampered manifest or pointer loads or
fails in one line and changes nothing."""

import json
import shutil
import subprocess
import sys

import pytest
from hypothesis import given
from hypothesis import strategies as st

from assistant import Assistant
from assistant.errors import AssistantError
from assistant.testing import HashingEmbedder

PASSAGES_IN_SEED = 11

json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=400),
    lambda children: st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=8), children, max_size=4),
    max_leaves=12)


def test_build_then_reload_without_re_embedding(tmp_path, corpus_dir):
    embedder = HashingEmbedder()
    first = Assistant.open(tmp_path / "index", documents=[corpus_dir], embedder=embedder)
    assert len(embedder.embedded_texts) == PASSAGES_IN_SEED
    before = first.retrieve("Chủ tịch UBND phường Tân Mỹ là ai?", k=3)

    again = HashingEmbedder()
    second = Assistant.open(tmp_path / "index", embedder=again)
    assert again.embedded_texts == []  # loaded, not rebuilt
    assert second.snapshot.chunks == first.snapshot.chunks
    assert [d.text for d in second.documents()] == [d.text for d in first.documents()]
    after = second.retrieve("Chủ tịch UBND phường Tân Mỹ là ai?", k=3)
    assert [(p.document_id, p.start, p.end) for p in after] == [(p.document_id, p.start, p.end) for p in before]


def test_a_published_generation_is_kept_as_built_and_answers_as_read_back(tmp_path, corpus_dir, monkeypatch):
    from assistant.stores.directory import IndexDirectory

    embedder = HashingEmbedder()
    assistant = Assistant.open(tmp_path / "index", documents=[corpus_dir], embedder=embedder)
    article = corpus_dir / "moi.txt"
    article.write_text("Cầu Ánh Sao\n\nCầu Ánh Sao ở phường Tân Mỹ dài 500 mét, khánh thành ngày 2/9.",
                       encoding="utf-8")
    reads = []
    real_load = IndexDirectory._load_generation
    monkeypatch.setattr(IndexDirectory, "_load_generation", lambda *a, **k: reads.append(1) or real_load(*a, **k))
    assistant.index([article])
    assistant.index()  # nothing changed
    assert reads == []  # neither update read the index back from disk

    fresh = Assistant.open(tmp_path / "index", embedder=embedder, update=False)
    kept, read = assistant.snapshot, fresh.snapshot
    assert kept.generation == read.generation and kept.manifest == read.manifest
    assert list(kept.documents.items()) == list(read.documents.items())
    assert kept.chunks == read.chunks and kept.chunk_hashes == read.chunk_hashes
    for question in ("Cầu Ánh Sao dài bao nhiêu?", "Chủ tịch UBND phường Tân Mỹ là ai?"):
        assert assistant.ask(question).to_dict() == fresh.ask(question).to_dict()


# A reader that opens the index again and again, checking each generation it opens, and prints
# that generation's name, until the file named by its second argument exists.
READER = """
import sys
from pathlib import Path
from assistant.testing import HashingEmbedder
from assistant import Assistant

index_dir, stop = Path(sys.argv[1]), Path(sys.argv[2])
while not stop.exists():
    assistant = Assistant.open(index_dir, embedder=HashingEmbedder(), update=False)
    snapshot = assistant.snapshot
    assert snapshot.dense.size == snapshot.lexical.size == len(snapshot.chunks)
    for chunk in snapshot.chunks:
        assert snapshot.documents[chunk.document_id].text[chunk.start:chunk.end] == chunk.text
    # answered from this generation, or from one published since (an open assistant follows CURRENT)
    assert assistant.retrieve("Ai là Chủ tịch UBND phường Tân Mỹ?", k=5)
    print(snapshot.generation.name, flush=True)
"""


def test_reader_process_opening_while_a_writer_publishes_never_fails(tmp_path, corpus_dir):
    """A reader process opens the index without pause while the writer publishes nine generations
    (each publish deletes the generation the reader may be loading); after each publish the writer
    waits until the reader has opened the new generation, so it opens every one, and never fails."""
    index_dir = tmp_path / "index"
    writer = Assistant.open(index_dir, documents=[corpus_dir], embedder=HashingEmbedder())
    stop = tmp_path / "stop"
    reader = subprocess.Popen([sys.executable, "-c", READER, str(index_dir), str(stop)],
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    published = [writer.snapshot.generation.name]
    opened = []

    def wait_until_the_reader_opens(generation: str) -> None:
        while generation not in opened:
            line = reader.stdout.readline()
            assert line, f"the reader stopped: {reader.stderr.read()[-2000:]}"
            opened.append(line.strip())

    try:
        wait_until_the_reader_opens(published[-1])
        for i in range(6):
            article = tmp_path / "incoming" / f"bai-{i}.txt"
            article.parent.mkdir(exist_ok=True)
            article.write_text(f"Bài số {i} về phường Tân Mỹ.\n\nChủ tịch UBND phường nói về trụ sở {i}.",
                               encoding="utf-8")
            writer.index(paths=[article])
            published.append(writer.snapshot.generation.name)
            wait_until_the_reader_opens(published[-1])
            if i % 2:
                writer.index(remove=[f"bai-{i - 1}"])
                published.append(writer.snapshot.generation.name)
                wait_until_the_reader_opens(published[-1])
    finally:
        stop.touch()
        rest, stderr = reader.communicate(timeout=120)
    assert reader.returncode == 0, stderr[-2000:]
    opened += rest.split()
    assert len(set(published)) == 10 and set(opened) == set(published)


@pytest.fixture(scope="module")
def pristine_index(tmp_path_factory, bundled_documents):
    """An index of the bundled article, built once; each example works on a copy."""
    folder = tmp_path_factory.mktemp("pristine")
    documents = folder / "documents"
    documents.mkdir()
    for path in bundled_documents.iterdir():
        shutil.copy(path, documents)
    Assistant.open(folder / "index", documents=[documents], embedder=HashingEmbedder())
    return folder / "index"


def manifest_edits():
    keys = st.sampled_from(["files", "lexical", "chunking", "model", "sources", "excluded", "documents",
                            "format_version", "dense", "dimension"])
    return st.lists(st.tuples(keys, json_values), min_size=1, max_size=3)


@given(edits=manifest_edits(), pointer=st.none() | st.binary(max_size=40))
def test_any_tampered_manifest_or_pointer_loads_or_fails_in_one_line(tmp_path, pristine_index, edits, pointer):
    index = tmp_path / "index"
    shutil.rmtree(index, ignore_errors=True)
    shutil.copytree(pristine_index, index)
    generation = next(index.glob("gen-*"))
    manifest = json.loads((generation / "manifest.json").read_text(encoding="utf-8"))
    for key, value in edits:
        manifest[key] = value
    (generation / "manifest.json").write_text(json.dumps(manifest), encoding="utf-8")
    if pointer is not None:
        (index / "CURRENT").write_bytes(pointer)
    data = {p.name: p.read_bytes() for p in generation.rglob("*") if p.is_file()}
    try:
        Assistant.open(index, embedder=HashingEmbedder(), update=False).retrieve("phường Tân Mỹ")
    except AssistantError as error:
        assert "\n" not in str(error)
    assert {p.name: p.read_bytes() for p in generation.rglob("*") if p.is_file()} == data
