"""Concurrency: questions during re-indexing, two indexers at once, readers opening while a writer publishes."""

import re
import subprocess
import sys
import threading
import time
from dataclasses import replace
from pathlib import Path

from assistant import Assistant
from assistant.ingest.documents import load_document
from assistant.testing import HashingEmbedder

SEED_ID = "000_dbd6872183af7f42"
SEED_QUESTIONS = ["Ai là Chủ tịch UBND phường Tân Mỹ?", "dien tich khu dat xay trung tam hanh chinh",
                  "Phường Phú Thuận kiến nghị gì về trụ sở làm việc?"]
EXTRA_QUESTIONS = ["Cầu Ánh Sao dài bao nhiêu mét?", "chợ nổi Cái Răng mở cửa lúc mấy giờ"]
EXTRA_ARTICLES = {
    "cau-anh-sao.txt": "title: Cầu Ánh Sao\n\nCầu Ánh Sao dài 500 mét, nối hai bờ kênh ở phường Tân Mỹ.\n\n"
                       "Cây cầu được khánh thành vào cuối tuần, trụ sở phường ở gần đó.",
    "cho-noi.txt": "title: Chợ nổi\n\nChợ nổi Cái Răng mở cửa từ 5 giờ sáng.\n\n"
                   "Ủy ban nhân dân phường đề xuất xây thêm bến cho khách du lịch.",
}


def write_extras(folder: Path) -> dict[str, Path]:
    folder.mkdir(exist_ok=True)
    paths = {}
    for name, text in EXTRA_ARTICLES.items():
        paths[Path(name).stem] = folder / name
        (folder / name).write_text(text, encoding="utf-8")
    return paths


def check_snapshot(snapshot, allowed_ids: set[str]) -> None:
    """A complete generation: every part has one row per passage, every passage quotes its document."""
    assert set(snapshot.documents) <= allowed_ids and SEED_ID in snapshot.documents
    assert snapshot.dense.size == snapshot.lexical.size == len(snapshot.chunks) == len(snapshot.chunk_hashes)
    for chunk in snapshot.chunks:
        assert snapshot.documents[chunk.document_id].text[chunk.start:chunk.end] == chunk.text


# --- (a) questions while another thread re-indexes ----------------------------------------------

def test_questions_during_reindexing_see_whole_consistent_snapshots(tmp_path, corpus_dir):
    assistant = Assistant.open(tmp_path / "index", documents=[corpus_dir], embedder=HashingEmbedder())
    extras = write_extras(tmp_path / "incoming")
    # The texts the files hold; they never change, so a passage is right iff it quotes them exactly.
    texts = {SEED_ID: assistant.snapshot.documents[SEED_ID].text} | \
        {document_id: load_document(path).text for document_id, path in extras.items()}
    failures: list[str] = []
    seen_generations: set[str] = set()
    writing = threading.Event()
    writing.set()
    counts = {"retrieve": 0, "answered": 0}

    def check_passages(passages, where: str) -> None:
        for passage in passages:
            if texts[passage.document_id][passage.start:passage.end] != passage.text:
                failures.append(f"{where}: {passage.document_id}[{passage.start}:{passage.end}] is not the passage text")

    def reader(number: int) -> None:
        questions = SEED_QUESTIONS + EXTRA_QUESTIONS
        i = number
        while writing.is_set():
            question = questions[i % len(questions)]
            i += 1
            try:
                snapshot = assistant.snapshot
                seen_generations.add(snapshot.generation.name)
                check_snapshot(snapshot, set(texts))
                mode = ("hybrid", "dense", "lexical")[i % 3]
                check_passages(assistant.retrieve(question, k=5, mode=mode), f"retrieve {question!r}")
                counts["retrieve"] += 1
                # Questions about the seed article, which is never removed; see test_ask_quotes_... below.
                answer = assistant.ask(SEED_QUESTIONS[i % len(SEED_QUESTIONS)], k=3, mode="lexical")
                check_passages(answer.passages, f"ask {answer.question!r}")
                if answer.answered:
                    counts["answered"] += 1
                    quotation = answer.text.removeprefix("“").removesuffix("” [1]")
                    start, end = answer.passages[0].highlights[0]
                    assert texts[answer.passages[0].document_id][start:end] == quotation
            except Exception as error:  # noqa: BLE001 - any exception in a reader is the failure we look for
                failures.append(f"{question!r}: {type(error).__name__}: {error}")

    readers = [threading.Thread(target=reader, args=(n,)) for n in range(2)]
    for thread in readers:
        thread.start()
    try:
        for _ in range(3):
            report = assistant.index(paths=list(extras.values()))
            assert sorted(report.added) == sorted(extras)
            assistant.reload()
            for document_id in extras:
                assistant.index(remove=[document_id])
            assistant.reload()
    finally:
        writing.clear()
        for thread in readers:
            thread.join(timeout=30)
    assert not failures, failures[:5]
    assert counts["retrieve"] > 20 and counts["answered"] > 0
    assert len(seen_generations) > 3  # the readers really ran across several generations
    assert set(assistant.snapshot.documents) == {SEED_ID}


