"""The chat's server (`ui/server.py`) over real HTTP on 127.0.0.1: the login page and its session,
Gradio's own routes behind the same rule (a login; the editor role for its upload route), files
posted to that route and never used, and the checks made before serving."""

import contextlib
import socket

import httpx
import pytest

from ui.auth import Access
from ui.server import check_port_free, is_loopback

from .conftest import EDITOR_LOGIN, READER_LOGIN

pytestmark = pytest.mark.slow


@contextlib.contextmanager
def logged_in(server, login):
    """An HTTP client holding the session cookie of `login` (name, password)."""
    with httpx.Client(base_url=server.local_url, timeout=30) as client:
        response = client.post("login", data={"username": login[0], "password": login[1], "next": "/"})
        assert response.status_code == 303 and response.headers["location"] == "/", response.text
        yield client


def test_the_page_sends_a_visitor_to_the_vietnamese_login_page(served_with_logins):
    with httpx.Client(base_url=served_with_logins.local_url, timeout=30) as client:
        response = client.get("/")
        assert response.status_code == 303 and response.headers["location"] == "/login?next=/"
        page = client.get("login")
        assert page.status_code == 200 and "Tên đăng nhập" in page.text and "Mật khẩu" in page.text
        wrong = client.post("login", data={"username": "lan", "password": "sai-mật-khẩu"})
        assert wrong.status_code == 401 and "Tên đăng nhập hoặc mật khẩu không đúng." in wrong.text
        for route in ("config", "gradio_api/info", "gradio_api/queue/join"):
            refused = client.get(route)
            assert refused.status_code == 401 and refused.json() == {"error": "Cần đăng nhập để dùng trang này."}


def test_after_logging_in_the_page_and_its_routes_answer_until_logging_out(served_with_logins):
    with logged_in(served_with_logins, READER_LOGIN) as client:
        assert client.get("/").status_code == 200
        assert client.get("config").status_code == 200
        assert client.get("logout").status_code == 303
        assert client.get("config").status_code == 401


def test_only_an_editor_may_post_to_gradios_upload_route(served_with_logins, tmp_path):
    article = ("bai.txt", "Cầu Ánh Sao dài 500 mét.".encode(), "text/plain")
    with logged_in(served_with_logins, READER_LOGIN) as reader:
        refused = reader.post("gradio_api/upload", files={"files": article})
        assert refused.status_code == 403 and "bạn đọc" in refused.json()["error"]
    with logged_in(served_with_logins, EDITOR_LOGIN) as editor:
        accepted = editor.post("gradio_api/upload", files={"files": article})
        assert accepted.status_code == 200 and accepted.json()[0].endswith("bai.txt")


def test_a_file_posted_to_the_upload_route_and_never_used_is_deleted(serve):
    from pathlib import Path

    server = serve()
    with httpx.Client(base_url=server.local_url, timeout=30) as client:
        posted = Path(client.post("gradio_api/upload", files={"files": ("bai.txt", b"x" * 100)}).json()[0])
    assert posted.is_file()
    server.close()  # unused copies go at once when the server stops, and after ten minutes while it runs
    assert not posted.exists()


def test_read_only_serves_without_logins_and_refuses_uploads(serve):
    server = serve(Access(read_only=True))
    with httpx.Client(base_url=server.local_url, timeout=30) as client:
        assert client.get("/").status_code == 200
        refused = client.post("gradio_api/upload", files={"files": ("bai.txt", b"x")})
        assert refused.status_code == 403 and "chỉ đọc" in refused.json()["error"]


@pytest.mark.parametrize(("host", "loopback"), [("127.0.0.1", True), ("127.8.0.1", True), ("::1", True),
                                                ("localhost", True), ("0.0.0.0", False), ("192.168.1.5", False),
                                                ("::", False), ("example.org", False)])
def test_loopback_addresses(host, loopback):
    assert is_loopback(host) is loopback


def test_a_port_in_use_is_named_with_the_fix():
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        with pytest.raises(OSError, match=r"cannot serve on 127\.0\.0\.1:\d+ .*choose another --port"):
            check_port_free("127.0.0.1", taken.getsockname()[1])
