"""Archives of three sizes for the natural-question benchmarks: the bundled article alone, with 30
news articles, and with all 300 of `../shared/eval/news/`. Indexes are kept in benchmarks/results/."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from xquad import ROOT, SHARED_EVAL, index_folder

from assistant import Assistant, Settings

NEWS = SHARED_EVAL / "news"
DATA = ROOT / "benchmarks" / "data"
NATURAL_QUESTIONS = DATA / "natural_questions.jsonl"
# The 30 news articles of the middle archive: every natural question about a news article is about
# one of them, so the question is asked of the middle and the large archive alike.
NEWS_30 = DATA / "news30.txt"
SEED_DOCUMENT = "000_dbd6872183af7f42.txt"
SIZES = ("article", "article+30", "article+300")


@dataclass(frozen=True)
class NaturalQuestion:
    id: str
    question: str
    kind: str  # answerable, same_topic or unrelated
    document: str | None  # file name of the article it is about
    evidence: tuple[str, ...]  # for answerable: a passage holding one of these holds the answer
    style: tuple[str, ...]
    split: str  # fit or test


def load_natural_questions(path: Path = NATURAL_QUESTIONS, split: str | None = None) -> list[NaturalQuestion]:
    questions = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.strip():
            row = json.loads(line)
            questions.append(NaturalQuestion(row["id"], row["question"], row["kind"], row.get("document"),
                                             tuple(row.get("evidence", ())), tuple(row.get("style", ())),
                                             row["split"]))
    return [q for q in questions if split in (None, "all", q.split)]


def archive_files(size: str) -> list[Path]:
    """The document files of an archive size."""
    seed = [ROOT / "documents"]
    if size == "article":
        return seed
    if size == "article+30":
        names = NEWS_30.read_text(encoding="utf-8").split()
        return seed + [NEWS / name for name in names]
    if size == "article+300":
        return seed + [NEWS]
    raise ValueError(f"unknown archive size {size!r}; choose one of {', '.join(SIZES)}")


def archive_documents(size: str) -> set[str]:
    """File names of the documents in an archive size."""
    names = {SEED_DOCUMENT}
    if size == "article+30":
        names |= set(NEWS_30.read_text(encoding="utf-8").split())
    elif size == "article+300":
        names |= {path.name for path in NEWS.glob("*.txt")}
    return names


def open_archive(size: str, settings: Settings | None = None, embedder=None) -> Assistant:
    """The assistant over one archive size, its index kept in benchmarks/results/ between runs."""
    folder = index_folder(f"archive-{size.replace('+', '-')}", settings)
    return Assistant.open(folder, documents=archive_files(size), settings=settings, embedder=embedder,
                          progress=True)


def applies(question: NaturalQuestion, size: str) -> bool:
    """Whether `question` is asked of the archive: questions about an article need that article."""
    return question.document is None or question.document in archive_documents(size)
