"""Result types (`results.py`): an answer's three states and the documented JSON form of answers
and passages (`assistant ask --json`)."""

from assistant.results import ANSWERED, NOT_FOUND, RELATED, STATUSES, Answer, Passage, relevance

PASSAGE = Passage("Đồng chí Nguyễn Thị Bé Ngoan thông tin.", 7.5, "000_dbd6872183af7f42", "Tổ công tác số 5",
                  "2025-10-24", 9, 120, 159, path="/docs/bai.txt", rank=1, highlights=((120, 159),),
                  dense_score=0.9, lexical_score=12.0)


def test_only_the_answered_state_is_an_answer():
    assert STATUSES == (ANSWERED, RELATED, NOT_FOUND) == ("answered", "related", "not_found")
    assert [Answer("?", status, "…").answered for status in STATUSES] == [True, False, False]


def test_the_json_form_is_the_documented_one():
    answer = Answer("Ai là Chủ tịch?", ANSWERED, "“Đồng chí Nguyễn Thị Bé Ngoan thông tin.” [1]", [PASSAGE],
                    rewritten_question="Ai là Chủ tịch UBND phường Tân Mỹ?", notes=["ghi chú"],
                    short_answer="Nguyễn Thị Bé Ngoan", short_span=(129, 148))
    assert answer.to_dict() == {
        "question": "Ai là Chủ tịch?", "rewritten_question": "Ai là Chủ tịch UBND phường Tân Mỹ?",
        "status": "answered", "answered": True, "answer": "“Đồng chí Nguyễn Thị Bé Ngoan thông tin.” [1]",
        "short_answer": "Nguyễn Thị Bé Ngoan", "short_span": [129, 148],
        "notes": ["ghi chú"], "generated": False, "model": None,
        "passages": [{"rank": 1, "text": "Đồng chí Nguyễn Thị Bé Ngoan thông tin.", "score": 7.5,
                      "document": {"id": "000_dbd6872183af7f42", "title": "Tổ công tác số 5", "date": "2025-10-24",
                                   "path": "/docs/bai.txt"},
                      "paragraph": 9, "start": 120, "end": 159, "highlights": [[120, 159]]}],
    }


def test_the_chat_leaves_out_where_files_are_on_the_server():
    answer = Answer("?", RELATED, "Chưa chắc chắn…", [PASSAGE])
    assert "path" not in answer.to_dict(include_paths=False)["passages"][0]["document"]
    assert answer.to_dict(include_paths=False)["passages"][0]["document"] == \
        {"id": "000_dbd6872183af7f42", "title": "Tổ công tác số 5", "date": "2025-10-24"}


def test_a_passage_s_relevance_is_a_plain_word_relative_to_the_best():
    assert relevance(3.0, 3.0) == ("liên quan nhất", 1.0)
    assert relevance(2.4, 3.0)[0] == "rất liên quan" and relevance(1.5, 3.0)[0] == "khá liên quan"
    assert relevance(0.3, 3.0)[0] == relevance(-0.5, 3.0)[0] == "ít liên quan"
