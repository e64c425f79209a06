"""The chat's logic without Gradio: answers, uploads (with their title and date) and removals,
shared by the page (`page.py`) and the JSON API (`api.py`)."""

from __future__ import annotations

import hashlib
import html
import json
import logging
import shutil
import threading
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Iterator, Mapping, Sequence

from assistant.config import MAX_HISTORY
from assistant.errors import AssistantError, DocumentError
from assistant.ingest.documents import SUPPORTED_SUFFIXES, check_document_file, document_id_for
from assistant.ingest.metadata import MAX_METADATA_CHARS, check_metadata, parse_date, sidecar_path
from assistant.ingest.refusals import in_vietnamese

from .render import (
    escape_text,
    format_answer_html,
    format_documents_html,
    format_error_html,
    format_streaming_html,
    thousands,
)

if TYPE_CHECKING:
    from assistant.answer.assistant import Assistant
    from assistant.ingest.documents import Document

log = logging.getLogger(__name__)

EXAMPLES = [
    "Ai là Chủ tịch UBND phường Tân Mỹ?",
    "Khu đất đề xuất xây Trung tâm hành chính rộng bao nhiêu?",
    "dien tich khu dat xay trung tam hanh chinh",
    "Phường Phú Thuận kiến nghị gì về trụ sở làm việc?",
]
UPLOAD_SUFFIXES = SUPPORTED_SUFFIXES
MAX_UPLOAD_BYTES = 2_000_000
MAX_STEM_BYTES = 200
# The chat's wording of `documents.check_document_file`'s refusals.
UPLOAD_REFUSALS = {
    "type": "{name}: chỉ nhận tệp .txt hoặc .md, không nhận {suffix}",
    "size": "{name}: {size} byte, vượt giới hạn {limit} byte; hãy chia nhỏ tệp",
    "unreadable": "{name}: không đọc được tệp ({strerror})",
    "binary": "{name}: là tệp nhị phân, không phải văn bản; hãy lưu bài báo thành tệp .txt hoặc .md (UTF-8)",
    "encoding": "{name}: không đọc được chữ (byte {byte}); hãy lưu lại tệp theo bảng mã UTF-8",
    "empty": "{name}: tệp không có nội dung; hãy thêm phần thân bài báo",
}
PENDING = "Đang tìm trong các bài báo…"


def refusal_message(reason: str, **detail) -> str:
    """The chat's wording of an upload refused for `reason`, numbers grouped as Vietnamese writes them."""
    return UPLOAD_REFUSALS[reason].format(**{key: thousands(value) if isinstance(value, int) else value
                                             for key, value in detail.items()})


def user_questions(messages: Sequence[Mapping[str, Any]] | None) -> list[str]:
    """The user's earlier questions in a chat history, oldest first (unescaped back to text)."""
    questions = []
    for message in messages or []:
        if message.get("role") != "user":
            continue
        content = message.get("content")
        items = content if isinstance(content, list) else [content]
        text = " ".join(item if isinstance(item, str) else str(item.get("text", "")) for item in items
                        if isinstance(item, (str, dict)))
        if text.strip():
            questions.append(html.unescape(text.replace("<br>", "\n")))
    return questions


def save_upload(file_path: str | Path, uploads_dir: Path, max_bytes: int = MAX_UPLOAD_BYTES) -> Path:
    """Copy an uploaded file into `uploads_dir` under a safe name, after checking type and size.

    An identical file already there is reused; a different one with the same name gets a suffix.

    Raises:
        DocumentError: wrong type, too large, or unreadable.
    """
    source = Path(file_path)
    try:
        check_document_file(source, max_bytes)
        data = source.read_bytes()
    except DocumentError as error:
        raise DocumentError(refusal_message(error.reason, **error.detail), error.reason) from error
    except OSError as error:
        raise DocumentError(refusal_message("unreadable", name=source.name, strerror=error.strerror),
                            "unreadable") from error
    stem = document_id_for(source).strip(".") or "tai-lieu"
    # File names are limited to 255 bytes; leave room for "-N", the suffix and a ".meta.json" sidecar.
    stem = stem.encode("utf-8")[:MAX_STEM_BYTES].decode("utf-8", "ignore")
    uploads_dir.mkdir(parents=True, exist_ok=True)
    target = uploads_dir / f"{stem}{source.suffix.lower()}"
    digest = hashlib.sha256(data).hexdigest()
    counter = 1
    while target.exists() and hashlib.sha256(target.read_bytes()).hexdigest() != digest:
        counter += 1
        target = uploads_dir / f"{stem}-{counter}{source.suffix.lower()}"
    if not target.exists():
        shutil.copyfile(source, target)
    return target


