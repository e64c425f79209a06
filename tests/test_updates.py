"""Updates cost what changed: BM25 weights and diacritic counts are brought up to date from the
previous generation (only new passages are tokenised), and give what counting everything again gives."""

import numpy as np
import pytest

import assistant.search.lexical as lexical
from assistant import Assistant
from assistant.config import LexicalSettings
from assistant.files import file_digest, read_json, write_json
from assistant.ingest.documents import load_document
from assistant.search.lexical import COUNT_FILES, LexicalIndex
from assistant.testing import HashingEmbedder
from assistant.text.diacritics import DiacriticRestorer
from assistant.text.terms import passage_terms

TEXTS = [
    "Tổ công tác số 5 làm việc với phường Phú Thuận và phường Tân Mỹ về tình hình kinh tế.",
    "Giá xăng dầu hôm nay tăng 500 đồng mỗi lít, giá dầu diesel giảm nhẹ.",
    "Bà Nguyễn Thị Bé Ngoan, Chủ tịch UBND phường Tân Mỹ, báo cáo kết quả thu ngân sách.",
    "Đội tuyển bóng đá Việt Nam thắng 2-0 trên sân Mỹ Đình tối qua.",
    "TP.HCM xây dựng 12.000 m² công viên mới ở phường Phú Thuận.",
    "",
    "Mưa lớn ở Hà Nội khiến nhiều tuyến phố ngập sâu; giá rau tăng.",
]
QUESTIONS = ["phường Tân Mỹ", "gia xang dau", "Chủ tịch UBND là ai", "12.000 m²", "bóng đá", "mưa Hà Nội",
             "không có từ nào"]


def assert_same_scores(one: LexicalIndex, other: LexicalIndex) -> None:
    for question in QUESTIONS:
        np.testing.assert_allclose(one.scores(question), other.scores(question), rtol=1e-5, atol=1e-6)


def test_bm25_weights_match_bm25s_own_indexing():
    import bm25s

    settings = LexicalSettings()
    ours = LexicalIndex.build(TEXTS, settings)
    retriever = bm25s.BM25(k1=settings.k1, b=settings.b)
    retriever.index([passage_terms(text, settings) or [""] for text in TEXTS], show_progress=False)
    theirs = LexicalIndex(retriever, settings)
    assert_same_scores(ours, theirs)
    assert ours.scores("phường Tân Mỹ").max() > 0


def test_reused_rows_give_the_index_a_fresh_build_gives(monkeypatch):
    settings = LexicalSettings()
    before = LexicalIndex.build(TEXTS, settings)
    # Drop passages 1 and 3 (their terms leave the vocabulary), reorder, add two new ones.
    texts = [TEXTS[4], TEXTS[0], "Phường Tân Mỹ khánh thành trường học mới.", TEXTS[2], TEXTS[5], TEXTS[6],
             "Giá vàng SJC tăng mạnh."]
    reuse = [4, 0, None, 2, 5, 6, None]
    tokenised = []
    monkeypatch.setattr(lexical, "passage_terms", lambda text, s: tokenised.append(text) or passage_terms(text, s))
    updated = LexicalIndex.build(texts, settings, previous=before, reuse=reuse)
    assert tokenised == [texts[2], texts[6]]  # only the new passages
    monkeypatch.undo()
    fresh = LexicalIndex.build(texts, settings)
    assert set(updated.retriever.vocab_dict) == set(fresh.retriever.vocab_dict)
    assert "~bong" not in updated.retriever.vocab_dict  # the football passage is gone
    assert_same_scores(updated, fresh)
    assert updated.counts.shape == (len(texts), len(updated.retriever.vocab_dict))


def test_a_few_unused_terms_stay_until_they_matter_and_score_nothing(monkeypatch):
    settings = LexicalSettings()
    before = LexicalIndex.build(TEXTS, settings)
    kept = [i for i in range(len(TEXTS)) if i != 3]
    monkeypatch.setattr(lexical, "UNUSED_TERMS_KEPT", 0.99)  # as in a large archive: a removal frees few terms
    updated = LexicalIndex.build([TEXTS[i] for i in kept], settings, previous=before, reuse=kept)
    assert set(updated.retriever.vocab_dict) == set(before.retriever.vocab_dict)
    assert_same_scores(updated, LexicalIndex.build([TEXTS[i] for i in kept], settings))


