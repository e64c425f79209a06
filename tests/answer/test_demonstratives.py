"""Demonstratives (`answer/demonstratives.py`): "kế hoạch đó", "mô hình này", "kiến nghị đó", "ngân
hàng này" named as the earlier questions and answers of the conversation named them."""

from assistant.answer.demonstratives import resolve_demonstratives
from assistant.answer.references import resolve_pronouns
from assistant.answer.turns import Turn

LEADER = Turn("Tổ công tác số 5 do ai làm tổ trưởng?", "Tổ công tác số 5 do ai làm tổ trưởng?", "answered",
              "Nguyễn Thị Mỹ Hằng", "Ngày 24-10, tổ công tác số 5 do đồng chí Nguyễn Thị Mỹ Hằng làm tổ trưởng, đã "
              "làm việc về kết quả thực hiện Kế hoạch 249-KH/UBKTTW của Ủy ban Kiểm tra Trung ương.", "doc")
CENTRE = Turn("Phường nào kiến nghị xây Trung tâm hành chính đa chức năng?",
              "Phường nào kiến nghị xây Trung tâm hành chính đa chức năng?", "related", None,
              "Phường kiến nghị TPHCM sớm chấp thuận chủ trương xây dựng Trung tâm hành chính đa chức năng.", "doc")


def test_a_demonstrative_names_the_thing_the_answer_spoke_of():
    assert "Kế hoạch 249-KH/UBKTTW" in resolve_demonstratives("Kế hoạch đó của cơ quan nào?", [LEADER])


def test_a_demonstrative_names_a_quoted_thing_whole_without_its_quotation_marks():
    model = Turn("Trưởng Ban Nội chính Thành ủy muốn sớm có mô hình gì giữa các phường?",
                 "Trưởng Ban Nội chính Thành ủy muốn sớm có mô hình gì giữa các phường?", "answered", "liên phường",
                 "Đồng chí cũng kỳ vọng các mô hình “liên phường” sớm được triển khai.")
    assert resolve_demonstratives("Mô hình này là gì vậy?", [model]) == "Mô hình liên phường là gì vậy?"
    # "phường", a word of the question, is still part of the quotation
    assert resolve_demonstratives("Đã có phường nào làm thử mô hình đó chưa?", [model]) == \
        "Đã có phường nào làm thử mô hình liên phường chưa?"


def test_what_was_said_is_named_from_its_noun_on_without_the_earlier_question_word():
    assert resolve_demonstratives("Ai nêu kiến nghị đó?", [CENTRE]) == \
        "Ai nêu kiến nghị xây Trung tâm hành chính đa chức năng?"


def test_this_bank_is_the_whole_name_of_the_bank_the_answer_named():
    rating = Turn("Moody's nâng hạng của ngân hàng nào lên B2?", "Moody's nâng hạng của ngân hàng nào lên B2?",
                  "answered", "VPBank", "Moody's đã nâng xếp hạng của Ngân hàng Thương mại Cổ phần Phát triển "
                  "Thịnh Vượng (VPBank) lên B2 từ B3.")
    assert resolve_demonstratives("Lợi nhuận quý I của ngân hàng này được bao nhiêu?", [rating]) == \
        "Lợi nhuận quý I của Ngân hàng Thương mại Cổ phần Phát triển Thịnh Vượng được bao nhiêu?"


def test_that_company_is_the_organisation_the_answer_named_inside_a_role():
    role = Turn("Ông Jack Ma giữ chức gì?", "Ông Jack Ma giữ chức gì?", "answered",
                "Chủ tịch kiêm Giám đốc điều hành Tập đoàn Alibaba",
                "Chủ tịch kiêm Giám đốc điều hành Tập đoàn Alibaba, tỷ phú Jack Ma.")
    assert resolve_demonstratives("Hiện công ty đó lớn hơn kinh tế những nước nào?", [role]) == \
        "Hiện Tập đoàn Alibaba lớn hơn kinh tế những nước nào?"


def test_a_word_without_accents_in_a_question_with_them_is_no_kind_of_place():
    # "Cơ quan này": "quan" is no "quận", and "Cơ" no "có"
    answered = Turn("Ai trả lời câu hỏi của bà Huyền?", "Ai trả lời câu hỏi của bà Huyền?", "answered", "BHXH",
                    "BHXH TP Hà Nội đã chỉ đạo BHXH quận Thanh Xuân kiểm tra.", "doc")
    assert "quận" not in resolve_demonstratives("Cơ quan này nói gì?", [answered])
    assert "quận" not in resolve_pronouns("Cơ quan này nói gì?", [answered])


def test_a_noun_that_shares_a_syllable_with_a_noun_of_saying_is_a_thing():
    # "Bộ" is no "tuyên bố": "Bộ này" is the ministry the conversation named
    ministry = Turn("Bộ Y tế là cơ quan của ai?", "Bộ Y tế là cơ quan của ai?", "answered", "Chính phủ",
                    "Bộ Y tế là cơ quan của Chính phủ.", "doc")
    assert resolve_demonstratives("Bộ này quản lý những lĩnh vực nào?", [ministry]) == \
        "Bộ Y tế quản lý những lĩnh vực nào?"
