"""The chat app: formatting and escaping, handlers, the HTTP API, and a real browser end to end."""

import html
import re
import socket
from pathlib import Path

import pytest

from ui.app import save_upload, user_questions
from ui.render import escape_text, format_answer_html, format_documents_html, highlight_html

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
    *_, (textbox, messages) = app.respond(question, list(messages))
    assert textbox == ""
    return messages


# --- formatting -------------------------------------------------------------------------------

def test_answer_cites_title_date_paragraph_and_marks_the_answering_sentence(lexical_assistant):
    assistant = lexical_assistant
    answer = assistant.ask(TAN_MY_OFFICES)
    page = format_answer_html(answer, assistant.document)
    best = answer.passages[0]
    assert best.paragraph == 9
    assert '<b>[1]</b> <b>Tổ công tác số 5' in page and "24/10/2025 · đoạn 9" in page
    assert len(re.findall(r'class="va-citation"', page)) == len(answer.passages)
    start, end = best.highlights[0]
    first_mark = re.search(r"<mark>(.*?)</mark>", page).group(1)
    assert html.unescape(first_mark) == assistant.document(best.document_id).text[start:end]
    assert first_mark.startswith("Đồng chí Nguyễn Thị Bé Ngoan")


def test_citation_context_shows_neighbouring_paragraphs_with_the_passage_marked(lexical_assistant):
    assistant = lexical_assistant
    answer = assistant.ask(TAN_MY_OFFICES)
    page = format_answer_html(answer, assistant.document)
    context = re.search(r'<details><summary>Xem đoạn trích trong bài</summary><div class="va-context">(.*?)</div>',
                        page).group(1)
    assert "Châu Xuân Đại Thắng" in context  # paragraph 8, before the cited one
    assert "Kết luận buổi làm việc" in context  # paragraph 10, after it
    assert '<span class="va-cited"><mark>Đồng chí Nguyễn Thị Bé Ngoan' in context


def test_highlight_marks_exact_document_offsets():
    # "cầu dài" starts at document offset 100; the mark covers offsets 104–107 ("dài").
    assert highlight_html("cầu dài 500 m", 100, [(104, 107)], (100, 107)) == \
        '<span class="va-cited">cầu </span><span class="va-cited"><mark>dài</mark></span> 500 m'


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


def test_the_three_states_render_distinctly():
    from assistant.results import Answer, Passage

    passage = Passage("Câu trả lời.", 1.0, "a", "Tin", None, 1, 0, 12, highlights=((0, 12),))
    pages = {status: format_answer_html(Answer("?", status, f"nội dung {status}", [] if status == "not_found"
                                               else [passage]), lambda _id: None)
             for status in ("answered", "related", "not_found")}
    assert "va-text" in pages["answered"] and "Nguồn trích dẫn:" in pages["answered"]
    assert "va-related" in pages["related"] and "Các đoạn liên quan:" in pages["related"]
    assert "va-notfound" in pages["not_found"] and "va-citation" not in pages["not_found"]


def test_untrusted_text_is_inert_html_and_markdown():
    escaped = escape_text(HOSTILE + "\n$$x$$ `code` **b**")
    assert "<" not in escaped.replace("<br>", "") and ">" not in escaped.replace("<br>", "")
    for active in ("![", "](", "[", "$$", "`", "**", "javascript:"):
        assert active not in escaped
    assert html.unescape(escaped.replace("<br>", "\n")) == HOSTILE + "\n$$x$$ `code` **b**"


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


# --- handlers -----------------------------------------------------------------------------------

def test_respond_shows_a_pending_message_first(app):
    steps = list(app.respond(TAN_MY_OFFICES, []))
    assert len(steps) == 2
    assert "Đang tìm" in steps[0][1][-1]["content"]
    assert steps[1][1][0] == {"role": "user", "content": escape_text(TAN_MY_OFFICES)}
    assert list(app.respond("   ", [])) == [("", [])]


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
    assert result["status"] in ("answered", "related") and result["passages"][0]["document"]["id"] == "cau-anh-sao"
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
