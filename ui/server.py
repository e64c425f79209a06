"""The chat's server: one FastAPI app holding the JSON API, the login page and the Gradio page,
every request passing the same access rule; served by uvicorn (`launch`)."""

import ipaddress
import json
import logging
import socket
import threading
import time
from pathlib import Path
from typing import TYPE_CHECKING, Sequence
from urllib.parse import quote

from .api import PREFIX, api_router
from .app import MAX_UPLOAD_BYTES, ChatApp
from .auth import (
    API_PREFIX,
    MAX_FORM_BYTES,
    NEED_LOGIN,
    OPEN_PATHS,
    SESSION_COOKIE,
    SESSION_SECONDS,
    UPLOAD_ROUTE,
    Access,
    Refused,
    login_form_fields,
    login_page,
    parse_cookies,
)
from .page import DEFAULT_CONCURRENCY_LIMIT, build_page
from .render import CSS
from .vietnamese import HEAD, validation_message

if TYPE_CHECKING:
    from fastapi import FastAPI

    from assistant.answer.assistant import Assistant
    from assistant.config import Settings

log = logging.getLogger("assistant.chat")
STARTUP_SECONDS = 60


def is_loopback(host: str) -> bool:
    """Whether `host` is only reachable from this machine (127.0.0.0/8, ::1, localhost)."""
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


class AccessMiddleware:
    """Applies `Access` to Gradio's own routes: a login for every one (the login page and the API,
    which answers for itself, aside), and the editor role for its upload route. Plain ASGI, so
    Gradio's event streams pass through untouched."""

    def __init__(self, app, access: Access):
        self.app, self.access = app, access

    async def __call__(self, scope, receive, send):
        path = scope.get("path", "")
        if scope["type"] not in ("http", "websocket") or path.startswith(API_PREFIX) or path in OPEN_PATHS:
            return await self.app(scope, receive, send)
        headers = {key.decode("latin-1").lower(): value.decode("latin-1") for key, value in scope["headers"]}
        try:
            user = self.access.identify(headers, parse_cookies(headers.get("cookie", "")),
                                        (scope.get("client") or ("?",))[0])
            if user is None:
                if scope["type"] == "http" and scope["method"] in ("GET", "HEAD") and (
                        path == "/" or "text/html" in headers.get("accept", "")):
                    return await _redirect(send, "/login?next=" + quote(path))
                raise Refused(401, NEED_LOGIN)
            if path.rstrip("/") == UPLOAD_ROUTE:
                self.access.check_edit(user)
        except Refused as refused:
            if scope["type"] == "websocket":
                return await send({"type": "websocket.close", "code": 1008})
            return await _json_error(send, refused)
        return await self.app(scope, receive, send)


async def _redirect(send, location: str) -> None:
    await send({"type": "http.response.start", "status": 303,
                "headers": [(b"location", location.encode("latin-1")), (b"content-length", b"0")]})
    await send({"type": "http.response.body", "body": b""})


async def _json_error(send, refused: Refused) -> None:
    body = json.dumps({"error": refused.message}, ensure_ascii=False).encode("utf-8")
    headers = [(b"content-type", b"application/json; charset=utf-8"), (b"content-length", str(len(body)).encode())]
    if refused.retry_after:
        headers.append((b"retry-after", str(max(1, round(refused.retry_after))).encode()))
    await send({"type": "http.response.start", "status": refused.status, "headers": headers})
    await send({"type": "http.response.body", "body": body})


def build_server(app: ChatApp, access: Access) -> "FastAPI":
    """The FastAPI app: `/api/v1/...`, `/login`, `/logout`, and the Gradio page at `/`."""
    import gradio as gr
    from fastapi import FastAPI, Request
    from fastapi.exceptions import RequestValidationError
    from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse

    server = FastAPI(title="Hỏi đáp tin tức tiếng Việt — API", version="1",
                     description="Trả lời câu hỏi về các bài báo đã lưu, kèm trích dẫn bài, đoạn và vị trí ký tự.",
                     openapi_url=f"{PREFIX}/openapi.json", docs_url=None, redoc_url=None)

    @server.exception_handler(Refused)
    async def refused(request: Request, error: Refused):
        headers = {}
        if error.status == 401:
            headers["WWW-Authenticate"] = 'Basic realm="assistant", charset="UTF-8"'
        if error.retry_after:
            headers["Retry-After"] = str(max(1, round(error.retry_after)))
        return JSONResponse({"error": error.message}, status_code=error.status, headers=headers)

    @server.exception_handler(RequestValidationError)
    async def invalid(request: Request, error: RequestValidationError):
        return JSONResponse({"error": validation_message(error.errors())}, status_code=422)

    server.include_router(api_router(app, access))

    @server.api_route(PREFIX + "/{rest:path}", methods=["GET", "POST", "PUT", "PATCH", "DELETE"],
                      include_in_schema=False)
    def unknown(request: Request, rest: str):
        raise Refused(404, f"API không có {request.method} {request.url.path}; xem {PREFIX}/openapi.json.")

    @server.get("/login", include_in_schema=False)
    def login_form(next: str = "/"):
        if not access.login_required:
            return RedirectResponse("/", status_code=303)
        return HTMLResponse(login_page(target=next))

    @server.post("/login", include_in_schema=False)
    async def login(request: Request):
        body = await request.body()
        if len(body) > MAX_FORM_BYTES or not access.login_required:
            return RedirectResponse("/login", status_code=303)
        name, password, target = login_form_fields(body)
        try:
            user = access.login(name, password, request.client.host if request.client else "?")
        except Refused as error:
            return HTMLResponse(login_page(error.message, name, target), status_code=error.status)
        response = RedirectResponse(target, status_code=303)
        response.set_cookie(SESSION_COOKIE, access.start_session(user), max_age=SESSION_SECONDS, httponly=True,
                            samesite="lax")
        return response

    @server.get("/logout", include_in_schema=False)
    def logout(request: Request):
        access.end_session(request.cookies.get(SESSION_COOKIE))
        response = RedirectResponse("/login" if access.login_required else "/", status_code=303)
        response.delete_cookie(SESSION_COOKIE)
        return response

    page = build_page(app, access)
    page.queue(default_concurrency_limit=DEFAULT_CONCURRENCY_LIMIT)
    # Gradio refuses larger files itself; up to that size, `save_upload` refuses those over the
    # chat's own limit with the project's message.
    gr.mount_gradio_app(server, page, path="/", footer_links=[], run_history=False, show_error=False,
                        max_file_size=5 * MAX_UPLOAD_BYTES, ssr_mode=False, css=CSS, head=HEAD, mcp_server=False,
                        auth_dependency=_gradio_user(access) if access.login_required else None)
    server.add_middleware(AccessMiddleware, access=access)
    return server


