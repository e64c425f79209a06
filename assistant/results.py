"""Result types: the passages, answers and search results the assistant returns, and their JSON form."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

Status = Literal["answered", "related", "not_found"]
ANSWERED: Status = "answered"
RELATED: Status = "related"
NOT_FOUND: Status = "not_found"
STATUSES: tuple[Status, ...] = (ANSWERED, RELATED, NOT_FOUND)


@dataclass(frozen=True)
class Passage:
    """A cited passage: `document.text[start:end] == text`; `highlights` are document offsets
    of the sentence(s) that best answer the question. Passages come by retrieval `score`, except
    that the one holding the sentence the reader chose (`Reading`) comes first."""

    text: str
    score: float
    document_id: str
    title: str
    date: str | None
    paragraph: int
    start: int
    end: int
    path: str = ""
    rank: int = 0
    highlights: tuple[tuple[int, int], ...] = ()
    dense_score: float | None = None
    lexical_score: float | None = None

    def to_dict(self, include_path: bool = True) -> dict:
        """The documented JSON form (`assistant ask --json`); `include_path=False` leaves out the
        file's location on the server."""
        document = {"id": self.document_id, "title": self.title, "date": self.date}
        if include_path:
            document["path"] = self.path
        return {"rank": self.rank, "text": self.text, "score": self.score, "document": document,
                "paragraph": self.paragraph, "start": self.start, "end": self.end,
                "highlights": [list(span) for span in self.highlights]}


@dataclass(frozen=True)
class Reading:
    """What reading the top passages found.

    Attributes:
        passage: index (in the passages read) of the passage holding the answering sentence.
        sentence: its document offsets.
        short: the short answer's document offsets, or None.
        found: a span of the kind asked stands in the relation asked (False for open questions).
        typed: some sentence read holds a span of the kind asked.
        score: how well the sentence (and span) answer, for choosing among sentences.
        words: the share of the question's words (reference IDF, accent-free) in the sentence or title.
        near: the share of the question's words near the short answer.
        short_text: the short answer as the document writes it; it may stand before the passage
            ("Phường kiến nghị …" answers "Phường nào …?" with the ward the text named last).
    """

    passage: int
    sentence: tuple[int, int]
    short: tuple[int, int] | None
    found: bool
    typed: bool
    score: float
    words: float
    near: float = 0.0
    pairs: float = 0.0  # the same for its word pairs
    slot: float = 0.0  # share of the words around the question word that stand near the short answer
    missing: float = 0.0  # the rarest question word missing from the sentence and title, against the rarest
    missing_passage: float = 0.0  # the same for the whole passage
    rejected: tuple[str, ...] = field(default=(), repr=False)  # why spans of the kind asked were refused
    short_text: str | None = None


@dataclass(frozen=True)
class Relevance:
    """The evidence behind an answer's status (see `confidence.py`).

    Attributes:
        status: `answered`, `related` or `not_found`.
        topic: estimated probability that the archive holds passages on the question's subject.
        answer: estimated probability that the best sentence of the top passage answers it.
        features: the measured signals the two estimates are computed from, by name.
        foreign: the question is not in Vietnamese.
    """

    status: Status
    topic: float
    answer: float
    features: dict[str, float] = field(default_factory=dict)
    foreign: bool = False


@dataclass(frozen=True)
class SearchResult:
    """Passages plus the evidence behind them (for answers, benchmarks and debugging)."""

    question: str
    dense_question: str | None  # what the dense model saw (diacritics restored)
    passages: list[Passage]
    relevance: Relevance
    timings: dict[str, float]  # seconds per stage
    reading: Reading | None = None  # the answering sentence and short answer found in the top passages


@dataclass(frozen=True)
class Answer:
    """What `Assistant.ask` returns.

    `status` says what `text` is: `answered`, a quotation of the best sentence with its `[1]`
    marker (or, when `generated`, a language model's answer whose `[n]` markers point into
    `passages` and were verified); `related`, a caveat that the passages are on the subject but
    may not answer; `not_found`, a plain statement that no article is about it (and no passages).
    """

    question: str
    status: Status
    text: str
    passages: list[Passage] = field(default_factory=list)
    rewritten_question: str | None = None
    notes: list[str] = field(default_factory=list)
    generated: bool = False  # `text` was written by a language model, its citations verified (`llm.py`)
    model: str | None = None  # that model's name
    # The words of the quoted sentence that answer (a name, a date, an amount with its unit), and
    # their offsets in the first passage's document; None when no span answers.
    short_answer: str | None = None
    short_span: tuple[int, int] | None = None

    @property
    def answered(self) -> bool:
        """True only when a passage was judged to answer the question."""
        return self.status == ANSWERED

    def to_dict(self, include_paths: bool = True) -> dict:
        """The documented JSON form (`assistant ask --json`)."""
        return {
            "question": self.question,
            "rewritten_question": self.rewritten_question,
            "status": self.status,
            "answered": self.answered,
            "answer": self.text,
            "short_answer": self.short_answer,
            "short_span": list(self.short_span) if self.short_span else None,
            "notes": list(self.notes),
            "generated": self.generated,
            "model": self.model,
            "passages": [p.to_dict(include_paths) for p in self.passages],
        }


def relevance(score: float, best: float) -> tuple[str, float]:
    """A plain word for how relevant a passage is, relative to the best passage's score, and the
    share (0–1) a bar shows; a raw score means nothing to a reader."""
    share = min(1.0, score / best) if best > 0 and score > 0 else 0.0
    if share >= 0.999:
        return "liên quan nhất", 1.0
    if share >= 0.75:
        return "rất liên quan", share
    if share >= 0.4:
        return "khá liên quan", share
    return "ít liên quan", max(share, 0.1)