def test_term_counts_survive_a_save_and_load(tmp_path):
    index = LexicalIndex.build(TEXTS, LexicalSettings())
    index.save(tmp_path)
    loaded = LexicalIndex.load(tmp_path, LexicalSettings())
    assert (loaded.counts != index.counts).nnz == 0
    assert_same_scores(loaded, index)


def test_restorer_update_matches_counting_again():
    kept, removed, added = TEXTS[:3], TEXTS[3:5], ["Tien hanh kiểm tra tiến độ dự án.", "Giá xăng tăng."]
    updated = DiacriticRestorer.from_texts(kept + removed).updated(removed, added)
    again = DiacriticRestorer.from_texts(kept + added)
    assert updated.forms == again.forms and updated.pairs == again.pairs
    assert updated.restore("gia xang tang") == again.restore("gia xang tang") == "giá xăng tăng"


def test_an_update_counts_only_what_changed(tmp_path, corpus_dir, monkeypatch):
    assistant = Assistant.open(tmp_path / "index", documents=[corpus_dir], embedder=HashingEmbedder())
    (corpus_dir / "moi.txt").write_text("Tin mới về phường Bình Thạnh.\n\nĐoạn thứ hai của tin mới.", encoding="utf-8")

    def count_everything(*_args, **_kwargs):
        raise AssertionError("the whole archive was counted again")

    monkeypatch.setattr(DiacriticRestorer, "from_texts", count_everything)
    tokenised = []
    monkeypatch.setattr(lexical, "passage_terms", lambda text, s: tokenised.append(text) or passage_terms(text, s))
    report = assistant.index()
    assert report.added == ["moi"] and len(tokenised) == 2
    monkeypatch.undo()
    assert assistant.retrieve("phường Bình Thạnh", k=1, mode="lexical")[0].document_id == "moi"
    assert assistant.snapshot.restorer.restore("Binh Thanh") == "Bình Thạnh"

    report = assistant.index(remove=["moi"])
    assert report.removed == ["moi"]
    fresh = DiacriticRestorer.from_texts(
        c.search_text(assistant.document(c.document_id).title) for c in assistant.snapshot.chunks)
    assert assistant.snapshot.restorer.forms == fresh.forms and assistant.snapshot.restorer.pairs == fresh.pairs


def _as_format_1(generation) -> None:
    """Rewrite a generation as format 1 wrote it: no term counts, forms by folded word, deciding pairs only."""
    restorer = DiacriticRestorer.from_dict(read_json(generation / "vocabulary.json"))
    write_json(generation / "vocabulary.json", {"unigrams": restorer.unigrams, "bigrams": restorer.pairs})
    for name in COUNT_FILES.values():
        (generation / "lexical" / name).unlink()
    manifest = read_json(generation / "manifest.json")
    files = {name: entry for name, entry in manifest["files"].items() if name.rsplit("/", 1)[-1] not in COUNT_FILES.values()}
    path = generation / "vocabulary.json"
    files["vocabulary.json"] = {"bytes": path.stat().st_size, "sha256": file_digest(path)}
    write_json(generation / "manifest.json", {**manifest, "format_version": 1, "files": files})


def test_an_index_of_format_1_is_read_then_recounted_without_re_embedding(tmp_path, corpus_dir):
    first = Assistant.open(tmp_path / "index", documents=[corpus_dir], embedder=HashingEmbedder())
    before = first.retrieve("Chủ tịch UBND phường Tân Mỹ là ai?", k=3)
    _as_format_1(first.snapshot.generation)

    embedder = HashingEmbedder()
    old = Assistant.open(tmp_path / "index", embedder=embedder, update=False)
    assert old.snapshot.manifest["format_version"] == 1 and not old.snapshot.restorer.complete
    assert old.snapshot.lexical.counts is None
    assert [(p.document_id, p.start) for p in old.retrieve("Chủ tịch UBND phường Tân Mỹ là ai?", k=3)] == \
        [(p.document_id, p.start) for p in before]

    (corpus_dir / "moi.txt").write_text("Tin mới về phường Bình Thạnh.", encoding="utf-8")
    embedder.embedded_texts.clear()
    report = old.index()
    assert report.added == ["moi"] and embedder.embedded_texts == ["p: moi\nTin mới về phường Bình Thạnh."]
    snapshot = old.snapshot
    assert snapshot.manifest["format_version"] == 2 and snapshot.restorer.complete
    assert snapshot.lexical.counts.shape[0] == len(snapshot.chunks)


