"""Bulk embedding (`embed/bulk.py`): an interrupted import resumes from the parts it saved (and
says how many), batches spread over the workers keep their order, a repeated passage is embedded
once."""

import threading
from dataclasses import replace

import numpy as np
import pytest

from assistant import Assistant
from assistant.config import Settings
from assistant.testing import HashingEmbedder


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
    assistant = Assistant(index_dir, embedder=embedder)
    report = assistant.index(sources=[str(folder)])
    assert len(embedder.embedded_texts) == 20 - 8
    assert (report.embedded_chunks, report.resumed_chunks, report.reused_chunks) == (12, 8, 0)
    assert "12 passages embedded, 8 taken from the interrupted run, 0 reused" in report.summary()
    assert not (index_dir / bulk.CACHE_FOLDER).exists()
    fresh = Assistant.open(tmp_path / "fresh", documents=[folder], embedder=HashingEmbedder())
    np.testing.assert_allclose(assistant.snapshot.dense.vectors(), fresh.snapshot.dense.vectors(), atol=1e-6)


class Overlapping(HashingEmbedder):
    """Offers `embed_batch`. Its first two calls wait for each other, so the run goes on only if two
    batches are embedded at the same time; every call is recorded with the thread that made it."""

    def __init__(self):
        super().__init__()
        self.callers: list[int] = []
        self._recording = threading.Lock()
        self._first_two = threading.Barrier(2, timeout=120)  # broken, failing the run, if they never meet

    def embed_batch(self, texts):
        with self._recording:
            self.callers.append(threading.get_ident())
            meets = len(self.callers) <= 2
        if meets:
            self._first_two.wait()
        return super().embed(texts)


def test_bulk_indexing_spreads_batches_over_workers_and_keeps_order(tmp_path):
    folder = tmp_path / "news"
    folder.mkdir()
    _articles(folder, 10)  # 20 passages: 10 batches of 2
    embedder = Overlapping()
    settings = replace(Settings(), index_workers=2)
    parallel = Assistant.open(tmp_path / "index", documents=[folder], embedder=embedder, settings=settings)
    assert len(embedder.callers) == 10 and len(set(embedder.callers)) == 2  # each batch once, on two workers
    passages = [chunk.search_text(parallel.document(chunk.document_id).title) for chunk in parallel.snapshot.chunks]
    assert sorted(embedder.embedded_texts) == sorted(embedder.passage_prompt + text for text in passages)
    serial = Assistant.open(tmp_path / "serial", documents=[folder], embedder=HashingEmbedder())
    np.testing.assert_allclose(parallel.snapshot.dense.vectors(), serial.snapshot.dense.vectors(), atol=1e-6)
    assert parallel.snapshot.chunk_hashes == serial.snapshot.chunk_hashes


def test_a_passage_repeated_is_embedded_once(tmp_path):
    folder = tmp_path / "news"
    folder.mkdir()
    (folder / "lap.txt").write_text("\n\n".join(["Tin tức hôm nay."] * 50 + ["Một đoạn khác."]), encoding="utf-8")
    embedder = HashingEmbedder()
    assistant = Assistant(tmp_path / "index", embedder=embedder)
    report = assistant.index(sources=[str(folder)])
    assert len(assistant.snapshot.chunks) == 51 and len(embedder.embedded_texts) == 2
    assert (report.embedded_chunks, report.reused_chunks) == (2, 49)
    vectors = assistant.snapshot.dense.vectors()
    np.testing.assert_array_equal(vectors[0], vectors[49])
