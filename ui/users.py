"""The chat's users: a JSON file of names, roles and salted scrypt hashes, and checking a login.

    users = UsersFile(Path("users.json"))
    users.add("lan", EDITOR, "mật khẩu dài")    # written atomically, readable by its owner only
    users.authenticate("lan", "mật khẩu dài")    # User(name='lan', role='editor')

The file never holds a password: each is hashed with `hashlib.scrypt` and a random salt, slow on
purpose. A process that checks the same credentials again (an API client sending HTTP Basic on
every request) remembers the result under a keyed digest for as long as the file is unchanged, so
only the first request pays the hash.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import os
import re
import secrets
import tempfile
import threading
from dataclasses import dataclass
from pathlib import Path

from assistant.errors import AssistantError

READER = "reader"
EDITOR = "editor"
ROLES = (READER, EDITOR)
ROLE_NAMES = {READER: "bạn đọc", EDITOR: "biên tập viên"}  # as the page shows them
# scrypt's cost: 2^15 × 8 × 128 bytes = 32 MiB and ~0.15 s per check on a 2-core server.
SCRYPT_N, SCRYPT_R, SCRYPT_P = 2**15, 8, 1
SCRYPT_MAXMEM = 64 * 1024 * 1024
MIN_PASSWORD_CHARS = 8
MAX_PASSWORD_CHARS = 1024
# Letters (Vietnamese too), digits and . _ - @; no ':' (HTTP Basic splits on it) or spaces.
NAME_PATTERN = re.compile(r"[\w.@-]{1,64}")
FORMAT_VERSION = 1
MAX_REMEMBERED = 1024


class UsersError(AssistantError):
    """The users file or a user's name, role or password is not usable."""


@dataclass(frozen=True)
class User:
    """Someone who may log in: a reader asks and reads; an editor also uploads and removes."""

    name: str
    role: str

    @property
    def can_edit(self) -> bool:
        return self.role == EDITOR


def hash_password(password: str) -> str:
    """`scrypt$N$r$p$salt$hash` (base64), with a new random salt."""
    salt = secrets.token_bytes(16)
    digest = _scrypt(password, salt, SCRYPT_N, SCRYPT_R, SCRYPT_P)
    return "$".join(["scrypt", str(SCRYPT_N), str(SCRYPT_R), str(SCRYPT_P), _b64(salt), _b64(digest)])


def verify_password(password: str, stored: str) -> bool:
    """Whether `password` hashes to `stored` (a `hash_password` string); False for a malformed one."""
    try:
        scheme, n, r, p, salt, digest = stored.split("$")
        if scheme != "scrypt":
            return False
        expected = base64.b64decode(digest)
        return hmac.compare_digest(_scrypt(password, base64.b64decode(salt), int(n), int(r), int(p)), expected)
    except (ValueError, TypeError):
        return False


def _scrypt(password: str, salt: bytes, n: int, r: int, p: int) -> bytes:
    return hashlib.scrypt(password.encode("utf-8"), salt=salt, n=n, r=r, p=p, maxmem=SCRYPT_MAXMEM, dklen=32)


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def check_name(name: str) -> str:
    """`name` if it can be a user name.

    Raises:
        UsersError: it is empty, too long, or holds a space, ':' or another sign.
    """
    if not isinstance(name, str) or not NAME_PATTERN.fullmatch(name):
        raise UsersError(f"user name {name!r} is not 1–64 letters, digits or . _ - @; choose another")
    return name


def check_role(role: str) -> str:
    if role not in ROLES:
        raise UsersError(f"unknown role {role!r}; choose one of {', '.join(ROLES)}")
    return role


def check_password(password: str) -> str:
    if not MIN_PASSWORD_CHARS <= len(password) <= MAX_PASSWORD_CHARS:
        raise UsersError(f"the password has {len(password)} characters; use {MIN_PASSWORD_CHARS} to "
                         f"{MAX_PASSWORD_CHARS}")
    return password