@pytest.mark.parametrize("broken", ["prompts", "absent"])
def test_prompts_come_from_the_model_folder_without_loading_it(tmp_path, broken):
    from assistant.embed.embedders import OnnxEmbedder

    folder = tmp_path / "model"
    folder.mkdir()
    if broken == "prompts":
        write_json(folder / "config_sentence_transformers.json", {"prompts": {"query": "hỏi: ", "passage": "đoạn: "}})
        embedder = OnnxEmbedder(str(folder))
        assert (embedder.query_prompt, embedder.passage_prompt) == ("hỏi: ", "đoạn: ")
        assert embedder._model is None
    else:
        embedder = OnnxEmbedder(str(folder))
        with pytest.raises(Exception, match="ONNX"):
            embedder.query_prompt  # noqa: B018 - no settings file: the model itself is asked, and fails clearly


def _articles(folder, count: int) -> None:
    for n in range(count):
        (folder / f"tin-{n:02d}.txt").write_text(
            f"Tin số {n} về phường Phú Thuận\n\nĐoạn đầu của tin {n}: giá xăng tăng {n} đồng.\n\n"
            f"Đoạn thứ hai của tin {n}, nói về mưa lớn ở quận {n}.", encoding="utf-8")


class Interrupting(HashingEmbedder):
    """Stops the run with Ctrl-C at its `stop_at`-th call."""

    def __init__(self, stop_at: int):
        super().__init__()
        self.stop_at = stop_at

    def embed(self, texts):
        if self.calls + 1 == self.stop_at:
            raise KeyboardInterrupt
        return super().embed(texts)


def test_an_interrupted_import_resumes_where_it_stopped(tmp_path, monkeypatch, tree_digest):
    import assistant.embed.bulk as bulk

    monkeypatch.setattr(bulk, "PART_SIZE", 4)
    folder = tmp_path / "news"
    folder.mkdir()
    _articles(folder, 10)  # 20 passages: parts of 4, batches of 2
    index_dir = tmp_path / "index"
    with pytest.raises(KeyboardInterrupt):
        Assistant.open(index_dir, documents=[folder], embedder=Interrupting(stop_at=6))
    assert not (index_dir / "CURRENT").exists()  # nothing published
    assert len(list((index_dir / bulk.CACHE_FOLDER).glob("part-*.npz"))) == 2  # 2 whole parts of 4

    embedder = HashingEmbedder()
    assistant = Assistant.open(index_dir, documents=[folder], embedder=embedder)
    assert len(embedder.embedded_texts) == 20 - 8
    assert not (index_dir / bulk.CACHE_FOLDER).exists()
    fresh = Assistant.open(tmp_path / "fresh", documents=[folder], embedder=HashingEmbedder())
    np.testing.assert_allclose(assistant.snapshot.dense.vectors(), fresh.snapshot.dense.vectors(), atol=1e-6)


class Concurrent(HashingEmbedder):
    """Offers `embed_batch`, recording the threads that call it."""

    def __init__(self):
        super().__init__()
        self.threads = set()

    def embed_batch(self, texts):
        import threading
        import time

        self.threads.add(threading.get_ident())
        time.sleep(0.01)  # long enough for the other worker to pick up a batch
        return super().embed(texts)


def test_bulk_indexing_spreads_batches_over_workers_and_keeps_order(tmp_path):
    from dataclasses import replace

    from assistant.config import Settings

    folder = tmp_path / "news"
    folder.mkdir()
    _articles(folder, 10)
    embedder = Concurrent()
    settings = replace(Settings(), index_workers=2)
    parallel = Assistant.open(tmp_path / "index", documents=[folder], embedder=embedder, settings=settings)
    assert len(embedder.threads) == 2
    serial = Assistant.open(tmp_path / "serial", documents=[folder], embedder=HashingEmbedder())
    np.testing.assert_allclose(parallel.snapshot.dense.vectors(), serial.snapshot.dense.vectors(), atol=1e-6)
    assert parallel.snapshot.chunk_hashes == serial.snapshot.chunk_hashes


