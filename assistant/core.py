"""The assistant: open an index, retrieve cited passages, answer questions (or say it cannot)."""

from __future__ import annotations

import logging
import threading
import time
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from typing import Sequence

from . import abstention
from .config import DEFAULT_DOCUMENTS_DIR, DEFAULT_INDEX_DIR, MODES, Settings
from .embeddings import Embedder, SentenceTransformerEmbedder, embed_queries
from .errors import AssistantError, IndexStateError, QuestionError
from .fusion import reciprocal_rank_fusion
from .highlight import best_sentence_spans
from .indexer import IndexReport, IndexSnapshot, load_snapshot, pending_changes, update_index
from .lexical import query_terms
from .store import IndexStore
from .vietnamese import has_diacritics, nfc

log = logging.getLogger(__name__)

NOT_FOUND = "Không tìm thấy đoạn nào trong các bài báo đã lưu trả lời câu hỏi này."


@dataclass(frozen=True)
class Passage:
    """A cited passage: `document.text[start:end] == text`; `highlights` are document offsets
    of the sentence(s) that best answer the question."""

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


@dataclass(frozen=True)
class Answer:
    """What `Assistant.ask` returns: `text` is what to show (a quotation with its citation marker,
    or a plain statement that nothing relevant was found)."""

    question: str
    answered: bool
    text: str
    passages: list[Passage] = field(default_factory=list)
    rewritten_question: str | None = None
    notes: list[str] = field(default_factory=list)