@dataclass(frozen=True)
class Outcome:
    """What a document action did, as a message for the user, and the documents it added or changed."""

    ok: bool
    message: str
    documents: tuple[str, ...] = ()

    def html(self) -> str:
        css = "va-note" if self.ok else "va-error"
        return f'<p class="{css}">{escape_text(self.message)}</p>'


@dataclass
class ChatApp:
    """The app's logic without Gradio: one Assistant, loaded once and shared by every request."""

    assistant: "Assistant"
    uploads_dir: Path
    max_upload_bytes: int = MAX_UPLOAD_BYTES
    k: int = 3  # citations per chat answer: three keep the answer and its sources on one screen
    # Uploads and removals from the page and the API take turns here instead of meeting the
    # index's writer lock, which refuses a second writer at once.
    _indexing: threading.Lock = field(default_factory=threading.Lock, repr=False)

    def respond(self, question: str, messages: list[dict] | None, turns: list[dict] | None = None
                ) -> Iterator[tuple[str, list[dict], list[dict]]]:
        """Chat handler: first the question with a "searching" message, then the answer.

        Args:
            turns: the conversation's earlier turns, `{"question", "answer"}` with the answers in
                their JSON form, so a follow-up refers to what the answers said; without them (an
                older client), the earlier questions of `messages`, whose answers are worked out again.

        Yields:
            `(new textbox value, chat messages, turns)`.
        """
        messages = list(messages or [])
        turns = list(turns or [])
        if not isinstance(question, str) or not question.strip():
            yield "", messages, turns
            return
        history = turns or user_questions(messages)
        messages.append({"role": "user", "content": escape_text(question)})
        yield "", [*messages, {"role": "assistant", "content": f'<p class="va-pending"><i>{PENDING}</i></p>'}], turns
        try:
            streamed, answer = "", None
            for item in self.assistant.ask_stream(question, history=history, k=self.k):
                if isinstance(item, str):  # the LLM's answer as it arrives, checked once complete
                    streamed += item
                    content = format_streaming_html(streamed, self.assistant.writer.model)
                    yield "", [*messages, {"role": "assistant", "content": content}], turns
                else:
                    answer = item
            content = format_answer_html(answer, self.assistant.document)
            turns = [*turns, {"question": question, "answer": answer.to_dict(include_paths=False)}][-MAX_HISTORY:]
        except AssistantError as error:
            content = format_error_html(str(error))
        yield "", [*messages, {"role": "assistant", "content": content}], turns

    def answer_json(self, question: str, history: list | None = None, k: int = 5) -> dict:
        """The answer in the JSON shape of `assistant ask --json`, for API clients, without the
        documents' paths: they are the server's business (and Gradio clients would try to
        download any object that has a "path")."""
        try:
            return self.assistant.ask(question, history=history or None, k=k).to_dict(include_paths=False)
        except AssistantError as error:
            return {"question": question, "error": str(error)}

    def document_choices(self) -> list[tuple[str, str]]:
        """`(label, id)` pairs for the removal drop-down."""
        return [(f"{d.title} ({d.id})", d.id) for d in self.assistant.documents()]

    def documents_html(self) -> str:
        """The table of indexed documents."""
        return format_documents_html(self.assistant.documents())

    def add_document(self, file_path: str | Path | None, title: str | None = None, date: str | None = None
                     ) -> Outcome:
        """Save an uploaded file into the uploads folder, with the title and date given (kept in its
        `.meta.json` sidecar, which wins over the file's own header), and index it."""
        if not file_path:
            return Outcome(False, "Chưa chọn tệp nào.")
        metadata, refusal = upload_metadata(title, date)
        if refusal:
            return Outcome(False, f"Không thêm được tài liệu: {refusal}")
        with self._indexing:
            try:
                saved = save_upload(file_path, self.uploads_dir, self.max_upload_bytes)
            except AssistantError as error:
                return Outcome(False, f"Không thêm được tài liệu: {error}")
            sidecar = sidecar_path(saved)
            sidecar_before = sidecar.read_bytes() if sidecar.is_file() else None
            if metadata:
                sidecar.write_text(json.dumps({**_json_object(sidecar_before), **metadata}, ensure_ascii=False),
                                   encoding="utf-8")
            try:
                report = self.assistant.index(paths=[saved])
            except AssistantError as error:
                self._forget_refused(saved, sidecar_before)
                reason = getattr(error, "reason", None)
                said = refusal_message(reason, **error.detail) if reason in UPLOAD_REFUSALS else in_vietnamese(error)
                return Outcome(False, f"Không thêm được tài liệu: {said}")
        new = tuple(report.added + report.updated)
        if not new:
            return Outcome(True, f"{saved.name} đã có trong chỉ mục, không thay đổi.")
        titles = ", ".join(f"“{self.assistant.document(i).title}” ({i})" for i in new)
        try:
            saved.read_bytes().decode("utf-8")
            note = ""
        except UnicodeDecodeError:
            note = (" Tệp không phải UTF-8 nên đã được đọc theo bảng mã Windows-1258; hãy kiểm tra dấu tiếng Việt "
                    "(hoặc lưu lại tệp dạng UTF-8).")
        return Outcome(True, f"Đã thêm vào chỉ mục: {titles}.{note}", new)

    def _forget_refused(self, saved: Path, sidecar_before: bytes | None) -> None:
        """A file the index refused must not linger in the uploads folder, unless it was already indexed."""
        sidecar = sidecar_path(saved)
        if saved.resolve() in {Path(d.path).resolve() for d in self.assistant.documents()}:
            if sidecar_before is not None:
                sidecar.write_bytes(sidecar_before)
            return
        saved.unlink(missing_ok=True)
        sidecar.unlink(missing_ok=True)

    def remove_document(self, document_id: str | None) -> Outcome:
        """Drop a document from the index (its file stays where it is)."""
        if not document_id:
            return Outcome(False, "Hãy chọn tài liệu cần xóa.")
        if self.assistant.document(document_id) is None:
            return Outcome(False, f"Không có tài liệu {document_id} trong chỉ mục.")
        with self._indexing:
            try:
                self.assistant.index(remove=[document_id])
            except AssistantError as error:
                return Outcome(False, f"Không xóa được tài liệu: {error}")
        return Outcome(True, f"Đã xóa tài liệu {document_id} khỏi chỉ mục.", (document_id,))


def document_json(document: "Document") -> dict:
    """A document as the API lists it: `assistant documents --json` without the server's file path."""
    return {"id": document.id, "title": document.title, "date": document.date, "characters": len(document.text),
            "encoding": document.encoding}


def upload_metadata(title: str | None, date: str | None) -> tuple[dict[str, str], str | None]:
    """The title and date typed for an upload, checked: `(metadata, None)`, or `({}, why not)` in Vietnamese."""
    raw = {key: value.strip() for key, value in (("title", title), ("date", date)) if value and value.strip()}
    if "date" in raw and parse_date(raw["date"]) is None:
        return {}, f"“{raw['date']}” không phải một ngày; hãy viết ngày dạng 24/10/2025 hoặc 2025-10-24."
    metadata, notes = check_metadata(raw, "upload")
    if notes:
        return {}, f"tiêu đề cần là chữ, tối đa {MAX_METADATA_CHARS} ký tự."
    return metadata, None


def _json_object(data: bytes | None) -> dict:
    """An earlier sidecar's fields, to keep the ones not typed again ({} when there is none or it is broken)."""
    try:
        value = json.loads(data) if data else {}
    except ValueError:
        return {}
    return value if isinstance(value, dict) else {}
