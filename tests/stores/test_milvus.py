"""The `milvus` store (`ASSISTANT_STORE=milvus`) on Milvus Lite, against the local store.

Needs the `scale` extra (installed by scripts/test.sh); skipped without pymilvus.
"""

import shutil
import sys

import pytest

from assistant import Assistant, Settings
from assistant.errors import IndexStateError
from assistant.stores.generations import Generations
from assistant.stores.milvus import PENDING
from assistant.stores.milvus_collection import MilvusCollection
from assistant.testing import HashingEmbedder

pytest.importorskip("pymilvus", reason="the Milvus store needs the scale extra (pymilvus, milvus-lite)")

QUESTIONS = ["Ai là Chủ tịch UBND phường Tân Mỹ?", "to cong tac so 5 lam viec voi phuong nao",
             "Phường Phú Thuận kiến nghị gì về trụ sở?", "Dự án chống ngập ở đâu?"]
MILVUS = Settings(store="milvus", mode="lexical")
LOCAL = Settings(mode="lexical")


def open_index(folder, documents, settings):
    return Assistant.open(folder, documents=[documents], settings=settings, embedder=HashingEmbedder())


def ranking(assistant, question, mode):
    return [(p.document_id, p.paragraph, p.start) for p in assistant.retrieve(question, k=5, mode=mode)]


def live_rows(assistant) -> int:
    return assistant.index_directory.store.collection.count()


def test_milvus_ranks_like_the_local_store(tmp_path, corpus_dir):
    milvus = open_index(tmp_path / "milvus", corpus_dir, MILVUS)
    local = open_index(tmp_path / "local", corpus_dir, LOCAL)
    assert milvus.snapshot.manifest["store"] == "milvus" and (tmp_path / "milvus" / "milvus.db").exists()
    assert live_rows(milvus) == len(set(milvus.snapshot.chunk_hashes))
    for question in QUESTIONS:
        for mode in ("dense", "lexical", "hybrid"):
            assert ranking(milvus, question, mode) == ranking(local, question, mode), (question, mode)
        for mode, score in (("dense", "dense_score"), ("lexical", "lexical_score")):
            found = {p.paragraph: getattr(p, score) for p in milvus.retrieve(question, k=5, mode=mode)}
            assert found == pytest.approx({p.paragraph: getattr(p, score)
                                           for p in local.retrieve(question, k=5, mode=mode)}, rel=1e-5)
        assert milvus.ask(question).status == local.ask(question).status


def test_an_update_writes_only_new_rows_and_deletes_only_removed_ones(tmp_path, corpus_dir, monkeypatch):
    assistant = open_index(tmp_path / "index", corpus_dir, MILVUS)
    before = live_rows(assistant)
    upserted = []
    upsert = MilvusCollection.upsert
    monkeypatch.setattr(MilvusCollection, "upsert", lambda self, keys, *rest: upserted.extend(keys) or upsert(self, keys, *rest))
    (corpus_dir / "moi.txt").write_text("Tin mới về cầu Bình Triệu.\n\nCầu Bình Triệu được sửa chữa trong tháng sau.",
                                        encoding="utf-8")
    report = assistant.index()
    assert report.embedded_chunks == 2 and live_rows(assistant) - before == 2
    assert ranking(assistant, "cầu Bình Triệu sửa chữa", "lexical")[0][0] == "moi"
    # Two short passages moved this small archive's mean passage length: every passage was weighed again.
    assert len(upserted) == live_rows(assistant)
    local = open_index(tmp_path / "local", corpus_dir, LOCAL)
    for question in QUESTIONS + ["cầu Bình Triệu sửa chữa"]:
        found = {(p.document_id, p.paragraph): p.lexical_score for p in assistant.retrieve(question, mode="lexical")}
        assert found == pytest.approx({(p.document_id, p.paragraph): p.lexical_score
                                       for p in local.retrieve(question, mode="lexical")}, rel=1e-5)

    upserted.clear()
    report = assistant.index(remove=["moi"])
    assert report.removed == ["moi"] and live_rows(assistant) == before and len(upserted) == before
    assert all(p.document_id != "moi" for p in assistant.retrieve("cầu Bình Triệu sửa chữa", k=5))
    reopened = Assistant.open(tmp_path / "index", settings=MILVUS, embedder=HashingEmbedder(), update=False)
    assert ranking(reopened, QUESTIONS[0], "hybrid") == ranking(assistant, QUESTIONS[0], "hybrid")


