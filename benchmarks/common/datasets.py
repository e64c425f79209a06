"""The evaluation data the benchmarks read: XQuAD Vietnamese, the article dev set, the natural and
foreign questions of `benchmarks/data/`, and the news articles and corpus of `../shared/`."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from assistant.text.normalize import nfc

ROOT = Path(__file__).resolve().parents[2]
SHARED = ROOT.parent / "shared"
SHARED_EVAL = SHARED / "eval"
XQUAD = SHARED_EVAL / "xquad.vi.json"
ARTICLE_QA = SHARED_EVAL / "article-qa.dev.jsonl"
NEWS = SHARED_EVAL / "news"
CORPUS = SHARED / "corpus" / "vi-news-5000.jsonl"
SEED_DOCUMENTS = ROOT / "documents"
SEED_DOCUMENT = "000_dbd6872183af7f42.txt"
DATA = ROOT / "benchmarks" / "data"
NATURAL_QUESTIONS = DATA / "natural_questions.jsonl"
FOREIGN_QUESTIONS = DATA / "foreign_questions.jsonl"
# Questions for reading the passage (benchmarks/data/README.md): gold short answers, near misses,
# conversations, and XQuAD paragraphs with unanswerable questions.
FACTOID_QUESTIONS = DATA / "factoid_questions.jsonl"
NEAR_MISS_QUESTIONS = DATA / "near_miss_questions.jsonl"
CONVERSATIONS = DATA / "conversations.jsonl"
XQUAD_NEAR_MISS = DATA / "xquad_near_miss.jsonl"
# The 30 news articles of the middle archive: every natural question about a news article is about
# one of them, so the question is asked of the middle and the large archive alike.
NEWS_30 = DATA / "news30.txt"


class MissingData(Exception):
    """Evaluation data a benchmark needs is not beside the clone."""


def require(*paths: Path) -> None:
    """Raise `MissingData` naming the first of `paths` that does not exist.

    Raises:
        MissingData: with the path and where the shared data is expected.
    """
    for path in paths:
        if not path.exists():
            raise MissingData(f"{path} not found: this benchmark needs ../shared beside the project "
                              f"(expected at {SHARED})")


@dataclass(frozen=True)
class Question:
    """An XQuAD question, its answer text and its gold paragraph as an indexed document."""

    id: str
    question: str
    answer: str
    document_id: str
    article: str


def load_xquad(path: Path = XQUAD) -> tuple[dict[str, tuple[str, str]], list[Question]]:
    """Return `{document_id: (title, paragraph text)}` and the questions with their gold paragraph."""
    data = json.loads(path.read_text(encoding="utf-8"))["data"]
    paragraphs, questions = {}, []
    for article_number, article in enumerate(data):
        title = article["title"].replace("_", " ")
        for paragraph_number, paragraph in enumerate(article["paragraphs"]):
            document_id = f"xquad-{article_number:02d}-{paragraph_number:02d}"
            paragraphs[document_id] = (title, nfc(paragraph["context"]))
            for qa in paragraph["qas"]:
                questions.append(Question(qa["id"], nfc(qa["question"]), nfc(qa["answers"][0]["text"]),
                                          document_id, title))
    return paragraphs, questions


def write_xquad_corpus(paragraphs: dict[str, tuple[str, str]], folder: Path) -> None:
    """Write each paragraph as a document file with a title header (skipping unchanged files)."""
    folder.mkdir(parents=True, exist_ok=True)
    for document_id, (title, text) in paragraphs.items():
        path = folder / f"{document_id}.txt"
        content = f"title: {title}\n\n{text}\n"
        if not path.exists() or path.read_text(encoding="utf-8") != content:
            path.write_text(content, encoding="utf-8")


def holds_evidence(passage_text: str, evidence) -> bool:
    """Whether a passage holds one of a question's evidence strings (both read as NFC)."""
    return any(nfc(e) in nfc(passage_text) for e in evidence)


def read_jsonl(path: Path) -> list[dict]:
    """Every non-empty line of a JSON-lines file."""
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def load_article_questions(path: Path = ARTICLE_QA) -> list[dict]:
    """The article dev set: `id`, `question`, `evidence`, `kind` per question."""
    return read_jsonl(path)


@dataclass(frozen=True)
class NaturalQuestion:
    """A question written for the project the way people type them (see benchmarks/data/README.md)."""

    id: str
    question: str
    kind: str  # answerable, same_topic or unrelated
    document: str | None  # file name of the article it is about
    evidence: tuple[str, ...]  # for answerable: a passage holding one of these holds the answer
    style: tuple[str, ...]
    split: str  # fit or test


def load_natural_questions(path: Path = NATURAL_QUESTIONS, split: str | None = None) -> list[NaturalQuestion]:
    """The natural questions of one half (`fit`, `test`), or all of them (`None` or `all`)."""
    questions = [NaturalQuestion(row["id"], row["question"], row["kind"], row.get("document"),
                                 tuple(row.get("evidence", ())), tuple(row.get("style", ())), row["split"])
                 for row in read_jsonl(path)]
    return [q for q in questions if split in (None, "all", q.split)]


def load_foreign_questions(path: Path = FOREIGN_QUESTIONS) -> list[dict]:
    """Questions in English and French: `id`, `question`, `kind`, `document`, `evidence`."""
    return read_jsonl(path)


def load_rows(path: Path, split: str | None = None) -> list[dict]:
    """The rows of one of the reading data files, of one half (`fit`, `test`) or all (`None`, `all`)."""
    return [row for row in read_jsonl(path) if split in (None, "all", row["split"])]


def xquad_paragraph_ids(paragraphs: dict[str, tuple[str, str]]) -> dict[tuple[str, str], str]:
    """`(title, first 60 characters) -> document_id`: how xquad_near_miss.jsonl names its paragraphs."""
    return {(title, text[:60]): document_id for document_id, (title, text) in paragraphs.items()}


def xquad_near_miss_paragraph(row: dict, ids: dict[tuple[str, str], str]) -> str:
    """The XQuAD document id of a row of xquad_near_miss.jsonl."""
    return ids[(row["title"].replace("_", " "), row["context_start"])]


def corpus_rows(path: Path = CORPUS) -> list[dict]:
    """The 5,000 news articles of ../shared/corpus: `id` and `text` per row."""
    return read_jsonl(path)


def write_articles(rows: list[dict], folder: Path) -> None:
    """Each corpus row as `<id>.txt`, the way a newsroom export would hand them over."""
    folder.mkdir(parents=True, exist_ok=True)
    for row in rows:
        path = folder / f"{row['id']}.txt"
        if not path.exists():
            path.write_text(row["text"], encoding="utf-8")
