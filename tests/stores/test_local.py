"""The local store (`stores/local.py`): FAISS and bm25s files in the generation, opened as they were
built; on a large archive, documents added at the end extend the HNSW graph instead of rebuilding it."""


import numpy as np

from assistant import Assistant
from assistant.config import LexicalSettings
from assistant.stores.local import DENSE_FILE, LEXICAL_FOLDER, LocalStore
from assistant.stores.manifest import COMMON_FILES
from assistant.stores.protocol import IndexBuild
from assistant.testing import HashingEmbedder

PASSAGES_IN_SEED = 11


def test_added_documents_extend_a_large_archive_graph(write_article, tmp_path, corpus_dir, monkeypatch):
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


def test_the_indexes_saved_in_a_generation_open_as_they_were_built(tmp_path):
    texts = ["Phường Tân Mỹ kiến nghị xây trụ sở.", "Giá xăng tăng mạnh.", "Cầu Ánh Sao dài 500 mét."]
    vectors = HashingEmbedder().embed(texts)
    store = LocalStore()
    dense, lexical = store.build(IndexBuild(
        live=None, previous=None, keys=["a", "b", "c"], search_texts=texts, rows=[None] * 3, new_vectors=vectors,
        removed_texts=[], added_texts=texts, lexical=LexicalSettings(), exact_search_limit=100))
    assert store.save(tmp_path, dense, lexical) == {}
    saved = sorted(str(p.relative_to(tmp_path)) for p in tmp_path.rglob("*") if p.is_file())
    assert DENSE_FILE in saved and any(name.startswith(LEXICAL_FOLDER + "/") for name in saved)
    entry = {"bytes": 0, "sha256": "0" * 64}
    manifest = {"files": dict.fromkeys([*COMMON_FILES, *saved], entry), "lexical": LexicalSettings().to_dict()}
    assert store.manifest_problem(manifest) is None
    assert "dense.faiss" in store.manifest_problem({**manifest, "files": {n: entry for n in saved if n != DENSE_FILE}})
    opened_dense, opened_lexical = store.open(tmp_path, manifest, ["a", "b", "c"], mmap=False)
    np.testing.assert_array_equal(opened_dense.vectors(), vectors)
    for question in ("trụ sở phường Tân Mỹ", "gia xang"):
        assert opened_lexical.search(question, 3) == lexical.search(question, 3) != []
