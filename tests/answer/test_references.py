"""Follow-ups that remember the answers: pronouns, demonstratives and elliptic questions resolved
against earlier questions and answers (`assistant.answer.conversation`, `assistant.answer.references`)."""

import pytest

from assistant.answer.conversation import rewrite_question
from assistant.answer.turns import Turn

LEADER = Turn("Tổ công tác số 5 do ai làm tổ trưởng?", "Tổ công tác số 5 do ai làm tổ trưởng?", "answered",
              "Nguyễn Thị Mỹ Hằng", "Ngày 24-10, tổ công tác số 5 do đồng chí Nguyễn Thị Mỹ Hằng, Ủy viên Ban Thường "
              "vụ Thành ủy, làm tổ trưởng, đã làm việc với phường Phú Thuận và phường Tân Mỹ về kết quả thực hiện Kế "
              "hoạch 249-KH/UBKTTW của Ủy ban Kiểm tra Trung ương.", "doc")
SECRETARY = Turn("Ai là Bí thư Đảng ủy phường Tân Mỹ?", "Ai là Bí thư Đảng ủy phường Tân Mỹ?", "answered",
                 "Trần Chí Dũng", "Bí thư Đảng ủy phường Tân Mỹ Trần Chí Dũng cho biết, về cơ bản, số lượng và cơ cấu "
                 "công chức hiện nay đáp ứng yêu cầu thực hiện nhiệm vụ.", "doc")
UNRELATED = Turn("Giá vàng hôm nay bao nhiêu?", "Giá vàng hôm nay bao nhiêu?", "not_found")


def test_a_pronoun_names_the_person_an_answer_gave():
    assert rewrite_question("Bà ấy giữ chức vụ gì?", [LEADER]).text == "Bà Nguyễn Thị Mỹ Hằng giữ chức vụ gì?"
    assert rewrite_question("Ông ấy cho biết gì?", [SECRETARY]).text == "Ông Trần Chí Dũng cho biết gì?"


def test_a_noun_for_a_person_with_a_demonstrative_names_the_person_an_answer_gave():
    partner = Turn("Tuấn Tài đá cặp với ai trên hàng công?", "Tuấn Tài đá cặp với ai trên hàng công?", "answered",
                   "Công Phượng", "Theo đó, Công Phượng sánh vai cùng Hồ Tuấn Tài trên hàng công.", "doc")
    assert rewrite_question("Cầu thủ đó ghi bàn ở phút mấy?", [partner]).text == \
        "Cầu thủ Công Phượng ghi bàn ở phút mấy?"
    assert rewrite_question("Người này ghi bàn ở phút mấy?", [partner]).text == "Công Phượng ghi bàn ở phút mấy?"


def test_a_pronoun_names_the_speaker_an_answer_quoted_from_before_its_sentence():
    speaker = Turn("Ai nêu kiến nghị xây Trung tâm hành chính đa chức năng?",
                   "Ai nêu kiến nghị xây Trung tâm hành chính đa chức năng?", "answered", "Nguyễn Đăng Thoại",
                   "Phường kiến nghị TPHCM sớm chấp thuận chủ trương xây dựng Trung tâm hành chính đa chức năng.",
                   "doc")
    assert rewrite_question("Ông ấy giữ chức gì?", [speaker]).text == "Ông Nguyễn Đăng Thoại giữ chức gì?"
    organisation = Turn(speaker.question, speaker.standalone, "answered", "Sở Quy hoạch - Kiến trúc TPHCM",
                        speaker.sentence, "doc")
    assert rewrite_question("Ông ấy giữ chức gì?", [organisation]).text == "Ông ấy giữ chức gì?"  # no person


def test_typed_without_accents_the_rewrite_has_none_either():
    assert rewrite_question("ong ay cho biet gi", [SECRETARY]).text == "ong Tran Chi Dung cho biet gi"


