"""Follow-up rewriting: "còn X thì sao?", pronouns, place anaphora, chains, accent-free and NFD input."""

import unicodedata

import pytest

from assistant.answer.conversation import rewrite_question
from assistant.answer.turns import Turn
from assistant.text.mentions import entities

PHU_THUAN_SECRETARY = "Ai là Bí thư Đảng ủy phường Phú Thuận?"
THOAI = "Nguyễn Đăng Thoại cho biết điều gì?"


@pytest.mark.parametrize("history, question, expected", [
    # "what about X?" replaces the entity of the same kind in the previous question
    ([PHU_THUAN_SECRETARY], "Còn phường Tân Mỹ thì sao?", "Ai là Bí thư Đảng ủy phường Tân Mỹ?"),
    ([PHU_THUAN_SECRETARY], "Thế còn Tân Mỹ?", "Ai là Bí thư Đảng ủy phường Tân Mỹ?"),
    ([PHU_THUAN_SECRETARY], "Vậy phường Tân Mỹ thì sao", "Ai là Bí thư Đảng ủy phường Tân Mỹ?"),
    ([PHU_THUAN_SECRETARY], "Còn xã Bình Chánh thì sao ạ?", "Ai là Bí thư Đảng ủy xã Bình Chánh?"),
    (["Ông Nguyễn Đăng Thoại cho biết gì?"], "Còn bà Nguyễn Thị Bé Ngoan thì sao?",
     "Bà Nguyễn Thị Bé Ngoan cho biết gì?"),
    # no entity of that kind: the new one is appended
    (["Khu đất đề xuất xây Trung tâm hành chính rộng bao nhiêu?"], "Phường Tân Mỹ thì sao?",
     "Khu đất đề xuất xây Trung tâm hành chính rộng bao nhiêu ở phường Tân Mỹ?"),
    # person pronouns → the most recent name (or the role asked about)
    ([THOAI], "Ông ấy giữ chức vụ gì?", "Ông Nguyễn Đăng Thoại giữ chức vụ gì?"),
    ([THOAI, "Khu đất rộng bao nhiêu?"], "Người này kiến nghị gì?", "Nguyễn Đăng Thoại kiến nghị gì?"),
    (["Trần Chí Dũng và Nguyễn Đăng Thoại nói gì?"], "Họ kiến nghị gì?",
     "Trần Chí Dũng và Nguyễn Đăng Thoại kiến nghị gì?"),
    (["Ai là Chủ tịch UBND phường Tân Mỹ?"], "Bà ấy kiến nghị gì?", "Chủ tịch UBND phường Tân Mỹ kiến nghị gì?"),
    # "what about <a role>?" asks it of the role, in the place of the earlier person or role
    (["Ông Nguyễn Xuân Anh nói gì với doanh nghiệp?"], "Còn chủ tịch UBND thành phố thì sao?",
     "Chủ tịch UBND thành phố nói gì với doanh nghiệp?"),
    (["Ai là Phó Bí thư Thường trực Đảng ủy phường Phú Thuận?"], "Còn Bí thư thì sao?",
     "Ai là Bí thư Đảng ủy phường Phú Thuận?"),  # a bare role keeps the body and place asked
    (["Ai là Chủ tịch UBND phường Tân Mỹ?", "Bà Nguyễn Thị Bé Ngoan nói gì về trụ sở?"], "Còn Bí thư thì sao?",
     "Bí thư phường Tân Mỹ nói gì về trụ sở?"),  # in a person's place, of the place spoken of
    # "what about <another time>?" asks the earlier question of that time
    (["Tỷ lệ vốn lõi của VPBank cuối năm 2016 là bao nhiêu?"], "Còn năm 2015?",
     "Tỷ lệ vốn lõi của VPBank cuối năm 2015 là bao nhiêu?"),
    (["Ngày 22-6 thi môn gì?"], "Còn ngày 23-6 thì sao?", "Ngày 23-6 thi môn gì?"),
    # place anaphora
    (["Phường Phú Thuận kiến nghị gì?"], "Trụ sở ở đó có vấn đề gì?", "Trụ sở ở phường Phú Thuận có vấn đề gì?"),
    (["Ai là Chủ tịch UBND phường Tân Mỹ?"], "Phường này kiến nghị gì về trụ sở?",
     "Phường Tân Mỹ kiến nghị gì về trụ sở?"),
])
def test_follow_ups_become_standalone(history, question, expected):
    assert rewrite_question(question, history).text == expected


@pytest.mark.parametrize("question", ["Khi nào?", "Đã bao lâu rồi?", "Vào ngày nào?", "Bao giờ?"])
def test_a_question_of_its_question_words_alone_asks_about_the_previous_answer(question):
    built = Turn("Phường Phú Thuận muốn xây gì?", "Phường Phú Thuận muốn xây gì?", "answered",
                 "Trung tâm hành chính đa chức năng", "Phường kiến nghị xây dựng Trung tâm hành chính đa chức năng.")
    body = question.rstrip("?")
    assert rewrite_question(question, [built]).text == \
        f"Phường Phú Thuận muốn xây Trung tâm hành chính đa chức năng {body[:1].lower() + body[1:]}?"


