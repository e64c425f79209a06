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


def test_questions_during_reindexing_see_whole_consistent_snapshots(tmp_path, corpus_dir, check_snapshot):
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
                assert SEED_ID in snapshot.documents
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
    torch = Assistant.open(tmp_path / "index", settings=Settings(backend="torch"), update=False)
    assert torch.embedder.precision == "float32"  # made, not loaded: sentence-transformers has no int8
    with pytest.raises(IndexStateError, match="int8 → .*float32.*assistant index"):
        torch.retrieve("Chủ tịch UBND phường Tân Mỹ là ai?", mode="dense")
