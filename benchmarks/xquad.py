"""XQuAD Vietnamese as a retrieval benchmark: every paragraph indexed as a document, chunked as usual."""

from __future__ import annotations

import json
import shutil
from dataclasses import dataclass
from pathlib import Path

from assistant import Assistant, Settings
from assistant.embed.embedders import resolve_precision
from assistant.text.normalize import nfc

ROOT = Path(__file__).resolve().parents[1]
SHARED_EVAL = ROOT.parent / "shared" / "eval"
XQUAD = SHARED_EVAL / "xquad.vi.json"
ARTICLE_QA = SHARED_EVAL / "article-qa.dev.jsonl"
RESULTS = ROOT / "benchmarks" / "results"


@dataclass(frozen=True)
class Question:
    id: str
    question: str
    answer: str
    document_id: str  # the gold paragraph, as an indexed document
    article: str


def load_xquad(path: Path = XQUAD) -> tuple[dict[str, tuple[str, str]], list[Question]]:
    """Return `{document_id: (title, paragraph text)}` and the questions with their gold paragraph."""
    data = json.loads(path.read_text(encoding="utf-8"))["data"]
    paragraphs, questions = {}, []
    for a, article in enumerate(data):
        title = article["title"].replace("_", " ")
        for p, paragraph in enumerate(article["paragraphs"]):
            document_id = f"xquad-{a:02d}-{p:02d}"
            paragraphs[document_id] = (title, nfc(paragraph["context"]))
            for qa in paragraph["qas"]:
                questions.append(Question(qa["id"], nfc(qa["question"]), nfc(qa["answers"][0]["text"]),
                                          document_id, title))
    return paragraphs, questions


def write_corpus(paragraphs: dict[str, tuple[str, str]], folder: Path) -> None:
    """Write each paragraph as a document file with a title header (skipping unchanged files)."""
    folder.mkdir(parents=True, exist_ok=True)
    for document_id, (title, text) in paragraphs.items():
        path = folder / f"{document_id}.txt"
        content = f"title: {title}\n\n{text}\n"
        if not path.exists() or path.read_text(encoding="utf-8") != content:
            path.write_text(content, encoding="utf-8")


def index_folder(name: str, settings: Settings | None = None) -> Path:
    """`benchmarks/results/<name>-index`, one per model precision (`ASSISTANT_PRECISION`), so
    comparing precisions never re-embeds the other's index, and one per store (`ASSISTANT_STORE`):
    a Milvus index starts as a copy of the local one, whose vectors the first update moves into
    Milvus instead of embedding them again."""
    settings = settings or Settings.from_env()
    precision = resolve_precision(settings.precision, settings.model, onnx=settings.backend != "torch")
    local = RESULTS / (f"{name}-index" if precision == "float32" else f"{name}-index-{precision}")
    if settings.store == "local":
        return local
    folder = local.with_name(f"{local.name}-{settings.store}")
    if not folder.exists() and local.exists():
        shutil.copytree(local, folder, ignore=shutil.ignore_patterns(".lock"))
    return folder


def open_xquad_assistant(settings: Settings | None = None, name: str = "xquad", embedder=None) -> Assistant:
    """An assistant over XQuAD Vietnamese, its index kept in benchmarks/results/ between runs."""
    paragraphs, _questions = load_xquad()
    corpus = RESULTS / f"{name}-documents"
    write_corpus(paragraphs, corpus)
    return Assistant.open(index_folder(name, settings), documents=[corpus], settings=settings, embedder=embedder,
                          progress=True)


def load_article_questions(path: Path = ARTICLE_QA) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
