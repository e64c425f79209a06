"""Bulk embedding (`embed/bulk.py`): an interrupted import resumes from the parts it saved, and
batches spread over the workers keep their order."""

import numpy as np
import pytest

from assistant import Assistant
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
