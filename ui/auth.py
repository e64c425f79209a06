"""Who is asking, and what they may do: logins (the login page's session cookie, or HTTP Basic),
their rate limit, and the rule every route of the server follows.

Three ways to serve:
- no users file: one person on their own machine; everyone is an editor (bound to loopback only,
  `assistant chat` checks that);
- a users file: a login for the page and the API; a reader asks and reads, an editor also
  uploads and removes;
- read-only (`--read-only`): everyone only asks and reads, with or without logins.

Roles are checked on the server for every request (`AccessMiddleware` for Gradio's own routes,
the API's dependencies, and the chat's handlers), never by hiding buttons alone.
"""

from __future__ import annotations

import base64
import binascii
import html
import logging
import secrets
import threading
import time
from collections import deque
from dataclasses import dataclass, field
from typing import Callable, Mapping
from urllib.parse import parse_qs

from .users import EDITOR, READER, ROLE_NAMES, User, UsersFile

log = logging.getLogger("assistant.chat")

SESSION_COOKIE = "va_session"
SESSION_SECONDS = 12 * 3600
# Five wrong passwords within five minutes, from one address or for one name, lock it for the rest of them.
MAX_FAILURES = 5
FAILURE_WINDOW = 300.0
MAX_FORM_BYTES = 4096
# Paths that answer without a login: the login page itself, and the API (it asks for HTTP Basic itself).
OPEN_PATHS = ("/login", "/logout")
API_PREFIX = "/api/v1"
UPLOAD_ROUTE = "/gradio_api/upload"

NEED_LOGIN = "Cần đăng nhập để dùng trang này."
WRONG_LOGIN = "Tên đăng nhập hoặc mật khẩu không đúng."
READ_ONLY = "Máy chủ đang ở chế độ chỉ đọc: không thể thêm hay xóa tài liệu."


def too_many_attempts(seconds: float) -> str:
    return f"Đăng nhập sai quá nhiều lần; hãy thử lại sau {max(1, round(seconds))} giây."


def reader_refused(user: User) -> str:
    return (f"Tài khoản {user.name} là {ROLE_NAMES[user.role]}: thêm hoặc xóa tài liệu cần quyền "
            f"{ROLE_NAMES[EDITOR]}.")


class Refused(Exception):
    """A request refused: its HTTP status and the Vietnamese one-line reason."""

    def __init__(self, status: int, message: str, retry_after: float | None = None):
        super().__init__(message)
        self.status = status
        self.message = message
        self.retry_after = retry_after


class LoginThrottle:
    """Counts failed logins by key (the client's address, the name tried) over a sliding window."""

    def __init__(self, max_failures: int = MAX_FAILURES, window: float = FAILURE_WINDOW,
                 clock: Callable[[], float] = time.monotonic):
        self.max_failures, self.window, self.clock = max_failures, window, clock
        self._failures: dict[str, deque[float]] = {}
        self._lock = threading.Lock()

    def wait(self, keys: tuple[str, ...]) -> float:
        """Seconds until `keys` may try again (0: now)."""
        now = self.clock()
        with self._lock:
            waits = []
            for key in keys:
                times = self._failures.get(key)
                while times and now - times[0] > self.window:
                    times.popleft()
                if times is not None and not times:
                    del self._failures[key]
                elif times and len(times) >= self.max_failures:
                    waits.append(times[0] + self.window - now)
            return max(waits, default=0.0)

    def failed(self, keys: tuple[str, ...]) -> None:
        now = self.clock()
        with self._lock:
            for key in keys:
                self._failures.setdefault(key, deque()).append(now)

    def succeeded(self, keys: tuple[str, ...]) -> None:
        with self._lock:
            for key in keys:
                self._failures.pop(key, None)


