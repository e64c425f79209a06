"""The assistant: open an index, retrieve cited passages, answer questions (or say it cannot)."""

from __future__ import annotations

import functools
import logging
import threading
from dataclasses import replace
from pathlib import Path
from typing import Collection, Iterator, Sequence

import numpy as np

from ..config import MODES, PRECISIONS, Settings, check_choice, default_documents_dir, default_index_dir
from ..embed.embedders import Embedder, embed_queries, make_embedder, runs_on_onnx
from ..embed.runtime import configure_libraries
from ..errors import AssistantError, DocumentError, IndexLockedError, IndexStateError, QuestionError
from ..indexing.changes import model_change
from ..indexing.plan import pending_changes
from ..indexing.report import IndexReport
from ..indexing.update import update_index
from ..ingest.discovery import find_document_files
from ..ingest.documents import Document
from ..results import ANSWERED, NOT_FOUND, RELATED, Answer, Passage, SearchResult
from ..stores.factory import open_index_directory
from ..stores.manifest import recorded_model
from ..stores.snapshot import IndexSnapshot
from ..text.informal import written_out
from .cleaning import clean_question
from .conversation import FollowUp, rewrite_question
from .llm import AnswerWriter, GenerationError, build_messages, verification_note
from .retrieval import Retriever, dense_question
from .turns import HistoryItem, Turn, read_history

log = logging.getLogger(__name__)

QUERY_CACHE_SIZE = 1024
WORKED_OUT_CACHE = 256  # answers of earlier questions given without them, by conversation so far
# What `Answer.text` says when no passage is quoted as the answer.
NOT_FOUND_TEXT = "Không tìm thấy đoạn nào trong các bài báo đã lưu nói về điều này."
RELATED_TEXT = "Chưa chắc chắn các đoạn sau trả lời câu hỏi, nhưng chúng có liên quan:"
# A question in another language is matched by the multilingual model alone (confidence.py).
FOREIGN_NOTE = "Câu hỏi có vẻ không phải tiếng Việt; hãy thử hỏi lại bằng tiếng Việt."


