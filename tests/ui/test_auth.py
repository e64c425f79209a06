"""Who may do what (`ui/auth.py`): the three ways to serve, logins by session or HTTP Basic,
their rate limit and log lines, and the login page."""

import base64
import logging

import pytest

from ui.auth import SESSION_COOKIE, Access, LoginThrottle, Refused, login_form_fields, login_page
from ui.users import EDITOR, READER, User

from .conftest import EDITOR_LOGIN, READER_LOGIN


def basic(name: str, password: str) -> dict:
    return {"authorization": "Basic " + base64.b64encode(f"{name}:{password}".encode()).decode()}


def test_without_a_users_file_the_one_local_user_edits_unless_read_only():
    assert Access().identify({}, {}, "127.0.0.1") == User("", EDITOR)
    assert not Access().login_required
    assert Access(read_only=True).identify({}, {}, "127.0.0.1") == User("", READER)
    with pytest.raises(Refused, match="chế độ chỉ đọc") as refused:
        Access(read_only=True).check_edit(User("", READER))
    assert refused.value.status == 403


def test_with_a_users_file_requests_bring_a_session_or_basic_credentials(users_file):
    access = Access(users_file)
    assert access.login_required and access.identify({}, {}, "10.0.0.5") is None
    editor = access.login(*EDITOR_LOGIN, client="10.0.0.5")
    assert editor == User("lan", EDITOR)
    token = access.start_session(editor)
    assert access.identify({}, {SESSION_COOKIE: token}, "10.0.0.5") == editor
    access.end_session(token)
    assert access.identify({}, {SESSION_COOKIE: token}, "10.0.0.5") is None
    assert access.identify(basic(*READER_LOGIN), {}, "10.0.0.5") == User("minh", READER)
    with pytest.raises(Refused) as refused:
        access.identify(basic("minh", "sai mật khẩu"), {}, "10.0.0.5")
    assert refused.value.status == 401 and refused.value.message == "Tên đăng nhập hoặc mật khẩu không đúng."
    with pytest.raises(Refused):
        access.identify({"authorization": "Basic !!!"}, {}, "10.0.0.5")


def test_roles_are_read_from_the_file_on_every_check(users_file):
    access = Access(users_file)
    assert access.may_edit("lan") and not access.may_edit("minh") and not access.may_edit("ai-do")
    with pytest.raises(Refused, match="Tài khoản minh là bạn đọc") as refused:
        access.check_edit(access.user_named("minh"))
    assert refused.value.status == 403
    assert not Access(users_file, read_only=True).may_edit("lan")


def test_failed_logins_are_rate_limited_and_logged_without_the_password(users_file, caplog):
    clock = [1000.0]
    access = Access(users_file, throttle=LoginThrottle(max_failures=3, window=60, clock=lambda: clock[0]))
    caplog.set_level(logging.WARNING, logger="assistant.chat")
    for _ in range(3):
        with pytest.raises(Refused) as refused:
            access.login("lan", "đoán-mò-123", client="10.0.0.9")
        assert refused.value.status == 401
    with pytest.raises(Refused, match="thử lại sau 60 giây") as refused:
        access.login(*EDITOR_LOGIN, client="10.0.0.9")  # even the right password waits
    assert refused.value.status == 429 and refused.value.retry_after == 60
    with pytest.raises(Refused) as refused:  # the name is locked from another address too
        access.login(*EDITOR_LOGIN, client="10.0.0.10")
    assert refused.value.status == 429
    assert access.login(*READER_LOGIN, client="10.0.0.11").name == "minh"  # others are not
    clock[0] += 61
    assert access.login(*EDITOR_LOGIN, client="10.0.0.9").name == "lan"
    assert "failed login for 'lan' from 10.0.0.9" in caplog.text
    assert "đoán-mò" not in caplog.text and EDITOR_LOGIN[1] not in caplog.text


def test_the_login_page_is_vietnamese_and_escapes_what_it_shows_again():
    page = login_page("Tên đăng nhập hoặc mật khẩu không đúng.", name='"><script>x</script>', target="/")
    assert '<html lang="vi">' in page and "Đăng nhập" in page and '<label for="password">Mật khẩu</label>' in page
    assert "<script>x" not in page and "&quot;&gt;&lt;script&gt;" in page


def test_the_login_form_returns_only_to_a_path_on_this_server():
    assert login_form_fields("username=lan&password=a%26b&next=/".encode()) == ("lan", "a&b", "/")
    for elsewhere in ("https://evil.example/", "//evil.example/", "javascript:alert(1)"):
        assert login_form_fields(f"username=lan&password=x&next={elsewhere}".encode())[2] == "/"