def test_untouched_files_are_not_read_again_and_edits_are_seen(tmp_path, corpus_dir, monkeypatch):
    import os

    import assistant.indexing.plan as indexer

    article = corpus_dir / "moi.txt"
    article.write_text("Tin mới về phường Bình Thạnh.", encoding="utf-8")
    assistant = Assistant.open(tmp_path / "index", documents=[corpus_dir], embedder=HashingEmbedder())
    read = []
    monkeypatch.setattr(indexer, "load_document", lambda path, **kw: read.append(path.name) or load_document(path, **kw))
    assert assistant.index().changed is False and read == []

    # Same size, modification time put back: the change time still tells.
    status = article.stat()
    article.write_text("Tin mới về phường Bình Thuận.", encoding="utf-8")
    os.utime(article, ns=(status.st_atime_ns, status.st_mtime_ns))
    assert article.stat().st_size == status.st_size
    report = assistant.index()
    assert report.updated == ["moi"] and read == ["moi.txt"]

    read.clear()
    (corpus_dir / "moi.txt.meta.json").write_text('{"title": "Tin Bình Thuận"}', encoding="utf-8")
    report = assistant.index()
    assert report.updated == ["moi"] and read == ["moi.txt"]
    assert assistant.document("moi").title == "Tin Bình Thuận"


class Int8Hashing(HashingEmbedder):
    precision = "int8"


def test_vectors_of_two_precisions_are_never_mixed(tmp_path, corpus_dir):
    from assistant.errors import IndexStateError

    built = Assistant.open(tmp_path / "index", documents=[corpus_dir], embedder=HashingEmbedder())
    assert built.snapshot.manifest["model"]["precision"] == "float32"

    other = Assistant.open(tmp_path / "index", embedder=Int8Hashing(), update=False)
    with pytest.raises(IndexStateError, match="fake-hash-embedder float32 → fake-hash-embedder int8"):
        other.retrieve("Chủ tịch UBND phường Tân Mỹ là ai?", mode="dense")
    assert other.retrieve("Chủ tịch UBND phường Tân Mỹ là ai?", mode="lexical")  # no vectors involved
    assert [d.id for d in other.documents()] == ["000_dbd6872183af7f42"]

    report = other.index()
    assert report.rebuild_reason.startswith("embedding model changed") and report.reused_chunks == 0
    assert other.snapshot.manifest["model"]["precision"] == "int8"
    assert other.retrieve("Chủ tịch UBND phường Tân Mỹ là ai?", mode="dense")


def test_auto_precision_is_int8_for_the_bundled_model_only():
    from assistant.config import BUNDLED_MODEL_ID
    from assistant.embed.embedders import resolve_precision

    assert resolve_precision("auto", BUNDLED_MODEL_ID, onnx=True) == "int8"
    assert resolve_precision("auto", BUNDLED_MODEL_ID, onnx=False) == "float32"  # sentence-transformers
    assert resolve_precision("auto", "/models/other-e5", onnx=True) == "float32"
    assert resolve_precision("float32", BUNDLED_MODEL_ID, onnx=True) == "float32"
    assert resolve_precision("int8", "/models/other-e5", onnx=True) == "int8"


class BundledFloat(HashingEmbedder):
    """Stands for the bundled model at float32, as indexes built before int8 existed hold it."""
    from assistant.config import BUNDLED_MODEL_ID as model_id
    precision = "float32"


def test_auto_precision_keeps_an_existing_index_usable_as_it_is(tmp_path, corpus_dir):
    from assistant.config import Settings

    settings = Settings(backend="onnx")  # the embedders below are made, never loaded
    assert Assistant(tmp_path / "new", settings).embedder.precision == "int8"

    Assistant.open(tmp_path / "old", documents=[corpus_dir], embedder=BundledFloat())
    kept = Assistant(tmp_path / "old", settings)
    assert kept.embedder.precision == kept.settings.precision == "float32"
    assert Assistant(tmp_path / "old", Settings(backend="onnx", precision="int8")).embedder.precision == "int8"

    Assistant.open(tmp_path / "other", documents=[corpus_dir], embedder=HashingEmbedder())  # another model
    assert Assistant(tmp_path / "other", settings).embedder.precision == "int8"


def test_auto_precision_on_a_backend_without_int8_refuses_with_the_fix(tmp_path, corpus_dir):
    from assistant.config import Settings
    from assistant.errors import IndexStateError

    class BundledInt8(BundledFloat):
        precision = "int8"

    Assistant.open(tmp_path / "index", documents=[corpus_dir], embedder=BundledInt8())
    torch = Assistant.open(tmp_path / "index", settings=Settings(backend="torch"), update=False)
    assert torch.embedder.precision == "float32"  # made, not loaded: sentence-transformers has no int8
    with pytest.raises(IndexStateError, match="int8 → .*float32.*assistant index"):
        torch.retrieve("Chủ tịch UBND phường Tân Mỹ là ai?", mode="dense")


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