def clean_question(question: object, max_chars: int) -> tuple[str, list[str]]:
    """NFC, control characters and lone surrogates removed, whitespace collapsed, length capped.

    Returns:
        `(question, notes)`; notes say what was changed.

    Raises:
        QuestionError: the question is not text or is empty.
    """
    if not isinstance(question, str):
        raise QuestionError(f"the question must be text, not {type(question).__name__}")
    notes = []
    kept = "".join(" " if unicodedata.category(ch) in ("Cc", "Cs", "Zl", "Zp") else ch for ch in question)
    text = " ".join(nfc(kept).split())
    if not text:
        raise QuestionError("the question is empty; type a question, e.g. “Ai là Chủ tịch UBND phường Tân Mỹ?”")
    if len(text) > max_chars:
        cut = text.rfind(" ", 0, max_chars)
        text = text[: cut if cut > max_chars // 2 else max_chars]
        notes.append(f"Câu hỏi quá dài nên chỉ dùng {len(text)} ký tự đầu.")
    return text, notes


class Assistant:
    """Question answering over an index directory.

    Build or open one with `Assistant.open()`; ask with `ask()` or just `retrieve()` passages.
    Thread-safe: questions read an immutable snapshot; indexing publishes a new one atomically.
    """

    def __init__(self, index_dir: str | Path = DEFAULT_INDEX_DIR, settings: Settings | None = None,
                 embedder: Embedder | None = None):
        self.settings = settings or Settings.from_env()
        self.store = IndexStore(index_dir)
        self.embedder = embedder or SentenceTransformerEmbedder(
            self.settings.model, self.settings.query_prompt, self.settings.passage_prompt, self.settings.batch_size)
        self._snapshot: IndexSnapshot | None = None
        self._lock = threading.Lock()

    # --- opening and indexing ------------------------------------------------------------------

    @classmethod
    def open(cls, index_dir: str | Path = DEFAULT_INDEX_DIR, documents: Sequence[str | Path] | None = None,
             settings: Settings | None = None, embedder: Embedder | None = None, update: bool = True,
             progress: bool = False) -> "Assistant":
        """Open the index in `index_dir`, building or updating it first when needed.

        Args:
            index_dir: the index directory (created if missing).
            documents: folders/files to index when the index is new; default `documents/`.
            settings: defaults from `Settings.from_env()`.
            embedder: defaults to the configured sentence-transformers model.
            update: re-index changed documents (or a changed model) before opening; when False
                the index is used as it is and must exist.
            progress: show a progress bar while embedding.
        """
        assistant = cls(index_dir, settings, embedder)
        snapshot = load_snapshot(assistant.store, mmap=assistant.settings.mmap)
        if snapshot is None and not update:
            raise IndexStateError(f"no index in {index_dir}; run `assistant index` first")
        sources = None if snapshot else [str(Path(p).resolve()) for p in (documents or [DEFAULT_DOCUMENTS_DIR])]
        if update:
            pending = pending_changes(snapshot, assistant.settings, assistant.embedder, sources)
            if snapshot is None or pending.changed:
                what = "Building the index" if snapshot is None else "Documents or settings changed; updating the index"
                log.info("%s in %s…", what, index_dir)
                report = assistant.index(sources=sources, progress=progress)
                log.info("%s", report.summary())
                return assistant
        assistant._snapshot = snapshot
        return assistant

    def index(self, paths: Sequence[str | Path] = (), remove: Sequence[str] = (), sources: list[str] | None = None,
              rebuild: bool = False, progress: bool = False) -> IndexReport:
        """Add `paths`, drop the documents `remove`, pick up changed files; then reload.

        Only passages whose text changed are embedded again; see `indexer.update_index`.
        """
        report = update_index(self.store, self.embedder, self.settings, add=[Path(p) for p in paths],
                              remove=list(remove), sources=sources, rebuild=rebuild, progress=progress)
        self.reload()
        return report

    def reload(self) -> None:
        """Switch to the index's live generation (e.g. after another process re-indexed)."""
        snapshot = load_snapshot(self.store, mmap=self.settings.mmap)
        with self._lock:
            self._snapshot = snapshot

    @property
    def snapshot(self) -> IndexSnapshot:
        snapshot = self._snapshot
        if snapshot is None:
            raise IndexStateError(f"no index in {self.store.directory}; run `assistant index` first")
        return snapshot

    def documents(self) -> list:
        """The indexed documents, in index order."""
        return list(self.snapshot.documents.values())

    # --- questions -----------------------------------------------------------------------------

    def retrieve(self, question: str, k: int = 5, mode: str | None = None) -> list[Passage]:
        """The `k` passages that best match `question`, best first, each with its citation.

        Args:
            question: a question in Vietnamese, with or without diacritics.
            k: how many passages.
            mode: `hybrid` (default), `dense` or `lexical`.

        Raises:
            QuestionError: the question is empty or not text.
        """
        text, _notes = clean_question(question, self.settings.max_question_chars)
        passages, _relevance = self._search(text, k, mode)
        return passages

    def ask(self, question: str, history: Sequence[str] | None = None, k: int = 5,
            mode: str | None = None) -> Answer:
        """Answer `question` with quotations from the documents, or say that none answers it.

        Args:
            question: the user's question.
            history: earlier user questions of the same conversation, oldest first.
            k: how many passages to cite.
            mode: retrieval mode (see `retrieve`).
        """
        text, notes = clean_question(question, self.settings.max_question_chars)
        rewritten = None
        if history:
            from .conversation import rewrite_question

            candidate = rewrite_question(text, [h for h in history if isinstance(h, str)])
            rewritten = candidate if candidate != text else None
        passages, relevance = self._search(rewritten or text, k, mode)
        if not passages or not relevance.answerable:
            return Answer(text, False, NOT_FOUND, [], rewritten, notes)
        best = passages[0]
        start, end = best.highlights[0] if best.highlights else (best.start, best.end)
        snapshot_text = self.snapshot.documents[best.document_id].text
        return Answer(text, True, f"“{snapshot_text[start:end]}” [1]", passages, rewritten, notes)

    def _search(self, question: str, k: int, mode: str | None) -> tuple[list[Passage], abstention.Relevance]:
        mode = mode or self.settings.mode
        if mode not in MODES:
            raise AssistantError(f"unknown retrieval mode {mode!r}; choose one of {', '.join(MODES)}")
        if k < 1:
            raise QuestionError(f"k must be at least 1, not {k}")
        snapshot = self.snapshot
        timings: dict[str, float] = {}
        candidates = max(self.settings.candidates, k)
        lexical_hits, dense_hits = [], []
        if mode in ("hybrid", "lexical"):
            started = time.perf_counter()
            lexical_hits = snapshot.lexical.search(question, candidates)
            timings["lexical"] = time.perf_counter() - started
        if mode in ("hybrid", "dense"):
            started = time.perf_counter()
            dense_question = self.dense_question(question, snapshot)
            vector = embed_queries(self.embedder, [dense_question])[0]
            timings["embed"] = time.perf_counter() - started
            started = time.perf_counter()
            dense_hits = snapshot.dense.search(vector, candidates)
            timings["dense"] = time.perf_counter() - started
        ranked = reciprocal_rank_fusion([dense_hits, lexical_hits]) if mode == "hybrid" \
            else (dense_hits or lexical_hits)
        dense_scores, lexical_scores = dict(dense_hits), dict(lexical_hits)
        terms = query_terms(question, snapshot.lexical.settings)
        weights = snapshot.lexical.idf(terms)
        passages = []
        for rank, (index, score) in enumerate(ranked[:k], start=1):
            chunk = snapshot.chunks[index]
            document = snapshot.documents[chunk.document_id]
            spans = best_sentence_spans(weights, chunk.text, snapshot.lexical.settings)
            passages.append(Passage(
                text=chunk.text, score=round(float(score), 6), document_id=document.id, title=document.title,
                date=document.date, paragraph=chunk.paragraph, start=chunk.start, end=chunk.end,
                path=document.path, rank=rank,
                highlights=tuple((chunk.start + s, chunk.start + e) for s, e in spans),
                dense_score=dense_scores.get(index), lexical_score=lexical_scores.get(index)))
        relevance = abstention.assess(question, passages, weights, snapshot, mode)
        return passages, relevance

    def dense_question(self, question: str, snapshot: IndexSnapshot | None = None) -> str:
        """The question as the dense model sees it: diacritics restored when typed without any."""
        snapshot = snapshot or self.snapshot
        if has_diacritics(question):
            return question
        return snapshot.restorer.restore(question)
