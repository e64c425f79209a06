"""The chat web app: a Gradio interface to ask questions and manage the indexed articles."""

from __future__ import annotations

import contextlib
import hashlib
import html
import logging
import shutil
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, Iterator, Mapping, Sequence

from assistant.config import MAX_HISTORY, default_uploads_dir
from assistant.errors import AssistantError, DocumentError
from assistant.ingest.documents import SUPPORTED_SUFFIXES, check_document_file, document_id_for
from assistant.ingest.refusals import in_vietnamese

from .render import (
    CSS,
    escape_text,
    format_answer_html,
    format_documents_html,
    format_error_html,
    format_streaming_html,
)

if TYPE_CHECKING:
    import gradio as gr

    from assistant.answer.assistant import Assistant
    from assistant.config import Settings

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
    "size": "{name}: {size:,} byte, vượt giới hạn {limit:,} byte; hãy chia nhỏ tệp",
    "unreadable": "{name}: không đọc được tệp ({strerror})",
}
# Retrieval reads an immutable index snapshot, so several questions can run at once; the one
# heavy step, embedding the question, is serialised by a lock inside the embedder anyway. Four
# workers let other users' lexical search and formatting proceed meanwhile, without piling up
# threads on a small (2-CPU) machine.
DEFAULT_CONCURRENCY_LIMIT = 4
PENDING = "Đang tìm trong các bài báo…"
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
        raise DocumentError(UPLOAD_REFUSALS[error.reason].format(**error.detail), error.reason) from error
    except OSError as error:
        raise DocumentError(UPLOAD_REFUSALS["unreadable"].format(name=source.name, strerror=error.strerror),
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
    """What a document action did, as a message for the user."""

    ok: bool
    message: str

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

    def add_document(self, file_path: str | None) -> Outcome:
        """Save an uploaded file into the uploads folder and index it."""
        if not file_path:
            return Outcome(False, "Chưa chọn tệp nào.")
        try:
            saved = save_upload(file_path, self.uploads_dir, self.max_upload_bytes)
        except AssistantError as error:
            return Outcome(False, f"Không thêm được tài liệu: {error}")
        try:
            report = self.assistant.index(paths=[saved])
        except AssistantError as error:
            # A file the index refused must not linger in the uploads folder, unless it was already indexed.
            if saved.resolve() not in {Path(d.path).resolve() for d in self.assistant.documents()}:
                saved.unlink(missing_ok=True)
            return Outcome(False, f"Không thêm được tài liệu: {in_vietnamese(error)}")
        new = report.added + report.updated
        if not new:
            return Outcome(True, f"{saved.name} đã có trong chỉ mục, không thay đổi.")
        titles = ", ".join(f"“{self.assistant.document(i).title}” ({i})" for i in new)
        try:
            saved.read_bytes().decode("utf-8")
            note = ""
        except UnicodeDecodeError:
            note = (" Tệp không phải UTF-8 nên đã được đọc theo bảng mã Windows-1258; hãy kiểm tra dấu tiếng Việt "
                    "(hoặc lưu lại tệp dạng UTF-8).")
        return Outcome(True, f"Đã thêm vào chỉ mục: {titles}.{note}")

    def remove_document(self, document_id: str | None) -> Outcome:
        """Drop a document from the index (its file stays where it is)."""
        if not document_id:
            return Outcome(False, "Hãy chọn tài liệu cần xóa.")
        try:
            self.assistant.index(remove=[document_id])
        except AssistantError as error:
            return Outcome(False, f"Không xóa được tài liệu: {error}")
        return Outcome(True, f"Đã xóa tài liệu {document_id} khỏi chỉ mục.")


def discard_gradio_copy(file_path: str | None) -> None:
    """Delete the copy Gradio keeps of an upload in its cache (and its folder, when empty): the
    article lives in the uploads folder now, or was refused."""
    if not file_path:
        return
    from gradio.utils import get_upload_folder

    path, cache = Path(file_path).resolve(), Path(get_upload_folder()).resolve()
    if path.is_relative_to(cache) and path != cache:
        path.unlink(missing_ok=True)
        with contextlib.suppress(OSError):  # not empty, or already gone
            if path.parent != cache:
                path.parent.rmdir()


def build_app(assistant: "Assistant", uploads_dir: str | Path | None = None) -> "gr.Blocks":
    """The Gradio interface over an opened `assistant`.

    Args:
        assistant: loaded once by the caller; every request shares it.
        uploads_dir: where uploaded articles are saved; default `default_uploads_dir`.
    """
    import gradio as gr

    uploads = Path(uploads_dir) if uploads_dir else default_uploads_dir(assistant.index_dir)
    app = ChatApp(assistant, uploads)

    def documents_view():
        return app.documents_html(), gr.Dropdown(choices=app.document_choices(), value=None)

    def show(outcome: Outcome):
        if not outcome.ok:
            gr.Warning(outcome.message)
        return (outcome.html(), *documents_view())

    def add_document(file_path, progress=gr.Progress()):
        progress(0.2, desc="Đang lưu tệp và tính vector cho các đoạn…")
        try:
            return (*show(app.add_document(file_path)), None)
        finally:
            discard_gradio_copy(file_path)

    def remove_document(document_id):
        return show(app.remove_document(document_id))

    def answer(question: str, history: list | None = None) -> dict:
        """Answer a question; JSON as `assistant ask --json` prints it."""
        return app.answer_json(question, history)

    with gr.Blocks(title="Hỏi đáp tin tức", analytics_enabled=False) as demo:
        gr.HTML("<h1>Hỏi đáp tin tức tiếng Việt</h1><p>Mỗi câu trả lời là một trích dẫn nguyên văn từ bài báo, "
                "kèm tên bài, ngày và số đoạn để kiểm chứng. Có thể gõ có dấu hoặc không dấu.</p>")
        with gr.Tabs():
            with gr.Tab("Hỏi đáp"):
                # Markdown off, HTML sanitised, no LaTeX or custom tags: messages are our own escaped HTML.
                chatbot = gr.Chatbot(label="Cuộc trò chuyện", show_label=False, height="68vh", elem_id="chat",
                                     render_markdown=False, sanitize_html=True, latex_delimiters=[], allow_tags=False,
                                     buttons=[], feedback_options=None, placeholder="Hãy hỏi về các bài báo đã lưu.")
                with gr.Row():
                    question = gr.Textbox(show_label=False, scale=6, autofocus=True, elem_id="question",
                                          placeholder="Nhập câu hỏi, ví dụ: Ai là Chủ tịch UBND phường Tân Mỹ?")
                    send = gr.Button("Hỏi", variant="primary", scale=1, elem_id="ask")
                new_chat = gr.Button("Bắt đầu cuộc trò chuyện mới", size="sm")
                turns = gr.State([])  # the conversation's turns with their answers (`ChatApp.respond`)
                gr.Examples(EXAMPLES, inputs=question, label="Câu hỏi mẫu")
            with gr.Tab("Tài liệu"):
                documents_table = gr.HTML(app.documents_html(), elem_id="documents")
                upload = gr.File(label=f"Tải lên bài báo (.txt hoặc .md, tối đa {MAX_UPLOAD_BYTES // 1_000_000} MB)",
                                 file_types=list(UPLOAD_SUFFIXES), type="filepath", elem_id="upload", height=140)
                status = gr.HTML(elem_id="status")
                with gr.Row():
                    # Any id is accepted and checked by remove_document: the choices a session was
                    # built with go stale when another session uploads.
                    choice = gr.Dropdown(label="Tài liệu cần xóa", choices=app.document_choices(), value=None, scale=4,
                                         allow_custom_value=True)
                    remove = gr.Button("Xóa khỏi chỉ mục", variant="stop", scale=1)

        question.submit(app.respond, [question, chatbot, turns], [question, chatbot, turns], api_name="ask")
        send.click(app.respond, [question, chatbot, turns], [question, chatbot, turns], api_visibility="private")
        new_chat.click(lambda: ([], "", []), None, [chatbot, question, turns], api_visibility="private")
        # Indexing takes the index's writer lock: one at a time, so a second upload waits instead of failing.
        upload.upload(add_document, upload, [status, documents_table, choice, upload], api_name="upload",
                      concurrency_limit=1, concurrency_id="indexing")
        remove.click(remove_document, choice, [status, documents_table, choice], api_name="remove",
                     concurrency_limit=1, concurrency_id="indexing")
        demo.load(documents_view, None, [documents_table, choice], api_visibility="private")
        gr.api(answer, api_name="answer")
    return demo


def launch(index_dir: str | Path | None = None, settings: "Settings | None" = None, host: str = "127.0.0.1",
           port: int = 7860, documents: Sequence[str | Path] | None = None, uploads_dir: str | Path | None = None,
           assistant: "Assistant | None" = None, prevent_thread_lock: bool = False) -> "gr.Blocks":
    """Open the assistant once, then serve the chat on `host:port` (local only by default).

    Args:
        index_dir: the index directory (built from `documents` when new); default as `Assistant.open`.
        settings: model, LLM server and the rest; default `Settings.from_env()`. The LLM server is
            chosen here, by whoever starts the app: the page offers no way to change it.
        host: address to bind; `127.0.0.1` keeps the app private to this machine.
        port: TCP port.
        documents: folders/files to index when the index is new (default `documents/`).
        uploads_dir: where uploaded articles are saved; default `default_uploads_dir`.
        assistant: an already opened assistant (tests); `index_dir`, `settings`, `documents` are then unused.
        prevent_thread_lock: return at once instead of serving until interrupted.

    Returns:
        The running app (call `.close()` to stop it).
    """
    if assistant is None:
        from assistant.answer.assistant import Assistant

        log.info("Loading the index and the embedding model…")
        assistant = Assistant.open(index_dir, documents=documents, settings=settings)
    demo = build_app(assistant, uploads_dir)
    demo.queue(default_concurrency_limit=DEFAULT_CONCURRENCY_LIMIT)
    demo.launch(server_name=host, server_port=port, prevent_thread_lock=prevent_thread_lock, css=CSS,
                max_file_size=MAX_UPLOAD_BYTES, show_error=False, ssr_mode=False)
    return demo


_demo: "gr.Blocks | None" = None


def __getattr__(name: str):
    # `ui.app.demo` (e.g. for `gradio ui/app.py`) is built on first access, over the default index,
    # so importing this module for its formatting functions stays cheap.
    global _demo
    if name == "demo":
        if _demo is None:
            from assistant.answer.assistant import Assistant

            _demo = build_app(Assistant.open())
            _demo.queue(default_concurrency_limit=DEFAULT_CONCURRENCY_LIMIT)
        return _demo
    raise AttributeError(f"module 'ui.app' has no attribute {name!r}")