def test_why_asks_about_all_that_was_proposed_however_long():
    proposed = Turn("Bí thư Đảng ủy phường Phú Thuận kiến nghị gì?", "Bí thư Đảng ủy phường Phú Thuận kiến nghị gì?",
                    "answered", "giao cho phường quản lý các trung tâm y tế trên địa bàn về mặt tổ chức và cơ sở vật chất",
                    "…")
    assert rewrite_question("Tại sao?", [proposed]).text == ("Tại sao Bí thư Đảng ủy phường Phú Thuận kiến nghị giao "
                                                             "cho phường quản lý các trung tâm y tế trên địa bàn về mặt "
                                                             "tổ chức và cơ sở vật chất?")


def test_another_measure_of_the_thing_asked_about_names_the_thing_not_the_earlier_answer():
    price = Turn("Suzuki Axelo RR 2017 giá bao nhiêu?", "Suzuki Axelo RR 2017 giá bao nhiêu?", "answered",
                 "28,29 triệu đồng", "Xe có giá bán là 28,29 triệu đồng.", "doc")
    weight = rewrite_question("Xe nặng bao nhiêu?", [price]).text
    assert weight == "Suzuki Axelo RR 2017 xe nặng bao nhiêu?"
    camera = Turn("Camera sau của Nokia 6 bao nhiêu MP?", "Camera sau của Nokia 6 bao nhiêu MP?", "answered",
                  "16 MP", "Nokia 6 trang bị máy ảnh 16 MP ở mặt sau.", "doc")
    battery = Turn("Pin bao nhiêu mAh?", "Nokia 6 pin bao nhiêu mAh?", "answered", "3.000 mAh",
                   "Máy có pin 3.000 mAh.", "doc")
    assert rewrite_question("Giá bao nhiêu?", [camera, battery]).text == "Nokia 6 giá bao nhiêu?"


def test_a_question_asking_only_how_many_goes_on_from_the_previous_answer():
    jackpot = Turn("Vietlott trao giải Jackpot bao nhiêu tiền?", "Vietlott trao giải Jackpot bao nhiêu tiền?",
                   "answered", "126.821.490.000 đồng", "Tổng trị giá giải Jackpot là 126.821.490.000 đồng.", "doc")
    assert rewrite_question("Cho mấy người?", [jackpot]).text.startswith("Vietlott trao giải Jackpot")
    lobsters = Turn("Tôm hùm chết ở đâu?", "Tôm hùm chết ở đâu?", "answered", "thị xã Sông Cầu",
                    "Tôm hùm nuôi ở thị xã Sông Cầu chết hàng loạt.", "doc")
    assert rewrite_question("Bao nhiêu hộ bị ảnh hưởng?", [lobsters]).text.startswith("Tôm hùm chết")
    # a new topic, however short, is asked as it is
    assert rewrite_question("Giá vàng bao nhiêu?", [lobsters]).text == "Giá vàng bao nhiêu?"


def test_solving_with_nothing_to_solve_solves_the_problem_asked_about_before():
    problem = Turn("Phường Tân Mỹ gặp khó khăn gì về trụ sở?", "Phường Tân Mỹ gặp khó khăn gì về trụ sở?", "answered",
                   "trong điều hành", "Trụ sở các đơn vị vẫn còn phân tán, gây khó khăn trong điều hành.", "doc")
    assert rewrite_question("Phường đề xuất giải quyết thế nào?", [problem]).text == \
        "Phường Tân Mỹ đề xuất giải quyết khó khăn về trụ sở thế nào?"
    # without the earlier question's own question phrase, names as written
    named = Turn("Khó khăn về trụ sở ở Phú Thuận là gì?", "Khó khăn về trụ sở ở Phú Thuận là gì?", "answered",
                 "xuống cấp", "Các trụ sở đang xuống cấp.", "doc")
    assert rewrite_question("Phường giải quyết ra sao?", [named]).text.endswith(
        "giải quyết khó khăn về trụ sở ở Phú Thuận ra sao?")
    # what "việc này" points at is said once
    assert rewrite_question("Phường đề xuất giải quyết việc này thế nào?", [problem]).text.count("khó khăn") == 1


def test_three_turn_chain_of_places():
    history = [PHU_THUAN_SECRETARY, "Còn phường Tân Mỹ thì sao?"]
    assert rewrite_question("Phường đó kiến nghị gì?", history).text == "Phường Tân Mỹ kiến nghị gì?"


def test_three_turn_chain_of_people():
    history = [THOAI, "Ông ấy giữ chức vụ gì?", "Còn Châu Xuân Đại Thắng thì sao?"]
    assert rewrite_question("Còn Châu Xuân Đại Thắng thì sao?", history[:2]).text == "Châu Xuân Đại Thắng giữ chức vụ gì?"
    assert rewrite_question("Ông ấy kiến nghị gì?", history).text == "Ông Châu Xuân Đại Thắng kiến nghị gì?"