def test_a_local_index_moves_to_milvus_without_embedding_again(tmp_path, corpus_dir):
    local = open_index(tmp_path / "index", corpus_dir, LOCAL)
    expected = {q: ranking(local, q, "hybrid") for q in QUESTIONS}
    embedder = HashingEmbedder()
    moved = Assistant(tmp_path / "index", settings=MILVUS, embedder=embedder)
    report = moved.index()
    assert report.rebuild_reason.startswith("the store changed (local → milvus)")
    assert report.embedded_chunks == 0 and embedder.embedded_texts == []
    assert {q: ranking(moved, q, "hybrid") for q in QUESTIONS} == expected
    with pytest.raises(IndexStateError, match="ASSISTANT_STORE=milvus"):
        Assistant.open(tmp_path / "index", settings=LOCAL, embedder=HashingEmbedder(), update=False)


def test_rows_of_an_update_that_failed_before_publishing_are_ignored_then_deleted(tmp_path, corpus_dir, monkeypatch):
    assistant = open_index(tmp_path / "index", corpus_dir, MILVUS)
    live = live_rows(assistant)
    (corpus_dir / "moi.txt").write_text("Tin mới về cầu Bình Triệu.\n\nCầu Bình Triệu được sửa chữa.", encoding="utf-8")
    publish = Generations.publish
    monkeypatch.setattr(Generations, "publish", lambda *args: (_ for _ in ()).throw(OSError("disk full")))
    with pytest.raises(IndexStateError, match="cannot write the index in .*disk full"):
        assistant.index()
    assert (tmp_path / "index" / PENDING).exists() and live_rows(assistant) == live + 2
    assert all(p.document_id != "moi" for p in assistant.retrieve("cầu Bình Triệu sửa chữa", k=5))  # not this generation's

    monkeypatch.setattr(Generations, "publish", publish)
    (corpus_dir / "moi.txt").unlink()
    (corpus_dir / "khac.txt").write_text("Một tin khác về giá xăng dầu hôm nay.", encoding="utf-8")
    assert assistant.index().added == ["khac"]
    assert live_rows(assistant) == live + 1 and not (tmp_path / "index" / PENDING).exists()


def test_a_reader_sees_only_its_own_generation_while_another_writes(tmp_path, corpus_dir, monkeypatch):
    writer = open_index(tmp_path / "index", corpus_dir, MILVUS)
    reader = Assistant.open(tmp_path / "index", settings=MILVUS, embedder=HashingEmbedder(), update=False)
    (corpus_dir / "moi.txt").write_text("Tin mới về cầu Bình Triệu được sửa chữa.", encoding="utf-8")
    publish, seen_before = Generations.publish, []

    def publish_after_a_look(self, *args):  # the new rows are in Milvus; the generation naming them is not live
        seen_before.extend(p.document_id for p in reader.retrieve("cầu Bình Triệu sửa chữa", k=5))
        return publish(self, *args)

    monkeypatch.setattr(Generations, "publish", publish_after_a_look)
    writer.index()
    assert seen_before and "moi" not in seen_before
    # once published, the reader answers from it without being told (it checks CURRENT)
    assert reader.retrieve("cầu Bình Triệu sửa chữa", k=1)[0].document_id == "moi"


def test_settings_and_messages_about_the_milvus():
    from assistant.errors import AssistantError
    from assistant.stores.milvus_collection import shown_uri

    with pytest.raises(AssistantError, match="ending in .db or a server's http"):
        Settings(store="milvus", milvus_uri="/data/milvus")
    with pytest.raises(AssistantError, match="index store 'faiss'.*choose one of local, milvus"):
        Settings(store="faiss")
    assert shown_uri("https://reader:s3cret@milvus.example:19530") == "https://milvus.example:19530"


def test_errors_say_how_to_fix_them(tmp_path, corpus_dir, monkeypatch):
    assistant = open_index(tmp_path / "index", corpus_dir, MILVUS)
    assistant.index_directory.store.collection.drop()
    with pytest.raises(IndexStateError, match="collection .* is missing .* delete"):
        Assistant.open(tmp_path / "index", settings=MILVUS, embedder=HashingEmbedder(), update=False)
    shutil.rmtree(tmp_path / "index")

    monkeypatch.setitem(sys.modules, "pymilvus", None)  # as if the scale extra were not installed
    with pytest.raises(IndexStateError, match=r"pip install '\.\[scale\]'"):
        open_index(tmp_path / "other", corpus_dir, MILVUS)
    assert not (tmp_path / "other" / "CURRENT").exists()


