"""The index directory: round trip, incremental updates, stale rebuilds, integrity, locking, bad input."""

import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from assistant import Assistant
from assistant.errors import DocumentError, IndexLockedError, IndexStateError
from assistant.stores.generations import Generations
from assistant.testing import HashingEmbedder

PASSAGES_IN_SEED = 11


def write_article(folder: Path, name: str, text: str) -> Path:
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


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


def test_manifest_records_model_chunking_and_hashes(fake_assistant):
    manifest = fake_assistant.snapshot.manifest
    assert manifest["format_version"] == 2
    assert manifest["model"]["id"] == "fake-hash-embedder"
    assert manifest["dimension"] == 64
    assert manifest["chunking"]["max_chars"] > 0
    document = manifest["documents"]["000_dbd6872183af7f42"]
    assert len(document["sha256"]) == 64
    assert set(manifest["files"]) >= {"dense.faiss", "chunks.jsonl", "documents.jsonl", "vocabulary.json"}
    assert not any(name.endswith((".pkl", ".pickle")) for name in manifest["files"])


def test_incremental_add_update_remove_embed_only_changed_passages(tmp_path, corpus_dir):
    embedder = HashingEmbedder()
    assistant = Assistant.open(tmp_path / "index", documents=[corpus_dir], embedder=embedder)
    embedder.embedded_texts.clear()

    write_article(corpus_dir, "moi.txt", "Tin mới về phường Bình Thạnh.\n\nĐoạn thứ hai của tin mới.")
    report = assistant.index()
    assert report.added == ["moi"] and report.unchanged == ["000_dbd6872183af7f42"]
    assert report.embedded_chunks == 2 and len(embedder.embedded_texts) == 2
    assert report.reused_chunks == PASSAGES_IN_SEED

    embedder.embedded_texts.clear()
    write_article(corpus_dir, "moi.txt", "Tin mới về phường Bình Thạnh.\n\nĐoạn thứ hai đã được sửa.")
    report = assistant.index()
    assert report.updated == ["moi"] and report.embedded_chunks == 1 and len(embedder.embedded_texts) == 1

    embedder.embedded_texts.clear()
    report = assistant.index(remove=["moi"])
    assert report.removed == ["moi"] and report.embedded_chunks == 0 and embedder.embedded_texts == []
    assert [d.id for d in assistant.documents()] == ["000_dbd6872183af7f42"]
    assert assistant.index().changed is False  # the removed file stays removed


def test_added_documents_extend_a_large_archive_graph(tmp_path, corpus_dir, monkeypatch):
    from assistant import Settings
    from assistant.stores import local as local_indexes

    settings = Settings(exact_search_limit=5)  # the seed article alone is a "large" archive here
    assistant = Assistant.open(tmp_path / "index", documents=[corpus_dir], settings=settings, embedder=HashingEmbedder())
    assert assistant.snapshot.dense.approximate
    builds = []
    original_build = local_indexes.DenseIndex.build
    monkeypatch.setattr(local_indexes.DenseIndex, "build", lambda *args: builds.append(args) or original_build(*args))

    write_article(corpus_dir, "moi.txt", "Tin mới về phường Bình Thạnh.\n\nĐoạn thứ hai của tin mới.")
    assistant.index()
    assert builds == [] and assistant.snapshot.dense.size == PASSAGES_IN_SEED + 2
    assert assistant.retrieve("Tin mới về phường Bình Thạnh", k=1, mode="dense")[0].document_id == "moi"
    reopened = Assistant.open(tmp_path / "index", settings=settings, embedder=HashingEmbedder())
    assert reopened.snapshot.dense.size == PASSAGES_IN_SEED + 2

    write_article(corpus_dir, "moi.txt", "Tin mới về phường Bình Thạnh.\n\nĐoạn thứ hai đã được sửa.")
    assistant.index()  # a changed passage in place: the graph is rebuilt
    assert len(builds) == 1 and assistant.snapshot.dense.size == PASSAGES_IN_SEED + 2


def test_changed_document_triggers_update_on_open(tmp_path, corpus_dir):
    Assistant.open(tmp_path / "index", documents=[corpus_dir], embedder=HashingEmbedder())
    article = corpus_dir / "000_dbd6872183af7f42.txt"
    article.write_text(article.read_text(encoding="utf-8") + "\n\nĐoạn bổ sung về dân số phường.", encoding="utf-8")
    embedder = HashingEmbedder()
    reopened = Assistant.open(tmp_path / "index", embedder=embedder)
    assert len(embedder.embedded_texts) == 1
    assert "dân số" in reopened.retrieve("dân số phường", k=1)[0].text


def test_changed_model_rebuilds_everything(tmp_path, corpus_dir):
    Assistant.open(tmp_path / "index", documents=[corpus_dir], embedder=HashingEmbedder())

    class OtherModel(HashingEmbedder):
        model_id = "another-model"

    embedder = OtherModel()
    reopened = Assistant.open(tmp_path / "index", embedder=embedder)
    assert len(embedder.embedded_texts) == PASSAGES_IN_SEED
    assert reopened.snapshot.manifest["model"]["id"] == "another-model"