def test_a_province_named_in_one_word_after_o_is_the_province_spoken_of():
    bodies = Turn("Ai cho biết đã tìm thấy 50 thi thể ở Nuristan?", "Ai cho biết đã tìm thấy 50 thi thể ở Nuristan?",
                  "answered", "Abdul", "“50 thi thể đã được phát hiện,” ông Abdul nói thêm.")
    assert rewrite_question("Ông ấy là gì của tỉnh đó?", [bodies]).text == "Ông Abdul là gì của tỉnh Nuristan?"


def test_there_is_a_name_the_earlier_question_wrote_when_no_place_was_named_for_sure():
    asked = "Tuyết dày khiến chính phủ Afghanistan phải làm gì?"
    snow = Turn(asked, asked, "answered", "đóng cửa văn phòng", "Tuyết dày khiến chính phủ phải đóng cửa văn phòng.")
    assert rewrite_question("Thế nhân viên cứu hộ ở đó gặp khó gì?", [snow]).text == \
        "Nhân viên cứu hộ ở Afghanistan gặp khó gì?"


def test_what_about_another_ward_asks_the_earlier_question_again():
    follow = rewrite_question("Còn phường Phú Thuận thì sao?", [SECRETARY])
    assert follow.text == "Ai là Bí thư Đảng ủy phường Phú Thuận?" and follow.document == "doc"


def test_an_unrelated_question_in_between_does_not_capture_the_next_turn():
    follow = rewrite_question("Còn phường Phú Thuận thì sao?", [SECRETARY, UNRELATED])
    assert follow.text == "Ai là Bí thư Đảng ủy phường Phú Thuận?"


def test_an_elliptic_question_asks_about_what_the_previous_answer_said():
    follow = rewrite_question("Để làm gì?", [LEADER])
    assert "Nguyễn Thị Mỹ Hằng" in follow.text and follow.text.endswith("?")


def test_a_question_that_names_its_own_subject_is_left_alone():
    assert rewrite_question("Ai là Chủ tịch UBND phường Tân Mỹ?", [LEADER]).text == \
        "Ai là Chủ tịch UBND phường Tân Mỹ?"
    assert rewrite_question("Ai là Chủ tịch UBND phường Tân Mỹ?", [LEADER]).document is None


def test_a_ward_written_without_its_name_is_the_one_spoken_of():
    assert rewrite_question("Vậy phường kiến nghị thành phố gì?", [SECRETARY]).text == \
        "Phường Tân Mỹ kiến nghị thành phố gì?"
    assert rewrite_question("Phường Phú Thuận kiến nghị gì?", [SECRETARY]).text == "Phường Phú Thuận kiến nghị gì?"


def test_without_accents_a_demonstrative_is_read_with_them_restored():
    restored = {"ai dan dau to cong tac do": "ai dẫn đầu tổ công tác đó"}
    follow = rewrite_question("ai dan dau to cong tac do", [LEADER], restore=lambda q: restored.get(q, q))
    assert follow.text == "ai dan dau to cong tac so 5"
    # "do" that is "do" (by) stays as typed
    assert rewrite_question("to cong tac do ai lam to truong", [LEADER], restore=lambda q: q).text == \
        "to cong tac do ai lam to truong"


PROPOSAL = Turn("Phường Tân Mỹ đề xuất gì cho khối không chuyên trách?",
                "Phường Tân Mỹ đề xuất gì cho khối không chuyên trách?", "answered")


@pytest.mark.parametrize("between", [
    Turn("ap dung cho phuong nao", "ap dung cho phuong nao", "related"),  # names no one and nowhere
    Turn("kinh phi lay tu dau", "kinh phi lay nguon kinh phi cua Thanh pho", "answered"),  # a city, no ward
])
def test_what_about_a_ward_asks_again_the_latest_question_about_a_ward(between):
    assert rewrite_question("Còn phường Phú Thuận thì sao?", [PROPOSAL, between]).text == \
        "Phường Phú Thuận đề xuất gì cho khối không chuyên trách?"


