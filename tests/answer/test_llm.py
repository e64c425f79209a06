"""Generated answers from an OpenAI-compatible server: shown only when every citation holds,
otherwise the quotation with a note. Against a real HTTP server on 127.0.0.1 with scripted replies."""

import json

import pytest

from assistant import Assistant
from assistant.answer.llm import NOTE_NO_ANSWER, NOTE_SERVER_ERROR, NOTE_UNREACHABLE, build_messages, verification_note
from assistant.config import Settings
from assistant.results import Passage
from assistant.testing import HashingEmbedder

QUESTION = "Chủ tịch UBND phường Tân Mỹ thông tin gì về trụ sở?"
GOOD = ("Bà Nguyễn Thị Bé Ngoan cho biết trụ sở các đơn vị như Công an, Ban Chỉ huy quân sự vẫn còn phân tán [1]. "
        "Theo bà, điều này “gây khó khăn trong điều hành” [1].")
PASSAGES = [Passage("Đồng chí Nguyễn Thị Bé Ngoan thông tin, trụ sở còn phân tán, gây khó khăn trong điều hành.",
                    1.0, "a", "Tin", "2025-10-24", 9, 0, 10),
            Passage("Phường Phú Thuận kiến nghị xây trung tâm hành chính.", 0.5, "a", "Tin", None, 7, 0, 10)]


@pytest.mark.parametrize("text, note", [
    ("Trụ sở còn phân tán [1]. Việc này “gây khó khăn trong điều hành” [1].", None),
    ("Trụ sở còn phân tán.[1] Phú Thuận muốn xây trung tâm.[2]", None),  # markers after the full stop
    ("Trụ sở còn phân tán [1][2].", None),
    ("Trụ sở còn phân tán [3].", "dẫn nguồn [3] không có"),
    ("Trụ sở còn phân tán [0].", "dẫn nguồn [0] không có"),
    ("Trụ sở còn phân tán [1]. Phường rất vui.", "không ghi nguồn"),
    ("Trụ sở còn phân tán.", "không ghi nguồn"),
    ("Bà nói “trụ sở mới rất đẹp” [1].", "không có trong đoạn"),
    ("Bà nói “gây khó khăn trong điều hành” [2].", "không có trong đoạn"),  # quoted from another passage
    ("Không có thông tin trong các đoạn trích.", NOTE_NO_ANSWER),
    ("   ", "trống"),
])
def test_verification(text, note):
    found = verification_note(text, PASSAGES)
    assert (found is None) if note is None else (found is not None and note in found)


def test_the_request_numbers_the_passages_and_carries_the_conversation():
    messages = build_messages("Còn Tân Mỹ?", PASSAGES, ["Ai là Bí thư phường Phú Thuận?"], "Ai là Bí thư phường Tân Mỹ?")
    assert messages[0]["role"] == "system" and "[1]" in messages[0]["content"]
    assert messages[1] == {"role": "user", "content": "Ai là Bí thư phường Phú Thuận?"}
    last = messages[-1]["content"]
    assert "[1] Tin (2025-10-24)\nĐồng chí Nguyễn Thị Bé Ngoan" in last and "[2] Tin\nPhường Phú Thuận" in last
    assert "Câu hỏi: Còn Tân Mỹ?\n(Tức là: Ai là Bí thư phường Tân Mỹ?)" in last


@pytest.fixture
def generating(tmp_path, corpus_dir, chat_server):
    settings = Settings(mode="lexical", llm_url=chat_server.url, llm_model="scripted", llm_timeout=1.0)
    return Assistant.open(tmp_path / "index", documents=[corpus_dir], settings=settings, embedder=HashingEmbedder())


def test_a_verified_answer_is_shown_with_its_citations(generating, chat_server):
    chat_server.reply = GOOD
    answer = generating.ask(QUESTION)
    assert answer.generated and answer.model == "scripted" and answer.status == "answered"
    assert answer.text == GOOD and "Bé Ngoan" in answer.passages[0].text
    payload = answer.to_dict()
    assert payload["generated"] is True and payload["model"] == "scripted" and payload["answer"] == GOOD
    request = chat_server.requests[-1]
    assert request["model"] == "scripted" and request["stream"] is False and "[1]" in request["messages"][-1]["content"]


