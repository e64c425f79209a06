"""Fixtures of the chat's tests: a users file with an editor and a reader, and the chat served on
127.0.0.1 (over the lexical fake assistant) with a chosen access rule."""

import socket

import pytest

from ui.auth import Access
from ui.users import EDITOR, READER, UsersFile

HOSTILE = "<script>window.pwned = 1</script> ![x](http://127.0.0.1:9/x.png) [link](javascript:alert(1))"
BRIDGE_ARTICLE = (f"title: Cầu Ánh Sao <b>mới</b>\ndate: 2025-11-02\n\n"
                  f"Cầu Ánh Sao dài 500 mét, nối hai bờ kênh ở quận 7. {HOSTILE}\n\n"
                  "Cây cầu được khánh thành vào cuối tuần.\n")
EDITOR_LOGIN = ("lan", "mật khẩu biên tập")
READER_LOGIN = ("minh", "mật khẩu bạn đọc")


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def bridge_file(tmp_path):
    """A new article with a header (title with markup, date) and hostile text, to upload."""
    path = tmp_path / "incoming" / "cau-anh-sao.txt"
    path.parent.mkdir()
    path.write_text(BRIDGE_ARTICLE, encoding="utf-8")
    return path


@pytest.fixture(scope="session")
def users_file(tmp_path_factory) -> UsersFile:
    """An editor (`EDITOR_LOGIN`) and a reader (`READER_LOGIN`); tests only read it."""
    users = UsersFile(tmp_path_factory.mktemp("users") / "users.json")
    users.add(EDITOR_LOGIN[0], EDITOR, EDITOR_LOGIN[1])
    users.add(READER_LOGIN[0], READER, READER_LOGIN[1])
    return users


@pytest.fixture
def serve(lexical_assistant, tmp_path):
    """A function serving the chat on a free local port: `serve(access=None) -> Server` (closed
    after the test); its `.local_url` ends with "/"."""
    from ui.server import launch

    servers = []

    def start(access: Access | None = None):
        server = launch(assistant=lexical_assistant, port=free_port(), uploads_dir=tmp_path / "uploads",
                        access=access, block=False)
        servers.append(server)
        return server

    yield start
    for server in servers:
        server.close()


@pytest.fixture
def served(serve):
    """The chat as one person on their own machine serves it: no logins, everyone an editor."""
    return serve()


@pytest.fixture
def served_with_logins(serve, users_file):
    return serve(Access(users_file))


@pytest.fixture(autouse=True)
def quick_hashes(monkeypatch):
    """Hashes made by a test cost 2^10 instead of 2^15 (the users file records the cost of each, so
    checking stays right); test_users.py checks the default."""
    monkeypatch.setattr("ui.users.SCRYPT_N", 2**10)
