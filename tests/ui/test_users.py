"""The users file (`ui/users.py`): salted slow hashes, never the password; roles; atomic,
owner-only writes; a change made meanwhile is seen; checked names, roles and passwords."""

import json
import stat

import pytest

from ui import users as users_module
from ui.users import EDITOR, READER, User, UsersError, UsersFile, hash_password, verify_password


def test_a_password_is_stored_as_a_salted_scrypt_hash(monkeypatch):
    monkeypatch.setattr(users_module, "SCRYPT_N", 2**15)  # the default, which the tests' fixture lowers
    first, second = hash_password("mật khẩu dài"), hash_password("mật khẩu dài")
    assert first.startswith("scrypt$32768$8$1$") and first != second  # a new salt each time
    assert "mật khẩu" not in first
    assert verify_password("mật khẩu dài", first) and verify_password("mật khẩu dài", second)
    assert not verify_password("mật khẩu dai", first)
    for malformed in ("", "plain", "md5$1$2$3$4$5", "scrypt$x$8$1$AA==$AA=="):
        assert not verify_password("mật khẩu dài", malformed)


def test_users_are_added_listed_changed_and_removed(tmp_path):
    users = UsersFile(tmp_path / "users.json")
    assert users.add("lan", EDITOR, "mật khẩu một") is True
    assert users.add("minh", READER, "mật khẩu hai") is True
    assert users.users() == [User("lan", EDITOR), User("minh", READER)]
    assert users.add("minh", EDITOR, "mật khẩu ba") is False  # a new role and password for minh
    assert users.authenticate("minh", "mật khẩu hai") is None
    assert users.authenticate("minh", "mật khẩu ba") == User("minh", EDITOR)
    users.remove("lan")
    assert [user.name for user in users.users()] == ["minh"]
    with pytest.raises(UsersError, match="no user 'lan'.*users: minh"):
        users.remove("lan")


def test_the_file_holds_no_password_and_only_its_owner_may_read_it(tmp_path):
    path = tmp_path / "users.json"
    UsersFile(path).add("lan", EDITOR, "bí mật rất dài")
    assert "bí mật" not in path.read_text(encoding="utf-8")
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert json.loads(path.read_text(encoding="utf-8"))["users"]["lan"]["role"] == "editor"
    assert [p.name for p in tmp_path.iterdir()] == ["users.json"]  # no temporary file left


def test_authentication_sees_a_change_made_by_another_process(tmp_path):
    server, command = UsersFile(tmp_path / "users.json"), UsersFile(tmp_path / "users.json")
    command.add("lan", EDITOR, "mật khẩu một")
    assert server.authenticate("lan", "mật khẩu một") == User("lan", EDITOR)
    assert server.authenticate("lan", "mật khẩu một") == User("lan", EDITOR)  # remembered
    command.remove("lan")
    assert server.authenticate("lan", "mật khẩu một") is None
    assert server.authenticate("ai-do", "mật khẩu một") is None


@pytest.mark.parametrize(("name", "role", "password", "expected"), [
    ("có dấu cách", EDITOR, "mật khẩu dài", "user name 'có dấu cách'"),
    ("a:b", EDITOR, "mật khẩu dài", "user name 'a:b'"),
    ("", EDITOR, "mật khẩu dài", "user name ''"),
    ("lan", "admin", "mật khẩu dài", "unknown role 'admin'; choose one of reader, editor"),
    ("lan", EDITOR, "ngắn", "4 characters; use 8 to 1024"),
])
def test_bad_names_roles_and_passwords_are_refused(tmp_path, name, role, password, expected):
    users = UsersFile(tmp_path / "users.json")
    with pytest.raises(UsersError, match=expected):
        users.add(name, role, password)
    assert not users.path.exists()


def test_vietnamese_names_are_welcome(tmp_path):
    users = UsersFile(tmp_path / "users.json")
    users.add("nguyễn.thị-hà", READER, "mật khẩu dài")
    assert users.authenticate("nguyễn.thị-hà", "mật khẩu dài") == User("nguyễn.thị-hà", READER)


@pytest.mark.parametrize("content", ["{", "[]", '{"users": {"lan": {"role": "admin", "password": "x"}}}'])
def test_a_broken_users_file_is_a_clear_error(tmp_path, content):
    path = tmp_path / "users.json"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(UsersError, match="users file"):
        UsersFile(path).users()
    with pytest.raises(UsersError, match="no users file at .*assistant users add NAME --role editor"):
        UsersFile(tmp_path / "missing.json").users()
