"""The chat app (`ui/app.py`): its handlers (answers, uploads, the documents panel), the HTTP API,
and a real browser end to end."""

import socket
from pathlib import Path

import pytest

from ui.app import discard_gradio_copy, save_upload, user_questions
from ui.render import escape_text, format_documents_html

TAN_MY_OFFICES = "Chủ tịch UBND phường Tân Mỹ thông tin gì về trụ sở?"
BRIDGE_QUESTION = "Cầu Ánh Sao dài bao nhiêu mét?"
HOSTILE = "<script>window.pwned = 1</script> ![x](http://127.0.0.1:9/x.png) [link](javascript:alert(1))"
BRIDGE_ARTICLE = (f"title: Cầu Ánh Sao <b>mới</b>\ndate: 2025-11-02\n\n"
                  f"Cầu Ánh Sao dài 500 mét, nối hai bờ kênh ở quận 7. {HOSTILE}\n\n"
                  "Cây cầu được khánh thành vào cuối tuần.\n")


@pytest.fixture
def bridge_file(tmp_path):
    path = tmp_path / "incoming" / "cau-anh-sao.txt"
    path.parent.mkdir()
    path.write_text(BRIDGE_ARTICLE, encoding="utf-8")
    return path


def final_message(app, question, messages=()):
    *_, (textbox, messages, _turns) = app.respond(question, list(messages))
    assert textbox == ""
    return messages


# --- the chat's handlers ---------------------------------------------------------------------------


def test_an_unrelated_question_gets_a_clear_not_found_message(app):
    page = final_message(app, "Giá vàng SJC hôm nay là bao nhiêu?")[-1]["content"]
    assert "va-status-not_found" in page and "va-notfound" in page and "Không tìm thấy" in page
    assert "va-citation" not in page


def test_a_near_miss_shows_related_passages_with_a_caveat_not_a_quotation(app):
    # The article is about Phú Thuận but gives no population: passages, no quotation as the answer.
    page = final_message(app, "Dân số phường Phú Thuận là bao nhiêu?")[-1]["content"]
    assert "va-status-related" in page and "va-related" in page and "Chưa chắc chắn" in page
    assert "Các đoạn liên quan:" in page and "va-citation" in page
    assert "va-text" not in page and "“" not in page.split('class="va-sources"')[0]


def test_hostile_document_renders_as_plain_text(app, bridge_file):
    assert app.add_document(str(bridge_file)).ok
    messages = final_message(app, BRIDGE_QUESTION)
    page = messages[-1]["content"]
    assert "Cầu Ánh Sao &#60;b&#62;mới&#60;/b&#62;" in page and "đoạn 1" in page
    assert "&#60;script&#62;window.pwned = 1&#60;/script&#62;" in page
    for active in ("<script", "<img", "<b>mới", "![", "](http", "javascript:"):
        assert active not in page
    table = format_documents_html(app.assistant.documents())
    assert "<b>mới" not in table and "Cầu Ánh Sao &#60;b&#62;" in table


def test_questions_are_escaped_in_the_chat_and_rewrites_are_shown(app):
    messages = final_message(app, "<img src=x onerror=alert(1)> ![a](http://x) Trụ sở?")
    assert "<img" not in messages[-2]["content"] and "![" not in messages[-2]["content"]
    messages = final_message(app, "Chủ tịch UBND phường Phú Thuận thông tin gì về trụ sở?")
    messages = final_message(app, "Còn phường Tân Mỹ thì sao?", messages)
    assert "Hiểu câu hỏi là: <i>Chủ tịch UBND phường Tân Mỹ thông tin gì về trụ sở?</i>" in messages[-1]["content"]
    assert "đoạn 9" in messages[-1]["content"]


