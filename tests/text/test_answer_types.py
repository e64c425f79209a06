"""What a question asks for (`text/answer_types.py`): the answer type and unit, the words it is
about, and whether a sentence holds such an answer."""

import pytest

from assistant.text.answer_types import (
    NUMBER,
    PERSON,
    PLACE,
    REASON,
    ROLE,
    TIME,
    AnswerType,
    asked_type,
    focus_words,
    holds,
)


@pytest.mark.parametrize("question, kind, unit", [
    ("Ai chủ trì buổi làm việc?", PERSON, None),
    ("chu tich ubnd phuong tan my la ai", PERSON, None),
    ("Bí thư Đảng ủy phường Phú Thuận tên gì?", PERSON, None),
    ("Buổi làm việc diễn ra hôm nào?", TIME, None),
    ("may bay MH370 mat tich tu khi nao", TIME, None),
    ("Văn Miếu được xây năm nào?", TIME, "year"),
    ("Khu đất rộng bao nhiêu?", NUMBER, "area"),
    ("Có mấy trung tâm y tế?", NUMBER, None),
    ("Trung tâm hành chính dự kiến tốn bao nhiêu tiền?", NUMBER, "money"),
    ("ba Nguyen Thi My Hang bao nhieu tuoi", NUMBER, "age"),
    ("Tàu có bao nhiêu thuỷ thủ?", NUMBER, "people"),
    ("Trúng Jackpot phải đóng thuế bao nhiêu %?", NUMBER, "percent"),
    ("Trụ sở ở đâu?", PLACE, None),
    ("Khu đất nằm trên đường nào?", PLACE, None),
    ("vì sao tân mỹ muốn thành phố cử cán bộ về phường", REASON, None),
    ("Bà Bé Ngoan giữ chức vụ gì?", ROLE, None),
])
def test_asked_type(question, kind, unit):
    assert asked_type(question) == AnswerType(kind, unit)


@pytest.mark.parametrize("question", [
    "Phường kiến nghị điều gì?",
    "máy bay hạ cánh xong thì sao",  # "máy" is not "mấy"
    "dau tu cong la gi",  # accent-free "dau" is as often "đầu" as "đâu"
])
def test_open_questions_ask_for_no_type(question):
    assert asked_type(question) is None


def check(question: str, sentence: str) -> bool:
    return holds(asked_type(question), sentence, question)


def test_holds_finds_what_the_question_does_not_already_name():
    sentence = "Bí thư Đảng ủy phường Phú Thuận Châu Xuân Đại Thắng cũng kiến nghị."
    assert check("Bí thư Đảng ủy phường Phú Thuận tên gì?", sentence)  # the name follows the place
    # the question gives the name
    assert not check("Ai cũng kiến nghị như ông Châu Xuân Đại Thắng?", sentence)
    assert check("Ông Châu Xuân Đại Thắng là ai?", sentence)  # who he is: the role said of him
    assert not check("Ai kiến nghị?", "Phường kiến nghị TPHCM sớm chấp thuận.")
    assert check("Có mấy trung tâm y tế?", "Phường có hai mươi trung tâm.")
    assert not check("Có mấy trung tâm y tế?", "Ngày 24-10, đoàn làm việc với phường.")  # a date is not a count
    assert not check("Có mấy trung tâm y tế?", "Bà Ngoan cho biết năm nay phường khó khăn.")  # "bà", "năm"
    assert check("Khi nào?", "Ngày 24-10, tổ công tác làm việc.")
    assert not check("Khi nào?", "Tổ công tác làm việc với phường.")
    assert check("Vì sao?", "Phường đề nghị để hỗ trợ công việc.")
    assert check("Ông Thoại giữ chức gì?", "Phó Bí thư Thường trực Đảng ủy phường Phú Thuận Nguyễn Đăng Thoại cho biết.")


def test_focus_words_are_what_the_wh_word_attaches_to():
    assert focus_words("Nông dân xã Suối Kiết trồng giống xoài gì?") == {"giong", "xoai"}
    assert focus_words("Phú Thuận có bao nhiêu đảng viên?") == {"dang", "vien"}
    # wh-phrases, units and general nouns are not the subject: "hôm nào", "chức vụ gì", "mảng nào"
    for question in ["Buổi làm việc diễn ra hôm nào?", "Bà Bé Ngoan giữ chức vụ gì?", "Phường muốn phân cấp ở mảng nào?",
                     "Bao nhiêu phần trăm khách mua vàng?", "Ai chủ trì?"]:
        assert focus_words(question) == frozenset()


def test_a_place_or_a_country_is_not_the_person_asked_for():
    question = "Ai là đội trưởng tuyển quần vợt Việt Nam?"
    assert not check(question, "Đội tuyển quần vợt Việt Nam thua 2-3 trước Hồng Kông (TQ) ở vòng 1.")
    assert not check("Chủ tịch HĐND huyện Phong Điền là ai?", "Tại HĐND huyện Phong Điền, Cần Thơ, đã có 7 cuộc họp.")
    assert check(question, "Đội trưởng Lý Hoàng Nam đánh trận đầu trước Hồng Kông.")
    assert check("Ai phát biểu?", "Bà Nguyễn Thị Mỹ Hằng phát biểu tại Hà Nội.")  # "Mỹ" inside a name stays a name


@pytest.mark.parametrize("question, answering, near_miss", [
    ("Khu đất rộng bao nhiêu?", "Khu đất gần 12.000 m².", "Khu đất có 3 lô."),
    ("Dự án tốn bao nhiêu tiền?", "Dự án tốn 126 tỷ đồng.", "Dự án rộng 12.000 m²."),
    ("Axelo RR giá bao nhiêu?", "Xe có giá 28,29 triệu.", "Xe nặng 108 kg."),
    ("Đường hoa tốn bao nhiêu tiền?", "Đường hoa tốn 12 tỷ.", "Đường hoa thu hút gần 1 triệu lượt khách tham quan."),
    ("Bà Hằng bao nhiêu tuổi?", "Bà Hằng năm nay 52 tuổi.", "Bà Hằng làm việc với 2 phường."),
    ("Tàu có bao nhiêu thuỷ thủ?", "Trên tàu có 27 thuyền viên.", "Tàu dài 151 mét."),
    ("Thuế bao nhiêu %?", "Sau khi nộp thuế 10%, khách nhận tiền.", "Có 3 khách hàng."),
    ("Kỳ thi có bao nhiêu thí sinh?", "Hơn 866 nghìn thí sinh dự thi.", "Kỳ thi diễn ra trong 3 ngày."),
    ("Văn Miếu xây năm nào?", "Văn Miếu được xây năm 1070.", "Văn Miếu có 5 khu."),
])
def test_numbers_need_their_unit(question, answering, near_miss):
    assert check(question, answering)
    assert not check(question, near_miss)