def test_a_person_keeps_the_title_the_conversation_calls_them_by():
    student = Turn("Thí sinh nào được 30 điểm khối B?", "Thí sinh nào được 30 điểm khối B?", "answered", "Lê Hữu Hiếu",
                   "Lê Hữu Hiếu là một trong ba thí sinh có số điểm tuyệt đối.")
    mother = Turn("Mẹ em ấy tên gì?", "Mẹ Lê Hữu Hiếu tên gì?", "answered", "Lưu Thị Châu",
                  "Ngồi bên Hiếu, người mẹ Lưu Thị Châu (41 tuổi) rớm nước mắt chia sẻ.")
    age = Turn("Chị ấy bao nhiêu tuổi?", "Chị Lưu Thị Châu bao nhiêu tuổi?", "answered", "41 tuổi",
               "Ngồi bên Hiếu, người mẹ Lưu Thị Châu (41 tuổi) rớm nước mắt chia sẻ.")
    # "em ấy" is the boy it was two turns before, not the mother, called "chị ấy", named last
    assert rewrite_question("Bố em ấy làm nghề gì?", [student, mother, age]).text == "Bố Lê Hữu Hiếu làm nghề gì?"
    assert rewrite_question("Chị ấy sinh năm nào?", [student, mother, age]).text == "Chị Lưu Thị Châu sinh năm nào?"


def test_a_person_in_a_sentence_shown_only_as_related_is_no_referent():
    doubtful = Turn("con chuyen mon thi ai lo", "con chuyen mon thi ai lo", "related", None,
                    "Ông Mai Văn Trinh cho biết đã giao chuyên môn cho ngành dọc.")
    assert rewrite_question("Ông ấy tên đầy đủ là gì?", [SECRETARY, doubtful]).text == \
        "Ông Trần Chí Dũng tên đầy đủ là gì?"


def test_with_nobody_named_for_sure_a_person_is_the_one_a_related_sentence_named():
    election = Turn("Ai tuyên bố thắng cử tổng thống Hàn Quốc?", "Ai tuyên bố thắng cử tổng thống Hàn Quốc?",
                    "related", None, "Ông Moon Jae-in tuyên bố chiến thắng trước những người ủng hộ.")
    assert rewrite_question("Ông ấy hứa gì?", [election]).text == "Ông Moon Jae-in hứa gì?"


def test_ho_after_bao_nhieu_is_households_not_they():
    lobsters = Turn("Tôm hùm chết ở thị xã nào?", "Tôm hùm chết ở thị xã nào?", "answered", "Sông Cầu",
                    "Tôm hùm nuôi của bà Trịnh Thị Bơ ở thị xã Sông Cầu chết hàng loạt.")
    assert "Trịnh" not in rewrite_question("Ở đó có bao nhiêu họ bị nợ nần?", [lobsters]).text


def test_they_are_the_people_an_answer_counted():
    crew = Turn("Trên tàu có bao nhiêu thuyền viên?", "Trên tàu có bao nhiêu thuyền viên?", "answered",
                "27 thuyền viên", "Tàu Chemroad Journey, quốc tịch Cayman Islands, chở Ethylene Glycol và 27 "
                "thuyền viên.")
    assert rewrite_question("Họ có an toàn không?", [crew]).text == "Các thuyền viên có an toàn không?"
    people = Turn("Giải trao cho mấy người?", "Giải trao cho mấy người?", "answered", "3 khách hàng",
                  "Giải được trao cho 3 khách hàng.")
    assert "người" not in rewrite_question("Họ ở đâu?", [people]).text  # "các người" would say "you people"
    assert rewrite_question("Họ ở đâu?", [people]).text.startswith("Giải trao cho 3 khách hàng")
    unanswered = Turn(crew.question, crew.standalone, "related", None, crew.sentence)
    assert "thuyền viên" not in rewrite_question("Họ có an toàn không?", [unanswered]).text


def test_what_about_a_topic_asks_the_same_of_the_same_owner():
    profit = Turn("Lợi nhuận quý I của ngân hàng này được bao nhiêu?",
                  "Lợi nhuận quý I của Ngân hàng VPBank được bao nhiêu?", "answered", "hơn 1.520 tỷ đồng")
    assert rewrite_question("Còn mục tiêu tổng tài sản năm nay?", [profit]).text == \
        "Mục tiêu tổng tài sản năm nay của Ngân hàng VPBank được bao nhiêu?"
