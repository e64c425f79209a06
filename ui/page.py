"""The chat page: a Gradio interface to ask questions and, for editors, to manage the indexed
articles. Every handler that changes the archive checks the caller's role on the server."""

import contextlib
from pathlib import Path
from typing import TYPE_CHECKING

from .app import EXAMPLES, MAX_UPLOAD_BYTES, ChatApp, Outcome
from .auth import Access
from .users import ROLE_NAMES

if TYPE_CHECKING:
    import gradio as gr

# Retrieval reads an immutable index snapshot, so several questions can run at once; the one
# heavy step, embedding the question, is serialised by a lock inside the embedder anyway. Four
# workers let other users' lexical search and formatting proceed meanwhile, without piling up
# threads on a small (2-CPU) machine.
DEFAULT_CONCURRENCY_LIMIT = 4
# Gradio keeps each file posted to its upload route in its cache until an event uses it (then
# `discard_gradio_copy` deletes it); one never used is deleted this many seconds after it came.
UPLOAD_CACHE_SECONDS = 600
# After an answer, bring its first line (the short answer) to the top of the view, on a phone too,
# instead of the end of the last citation.
SCROLL_TO_ANSWER = """() => {
  const answers = document.querySelectorAll('#chat .va-answer');
  const last = answers[answers.length - 1];
  if (last) { last.scrollIntoView({block: 'start'}); window.scrollBy(0, -12); }
}"""
INTRO = ("<h1>Hỏi đáp tin tức tiếng Việt</h1><p>Mỗi câu trả lời là một trích dẫn nguyên văn từ bài báo, kèm tên "
         "bài, ngày và số đoạn để kiểm chứng. Có thể gõ có dấu hoặc không dấu.</p>")


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


def user_line(access: Access, name: str | None) -> str:
    """Who is logged in, with the role and a way out; a note when the server is read-only."""
    from .render import escape_text

    parts = []
    user = access.user_named(name)
    if access.login_required and user is not None:
        parts.append(f"Đang đăng nhập: <b>{escape_text(user.name)}</b> ({ROLE_NAMES[user.role]}) · "
                     '<a href="logout">Đăng xuất</a>')
    if access.read_only:
        parts.append("Chế độ chỉ đọc: chỉ hỏi đáp và xem tài liệu.")
    return f'<p class="va-user">{" ".join(parts)}</p>' if parts else ""


