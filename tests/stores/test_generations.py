"""Generations (`stores/generations.py`): the live generation and the `CURRENT` pointer, checksums,
the writer lock, restoring, and publishing atomically, so a crash or a second writer never leaves
half an index."""

import re
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from assistant import Assistant
from assistant.errors import IndexLockedError, IndexStateError
from assistant.stores.generations import Generations
from assistant.testing import HashingEmbedder

SEED_ID = "000_dbd6872183af7f42"
NEW_ARTICLES = ["cau-anh-sao.txt", "cho-noi.txt"]


def write_article(folder: Path, name: str, text: str) -> Path:
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


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


def test_a_manifest_file_that_is_a_link_is_refused(fake_assistant, tmp_path):
    target = fake_assistant.snapshot.generation / "vocabulary.json"
    outside = tmp_path / "vocabulary.json"
    outside.write_bytes(target.read_bytes())
    target.unlink()
    target.symlink_to(outside)
    with pytest.raises(IndexStateError, match="not a plain file"):
        Assistant.open(fake_assistant.index_dir, embedder=HashingEmbedder(), update=False)


def test_second_indexer_is_refused(fake_assistant):
    with fake_assistant.index_directory.writer_lock():
        with pytest.raises(IndexLockedError, match="being indexed"):
            fake_assistant.index(rebuild=True)


def test_unwritable_or_missing_index_directory(tmp_path, corpus_dir):
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    with pytest.raises(IndexStateError, match="cannot create index directory"):
        Assistant.open(blocker / "index", documents=[corpus_dir], embedder=HashingEmbedder())
    with pytest.raises(IndexStateError, match="no index"):
        Assistant.open(tmp_path / "absent", embedder=HashingEmbedder(), update=False)


def test_a_lost_current_lists_the_generations_and_restore_brings_one_back(tmp_path, corpus_dir, tree_digest):
    index_dir = tmp_path / "index"
    assistant = Assistant.open(index_dir, documents=[corpus_dir], embedder=HashingEmbedder())
    generation = assistant.snapshot.generation
    before = tree_digest(generation)
    for damage in ("", b"\xff\xfe\x00garbage", "..", "../../etc", "gen-nope"):
        (index_dir / "CURRENT").unlink(missing_ok=True)
        if damage != "":
            (index_dir / "CURRENT").write_bytes(damage if isinstance(damage, bytes) else damage.encode())
        with pytest.raises(IndexStateError, match=f"generations present: {generation.name}.*--restore"):
            Assistant.open(index_dir, documents=[corpus_dir], embedder=HashingEmbedder())
        assert tree_digest(generation) == before  # nothing rebuilt over it, nothing deleted
    restored = Assistant(index_dir, embedder=HashingEmbedder())
    assert restored.restore(generation.name) == generation
    assert restored.documents() and tree_digest(generation) == before
    with pytest.raises(IndexStateError, match="not a generation"):
        restored.restore("../elsewhere")


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


# An indexer whose embedder, once it holds the writer lock, waits for the test to say "go".
HELD_INDEXER = """
import os, sys, time
from pathlib import Path
from assistant.testing import HashingEmbedder
from assistant import Assistant
from assistant.errors import IndexLockedError

index_dir, signals = Path(sys.argv[1]), Path(sys.argv[2])

class HeldEmbedder(HashingEmbedder):
    def embed(self, texts):
        (signals / f"holding-{os.getpid()}").touch()
        waited = time.monotonic()
        while not (signals / "go").exists() and time.monotonic() - waited < 20:
            time.sleep(0.02)
        return super().embed(texts)

try:
    Assistant(index_dir, embedder=HeldEmbedder()).index()
except IndexLockedError as error:
    print(error)
    sys.exit(3)
"""


def test_two_indexing_processes_one_is_refused_and_the_index_stays_loadable(tmp_path, corpus_dir, check_snapshot):
    index_dir = tmp_path / "index"
    Assistant.open(index_dir, documents=[corpus_dir], embedder=HashingEmbedder())
    for name in NEW_ARTICLES:  # new files in the watched folder: both processes have work to do
        write_article(corpus_dir, name, f"Tin {name} về phường Tân Mỹ.\n\nĐoạn thứ hai của tin.")
    signals = tmp_path / "signals"
    signals.mkdir()
    processes = [subprocess.Popen([sys.executable, "-c", HELD_INDEXER, str(index_dir), str(signals)],
                                  stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
                 for _ in range(2)]
    try:
        deadline = time.monotonic() + 30
        while all(p.poll() is None for p in processes) and time.monotonic() < deadline:
            time.sleep(0.05)
        refused = [p for p in processes if p.poll() is not None]
        (signals / "go").touch()  # let the lock holder finish
        outputs = [p.communicate(timeout=30) for p in processes]
    finally:
        for process in processes:
            process.kill()
    assert len(refused) == 1, outputs
    winner = next(p for p in processes if p is not refused[0])
    assert refused[0].returncode == 3 and winner.returncode == 0, outputs
    message = outputs[processes.index(refused[0])][0]
    # The holder's pid is in the lock file once it has written it; a refusal in that instant says "another process".
    assert re.search(rf"being indexed by (process {winner.pid}|another process); wait", message), message
    assert [p.name for p in signals.iterdir() if p.name.startswith("holding-")] == [f"holding-{winner.pid}"]
    reopened = Assistant.open(index_dir, embedder=HashingEmbedder(), update=False)
    assert set(reopened.snapshot.documents) == {SEED_ID, *(Path(name).stem for name in NEW_ARTICLES)}
    check_snapshot(reopened.snapshot, set(reopened.snapshot.documents))