def _gradio_user(access: Access):
    """Gradio's `auth_dependency`: the logged-in user's name (its handlers look the role up)."""
    def user(request) -> str | None:
        try:
            found = access.identify(request.headers, request.cookies, request.client.host if request.client else "?")
        except Refused:
            return None
        return found.name if found else None
    return user


class Server:
    """A running chat server (uvicorn in a thread); `close()` stops it."""

    def __init__(self, app: "FastAPI", host: str, port: int):
        import uvicorn

        self.host, self.port = host, port
        self.app = app
        config = uvicorn.Config(app, host=host, port=port, log_level="warning", lifespan="on",
                                timeout_graceful_shutdown=2)
        self._server = uvicorn.Server(config)
        self._thread: threading.Thread | None = None
        # Pages left open keep Gradio's event streams open: stopping cancels them after the grace
        # period, and uvicorn would print each cancellation as an error with its traceback.
        self._quiet_when_stopping = lambda record: not self._server.should_exit

    @property
    def local_url(self) -> str:
        host = f"[{self.host}]" if ":" in self.host else self.host
        return f"http://{'127.0.0.1' if self.host in ('0.0.0.0', '') else host}:{self.port}/"

    def _run(self) -> None:
        errors = logging.getLogger("uvicorn.error")
        errors.addFilter(self._quiet_when_stopping)
        try:
            self._server.run()
        finally:
            errors.removeFilter(self._quiet_when_stopping)

    def start(self) -> "Server":
        """Serve in a background thread; return once it accepts connections."""
        self._thread = threading.Thread(target=self._run, name="chat-server", daemon=True)
        self._thread.start()
        deadline = time.monotonic() + STARTUP_SECONDS
        while not self._server.started:
            if not self._thread.is_alive() or time.monotonic() > deadline:
                raise OSError(f"the chat server did not start on {self.host}:{self.port}")
            time.sleep(0.02)
        return self

    def serve(self) -> None:
        """Serve in this thread until interrupted (Ctrl-C)."""
        self._run()

    def close(self) -> None:
        self._server.should_exit = True
        if self._thread is not None:
            self._thread.join(timeout=10)


def check_port_free(host: str, port: int) -> None:
    """Raises OSError, naming the fix, when `host:port` cannot be bound."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    with socket.socket(family) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind((host, port))
        except OSError as error:
            raise OSError(f"cannot serve on {host}:{port} ({error.strerror}); choose another --port") from error


def launch(index_dir: str | Path | None = None, settings: "Settings | None" = None, host: str = "127.0.0.1",
           port: int = 7860, documents: Sequence[str | Path] | None = None, uploads_dir: str | Path | None = None,
           assistant: "Assistant | None" = None, access: Access | None = None, block: bool = True) -> Server:
    """Open the assistant once, then serve the chat and its API on `host:port`.

    Args:
        index_dir: the index directory (built from `documents` when new); default as `Assistant.open`.
        settings: model, LLM server and the rest; default `Settings.from_env()`. The LLM server is
            chosen here, by whoever starts the app: the page offers no way to change it.
        host: address to bind; `127.0.0.1` keeps the app private to this machine.
        port: TCP port.
        documents: folders/files to index when the index is new (default `documents/`).
        uploads_dir: where uploaded articles are saved; default `default_uploads_dir`.
        assistant: an already opened assistant (tests); `index_dir`, `settings`, `documents` are then unused.
        access: users and read-only mode (default: no logins, everyone may edit).
        block: serve until interrupted; False returns the running server at once (call `.close()`).
    """
    from assistant.config import default_uploads_dir

    check_port_free(host, port)
    if assistant is None:
        from assistant.answer.assistant import Assistant

        log.info("Đang mở chỉ mục và mô hình…")
        assistant = Assistant.open(index_dir, documents=documents, settings=settings)
    uploads = Path(uploads_dir) if uploads_dir else default_uploads_dir(assistant.index_dir)
    server = Server(build_server(ChatApp(assistant, uploads), access or Access()), host, port)
    if not block:
        return server.start()
    log.info("Trang hỏi đáp: %s (Ctrl-C để dừng)", server.local_url)
    server.serve()
    return server
