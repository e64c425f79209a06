"""The chat's logic (`ui/app.py`): its handlers (answers, uploads with their title and date, the
documents panel). The page is tested in test_page.py, the server in test_server.py and test_api.py."""

import json

import pytest

from ui.app import save_upload, upload_metadata, user_questions
from ui.render import escape_text, format_documents_html

from .conftest import BRIDGE_ARTICLE

TAN_MY_OFFICES = "Chủ tịch UBND phường Tân Mỹ thông tin gì về trụ sở?"
BRIDGE_QUESTION = "Cầu Ánh Sao dài bao nhiêu mét?"


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


def test_an_upload_takes_the_title_and_date_typed_with_it(app, bridge_file, tmp_path):
    added = app.add_document(str(bridge_file), title="Cầu mới ở quận 7", date="3/11/2025")
    assert added.ok and added.documents == ("cau-anh-sao",)
    document = app.assistant.document("cau-anh-sao")
    assert (document.title, document.date) == ("Cầu mới ở quận 7", "2025-11-03")
    sidecar = tmp_path / "uploads" / "cau-anh-sao.txt.meta.json"
    assert json.loads(sidecar.read_text(encoding="utf-8")) == {"title": "Cầu mới ở quận 7", "date": "2025-11-03"}
    # The same file again with another date only: the title typed before stays.
    again = app.add_document(str(bridge_file), date="2025-11-04")
    assert again.ok and again.documents == ("cau-anh-sao",)
    assert (app.assistant.document("cau-anh-sao").title, app.assistant.document("cau-anh-sao").date) == \
        ("Cầu mới ở quận 7", "2025-11-04")


def test_the_chat_answers_from_what_another_process_indexes_without_a_restart(app, bridge_file):
    """`assistant index` (another process) adds an article while the chat runs."""
    from assistant import Assistant
    from assistant.testing import HashingEmbedder

    assert "cau-anh-sao" not in app.documents_html()
    Assistant(app.assistant.index_dir, embedder=HashingEmbedder()).index(paths=[bridge_file])
    assert "500 mét" in final_message(app, BRIDGE_QUESTION)[-1]["content"]
    assert "cau-anh-sao" in app.documents_html()


@pytest.mark.parametrize(("title", "date", "expected"), [
    (None, "31/02/2025", "“31/02/2025” không phải một ngày"),
    (None, "hôm qua", "không phải một ngày"),
    ("x" * 400, None, "tối đa 300 ký tự"),
])
def test_a_wrong_title_or_date_refuses_the_upload_and_keeps_nothing(app, bridge_file, tmp_path, title, date,
                                                                    expected):
    outcome = app.add_document(str(bridge_file), title=title, date=date)
    assert not outcome.ok and expected in outcome.message and outcome.message.startswith("Không thêm được")
    assert not (tmp_path / "uploads").exists() or not any((tmp_path / "uploads").iterdir())


def test_blank_title_and_date_mean_none_given():
    assert upload_metadata("  ", "") == ({}, None)
    assert upload_metadata(" Tiêu đề ", " 2025-10-24 ") == ({"title": "Tiêu đề", "date": "2025-10-24"}, None)
