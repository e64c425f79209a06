"""The command line's `users` commands and the chat's checks before serving (`assistant/cli.py`),
through the real entry point: passwords from standard input, never printed or stored; one-line
errors; no network bind without logins or --read-only."""

import json
import os
import socket
import stat
import subprocess
import sys
import time

import httpx
import pytest


def test_users_are_added_listed_and_removed_with_the_password_from_standard_input(run_cli, tmp_path):
    users = tmp_path / "users.json"
    added = run_cli("users", "add", "lan", "--role", "editor", "--users", users, stdin="mật khẩu biên tập\n")
    assert added.returncode == 0 and added.stdout == f"Added lan (editor) in {users}\n"
    assert run_cli("users", "add", "minh", "--role", "reader", "--users", users, stdin="mật khẩu bạn đọc\n").returncode == 0
    assert "mật khẩu" not in users.read_text(encoding="utf-8") and stat.S_IMODE(users.stat().st_mode) == 0o600
    listed = run_cli("users", "list", "--users", users)
    assert listed.stdout == "lan\teditor\nminh\treader\n"
    assert [json.loads(line) for line in run_cli("users", "list", "--json", "--users", users).stdout.splitlines()] \
        == [{"name": "lan", "role": "editor"}, {"name": "minh", "role": "reader"}]
    changed = run_cli("users", "add", "minh", "--role", "editor", "--users", users, stdin="mật khẩu mới đây\n")
    assert changed.stdout.startswith("Updated minh (editor)")
    assert run_cli("users", "remove", "minh", "--users", users).stdout == f"Removed minh from {users}\n"
    assert "no user 'minh'" in run_cli("users", "remove", "minh", "--users", users).error_line()


def test_the_users_file_defaults_beside_the_index_or_to_the_environment(run_cli, tmp_path):
    run_cli("users", "add", "lan", "--role", "reader", "--index-dir", tmp_path / "index", stdin="mật khẩu dài\n")
    assert (tmp_path / "users.json").is_file()
    elsewhere = tmp_path / "elsewhere.json"
    run_cli("users", "add", "ha", "--role", "editor", stdin="mật khẩu dài\n", env={"ASSISTANT_USERS_FILE": str(elsewhere)})
    assert run_cli("users", "list", env={"ASSISTANT_USERS_FILE": str(elsewhere)}).stdout == "ha\teditor\n"


@pytest.mark.parametrize(("args", "stdin", "expected"), [
    (("add", "lan", "--role", "editor"), "ngắn\n", "the password has 4 characters; use 8 to 1024"),
    (("add", "lan", "--role", "editor"), "", "no password on standard input"),
    (("add", "có dấu cách", "--role", "editor"), "mật khẩu dài\n", "user name 'có dấu cách'"),
    (("list",), None, "no users file at"),
])
def test_user_mistakes_are_one_line(run_cli, tmp_path, args, stdin, expected):
    result = run_cli("users", *args, "--users", tmp_path / "users.json", stdin=stdin)
    assert expected in result.error_line()


def test_the_chat_refuses_to_serve_a_network_without_logins(run_cli, tmp_path):
    for host in ("0.0.0.0", "192.168.1.20", "::"):
        line = run_cli("chat", "--host", host, "--index-dir", tmp_path / "index",
                       env={"ASSISTANT_USERS_FILE": ""}).error_line()
        assert f"refusing to serve on {host} without logins" in line and "--read-only" in line
    missing = run_cli("chat", "--host", "0.0.0.0", "--users", tmp_path / "none.json").error_line()
    assert "no users file at" in missing
    empty = tmp_path / "empty.json"
    empty.write_text('{"version": 1, "users": {}}', encoding="utf-8")
    assert "no users in" in run_cli("chat", "--users", empty).error_line()


def test_chat_help_names_logins_and_read_only(run_cli):
    shown = run_cli("chat", "--help").stdout
    assert "--users FILE" in shown and "--read-only" in shown and "/api/v1" in shown


@pytest.mark.slow
def test_the_chat_served_by_the_command_asks_for_logins_and_enforces_roles(run_cli, bundled_model, tmp_path,
                                                                           seed_article):
    users = tmp_path / "users.json"
    run_cli("users", "add", "lan", "--role", "editor", "--users", users, stdin="mật khẩu biên tập\n")
    run_cli("users", "add", "minh", "--role", "reader", "--users", users, stdin="mật khẩu bạn đọc\n")
    assert run_cli("index", seed_article, "--index-dir", tmp_path / "index", "-q").returncode == 0
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    chat = subprocess.Popen([sys.executable, "-m", "assistant", "chat", "--users", str(users), "--port", str(port),
                             "--index-dir", str(tmp_path / "index"), "--uploads-dir", str(tmp_path / "uploads")],
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, env={**os.environ, "PYTHONIOENCODING": "utf-8"})
    try:
        url = f"http://127.0.0.1:{port}/"
        deadline = time.monotonic() + 120
        while True:
            try:
                httpx.get(url + "login", timeout=2)
                break
            except httpx.TransportError:
                assert chat.poll() is None and time.monotonic() < deadline, "the chat did not start"
                time.sleep(0.5)
        assert httpx.get(url, timeout=10).headers["location"] == "/login?next=/"
        assert httpx.get(url + "api/v1/documents", timeout=10).status_code == 401
        reader = httpx.delete(url + "api/v1/documents/000_dbd6872183af7f42", auth=("minh", "mật khẩu bạn đọc"),
                              timeout=10)
        assert reader.status_code == 403
        answer = httpx.post(url + "api/v1/ask", json={"question": "Ai là Chủ tịch UBND phường Tân Mỹ?"},
                            auth=("minh", "mật khẩu bạn đọc"), timeout=60).json()
        assert answer["status"] == "answered" and "Nguyễn Thị Bé Ngoan" in answer["answer"]
    finally:
        chat.terminate()
        output = chat.communicate(timeout=30)[0].decode("utf-8")
    assert "Cần đăng nhập: 2 tài khoản" in output and f"Trang hỏi đáp: http://127.0.0.1:{port}/" in output
    assert "mật khẩu" not in output and "Traceback" not in output