class Assistant:
    """Question answering over an index directory.

    Build or open one with `Assistant.open()`; ask with `ask()` or just `retrieve()` passages.
    Thread-safe: questions read an immutable snapshot; indexing publishes a new one atomically.
    """

    def __init__(self, index_dir: str | Path | None = None, settings: Settings | None = None,
                 embedder: Embedder | None = None):
        self.settings = settings or Settings.from_env()
        self.writer = AnswerWriter.configured(self.settings)
        self.index_directory = open_index_directory(index_dir if index_dir is not None else default_index_dir(),
                                                    self.settings)
        if self.settings.precision == "auto" and embedder is None:
            self.settings = replace(self.settings, precision=self._recorded_precision())
        self.embedder = embedder or make_embedder(self.settings)
        configure_libraries(self.settings.threads)
        self._snapshot: IndexSnapshot | None = None
        self._pointer: object = None  # the state of `CURRENT` when `_snapshot` was loaded
        self._model_checked: Path | None = None  # the generation whose model matches the embedder
        self._lock = threading.Lock()
        self._following = threading.Lock()  # held by the one thread loading a newly published generation
        # Chat users repeat and refine questions; the model call dominates a query's cost.
        self._query_vector = functools.lru_cache(maxsize=QUERY_CACHE_SIZE)(self._embed_question)
        self._retriever = Retriever(self.settings, self._query_vector)
        self._worked_out: dict[tuple, Turn] = {}

    def _recorded_precision(self) -> str:
        """For `auto`: the precision of the index's vectors when the configured model made them and
        can run it (an index stays usable as it is), else `auto`."""
        recorded = recorded_model(self.index_directory.live_manifest())
        if not recorded or recorded.get("id") != self.settings.model or recorded["precision"] not in PRECISIONS:
            return "auto"
        runnable = recorded["precision"] == "float32" or runs_on_onnx(self.settings.model, self.settings.backend)
        return recorded["precision"] if runnable else "auto"  # then questions are refused with the fix

    def _check_model(self, snapshot: IndexSnapshot) -> None:
        """Refuse to compare a question's vector with passages embedded by another model (or precision).

        Raises:
            IndexStateError: the index was embedded by another model; says how to re-embed it.
        """
        if self._model_checked == snapshot.generation:
            return
        changed = model_change(snapshot, self.settings, self.embedder)
        if changed:
            raise IndexStateError(f"{self.index_dir}: {changed}; questions must be embedded by the model that "
                                  "embedded the passages: run `assistant index` to re-embed them, or set "
                                  "ASSISTANT_MODEL / ASSISTANT_PRECISION back")
        self._model_checked = snapshot.generation

    def _embed_question(self, question: str) -> np.ndarray:
        vector = embed_queries(self.embedder, [question])[0]
        vector.setflags(write=False)
        return vector

    # --- opening and indexing ------------------------------------------------------------------

    @classmethod
    def open(cls, index_dir: str | Path | None = None, documents: Sequence[str | Path] | None = None,
             settings: Settings | None = None, embedder: Embedder | None = None, update: bool = True,
             progress: bool = False) -> "Assistant":
        """Open the index in `index_dir`, building it first when there is none, and bringing it in
        line with its documents when `update` and no other process is writing it.

        Opening never waits for an indexer and never fails because of one: when the update cannot
        be made at once (another process holds the writer lock, the index directory is read-only,
        a watched folder is missing, the disk is full), the reason is logged in one line and the
        live generation answers.

        Args:
            index_dir: the index directory (created if missing); default `config.default_index_dir()`.
            documents: folders/files to index when the index is new; default `config.default_documents_dir()`.
            settings: defaults from `Settings.from_env()`.
            embedder: defaults to the configured sentence-transformers model.
            update: re-index changed documents (or a changed model) before opening; when False
                the index is used as it is and must exist, and nothing is written.
            progress: show a progress bar while embedding.

        Raises:
            IndexStateError: there is no index and `update` is False, or it cannot be read.
            DocumentError: there is no index and no article to build it from.
            IndexLockedError: there is no index yet and another process is building it.
        """
        assistant = cls(index_dir, settings, embedder)
        pointer = assistant.index_directory.pointer_state()
        snapshot = assistant.index_directory.load(mmap=assistant.settings.mmap)
        if snapshot is None and not update:
            raise IndexStateError(f"no index in {assistant.index_dir}; run `assistant index` first")
        assistant._use(snapshot, pointer)
        if snapshot is None:
            assistant._build_first(documents, progress)
        elif update:
            try:
                if pending_changes(snapshot, assistant.settings, assistant.embedder).changed:
                    log.info("%s", assistant.index(progress=progress).summary())  # the embedding says it runs
            except AssistantError as error:
                level = logging.INFO if isinstance(error, IndexLockedError) else logging.WARNING
                log.log(level, "The index was not updated: %s. Answering from the index as it is.", error)
        return assistant

    def _build_first(self, documents: Sequence[str | Path] | None, progress: bool) -> None:
        """Build the index from `documents` (default `config.default_documents_dir()`).

        Raises:
            DocumentError: they hold no article.
        """
        sources = [str(Path(p).resolve()) for p in (documents or [default_documents_dir()])]
        if not any(Path(source).is_file() or find_document_files([source])
                   for source in sources if Path(source).exists()):
            raise DocumentError(f"no articles to index in {', '.join(sources)}; put .txt or .md files there, "
                                "or index files from anywhere with `assistant index PATH`")
        log.info("Building the index in %s…", self.index_dir)
        log.info("%s", self.index(sources=sources, progress=progress).summary())

    def index(self, paths: Sequence[str | Path] = (), remove: Sequence[str] = (), sources: list[str] | None = None,
              rebuild: bool = False, follow_symlinks: bool = False, progress: bool = False) -> IndexReport:
        """Add `paths`, drop the documents `remove`, pick up changed files; then reload.

        Only passages whose text changed are embedded again; see `indexer.update_index`.
        """
        report = update_index(self.index_directory, self.embedder, self.settings, add=[Path(p) for p in paths],
                              remove=list(remove), sources=sources, rebuild=rebuild,
                              follow_symlinks=follow_symlinks, progress=progress, loaded=self._snapshot)
        if self._snapshot is None or self.index_directory.current() != self._snapshot.generation:
            self.reload()  # nothing to read when nothing changed
        return report

    def restore(self, generation: str) -> Path:
        """Make an earlier generation of the index live again, after checking all its files.

        Raises:
            IndexStateError: no such generation, or it is incomplete or altered.
            IndexLockedError: another indexer is writing.
        """
        with self.index_directory.writer_lock():
            restored = self.index_directory.restore(generation)
        self.reload()
        return restored

    def reload(self) -> None:
        """Switch to the index's live generation (e.g. after another process re-indexed)."""
        pointer = self.index_directory.pointer_state()
        self._use(self.index_directory.load(mmap=self.settings.mmap), pointer)

    def _use(self, snapshot: IndexSnapshot | None, pointer: object) -> None:
        """Answer from `snapshot` from now on; `pointer`: the state of `CURRENT` before it was read
        (`IndexDirectory.pointer_state`), so a generation published meanwhile is loaded next."""
        with self._lock:
            self._snapshot = snapshot
            self._pointer = pointer

    def _follow_live(self) -> None:
        """Switch to a generation another process has published since this one was loaded.

        One `stat` of `CURRENT` when nothing changed. A thread that finds it changed loads the new
        generation while the others go on answering from the one they have; a generation that
        cannot be loaded leaves the loaded one answering (said once, in the log).
        """
        pointer = self.index_directory.pointer_state()
        if pointer == self._pointer or not self._following.acquire(blocking=False):
            return
        try:
            current = self._snapshot
            if current is None or self.index_directory.current() != current.generation:
                self._use(self.index_directory.load(mmap=self.settings.mmap), pointer)
            else:
                self._pointer = pointer
        except AssistantError as error:
            self._pointer = pointer  # not again at every question
            log.warning("A new generation of %s could not be loaded (%s); answering from the one loaded.",
                        self.index_dir, error)
        finally:
            self._following.release()

    @property
    def snapshot(self) -> IndexSnapshot:
        """The live generation, as loaded; a generation published since by another process (an
        `assistant index`, another chat) is loaded first."""
        self._follow_live()
        snapshot = self._snapshot
        if snapshot is None:
            raise IndexStateError(f"no index in {self.index_directory.directory}; run `assistant index` first")
        return snapshot

    @property
    def index_dir(self) -> Path:
        """The index directory."""
        return self.index_directory.directory

    def documents(self) -> list[Document]:
        """The indexed documents, in index order."""
        return list(self.snapshot.documents.values())

    def document(self, document_id: str) -> Document | None:
        """The indexed document with this id (its full text, for showing a passage in context)."""
        return self.snapshot.documents.get(document_id)

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
        return self.search(question, k, mode).passages

    def ask(self, question: str, history: Sequence[HistoryItem] | None = None, k: int = 5,
            mode: str | None = None, generate: bool = True) -> Answer:
        """Answer `question` with a quotation from the documents, or show the passages on its
        subject with a caveat, or say that nothing in the documents is about it (`Answer.status`).
        With an LLM server configured (`Settings.llm_url`), passages found are also given to it to
        phrase an answer, shown only when its citations hold (`llm.py`).

        Args:
            question: the user's question.
            history: the earlier turns of the same conversation, oldest first: questions (text),
                turns `{"question": ..., "answer": ...}` or `Answer` objects. A follow-up refers to
                the people, places and things of earlier questions and answers; when only the
                questions are given, their answers are worked out again.
            k: how many passages to cite.
            mode: retrieval mode (see `retrieve`).
            generate: ask the LLM server when one is configured.
        """
        answer = self._extractive_answer(question, history, k, mode)
        if not generate or self.writer is None or answer.status == NOT_FOUND:
            return answer
        try:
            text = self.writer.complete(self._llm_messages(answer, history))
        except GenerationError as error:
            log.info("LLM server: %s", error)
            return replace(answer, notes=answer.notes + [error.note])
        return self.checked(answer, text)

    def ask_stream(self, question: str, history: Sequence[HistoryItem] | None = None, k: int = 5,
                   mode: str | None = None) -> Iterator[str | Answer]:
        """`ask`, with the LLM's answer streamed: its pieces (text) as they arrive, then the final
        `Answer`, which is the extractive one with a note when the generated text fails a check."""
        answer = self._extractive_answer(question, history, k, mode)
        if self.writer is None or answer.status == NOT_FOUND:
            yield answer
            return
        pieces = []
        try:
            for piece in self.writer.stream(self._llm_messages(answer, history)):
                pieces.append(piece)
                yield piece
        except GenerationError as error:
            log.info("LLM server: %s", error)
            yield replace(answer, notes=answer.notes + [error.note])
            return
        yield self.checked(answer, "".join(pieces))

    def checked(self, answer: Answer, text: str) -> Answer:
        """`answer` with the LLM's `text` in its place when every citation holds, else as it was
        with a note saying why."""
        note = verification_note(text, answer.passages)
        if note is not None:
            return replace(answer, notes=answer.notes + [note])
        return replace(answer, status=ANSWERED, text=text.strip(), generated=True, model=self.writer.model)

    def _llm_messages(self, answer: Answer, history: Sequence[HistoryItem] | None) -> list[dict]:
        return build_messages(answer.question, answer.passages, [turn.question for turn in read_history(history)],
                              answer.rewritten_question)

    def _extractive_answer(self, question: str, history: Sequence[HistoryItem] | None, k: int,
                           mode: str | None) -> Answer:
        text, notes = clean_question(question, self.settings.max_question_chars)
        rewritten, result = self._search_in_conversation(text, history, k, mode)
        status = result.relevance.status
        if result.relevance.foreign:
            notes = notes + [FOREIGN_NOTE]
        if status == NOT_FOUND:
            return Answer(text, NOT_FOUND, NOT_FOUND_TEXT, [], rewritten, notes)
        passages, reading = result.passages, result.reading
        if status == RELATED:
            return Answer(text, RELATED, RELATED_TEXT, passages, rewritten, notes)
        best = passages[0]
        start, end = best.highlights[0] if best.highlights else (best.start, best.end)
        quotation = best.text[start - best.start:end - best.start]  # not self.snapshot: a reload may have replaced it
        short = reading.short if reading is not None else None
        return Answer(text, ANSWERED, f"“{quotation}” [1]", passages, rewritten, notes,
                      short_answer=reading.short_text if short else None, short_span=short)

    def search(self, question: str, k: int = 5, mode: str | None = None,
               exclude_documents: Collection[str] = (),
               history: Sequence[HistoryItem] | None = None) -> SearchResult:
        """Retrieval with its evidence: passages, the answer's status and signals, per-stage timings.

        Args:
            question: the question (cleaned here: NFC, control characters, length).
            k: how many passages.
            mode: `hybrid` (default), `dense` or `lexical`.
            exclude_documents: document ids to leave out of the results.
            history: the earlier turns of its conversation (as for `ask`); the result is then the
                question's as understood in it (`SearchResult.question`).
        """
        question, _notes = clean_question(question, self.settings.max_question_chars)
        return self._search_in_conversation(question, history, k, mode, exclude_documents)[1]

    def _search_in_conversation(self, text: str, history: Sequence[HistoryItem] | None, k: int, mode: str | None,
                                exclude_documents: Collection[str] = ()) -> tuple[str | None, SearchResult]:
        """The cleaned question `text` rewritten, its chat short forms written out ("ko đc" →
        "không được") and as its conversation says (None when neither changed it), and the search
        for it, the document it follows up on preferred."""
        turns = self._understood(read_history(history), k, mode) if history else []
        written = written_out(text)
        follow = rewrite_question(written, turns, self.dense_question) if turns else FollowUp(written)
        rewritten = follow.text if follow.text != text else None
        asked = clean_question(rewritten, self.settings.max_question_chars)[0] if rewritten else text
        return rewritten, self._search(asked, k, mode, exclude_documents, follow)

    def _understood(self, turns: list[Turn], k: int, mode: str | None) -> list[Turn]:
        """`turns` with the answers of those given as bare questions worked out again, oldest
        first, each with the turns before it (a conversation's earlier answers are what its
        follow-ups refer to)."""
        understood: list[Turn] = []
        for turn in turns:
            if turn.answered:
                understood.append(turn)
                continue
            key = (turn.question, tuple(understood), k, mode)
            if key not in self._worked_out:
                answer = self._extractive_answer(turn.question, list(understood), k, mode)
                self._worked_out[key] = Turn.of_answer(answer)
                while len(self._worked_out) > WORKED_OUT_CACHE:
                    self._worked_out.pop(next(iter(self._worked_out)))
            understood.append(self._worked_out[key])
        return understood

    def _search(self, question: str, k: int, mode: str | None, exclude_documents: Collection[str] = (),
                follow: FollowUp | None = None) -> SearchResult:
        """`search` for a question already cleaned; `follow`: how a follow-up was understood (the
        document it continues from ranks a little higher; the words it carried in are the context's)."""
        mode = check_choice(mode or self.settings.mode, MODES, "retrieval mode")
        if k < 1:
            raise QuestionError(f"k must be at least 1, not {k}")
        snapshot = self.snapshot
        if mode != "lexical":
            self._check_model(snapshot)
        return self._retriever.search(snapshot, question, k, mode, exclude_documents, follow or FollowUp(question))

    def dense_question(self, question: str) -> str:
        """The question as the dense model sees it: diacritics restored when typed without any."""
        return dense_question(question, self.snapshot)