def test_the_chat_keeps_each_turn_with_its_answer_for_the_follow_ups(app):
    *_, (_textbox, messages, turns) = app.respond("Chủ tịch UBND phường Phú Thuận thông tin gì về trụ sở?", [], [])
    assert [turn["question"] for turn in turns] == ["Chủ tịch UBND phường Phú Thuận thông tin gì về trụ sở?"]
    assert turns[0]["answer"]["status"] in ("answered", "related") and "path" not in str(turns[0]["answer"])
    # The turns, not the messages shown, carry the conversation: a cleared chat window still follows.
    *_, (_textbox, _messages, turns) = app.respond("Còn phường Tân Mỹ thì sao?", [], turns)
    assert len(turns) == 2
    assert turns[1]["answer"]["rewritten_question"] == "Chủ tịch UBND phường Tân Mỹ thông tin gì về trụ sở?"
    assert turns[1]["answer"]["status"] == "answered"


# --- handlers -----------------------------------------------------------------------------------

def test_respond_shows_a_pending_message_first(app):
    steps = list(app.respond(TAN_MY_OFFICES, []))
    assert len(steps) == 2
    assert "Đang tìm" in steps[0][1][-1]["content"]
    assert steps[1][1][0] == {"role": "user", "content": escape_text(TAN_MY_OFFICES)}
    assert list(app.respond("   ", [])) == [("", [], [])]


def test_history_is_the_earlier_user_questions_in_either_message_format():
    messages = [
        {"role": "user", "content": escape_text("Ai là <Bí thư>?")},
        {"role": "assistant", "content": "<p>…</p>"},
        {"role": "user", "content": [{"type": "text", "text": "Còn phường Tân Mỹ thì sao?"}], "metadata": None},
    ]
    assert user_questions(messages) == ["Ai là <Bí thư>?", "Còn phường Tân Mỹ thì sao?"]


def test_answer_json_has_citations_but_no_server_paths(app):
    result = app.answer_json(TAN_MY_OFFICES)
    assert result["status"] == "answered" and result["answered"] is True and result["passages"][0]["paragraph"] == 9
    assert "path" not in result["passages"][0]["document"]
    assert "error" in app.answer_json("   ")


def test_upload_reuses_an_identical_file_and_renames_a_different_one(tmp_path, bridge_file):
    # Refused uploads (type, size, content) are in test_ui_errors.py.
    uploads = tmp_path / "uploads"
    first = save_upload(bridge_file, uploads)
    assert first.parent == uploads and save_upload(bridge_file, uploads) == first
    bridge_file.write_text(BRIDGE_ARTICLE + "Thêm một câu.", encoding="utf-8")
    assert save_upload(bridge_file, uploads).name == "cau-anh-sao-2.txt"


def test_added_and_removed_documents_show_in_the_documents_panel(app, bridge_file, tmp_path):
    # Refused uploads and removals are in test_ui_errors.py.
    added = app.add_document(str(bridge_file))
    assert added.ok and "cau-anh-sao" in added.message
    assert (tmp_path / "uploads" / "cau-anh-sao.txt").exists()
    assert "cau-anh-sao" in app.documents_html() and ("Cầu Ánh Sao <b>mới</b> (cau-anh-sao)", "cau-anh-sao") \
        in app.document_choices()
    assert app.remove_document("cau-anh-sao").ok
    assert "cau-anh-sao" not in app.documents_html() and "cau-anh-sao" not in dict(app.document_choices()).values()


def test_the_chat_answers_from_what_another_process_indexes_without_a_restart(app, bridge_file):
    """`assistant index` (another process) adds an article while the chat runs."""
    from assistant import Assistant
    from assistant.testing import HashingEmbedder

    assert "cau-anh-sao" not in app.documents_html()
    Assistant(app.assistant.index_dir, embedder=HashingEmbedder()).index(paths=[bridge_file])
    assert "500 mét" in final_message(app, BRIDGE_QUESTION)[-1]["content"]
    assert "cau-anh-sao" in app.documents_html()


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


# --- served app ---------------------------------------------------------------------------------

def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def served(lexical_assistant, tmp_path):
    from ui.app import launch

    demo = launch(assistant=lexical_assistant, port=free_port(), uploads_dir=tmp_path / "uploads", prevent_thread_lock=True)
    yield demo
    demo.close()