@dataclass
class Access:
    """The server's rule: who is logged in, with which role.

    Attributes:
        users: the users file; None serves without logins (one person's own machine).
        read_only: nobody uploads or removes, whatever their role.
    """

    users: UsersFile | None = None
    read_only: bool = False
    throttle: LoginThrottle = field(default_factory=LoginThrottle)
    _sessions: dict[str, tuple[str, float]] = field(default_factory=dict, repr=False)
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    @property
    def login_required(self) -> bool:
        return self.users is not None

    def user_named(self, name: str | None) -> User | None:
        """The user `name` with the role the server grants now (the file is read again when it
        changed, so a removed user is refused at once); without logins, the one local user."""
        if self.users is None:
            return User("", READER if self.read_only else EDITOR)
        if not name:
            return None
        role = self.users.entries().get(name, {}).get("role")
        if role is None:
            return None
        return User(name, READER if self.read_only else role)

    def may_edit(self, name: str | None) -> bool:
        user = self.user_named(name)
        return user is not None and user.can_edit

    def check_edit(self, user: User) -> None:
        """Raises Refused (403) unless `user` may upload and remove."""
        if self.read_only:
            raise Refused(403, READ_ONLY)
        if not user.can_edit:
            raise Refused(403, reader_refused(user))

    # --- logging in ----------------------------------------------------------------------------

    def login(self, name: str, password: str, client: str) -> User:
        """Check a name and password, counting failures against the name and the client's address.

        Raises:
            Refused: 429 while too many recent failures, else 401 for wrong credentials
                (logged with the name and address, never the password).
        """
        if self.users is None:
            raise Refused(404, "Máy chủ này không dùng đăng nhập.")
        keys = (f"address:{client}", f"name:{name}")
        wait = self.throttle.wait(keys)
        if wait > 0:
            log.warning("login refused for %r from %s: too many failures", name, client)
            raise Refused(429, too_many_attempts(wait), retry_after=wait)
        user = self.users.authenticate(name, password)
        if user is None:
            self.throttle.failed(keys)
            log.warning("failed login for %r from %s", name, client)
            raise Refused(401, WRONG_LOGIN)
        self.throttle.succeeded(keys)
        return self.user_named(user.name)

    def start_session(self, user: User) -> str:
        token = secrets.token_urlsafe(32)
        with self._lock:
            now = time.time()
            self._sessions = {key: value for key, value in self._sessions.items() if value[1] > now}
            self._sessions[token] = (user.name, now + SESSION_SECONDS)
        return token

    def end_session(self, token: str | None) -> None:
        with self._lock:
            self._sessions.pop(token or "", None)

    def session_user(self, token: str | None) -> User | None:
        with self._lock:
            name, expires = self._sessions.get(token or "", ("", 0.0))
        return self.user_named(name) if expires > time.time() else None

    def identify(self, headers: Mapping[str, str], cookies: Mapping[str, str], client: str) -> User | None:
        """The user a request comes from: its session cookie, else its HTTP Basic credentials
        (an API client's); None when it brings neither.

        Raises:
            Refused: it brings Basic credentials that are wrong (401) or throttled (429).
        """
        if self.users is None:
            return self.user_named(None)
        user = self.session_user(cookies.get(SESSION_COOKIE))
        if user is not None:
            return user
        authorization = headers.get("authorization", "")
        if not authorization.lower().startswith("basic "):
            return None
        try:
            name, _, password = base64.b64decode(authorization[6:].strip(), validate=True).decode("utf-8").partition(":")
        except (binascii.Error, UnicodeDecodeError):
            raise Refused(401, WRONG_LOGIN) from None
        return self.login(name, password, client)


def parse_cookies(header: str) -> dict[str, str]:
    cookies = {}
    for part in header.split(";"):
        name, _, value = part.strip().partition("=")
        if name:
            cookies[name] = value
    return cookies


def login_form_fields(body: bytes) -> tuple[str, str, str]:
    """`(name, password, next path)` of the login form's URL-encoded body."""
    fields = parse_qs(body.decode("utf-8", "replace"), keep_blank_values=True)
    target = fields.get("next", ["/"])[0]
    # Only a path on this server: never an address elsewhere.
    safe_target = target if target.startswith("/") and not target.startswith("//") else "/"
    return fields.get("username", [""])[0].strip(), fields.get("password", [""])[0], safe_target


LOGIN_PAGE = """<!doctype html>
<html lang="vi"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>Đăng nhập · Hỏi đáp tin tức</title>
<style>
body {{ font-family: system-ui, sans-serif; background: #f3f4f6; color: #111827; margin: 0; }}
main {{ max-width: 24rem; margin: 12vh auto; background: #fff; padding: 2rem; border-radius: 12px;
       box-shadow: 0 1px 4px rgba(0,0,0,.12); }}
h1 {{ font-size: 1.4rem; margin-top: 0; }}
label {{ display: block; margin: 1rem 0 .3rem; font-weight: 600; }}
input {{ width: 100%; box-sizing: border-box; padding: .6rem; font-size: 1rem; border: 1px solid #6b7280;
        border-radius: 6px; }}
button {{ margin-top: 1.4rem; width: 100%; padding: .7rem; font-size: 1rem; border: 0; border-radius: 6px;
         background: #1d4ed8; color: #fff; font-weight: 600; cursor: pointer; }}
.error {{ color: #b91c1c; font-weight: 600; }}
</style></head>
<body><main>
<h1>Hỏi đáp tin tức tiếng Việt</h1>
<p>Hãy đăng nhập bằng tài khoản tòa soạn cấp cho bạn.</p>
{message}
<form method="post" action="login">
<input type="hidden" name="next" value="{target}">
<label for="username">Tên đăng nhập</label>
<input id="username" name="username" autocomplete="username" required autofocus value="{name}">
<label for="password">Mật khẩu</label>
<input id="password" name="password" type="password" autocomplete="current-password" required>
<button type="submit">Đăng nhập</button>
</form>
</main></body></html>
"""


def login_page(message: str = "", name: str = "", target: str = "/") -> str:
    """The login page, in Vietnamese, with an optional error line (every value escaped)."""
    note = f'<p class="error" role="alert">{html.escape(message)}</p>' if message else ""
    return LOGIN_PAGE.format(message=note, name=html.escape(name), target=html.escape(target))
