"""The Assistant (`answer/assistant.py`): questions asked while another thread re-indexes see whole,
consistent snapshots; an answer quotes the snapshot it searched; questions are refused when the
index's vectors came from another model or precision, with the fix."""

import threading
from dataclasses import replace
from pathlib import Path

import pytest

from assistant import Assistant
from assistant.errors import IndexStateError
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


class Rounds:
    """The rounds each reader thread has finished, so the writer can wait until every reader has
    read again (no sleeping, no counting on the scheduler)."""

    def __init__(self, readers: int):
        self.finished = [0] * readers
        self.condition = threading.Condition()

    def done(self, reader: int) -> None:
        with self.condition:
            self.finished[reader] += 1
            self.condition.notify_all()

    def wait_for_a_whole_round_of_every_reader(self) -> None:
        """Return once every reader has finished a round it started after this call (the round
        running at the call finishes first, then a whole one)."""
        with self.condition:
            wanted = [count + 2 for count in self.finished]
            assert self.condition.wait_for(lambda: all(f >= w for f, w in zip(self.finished, wanted)), timeout=120), \
                "a reader stopped reading"


def test_questions_during_reindexing_see_whole_consistent_snapshots(tmp_path, corpus_dir, check_snapshot, monkeypatch):
    """Two reader threads ask questions without pause while the writer publishes nine generations.
    Before each generation is published (its staging folder written, CURRENT not yet replaced) and
    after it, the writer waits for a whole round of every reader: each reader reads every
    generation, and each answer must come whole from one of them."""
    assistant = Assistant.open(tmp_path / "index", documents=[corpus_dir], embedder=HashingEmbedder())
    extras = write_extras(tmp_path / "incoming")
    # The texts the files hold; they never change, so a passage is right iff it quotes them exactly.
    texts = {SEED_ID: assistant.snapshot.documents[SEED_ID].text} | \
        {document_id: load_document(path).text for document_id, path in extras.items()}
    readers = 2
    failures: list[str] = []
    seen = [set() for _ in range(readers)]  # the generations each reader read
    answered = [0] * readers
    rounds = Rounds(readers)
    writing = threading.Event()
    writing.set()

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
                seen[number].add(snapshot.generation.name)
                check_snapshot(snapshot, set(texts))
                assert SEED_ID in snapshot.documents
                mode = ("hybrid", "dense", "lexical")[i % 3]
                check_passages(assistant.retrieve(question, k=5, mode=mode), f"retrieve {question!r}")
                # Questions about the seed article, which is never removed; see test_ask_quotes_... below.
                answer = assistant.ask(SEED_QUESTIONS[i % len(SEED_QUESTIONS)], k=3, mode="lexical")
                check_passages(answer.passages, f"ask {answer.question!r}")
                if answer.answered:
                    answered[number] += 1
                    quotation = answer.text.removeprefix("“").removesuffix("” [1]")
                    start, end = answer.passages[0].highlights[0]
                    assert texts[answer.passages[0].document_id][start:end] == quotation
            except Exception as error:  # noqa: BLE001 - any exception in a reader is the failure we look for
                failures.append(f"{question!r}: {type(error).__name__}: {error}")
            rounds.done(number)

    generations = assistant.index_directory.generations
    publish = generations.publish

    def publish_while_readers_read(staging, manifest):
        rounds.wait_for_a_whole_round_of_every_reader()  # questions while the next generation is written
        return publish(staging, manifest)

    monkeypatch.setattr(generations, "publish", publish_while_readers_read)
    published = [assistant.snapshot.generation.name]
    threads = [threading.Thread(target=reader, args=(n,)) for n in range(readers)]
    for thread in threads:
        thread.start()
    try:
        rounds.wait_for_a_whole_round_of_every_reader()
        for _ in range(3):
            report = assistant.index(paths=list(extras.values()))
            assert sorted(report.added) == sorted(extras)
            published.append(assistant.snapshot.generation.name)
            rounds.wait_for_a_whole_round_of_every_reader()
            for document_id in extras:
                assert assistant.index(remove=[document_id]).removed == [document_id]
                published.append(assistant.snapshot.generation.name)
                rounds.wait_for_a_whole_round_of_every_reader()
    finally:
        writing.clear()
        for thread in threads:
            thread.join(timeout=120)
    assert not any(thread.is_alive() for thread in threads)
    assert not failures, failures[:5]
    assert len(set(published)) == 10
    assert seen == [set(published)] * readers  # every reader read every generation, and no other
    assert all(answered), answered  # every reader checked quoted answers
    assert set(assistant.snapshot.documents) == {SEED_ID}


def test_ask_quotes_from_the_snapshot_it_searched(tmp_path, corpus_dir, monkeypatch):
    assistant = Assistant.open(tmp_path / "index", documents=[corpus_dir], embedder=HashingEmbedder())
    assistant.settings = replace(assistant.settings, mode="lexical")
    extras = write_extras(tmp_path / "incoming")
    assistant.index(paths=list(extras.values()))
    search = assistant._search

    def search_then_reindex(*args, **kwargs):
        result = search(*args, **kwargs)
        assistant.index(remove=["cau-anh-sao"])  # another user removes the article meanwhile
        return result

    monkeypatch.setattr(assistant, "_search", search_then_reindex)
    answer = assistant.ask("Cầu Ánh Sao dài bao nhiêu mét?")
    assert answer.answered and "500 mét" in answer.text and answer.short_answer == "500 mét"
    assert "cau-anh-sao" not in assistant.snapshot.documents  # removed while it was being read


class Int8Hashing(HashingEmbedder):
    precision = "int8"


def test_vectors_of_two_precisions_are_never_mixed(tmp_path, corpus_dir):
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

    class BundledInt8(BundledFloat):
        precision = "int8"

    Assistant.open(tmp_path / "index", documents=[corpus_dir], embedder=BundledInt8())
    # The index's prompts, given: comparing models then needs no model files (nothing converted or loaded).
    prompts = {"query_prompt": BundledInt8.query_prompt, "passage_prompt": BundledInt8.passage_prompt}
    settings = Settings(backend="torch", **prompts)
    torch = Assistant.open(tmp_path / "index", settings=settings, update=False)
    assert torch.embedder.precision == "float32"  # made, not loaded: sentence-transformers has no int8
    with pytest.raises(IndexStateError, match="int8 → .*float32.*assistant index"):
        torch.retrieve("Chủ tịch UBND phường Tân Mỹ là ai?", mode="dense")
