"""The chat page (`ui/page.py`) through Gradio's own client: answers with citations, uploads with a
title and date, removals; a reader's upload and removal refused by the server, whatever the
client sends; Gradio's copies of uploads deleted. The browser tests are in test_page_browser.py."""

import base64

import httpx
import pytest

from ui.auth import Access
from ui.page import discard_gradio_copy, user_line

from .conftest import BRIDGE_ARTICLE, EDITOR_LOGIN, READER_LOGIN

TAN_MY_OFFICES = "Chủ tịch UBND phường Tân Mỹ thông tin gì về trụ sở?"
BRIDGE_QUESTION = "Cầu Ánh Sao dài bao nhiêu mét?"
SEED_ID = "000_dbd6872183af7f42"


def gradio_client(server, login=None):
    from gradio_client import Client

    headers = {"Authorization": "Basic " + base64.b64encode(":".join(login).encode()).decode()} if login else None
    return Client(server.local_url, verbose=False, headers=headers, download_files=False)


def test_gradio_copies_of_uploads_are_deleted_and_nothing_else(tmp_path, monkeypatch):
    cache = tmp_path / "gradio"
    monkeypatch.setenv("GRADIO_TEMP_DIR", str(cache))
    copy = cache / "3f2a" / "bai.txt"
    copy.parent.mkdir(parents=True)
    copy.write_text(BRIDGE_ARTICLE, encoding="utf-8")
    mine = tmp_path / "mine.txt"
    mine.write_text(BRIDGE_ARTICLE, encoding="utf-8")
    discard_gradio_copy(str(copy))
    discard_gradio_copy(str(mine))
    discard_gradio_copy(None)
    assert not copy.exists() and not copy.parent.exists() and cache.exists() and mine.exists()


def test_the_user_line_names_the_login_and_role_and_escapes_them(users_file):
    line = user_line(Access(users_file), "lan")
    assert "Đang đăng nhập: <b>lan</b> (biên tập viên)" in line and '<a href="logout">Đăng xuất</a>' in line
    assert user_line(Access(), None) == ""
    assert "Chế độ chỉ đọc" in user_line(Access(read_only=True), None)
    assert user_line(Access(users_file), "ai-do") == ""


@pytest.mark.slow
def test_one_person_asks_uploads_with_title_and_date_and_removes(served, bridge_file):
    from gradio_client import handle_file

    client = gradio_client(served)
    textbox, messages = client.predict(TAN_MY_OFFICES, [], api_name="/ask")
    answer = messages[-1]["content"][0]["text"]
    assert textbox == "" and "đoạn 9" in answer and "Đồng chí Nguyễn Thị Bé Ngoan" in answer
    result = client.predict("Còn phường Phú Thuận thì sao?", [TAN_MY_OFFICES], api_name="/answer")
    assert result["rewritten_question"] == "Chủ tịch UBND phường Phú Thuận thông tin gì về trụ sở?"
    status, table, *_ = client.predict(handle_file(str(bridge_file)), "Cầu mới", "2/11/2025", api_name="/upload")
    assert "Đã thêm" in status and "Cầu mới" in table and "02/11/2025" in table
    result = client.predict(BRIDGE_QUESTION, None, api_name="/answer")
    assert result["status"] == "answered" and result["passages"][0]["document"]["id"] == "cau-anh-sao"
    # A new session, built before the upload, can still remove it (the choices it saw are stale).
    status, table, *_ = gradio_client(served).predict("cau-anh-sao", api_name="/remove")
    assert "Đã xóa" in status and "cau-anh-sao" not in table


@pytest.mark.slow
def test_the_server_refuses_a_readers_upload_and_removal_whatever_the_client_sends(serve, users_file, bridge_file):
    from gradio_client import handle_file

    server = serve(Access(users_file))
    reader = gradio_client(server, READER_LOGIN)
    status, table, *_ = reader.predict(SEED_ID, api_name="/remove")
    assert "không có quyền" in status and "Tổ công tác số 5" in table
    with pytest.raises(httpx.HTTPStatusError, match="403"):  # the file cannot even reach Gradio's upload route
        reader.predict(handle_file(str(bridge_file)), "", "", api_name="/upload")
    editor = gradio_client(server, EDITOR_LOGIN)
    assert "đoạn 9" in editor.predict(TAN_MY_OFFICES, [], api_name="/ask")[1][-1]["content"][0]["text"]
    status, table, *_ = editor.predict(handle_file(str(bridge_file)), "", "", api_name="/upload")
    assert "Đã thêm" in status and "cau-anh-sao" in table