class UsersFile:
    """A users file: read when it changes, written atomically with owner-only permissions.

    Thread-safe; the server and `assistant users` may use the same file at once (a change made by
    the command is seen on the server's next login check).
    """

    def __init__(self, path: str | Path):
        self.path = Path(path)
        self._lock = threading.Lock()
        self._stamp: tuple | None = None
        self._entries: dict[str, dict] = {}
        self._key = secrets.token_bytes(32)  # keys the remembered checks; never leaves this process
        self._remembered: dict[bytes, User] = {}
        # A name that is not in the file is still checked against a hash, so timing does not tell it.
        self._decoy = hash_password(secrets.token_urlsafe(16))

    # --- reading ---------------------------------------------------------------------------------

    def entries(self) -> dict[str, dict]:
        """Name → `{"role", "password"}` as the file holds them now.

        Raises:
            UsersError: the file is missing, unreadable or not a users file.
        """
        try:
            status = self.path.stat()
        except FileNotFoundError:
            raise UsersError(f"no users file at {self.path}; create it with "
                             f"`assistant users add NAME --role editor --users {self.path}`") from None
        except OSError as error:
            raise UsersError(f"{self.path}: cannot read the users file ({error.strerror})") from error
        stamp = (status.st_mtime_ns, status.st_size, status.st_ino)
        with self._lock:
            if stamp != self._stamp:
                self._entries = self._read()
                self._stamp = stamp
                self._remembered.clear()
            return dict(self._entries)

    def _read(self) -> dict[str, dict]:
        try:
            data = json.loads(self.path.read_text(encoding="utf-8"))
        except (OSError, ValueError) as error:
            raise UsersError(f"{self.path}: not a readable users file ({error}); fix it or add the users "
                             "again with `assistant users add`") from error
        users = data.get("users") if isinstance(data, dict) else None
        if not isinstance(users, dict) or not all(
                isinstance(entry, dict) and entry.get("role") in ROLES and isinstance(entry.get("password"), str)
                for entry in users.values()):
            raise UsersError(f"{self.path}: not a users file of `assistant users` (each user needs a role and a "
                             "password hash); fix it or add the users again")
        return users

    def users(self) -> list[User]:
        """Every user, by name."""
        return [User(name, entry["role"]) for name, entry in sorted(self.entries().items())]

    def authenticate(self, name: str, password: str) -> User | None:
        """The user when `password` is theirs, else None (also for an unknown name)."""
        entries = self.entries()
        key = hmac.digest(self._key, f"{name}\0{password}".encode("utf-8", "surrogatepass"), "sha256")
        with self._lock:
            remembered = self._remembered.get(key)
        if remembered is not None:
            return remembered
        entry = entries.get(name)
        if not verify_password(password, entry["password"] if entry else self._decoy) or entry is None:
            return None
        user = User(name, entry["role"])
        with self._lock:
            if len(self._remembered) >= MAX_REMEMBERED:
                self._remembered.clear()
            self._remembered[key] = user
        return user

    # --- writing ---------------------------------------------------------------------------------

    def add(self, name: str, role: str, password: str) -> bool:
        """Add a user, or replace the role and password of an existing one; True when new."""
        check_name(name), check_role(role), check_password(password)
        entries = self.entries() if self.path.exists() else {}
        is_new = name not in entries
        entries[name] = {"role": role, "password": hash_password(password)}
        self._write(entries)
        return is_new

    def remove(self, name: str) -> None:
        """Remove a user.

        Raises:
            UsersError: there is no such user.
        """
        entries = self.entries()
        if name not in entries:
            known = ", ".join(sorted(entries)) or "none"
            raise UsersError(f"no user {name!r} in {self.path} (users: {known})")
        del entries[name]
        self._write(entries)

    def _write(self, entries: dict[str, dict]) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        data = json.dumps({"version": FORMAT_VERSION, "users": dict(sorted(entries.items()))},
                          ensure_ascii=False, indent=2)
        handle, temporary = tempfile.mkstemp(prefix=".users-", dir=self.path.parent)
        try:
            with os.fdopen(handle, "w", encoding="utf-8") as file:  # mkstemp: mode 0600, owner only
                file.write(data + "\n")
                file.flush()
                os.fsync(file.fileno())
            os.replace(temporary, self.path)
        except BaseException:
            Path(temporary).unlink(missing_ok=True)
            raise