def test_ask_quotes_from_the_snapshot_it_searched(tmp_path, corpus_dir, monkeypatch):
    assistant = Assistant.open(tmp_path / "index", documents=[corpus_dir], embedder=HashingEmbedder())
    assistant.settings = replace(assistant.settings, mode="lexical")
    extras = write_extras(tmp_path / "incoming")
    assistant.index(paths=list(extras.values()))
    search = assistant.search

    def search_then_reindex(*args, **kwargs):
        result = search(*args, **kwargs)
        assistant.index(remove=["cau-anh-sao"])  # another user removes the article meanwhile
        return result

    monkeypatch.setattr(assistant, "search", search_then_reindex)
    answer = assistant.ask("Cầu Ánh Sao dài bao nhiêu mét?")
    assert answer.answered and "500 mét" in answer.text


# --- (b) two indexing processes -----------------------------------------------------------------

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


def test_two_indexing_processes_one_is_refused_and_the_index_stays_loadable(tmp_path, corpus_dir):
    index_dir = tmp_path / "index"
    Assistant.open(index_dir, documents=[corpus_dir], embedder=HashingEmbedder())
    write_extras(corpus_dir)  # new files in the watched folder: both processes have work to do
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
    assert set(reopened.snapshot.documents) == {SEED_ID, *(Path(name).stem for name in EXTRA_ARTICLES)}
    check_snapshot(reopened.snapshot, set(reopened.snapshot.documents))


# --- (c) a reader process opening the index while a writer publishes -------------------------------

READER = """
import sys, time
from pathlib import Path
from assistant.testing import HashingEmbedder
from assistant import Assistant

index_dir, signals = Path(sys.argv[1]), Path(sys.argv[2])
opened, generations = 0, set()
while not (signals / "stop").exists() or opened == 0:
    assistant = Assistant.open(index_dir, embedder=HashingEmbedder(), update=False)
    snapshot = assistant.snapshot
    assert snapshot.dense.size == snapshot.lexical.size == len(snapshot.chunks)
    for passage in assistant.retrieve("Ai là Chủ tịch UBND phường Tân Mỹ?", k=5):
        assert snapshot.documents[passage.document_id].text[passage.start:passage.end] == passage.text
    opened += 1
    generations.add(snapshot.generation.name)
    (signals / "ready").touch()
print(opened, len(generations))
"""


def test_reader_process_opening_while_a_writer_publishes_never_fails(tmp_path, corpus_dir):
    index_dir = tmp_path / "index"
    writer = Assistant.open(index_dir, documents=[corpus_dir], embedder=HashingEmbedder())
    signals = tmp_path / "signals"
    signals.mkdir()
    reader = subprocess.Popen([sys.executable, "-c", READER, str(index_dir), str(signals)],
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        deadline = time.monotonic() + 20
        while not (signals / "ready").exists() and reader.poll() is None and time.monotonic() < deadline:
            time.sleep(0.05)
        for i in range(6):  # each publish also deletes the generation the reader may be loading
            article = tmp_path / "incoming" / f"bai-{i}.txt"
            article.parent.mkdir(exist_ok=True)
            article.write_text(f"Bài số {i} về phường Tân Mỹ.\n\nChủ tịch UBND phường nói về trụ sở {i}.",
                               encoding="utf-8")
            writer.index(paths=[article])
            if i % 2:
                writer.index(remove=[f"bai-{i - 1}"])
    finally:
        (signals / "stop").touch()
        stdout, stderr = reader.communicate(timeout=30)
    assert reader.returncode == 0, stderr[-2000:]
    opened, generations = map(int, stdout.split())
    assert opened >= 2 and generations >= 2, stdout
