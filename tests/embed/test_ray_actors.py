"""Bulk embedding on Ray (`assistant index --ray`): a local 2-CPU Ray against in-process embedding.

Needs the `scale` extra (installed by scripts/test.sh); skipped without Ray.
"""

import subprocess
import sys

import numpy as np
import pytest

from assistant import Assistant, Settings
from assistant.errors import ModelError
from assistant.testing import HashingEmbedder

ray = pytest.importorskip("ray", reason="bulk embedding on Ray needs the scale extra (ray)")

TOPICS = ["giá xăng dầu", "mưa lớn ở Hà Nội", "đội tuyển bóng đá", "giá vàng SJC", "cầu Ánh Sao quận 7"]


def write_articles(folder, count: int) -> None:
    folder.mkdir()
    for number in range(count):
        topic = TOPICS[number % len(TOPICS)]
        paragraphs = [f"Tin số {number} về {topic}"] + [
            f"Đoạn {p} của bản tin {number}: {topic} được người dân phường {number} quan tâm trong tuần thứ {p}."
            for p in range(3)]
        (folder / f"tin-{number:02d}.txt").write_text("\n\n".join(paragraphs), encoding="utf-8")


def cosines(one: np.ndarray, other: np.ndarray) -> np.ndarray:
    return (one * other).sum(axis=1) / np.linalg.norm(one, axis=1) / np.linalg.norm(other, axis=1)


@pytest.mark.slow
def test_ray_embeds_what_the_process_embeds_and_the_index_answers_alike(tmp_path, corpus_dir, real_embedder):
    on_ray = Assistant.open(tmp_path / "ray", documents=[corpus_dir],
                            settings=Settings(ray_address="local", index_workers=2))
    assert not ray.is_initialized()  # the Ray it started is shut down again
    local = Assistant.open(tmp_path / "local", documents=[corpus_dir], settings=Settings(), embedder=real_embedder)
    assert on_ray.snapshot.chunk_hashes == local.snapshot.chunk_hashes
    assert on_ray.snapshot.manifest["model"] == local.snapshot.manifest["model"]
    assert cosines(on_ray.snapshot.dense.vectors(), local.snapshot.dense.vectors()).min() >= 0.9999
    question = "Ai là Chủ tịch UBND phường Tân Mỹ?"
    assert on_ray.ask(question).to_dict() == local.ask(question).to_dict()


@pytest.mark.slow
def test_ray_fills_the_milvus_store_too(tmp_path, corpus_dir, real_embedder):
    pytest.importorskip("pymilvus", reason="the Milvus store needs the scale extra (pymilvus, milvus-lite)")
    on_ray = Assistant.open(tmp_path / "ray", documents=[corpus_dir],
                            settings=Settings(ray_address="local", index_workers=2, store="milvus"))
    local = Assistant.open(tmp_path / "local", documents=[corpus_dir], settings=Settings(), embedder=real_embedder)
    assert on_ray.snapshot.manifest["store"] == "milvus" and not ray.is_initialized()
    assert on_ray.index_directory.store.collection.count() == len(set(on_ray.snapshot.chunk_hashes))
    assert cosines(on_ray.snapshot.dense.vectors(), local.snapshot.dense.vectors()).min() >= 0.9999
    question = "Ai là Chủ tịch UBND phường Tân Mỹ?"
    assert [p.text for p in on_ray.ask(question).passages] == [p.text for p in local.ask(question).passages]


@pytest.mark.slow
def test_an_interrupted_ray_import_keeps_its_parts_and_resumes_in_process(tmp_path, monkeypatch, real_embedder):
    import assistant.embed.bulk as bulk
    from assistant.embed.embedders import OnnxEmbedder

    monkeypatch.setattr(bulk, "PART_SIZE", 4)
    folder = tmp_path / "news"
    write_articles(folder, 5)  # 15 passages: parts of 4
    saved = bulk.VectorCache.append

    def interrupt_after_two(self, keys, vectors):
        saved(self, keys, vectors)
        if len(list(self.directory.glob("part-*.npz"))) == 2:
            raise KeyboardInterrupt

    monkeypatch.setattr(bulk.VectorCache, "append", interrupt_after_two)
    index_dir = tmp_path / "index"
    with pytest.raises(KeyboardInterrupt):
        Assistant.open(index_dir, documents=[folder], settings=Settings(ray_address="local", index_workers=2))
    assert not ray.is_initialized() and not (index_dir / "CURRENT").exists()
    monkeypatch.setattr(bulk.VectorCache, "append", saved)

    embedded = []
    embed_batch = OnnxEmbedder.embed_batch
    monkeypatch.setattr(OnnxEmbedder, "embed_batch", lambda self, texts: embedded.extend(texts) or embed_batch(self, texts))
    resumed = Assistant.open(index_dir, documents=[folder], settings=Settings(), embedder=real_embedder)
    assert len(embedded) == len(resumed.snapshot.chunks) - 8  # the two parts made on Ray are reused
    fresh = Assistant.open(tmp_path / "fresh", documents=[folder], settings=Settings(), embedder=real_embedder)
    assert cosines(resumed.snapshot.dense.vectors(), fresh.snapshot.dense.vectors()).min() >= 0.9999


def test_a_local_ray_that_does_not_start_in_time_is_started_once_more_then_refused(monkeypatch, real_embedder):
    from assistant.embed import ray_actors

    calls = []

    def timing_out(**options):
        calls.append(options)
        raise Exception("The current node timed out during startup.")  # what Ray raises, a bare Exception

    monkeypatch.setattr(ray, "is_initialized", lambda: False)
    monkeypatch.setattr(ray, "init", timing_out)
    monkeypatch.setattr(ray, "shutdown", lambda: None)
    with pytest.raises(ModelError, match="Ray did not start"):
        ray_actors.RayRunner(ray_actors.LOCAL, real_embedder, 2)
    assert len(calls) == ray_actors.LOCAL_STARTS == 2


def test_a_local_ray_whose_gcs_port_file_times_out_is_started_once_more(monkeypatch, real_embedder):
    from assistant.embed import ray_actors

    calls = []

    def timing_out(**options):
        calls.append(options)
        raise RuntimeError("Timed out waiting for file /tmp/ray/session_x/gcs_server_port")  # seen on a busy machine

    monkeypatch.setattr(ray, "is_initialized", lambda: False)
    monkeypatch.setattr(ray, "init", timing_out)
    monkeypatch.setattr(ray, "shutdown", lambda: None)
    with pytest.raises(ModelError, match="Ray did not start"):
        ray_actors.RayRunner(ray_actors.LOCAL, real_embedder, 2)
    assert len(calls) == 2


def test_ray_refuses_a_model_it_cannot_ship_to_workers(tmp_path, corpus_dir):
    with pytest.raises(ModelError, match="ONNX Runtime"):
        Assistant.open(tmp_path / "index", documents=[corpus_dir], embedder=HashingEmbedder(),
                       settings=Settings(ray_address="local"))
    assert not ray.is_initialized()


def test_the_default_path_never_imports_ray_or_milvus(tmp_path, corpus_dir):
    code = ("import sys; from assistant import Assistant; from assistant.testing import HashingEmbedder; "
            f"Assistant.open({str(tmp_path / 'index')!r}, documents=[{str(corpus_dir)!r}], embedder=HashingEmbedder()); "
            "import assistant.cli, ui.render; assert not {'ray', 'pymilvus'} & set(sys.modules), 'ray or pymilvus imported'")
    subprocess.run([sys.executable, "-c", code], check=True)