def test_corrupted_or_truncated_files_are_detected(fake_assistant):
    generation = fake_assistant.snapshot.generation
    faiss_file = generation / "dense.faiss"
    data = faiss_file.read_bytes()
    faiss_file.write_bytes(data[:-10])
    with pytest.raises(IndexStateError, match="truncated"):
        Assistant.open(fake_assistant.index_directory.directory, embedder=HashingEmbedder(), update=False)
    faiss_file.write_bytes(data[:-1] + bytes([data[-1] ^ 0xFF]))
    with pytest.raises(IndexStateError, match="corrupted"):
        Assistant.open(fake_assistant.index_directory.directory, embedder=HashingEmbedder(), update=False)
    (generation / "chunks.jsonl").unlink()
    with pytest.raises(IndexStateError, match="missing"):
        Assistant.open(fake_assistant.index_directory.directory, embedder=HashingEmbedder(), update=False)


def test_second_indexer_is_refused(fake_assistant):
    with fake_assistant.index_directory.writer_lock():
        with pytest.raises(IndexLockedError, match="being indexed"):
            fake_assistant.index(rebuild=True)


@pytest.mark.parametrize("name, content", [
    ("empty.txt", b""),
    ("binary.txt", b"\x89PNG\x00\x00"),
    ("latin1.md", "Caf\xe9 \x81\x8d".encode("latin-1")),
])
def test_bad_document_leaves_index_byte_for_byte_unchanged(tmp_path, fake_assistant, name, content, tree_digest):
    before = tree_digest(fake_assistant.index_directory.directory)
    path = tmp_path / name
    path.write_bytes(content)
    with pytest.raises(DocumentError):
        fake_assistant.index([path])
    assert tree_digest(fake_assistant.index_directory.directory) == before


def test_duplicate_document_is_refused(tmp_path, fake_assistant, corpus_dir, tree_digest):
    copy = tmp_path / "copy.txt"
    copy.write_bytes((corpus_dir / "000_dbd6872183af7f42.txt").read_bytes())
    before = tree_digest(fake_assistant.index_directory.directory)
    with pytest.raises(DocumentError, match="same text"):
        fake_assistant.index([copy])
    assert tree_digest(fake_assistant.index_directory.directory) == before


def test_unwritable_or_missing_index_directory(tmp_path, corpus_dir):
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    with pytest.raises(IndexStateError, match="cannot create index directory"):
        Assistant.open(blocker / "index", documents=[corpus_dir], embedder=HashingEmbedder())
    with pytest.raises(IndexStateError, match="no index"):
        Assistant.open(tmp_path / "absent", embedder=HashingEmbedder(), update=False)


def test_killed_indexer_leaves_previous_index_loadable(tmp_path, corpus_dir, tree_digest):
    """SIGKILL a real indexing process at several moments; the old index must always load intact."""
    index_dir = tmp_path / "index"
    Assistant.open(index_dir, documents=[corpus_dir], embedder=HashingEmbedder())
    before = tree_digest(index_dir / Generations(index_dir).current().name)
    for i in range(20):
        write_article(corpus_dir, f"bai-{i}.txt", f"Bài số {i}.\n\n" + "Một đoạn dài về phường. " * 50)
    script = (
        "import sys, time\n"
        "from assistant.testing import HashingEmbedder\n"
        "class Slow(HashingEmbedder):\n"
        "    def embed(self, texts):\n"
        "        time.sleep(0.01)\n"
        "        return super().embed(texts)\n"
        "from assistant import Assistant\n"
        "Assistant(sys.argv[1], embedder=Slow()).index()\n"
    )
    for delay in (0.3, 0.6, 0.9, 1.2):
        process = subprocess.Popen([sys.executable, "-c", script, str(index_dir)])
        time.sleep(delay)
        process.send_signal(signal.SIGKILL)
        process.wait()
        store = Generations(index_dir)
        generation = store.current()
        assistant = Assistant.open(index_dir, embedder=HashingEmbedder(), update=False)
        assert assistant.retrieve("phường Tân Mỹ", k=1)
        if tree_digest(generation) == before:
            assert len(assistant.documents()) == 1  # still the previous index, untouched
        else:
            assert len(assistant.documents()) == 21  # the run finished before the kill
    # the next run completes the work and clears leftovers of the killed ones
    Assistant(index_dir, embedder=HashingEmbedder()).index()
    assert len(Assistant.open(index_dir, embedder=HashingEmbedder(), update=False).documents()) == 21
    assert not [p for p in index_dir.iterdir() if p.name.startswith(".tmp-")]


def test_removing_the_last_document_is_refused_and_keeps_the_index(fake_assistant):
    generation = fake_assistant.snapshot.generation
    with pytest.raises(DocumentError, match="no documents to index"):
        fake_assistant.index(remove=["000_dbd6872183af7f42"])
    assert fake_assistant.index_directory.current() == generation
    assert Assistant.open(fake_assistant.index_directory.directory, embedder=HashingEmbedder(), update=False).documents()