@pytest.mark.slow
def test_api_answers_with_citations_and_accepts_uploads(served, bridge_file):
    from gradio_client import Client, handle_file

    assert served.local_url.startswith("http://127.0.0.1:")
    client = Client(served.local_url, verbose=False)
    textbox, messages = client.predict(TAN_MY_OFFICES, [], api_name="/ask")
    answer = messages[-1]["content"][0]["text"]
    assert textbox == "" and "đoạn 9" in answer and "<mark>Đồng chí Nguyễn Thị Bé Ngoan" in answer
    result = client.predict("Còn phường Phú Thuận thì sao?", [TAN_MY_OFFICES], api_name="/answer")
    assert result["rewritten_question"] == "Chủ tịch UBND phường Phú Thuận thông tin gì về trụ sở?"
    status, table, *_ = client.predict(handle_file(str(bridge_file)), api_name="/upload")
    assert "Đã thêm" in status and "cau-anh-sao" in table
    result = client.predict(BRIDGE_QUESTION, None, api_name="/answer")
    assert result["status"] == "answered" and result["passages"][0]["document"]["id"] == "cau-anh-sao"
    assert any("500 mét" in passage["text"] for passage in result["passages"])
    # A new session, built before the upload, can still remove it (the choices it saw are stale).
    status, table, *_ = Client(served.local_url, verbose=False).predict("cau-anh-sao", api_name="/remove")
    assert "Đã xóa" in status and "cau-anh-sao" not in table


CHROMIUM = Path("/usr/bin/chromium")


@pytest.mark.slow
@pytest.mark.browser
@pytest.mark.skipif(not CHROMIUM.exists(), reason="needs Debian's Chromium at /usr/bin/chromium "
                    "(apt-get install chromium)")
def test_browser_asks_uploads_and_cites(served, bridge_file, tmp_path):
    from playwright.sync_api import expect, sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=[
            "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
            "--disable-component-update"])
        try:
            page = browser.new_page(viewport={"width": 1200, "height": 1400})
            page.goto(served.local_url)
            page.locator("#question textarea").fill(TAN_MY_OFFICES)
            page.locator("#question textarea").press("Enter")
            first = page.locator("#chat .va-citation").first
            expect(first).to_contain_text("đoạn 9", timeout=20_000)
            expect(page.locator("#chat mark").first).to_contain_text("Nguyễn Thị Bé Ngoan")
            # One question of each state, each shown its own way.
            for question, status, shown in [("Dân số phường Phú Thuận là bao nhiêu?", "related", "Chưa chắc chắn"),
                                             ("Giá vàng SJC hôm nay là bao nhiêu?", "not_found", "Không tìm thấy")]:
                page.locator("#question textarea").fill(question)
                page.locator("#question textarea").press("Enter")
                expect(page.locator(f'#chat .va-status-{status}')).to_contain_text(shown, timeout=20_000)
            expect(page.locator('#chat .va-status-answered .va-text')).to_have_count(1)
            expect(page.locator('#chat .va-status-related .va-citation').first).to_be_visible()
            expect(page.locator('#chat .va-status-not_found .va-citation')).to_have_count(0)
            page.screenshot(path=str(tmp_path / "three-states.png"), full_page=True)

            page.get_by_role("tab", name="Tài liệu").click()
            page.locator("#upload input[type=file]").set_input_files(str(bridge_file))
            expect(page.locator("#status")).to_contain_text("Đã thêm", timeout=20_000)
            expect(page.locator("#documents")).to_contain_text("Cầu Ánh Sao <b>mới</b>")

            page.get_by_role("tab", name="Hỏi đáp").click()
            page.locator("#question textarea").fill(BRIDGE_QUESTION)
            page.locator("#ask").click()
            cited = page.locator("#chat .va-citation", has_text="Cầu Ánh Sao <b>mới</b>").first
            expect(cited).to_contain_text("đoạn 1", timeout=20_000)
            expect(cited).to_contain_text("<script>window.pwned = 1</script> ![x](http://127.0.0.1:9/x.png)")
            assert page.locator("#chat img").count() == 0
            assert page.evaluate("window.pwned") is None
            page.screenshot(path=str(tmp_path / "chat.png"), full_page=True)
        finally:
            browser.close()
    assert (tmp_path / "chat.png").stat().st_size > 10_000
    assert (tmp_path / "three-states.png").stat().st_size > 10_000
