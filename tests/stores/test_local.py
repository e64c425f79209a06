"""The local store (`stores/local.py`): FAISS and bm25s files in the generation; on a large archive,
documents added at the end extend the HNSW graph instead of rebuilding it."""

from pathlib import Path

from assistant import Assistant
from assistant.testing import HashingEmbedder

PASSAGES_IN_SEED = 11


def write_article(folder: Path, name: str, text: str) -> Path:
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


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