def build_page(app: ChatApp, access: Access) -> "gr.Blocks":
    """The Gradio interface over `app`; the editors' controls exist only when someone may edit,
    and show only to an editor.

    Args:
        app: the chat's logic, over an assistant loaded once; every request shares it.
        access: who may do what (see `auth.Access`).
    """
    import gradio as gr

    editable = not access.read_only

    def documents_view():
        return app.documents_html(), gr.Dropdown(choices=app.document_choices(), value=None)

    def refusal(request: gr.Request) -> Outcome | None:
        if access.may_edit(request.username):
            return None
        user = access.user_named(request.username)
        message = "Máy chủ đang ở chế độ chỉ đọc." if access.read_only or user is None else \
            f"Tài khoản {user.name} không có quyền thêm hay xóa tài liệu."
        return Outcome(False, message)

    def show(outcome: Outcome):
        if not outcome.ok:
            gr.Warning(outcome.message, title="Chưa thực hiện được")
        return (outcome.html(), *documents_view())

    def add_document(file_path, title, date, request: gr.Request, progress=gr.Progress()):
        try:
            refused = refusal(request)
            if refused:
                return (*show(refused), None, title, date)
            progress(0.2, desc="Đang lưu tệp và tính vector cho các đoạn…")
            outcome = app.add_document(file_path, title, date)
            cleared = ("", "") if outcome.ok else (title, date)
            return (*show(outcome), None, *cleared)
        finally:
            discard_gradio_copy(file_path)

    def remove_document(document_id, request: gr.Request):
        return show(refusal(request) or app.remove_document(document_id))

    def on_load(request: gr.Request):
        table, choices = documents_view()
        line = user_line(access, request.username)
        if not editable:
            return table, line
        return table, choices, line, gr.Column(visible=access.may_edit(request.username))

    def answer(question: str, history: list | None = None) -> dict:
        """Answer a question; JSON as `assistant ask --json` prints it."""
        return app.answer_json(question, history)

    with gr.Blocks(title="Hỏi đáp tin tức", analytics_enabled=False, delete_cache=(60, UPLOAD_CACHE_SECONDS)) as demo:
        with gr.Row(elem_id="header"):
            gr.HTML(INTRO, elem_id="intro")
            user_html = gr.HTML(user_line(access, None), elem_id="user")
        with gr.Tabs():
            with gr.Tab("Hỏi đáp", id="chat-tab"):
                # Markdown off, HTML sanitised, no LaTeX or custom tags: messages are our own escaped HTML.
                chatbot = gr.Chatbot(label="Cuộc trò chuyện", show_label=False, height="68vh", elem_id="chat",
                                     render_markdown=False, sanitize_html=True, latex_delimiters=[], allow_tags=False,
                                     buttons=[], feedback_options=None, autoscroll=False, layout="panel",
                                     placeholder="Hãy hỏi về các bài báo đã lưu.")
                with gr.Row(elem_id="ask-row"):
                    question = gr.Textbox(label="Câu hỏi", show_label=False, scale=6, autofocus=True,
                                          elem_id="question",
                                          placeholder="Nhập câu hỏi, ví dụ: Ai là Chủ tịch UBND phường Tân Mỹ?")
                    send = gr.Button("Hỏi", variant="primary", scale=1, min_width=80, elem_id="ask")
                new_chat = gr.Button("Bắt đầu cuộc trò chuyện mới", size="sm", elem_id="new-chat")
                turns = gr.State([])  # the conversation's turns with their answers (`ChatApp.respond`)
                gr.Examples(EXAMPLES, inputs=question, label="Câu hỏi mẫu")
            with gr.Tab("Tài liệu", id="documents-tab"):
                documents_table = gr.HTML(app.documents_html(), elem_id="documents")
                if editable:
                    editor_tools = _editor_tools(app, visible=access.may_edit(None))
        question.submit(app.respond, [question, chatbot, turns], [question, chatbot, turns], api_name="ask"
                        ).then(None, js=SCROLL_TO_ANSWER)
        send.click(app.respond, [question, chatbot, turns], [question, chatbot, turns], api_visibility="private"
                   ).then(None, js=SCROLL_TO_ANSWER)
        new_chat.click(lambda: ([], "", []), None, [chatbot, question, turns], api_visibility="private")
        chatbot.clear(lambda: [], None, turns, api_visibility="private")  # Gradio's own clear button
        load_outputs = [documents_table, user_html]
        if editable:
            upload, title, date, add, status, choice, remove, column = editor_tools
            load_outputs = [documents_table, choice, user_html, column]
            # Indexing takes the index's writer lock: one at a time, so a second upload waits instead of failing.
            add.click(add_document, [upload, title, date], [status, documents_table, choice, upload, title, date],
                      api_name="upload", concurrency_limit=1, concurrency_id="indexing")
            remove.click(remove_document, choice, [status, documents_table, choice], api_name="remove",
                         concurrency_limit=1, concurrency_id="indexing")
        demo.load(on_load, None, load_outputs, api_visibility="private")
        gr.api(answer, api_name="answer")
    return demo


def _editor_tools(app: ChatApp, visible: bool) -> tuple:
    """The upload form and the removal control, in a column shown to editors only."""
    import gradio as gr

    with gr.Column(visible=visible, elem_id="editor-tools") as column:
        gr.HTML("<h2>Thêm bài báo</h2>")
        upload = gr.File(label=f"Tệp bài báo (.txt hoặc .md, tối đa {MAX_UPLOAD_BYTES // 1_000_000} MB)",
                         type="filepath", elem_id="upload", height=140)
        with gr.Row():
            title = gr.Textbox(label="Tiêu đề (không bắt buộc)", elem_id="upload-title", scale=3)
            date = gr.Textbox(label="Ngày đăng (không bắt buộc, ví dụ 24/10/2025)", elem_id="upload-date", scale=2)
        add = gr.Button("Thêm vào chỉ mục", variant="primary", elem_id="add")
        status = gr.HTML(elem_id="status")
        gr.HTML("<h2>Xóa bài báo</h2>")
        with gr.Row():
            # Any id is accepted and checked by remove_document: the choices a session was
            # built with go stale when another session uploads.
            choice = gr.Dropdown(label="Tài liệu cần xóa", choices=app.document_choices(), value=None, scale=4,
                                 allow_custom_value=True, elem_id="remove-choice")
            remove = gr.Button("Xóa khỏi chỉ mục", variant="stop", scale=1, elem_id="remove")
    return upload, title, date, add, status, choice, remove, column