@pytest.mark.parametrize("script, note", [
    ({"reply": "Trụ sở còn phân tán [7]."}, "không kiểm chứng được"),
    ({"reply": "Bà nói “trụ sở đã xây xong” [1]."}, "không có trong đoạn"),
    ({"reply": "Trụ sở còn phân tán."}, "không ghi nguồn"),
    ({"reply": "Không có thông tin trong các đoạn trích."}, NOTE_NO_ANSWER),
    ({"status": 500}, NOTE_SERVER_ERROR),
    ({"malformed": True}, NOTE_SERVER_ERROR),
    ({"delay": 3.0, "reply": GOOD}, NOTE_UNREACHABLE),
])
def test_every_failure_gives_the_quotation_and_a_note(generating, chat_server, script, note):
    for key, value in script.items():
        setattr(chat_server, key, value)
    answer = generating.ask(QUESTION)
    # Asked once, never again: a slow server (3 s, over the 1 s timeout) costs one timeout, not a retry each.
    assert len(chat_server.requests) == 1
    assert not answer.generated and answer.model is None and answer.text.startswith("“")
    assert any(note in line for line in answer.notes), answer.notes
    assert answer.passages and answer.status == "answered"
    assert answer.text == generating.ask(QUESTION, generate=False).text  # the quotation it would give anyway


def test_an_unreachable_server_gives_the_quotation(tmp_path, corpus_dir):
    settings = Settings(mode="lexical", llm_url="http://127.0.0.1:9/v1", llm_model="m", llm_timeout=1.0)
    assistant = Assistant.open(tmp_path / "index", documents=[corpus_dir], settings=settings, embedder=HashingEmbedder())
    answer = assistant.ask(QUESTION)
    assert not answer.generated and NOTE_UNREACHABLE in answer.notes


def test_the_server_is_not_asked_when_nothing_is_found(generating, chat_server):
    answer = generating.ask("Giá vàng SJC hôm nay là bao nhiêu?")
    assert answer.status == "not_found" and chat_server.requests == []


def test_streaming_yields_pieces_then_the_checked_answer(generating, chat_server):
    chat_server.reply = GOOD
    *pieces, final = generating.ask_stream(QUESTION)
    assert len(pieces) > 3 and "".join(pieces) == GOOD and final.generated
    assert chat_server.requests[-1]["stream"] is True
    chat_server.reply = "Bà nói “trụ sở đã xây xong” [1]."
    *pieces, final = generating.ask_stream(QUESTION)
    assert "".join(pieces) == chat_server.reply and not final.generated and final.text.startswith("“")


def test_the_chat_streams_then_replaces_a_failed_answer(generating, chat_server, tmp_path):
    from ui.app import ChatApp

    app = ChatApp(generating, tmp_path / "uploads")
    chat_server.reply = GOOD
    steps = [messages[-1]["content"] for _textbox, messages, _turns in app.respond(QUESTION, [])]
    assert "Đang tìm" in steps[0] and any("đang viết" in step and "va-streaming" in step for step in steps[1:-1])
    assert "va-generated" in steps[-1] and "Viết bởi mô hình scripted" in steps[-1] and "va-citation" in steps[-1]
    chat_server.reply = "Trụ sở còn phân tán [9]."
    final = list(app.respond(QUESTION, []))[-1][1][-1]["content"]
    assert "va-generated" not in final and "va-text" in final and "không kiểm chứng được" in final
    chat_server.delay = 3.0  # over the 1 s timeout
    asked = len(chat_server.requests)
    final = list(app.respond(QUESTION, []))[-1][1][-1]["content"]
    assert "không phản hồi" in final and "va-text" in final and "va-generated" not in final
    assert len(chat_server.requests) == asked + 1


def test_without_a_server_nothing_changes(fake_assistant):
    assert fake_assistant.writer is None
    assert not fake_assistant.ask(QUESTION).generated
    assert [item for item in fake_assistant.ask_stream(QUESTION) if isinstance(item, str)] == []


@pytest.mark.slow
def test_the_command_line_prints_the_verified_answer(chat_server, tmp_path, run_cli, bundled_model, bundled_documents):
    chat_server.reply = GOOD
    index_dir = tmp_path / "index"
    common = ["--index-dir", index_dir, "--llm-url", chat_server.url, "--llm-model", "scripted"]
    assert run_cli("index", bundled_documents, "-q", "--index-dir", index_dir).returncode == 0
    result = run_cli("ask", QUESTION, "--json", *common)
    payload = json.loads(result.stdout)
    assert payload["generated"] is True and payload["model"] == "scripted" and payload["answer"] == GOOD
    text = run_cli("ask", QUESTION, *common).stdout
    assert GOOD in text and "Viết bởi mô hình scripted" in text and "[1] Tổ công tác số 5" in text