def test_on_a_larger_archive_an_update_writes_only_its_own_rows(tmp_path, monkeypatch):
    folder = tmp_path / "news"
    folder.mkdir()
    text = "Bản tin số {n} về giá xăng dầu, mưa lớn và giao thông ở phường {n} trong tuần này."
    for number in range(60):
        (folder / f"tin-{number:02d}.txt").write_text(text.format(n=number), encoding="utf-8")
    assistant = open_index(tmp_path / "index", folder, MILVUS)
    upserted, deleted = [], []
    upsert, delete = MilvusCollection.upsert, MilvusCollection.delete
    monkeypatch.setattr(MilvusCollection, "upsert", lambda self, keys, *rest: upserted.extend(keys) or upsert(self, keys, *rest))
    monkeypatch.setattr(MilvusCollection, "delete", lambda self, keys: deleted.extend(keys) or delete(self, keys))
    (folder / "tin-moi.txt").write_text(text.format(n=99), encoding="utf-8")
    assert assistant.index().added == ["tin-moi"] and len(upserted) == 1 and deleted == []
    assert assistant.index(remove=["tin-03"]).removed == ["tin-03"] and len(upserted) == 1 and len(deleted) == 1
    assert live_rows(assistant) == 60


def test_a_failing_milvus_is_a_one_line_error_not_a_traceback(tmp_path, corpus_dir):
    assistant = open_index(tmp_path / "index", corpus_dir, MILVUS)
    assistant.index_directory.store.collection.client.drop_collection(assistant.index_directory.store.collection.name)  # behind its back
    with pytest.raises(IndexStateError, match="Milvus at .* failed while searching collection .* check that it is"):
        assistant.retrieve(QUESTIONS[0])


def test_a_model_of_another_dimension_gets_its_own_collection(tmp_path, corpus_dir):
    class WiderEmbedder(HashingEmbedder):
        model_id = "fake-hash-embedder-96"
        dimension = 96

    narrow = open_index(tmp_path / "index", corpus_dir, MILVUS)
    before = narrow.index_directory.store.collection
    wide = Assistant.open(tmp_path / "index", documents=[corpus_dir], settings=MILVUS, embedder=WiderEmbedder())
    assert wide.index_directory.store.collection.name != before.name and before.name.endswith("_64")
    assert not before.exists() and live_rows(wide) == len(set(wide.snapshot.chunk_hashes))
    assert wide.snapshot.dense.dimension == 96 and ranking(wide, QUESTIONS[0], "dense")


@pytest.mark.slow
def test_the_command_line_on_milvus_lite(tmp_path, run_cli, real_embedder, bundled_documents):
    import json

    index_dir = tmp_path / "index"
    milvus = {"ASSISTANT_STORE": "milvus"}
    built = run_cli("index", bundled_documents, "--index-dir", index_dir, env=milvus)
    assert built.returncode == 0 and "1 added" in built.stdout, built.stderr
    assert "Traceback" not in built.stderr and "AllocTimestamp" not in built.stderr  # gRPC's, silenced
    asked = run_cli("ask", "Ai là Chủ tịch UBND phường Tân Mỹ?", "--index-dir", index_dir, "--json", env=milvus)
    assert asked.returncode == 0, asked.stderr
    assert "Nguyễn Thị Bé Ngoan" in json.loads(asked.stdout)["passages"][0]["text"]

    holder = Assistant.open(index_dir, settings=Settings(store="milvus"), embedder=real_embedder,
                            update=False)  # holds the Lite file
    refused = run_cli("ask", "Ai là Chủ tịch UBND phường Tân Mỹ?", "--index-dir", index_dir, env=milvus)
    assert refused.returncode == 2 and refused.stderr.count("\n") == 1
    assert "serves one process at a time" in refused.stderr and "milvus-lite server --data-dir" in refused.stderr
    assert "Traceback" not in refused.stderr
    assert holder.retrieve("Chủ tịch UBND phường Tân Mỹ", k=1)


def test_restoring_a_generation_whose_rows_are_gone_is_refused(tmp_path, corpus_dir):
    assistant = open_index(tmp_path / "index", corpus_dir, MILVUS)
    first = assistant.index_directory.current().name
    saved = tmp_path / "saved"
    shutil.copytree(tmp_path / "index" / first, saved)  # an older generation, kept by hand
    (corpus_dir / "moi.txt").write_text("Tin mới về cầu Bình Triệu.", encoding="utf-8")
    assistant.index(remove=["000_dbd6872183af7f42"])  # its passages' rows are deleted
    shutil.copytree(saved, tmp_path / "index" / first)
    with pytest.raises(IndexStateError, match="passages are no longer in Milvus"):
        assistant.restore(first)
    assert assistant.index_directory.current().name != first and assistant.retrieve("cầu Bình Triệu")
    assert assistant.restore(assistant.index_directory.current().name)  # the live one restores fine