def test_accent_free_follow_ups_are_rewritten_without_accents():
    # Retrieval restores accents only on a question typed entirely without them.
    assert rewrite_question("con phuong tan my thi sao", [PHU_THUAN_SECRETARY]).text == "Ai la Bi thu Dang uy phuong tan my?"
    assert rewrite_question("con phuong tan my thi sao", ["ai la bi thu dang uy phuong phu thuan"]).text \
        == "ai la bi thu dang uy phuong tan my"
    assert rewrite_question("ong ay giu chuc vu gi", [THOAI]).text == "ong Nguyen Dang Thoai giu chuc vu gi"


def test_nfd_input_is_matched_and_returned_in_nfc():
    question = unicodedata.normalize("NFD", "Còn phường Tân Mỹ thì sao?")
    history = [unicodedata.normalize("NFD", PHU_THUAN_SECRETARY)]
    rewritten = rewrite_question(question, history).text
    assert rewritten == "Ai là Bí thư Đảng ủy phường Tân Mỹ?"
    assert unicodedata.is_normalized("NFC", rewritten)


@pytest.mark.parametrize("question", [
    "Ai là Chủ tịch UBND phường Tân Mỹ?",
    "Khu đất đề xuất xây Trung tâm hành chính rộng bao nhiêu?",
    "Còn nhiều khó khăn không?",  # starts like a follow-up but asks its own question
    "Họ tên của Bí thư phường Tân Mỹ là gì?",  # "họ" as in "full name", not "they"
    "Ông Trần Chí Dũng nói gì, ông ấy đề xuất gì?",  # the pronoun's referent is in the question
])
def test_standalone_questions_are_returned_unchanged(question):
    assert rewrite_question(question, [THOAI, PHU_THUAN_SECRETARY]).text is question


def test_no_history_means_no_rewrite():
    assert rewrite_question("Còn phường Tân Mỹ thì sao?", []).text == "Còn phường Tân Mỹ thì sao?"
    assert rewrite_question("Ông ấy là ai?", ["   ", "Khu đất rộng bao nhiêu?"]).text == "Ông ấy là ai?"


def test_entities_split_a_place_from_the_name_that_follows_it():
    text = "Bí thư Đảng ủy phường Tân Mỹ Trần Chí Dũng cho biết"
    found = [(e.kind, e.category, text[e.name_start:e.end]) for e in entities(text)]
    assert found == [("phường", "place", "Tân Mỹ"), ("", "person", "Trần Chí Dũng")]


def test_ask_with_history_rewrites_and_retrieves_the_tan_my_paragraph(fake_assistant):
    answer = fake_assistant.ask("Còn phường Tân Mỹ thì sao?", history=[PHU_THUAN_SECRETARY])
    assert answer.rewritten_question == "Ai là Bí thư Đảng ủy phường Tân Mỹ?"
    # The fake embedder is too crude for the calibrated dense threshold: answer lexically.
    answer = fake_assistant.ask("Còn phường Tân Mỹ thì sao?", mode="lexical",
                                history=["Chủ tịch UBND phường Phú Thuận thông tin gì về trụ sở?"])
    assert answer.rewritten_question == "Chủ tịch UBND phường Tân Mỹ thông tin gì về trụ sở?"
    assert answer.answered
    best = answer.passages[0]
    assert best.paragraph == 9 and "Chủ tịch UBND phường Tân Mỹ" in best.text
    assert fake_assistant.ask("Còn phường Tân Mỹ thì sao?", history=None).rewritten_question is None


def test_search_with_history_reads_the_follow_up_as_understood_and_says_it_follows(fake_assistant):
    result = fake_assistant.search("Còn phường Tân Mỹ thì sao?", mode="lexical",
                                   history=["Chủ tịch UBND phường Phú Thuận thông tin gì về trụ sở?"])
    assert result.question == "Chủ tịch UBND phường Tân Mỹ thông tin gì về trụ sở?"
    assert result.relevance.features["follows"] == 1.0  # the top passage is from the document followed
    alone = fake_assistant.search("Chủ tịch UBND phường Tân Mỹ thông tin gì về trụ sở?", mode="lexical")
    assert alone.relevance.features["follows"] == 0.0


def test_chat_short_forms_are_written_out_and_shown_as_understood(fake_assistant):
    answer = fake_assistant.ask("Chủ tịch UBND phường Tân Mỹ thông tin gì về trụ sở, ko phải Phú Thuận?",
                                mode="lexical")
    assert answer.rewritten_question == "Chủ tịch UBND phường Tân Mỹ thông tin gì về trụ sở, không phải Phú Thuận?"
    assert fake_assistant.ask("Chủ tịch UBND phường Tân Mỹ là ai?", mode="lexical").rewritten_question is None
