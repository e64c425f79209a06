"""The JSON API beside the chat, for a CMS, a bot or `curl` (the same server, the same users).

    POST   /api/v1/ask              {"question", "history"?, "k"?} → the `assistant ask --json` object
    GET    /api/v1/search?q=&k=     → {"question", "passages": [...]}
    GET    /api/v1/documents        → [{"id", "title", "date", "characters", "encoding"}, ...]
    POST   /api/v1/documents        multipart: file, title?, date? (editors) → {"message", "documents"}
    DELETE /api/v1/documents/{id}   (editors) → {"message", "removed"}

With a users file every call needs HTTP Basic (401 without, 403 for a reader's write). Errors are
`{"error": "<one line in Vietnamese>"}` with a 4xx code; the OpenAPI description is at
`/api/v1/openapi.json`. Documents' file paths on the server are never shown.
"""

import shutil
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

from fastapi import APIRouter, Depends, File, Form, Query, Request, UploadFile
from fastapi.security.http import HTTPBase
from pydantic import BaseModel, Field

from assistant.config import MAX_HISTORY
from assistant.errors import AssistantError

from .app import ChatApp, document_json, refusal_message
from .auth import NEED_LOGIN, Refused
from .users import User

if TYPE_CHECKING:
    from .auth import Access

PREFIX = "/api/v1"
MAX_K = 20
# Only declares the scheme in the OpenAPI description; `Access.identify` reads the header (in UTF-8,
# where FastAPI's HTTPBasic would refuse a Vietnamese password).
BASIC = HTTPBase(scheme="basic", scheme_name="HTTPBasic", auto_error=False,
                 description="Tên và mật khẩu của `assistant users add`.")


class AskRequest(BaseModel):
    """A question, with the conversation so far for follow-ups."""

    question: str = Field(description="Câu hỏi tiếng Việt, có dấu hoặc không dấu.")
    history: list[str | dict] | None = Field(
        default=None, max_length=MAX_HISTORY,
        description="Các lượt trước, cũ nhất trước: câu hỏi, hoặc {\"question\", \"answer\"} với answer là "
                    "đối tượng JSON mà API đã trả về.")
    k: int = Field(default=5, ge=1, le=MAX_K, description="Số đoạn trích dẫn.")


def api_router(app: ChatApp, access: "Access") -> APIRouter:
    """The API's routes over the chat's logic, each checking the caller's role."""
    router = APIRouter(prefix=PREFIX, tags=["api"], dependencies=[Depends(BASIC)])

    def caller(request: Request) -> User:
        client = request.client.host if request.client else "?"
        user = access.identify(request.headers, request.cookies, client)
        if user is None:
            raise Refused(401, f"{NEED_LOGIN} Gửi tên và mật khẩu theo HTTP Basic, ví dụ curl -u TÊN:MẬT_KHẨU.")
        return user

    def editor(user: Annotated[User, Depends(caller)]) -> User:
        access.check_edit(user)
        return user

    @router.post("/ask", summary="Trả lời một câu hỏi, kèm trích dẫn")
    def ask(body: AskRequest, _user: Annotated[User, Depends(caller)]) -> dict:
        if not body.question.strip():
            raise Refused(400, "Câu hỏi trống; hãy gửi \"question\" là một câu hỏi.")
        try:
            return app.assistant.ask(body.question, history=body.history or None, k=body.k).to_dict(
                include_paths=False)
        except AssistantError as error:
            raise Refused(400, f"Không trả lời được câu hỏi: {error}") from error

    @router.get("/search", summary="Các đoạn khớp nhất với câu hỏi, không kèm câu trả lời")
    def search(q: Annotated[str, Query(description="Câu hỏi hoặc từ khóa.")],
               _user: Annotated[User, Depends(caller)],
               k: Annotated[int, Query(ge=1, le=MAX_K, description="Số đoạn.")] = 5) -> dict:
        if not q.strip():
            raise Refused(400, "Tham số q trống; hãy gửi câu hỏi, ví dụ ?q=trụ sở phường Tân Mỹ.")
        try:
            passages = app.assistant.retrieve(q, k=k)
        except AssistantError as error:
            raise Refused(400, f"Không tìm được: {error}") from error
        return {"question": q, "passages": [passage.to_dict(include_path=False) for passage in passages]}

    @router.get("/documents", summary="Các tài liệu trong chỉ mục")
    def documents(_user: Annotated[User, Depends(caller)]) -> list[dict]:
        return [document_json(document) for document in app.assistant.documents()]

    @router.post("/documents", status_code=201, summary="Thêm một bài báo .txt hoặc .md (biên tập viên)")
    def add_document(file: Annotated[UploadFile, File(description="Tệp .txt hoặc .md, UTF-8.")],
                     _user: Annotated[User, Depends(editor)],
                     title: Annotated[str | None, Form(description="Tiêu đề, nếu muốn đặt.")] = None,
                     date: Annotated[str | None, Form(description="Ngày đăng: 24/10/2025 hoặc 2025-10-24.")] = None
                     ) -> dict:
        with tempfile.TemporaryDirectory(prefix="va-api-upload-") as folder:
            path = Path(folder) / Path(file.filename or "tai-lieu.txt").name
            size = _copy_bounded(file, path, app.max_upload_bytes)
            if size > app.max_upload_bytes:
                raise Refused(413, "Không thêm được tài liệu: " + refusal_message(
                    "size", name=path.name, size=file.size or size, limit=app.max_upload_bytes))
            outcome = app.add_document(path, title, date)
        if not outcome.ok:
            raise Refused(400, outcome.message)
        added = [document_json(app.assistant.document(i)) for i in outcome.documents if app.assistant.document(i)]
        return {"message": outcome.message, "documents": added}

    @router.delete("/documents/{document_id}", summary="Xóa một tài liệu khỏi chỉ mục (biên tập viên)")
    def remove_document(document_id: str, _user: Annotated[User, Depends(editor)]) -> dict:
        if app.assistant.document(document_id) is None:
            raise Refused(404, f"Không có tài liệu {document_id} trong chỉ mục; xem GET {PREFIX}/documents.")
        outcome = app.remove_document(document_id)
        if not outcome.ok:
            raise Refused(409, outcome.message)
        return {"message": outcome.message, "removed": document_id}

    return router


def _copy_bounded(upload: UploadFile, path: Path, limit: int) -> int:
    """Copy at most `limit + 1` bytes of `upload` to `path`; the number of bytes read (over `limit`: too large)."""
    with path.open("wb") as target:
        shutil.copyfileobj(_Bounded(upload.file, limit + 1), target)
    return path.stat().st_size


class _Bounded:
    """A file object that stops after `limit` bytes."""

    def __init__(self, source, limit: int):
        self.source, self.left = source, limit

    def read(self, size: int = -1) -> bytes:
        if self.left <= 0:
            return b""
        data = self.source.read(self.left if size < 0 else min(size, self.left))
        self.left -= len(data)
        return data
