"""What a question asks for, read the same with or without diacritics (`assistant.text.questions`)."""

import unicodedata

import pytest

from assistant.text.normalize import strip_diacritics
from assistant.text.questions import (
    MANNER,
    NAME,
    NUMBER,
    ORGANIZATION,
    PERSON,
    PLACE,
    REASON,
    ROLE,
    THING,
    TIME,
    question_form,
)


@pytest.mark.parametrize(("question", "kind", "unit"), [
    ("Ai là Chủ tịch UBND phường Tân Mỹ?", PERSON, None),
    ("Buổi làm việc diễn ra hôm nào?", TIME, "date"),
    ("Kế hoạch thi thiết kế phải có trong tháng mấy?", TIME, "month"),
    ("Tàu rời bến lúc mấy giờ?", TIME, "clock"),
    ("Khu đất rộng bao nhiêu?", NUMBER, "area"),
    ("Phường Tân Mỹ có bao nhiêu dân?", NUMBER, "people"),
    ("Giá bán bao nhiêu?", NUMBER, "money"),
    ("Chỗ tàu mắc cạn cách đảo bao xa?", NUMBER, "length"),
    ("Phường làm việc với cơ quan nào để tháo gỡ?", ORGANIZATION, None),
    ("Ông Dũng làm bí thư phường nào?", PLACE, None),
    ("Bà Hằng giữ chức vụ gì?", ROLE, None),
    ("Bà Hằng kỳ vọng mô hình nào sớm được triển khai?", NAME, None),
    ("Chủ tiệm vàng Hà An tên là gì?", PERSON, None),
    ("Phường kiến nghị gì?", THING, None),
    ("Vì sao phường cần mở lớp tập huấn?", REASON, None),
    ("Trụ sở phường hiện ra sao?", MANNER, None),
    ("Tin tức hôm nay", None, None),
    # "which …" of a person noun asks for a person; the measure opening a question names its unit
    ("Cầu thủ nào ghi bàn mở tỷ số?", PERSON, None),
    ("Thí sinh khuyết tật nào được 30 điểm khối B?", PERSON, None),
    ("Thuyền trưởng tàu tên là gì?", PERSON, None),
    ("Thống đốc tỉnh Nuristan tên là gì?", PERSON, None),  # the name of who holds a role
    ("Bài nào thi tự luận?", THING, None),
    ("Tỷ lệ cử tri đi bỏ phiếu trong cuộc bầu cử tổng thống là bao nhiêu?", NUMBER, "percent"),
    ("cong suat tieu thu dien ngay 1/6 la bao nhieu", NUMBER, "power"),
    ("Dân số phường Tân Mỹ là bao nhiêu?", NUMBER, "people"),
    # a person noun before the name that qualifies it; "Nam nào" inside "Việt Nam" asks for no year
    ("Ở trận mở màn, tay vợt Việt Nam nào để thua?", PERSON, None),
    ("Việt Nam giành huy chương vàng năm nào?", TIME, "year"),
    # the measure named nearest the question phrase; a time word only when no other is said
    ("Xe giá 28,29 triệu đồng, xe nặng bao nhiêu?", NUMBER, "weight"),
    ("Lương tháng bao nhiêu?", NUMBER, "money"),
])
def test_the_kind_and_unit_asked(question, kind, unit):
    form = question_form(question)
    assert (form.kind, form.unit) == (kind, unit)


@pytest.mark.parametrize("question", [
    "Ai là Phó Bí thư Thường trực Đảng ủy phường Phú Thuận?",
    "Tổ công tác số mấy làm việc với phường Phú Thuận?",
    "Phú Thuận muốn xây trung tâm hành chính trên khu đất rộng bao nhiêu m2?",
    "Bà Hằng kỳ vọng mô hình nào sớm được triển khai?",
])
def test_accents_nfd_and_old_tone_marks_read_the_same(question):
    forms = {question_form(variant) for variant in (
        question, strip_diacritics(question), unicodedata.normalize("NFD", question),
        question.replace("ủy", "uỷ").replace("hòa", "hoà"))}
    assert len(forms) == 1


def test_roles_keep_their_qualifiers_body_and_place():
    deputy = question_form("Ai là Phó Bí thư Thường trực Đảng ủy phường Phú Thuận?").role
    assert deputy.prefix == ("pho",) and deputy.head == ("bi", "thu")
    assert deputy.qualifiers == {"thuong truc"} and deputy.organ == ("dang", "uy")
    assert deputy.place == ("phuong", "phu thuan")
    chair = question_form("chu tich hdnd phuong tan my la ai").role
    assert chair.prefix == () and chair.organ == ("hdnd",) and chair.place == ("phuong", "tan my")
    assert question_form("Ai vừa được bầu làm Chủ tịch UBND tỉnh?").role.head == ("chu", "tich")


def test_a_role_s_place_is_named_within_the_role_not_after_a_verb():
    role = question_form("Ai là tổ trưởng tổ công tác số 5 làm việc với phường Phú Thuận?").role
    assert role.head == ("to", "truong") and role.place is None
    assert question_form("Chủ tịch Ủy ban nhân dân phường Tân Mỹ nói gì?").role.place == ("phuong", "tan my")


@pytest.mark.parametrize("question", ["Bà Nguyễn Thị Mỹ Hằng là ai?", "Nguyễn Đăng Thoại là ai?",
                                      "ong tran chi dung la ai", "ba nguyen thi my hang la ai",
                                      "Đồng chí Nguyễn Thị Bé Ngoan là ai?"])
def test_who_a_named_person_is_asks_for_their_roles(question):
    assert question_form(question).kind == ROLE


@pytest.mark.parametrize("question", ["Anh trai của Hiếu là ai?", "Tổ trưởng là ai?", "Người đứng đầu là ai?",
                                      "nguoi dung dau la ai", "Thủ môn bắt chính là ai?"])
def test_who_holds_what_a_question_describes_asks_for_a_person(question):
    assert question_form(question).kind == PERSON


def test_the_name_of_a_thing_asks_for_a_name_after_that_thing():
    form = question_form("Tên thuộc địa của Pháp được thành lập năm 1564 là gì?")
    assert (form.kind, form.focus) == (NAME, ("thuoc", "dia"))
    # which name, not of what: no focus from "khác", "của"
    assert question_form("Tên khác của Phía Tây Fresno là gì?").focus != ("khac",)
    assert question_form("Tên của anh ấy là gì?").focus != ("cua", "anh")


def test_a_role_after_another_verb_is_not_the_one_asked_for():
    # who declared victory is asked, not who holds the presidency
    assert question_form("Ai tuyên bố thắng cử tổng thống Hàn Quốc?").role is None
    assert question_form("Ai gặp Thủ tướng?").role is None


def test_may_and_dau_typed_without_accents_are_told_apart():
    assert question_form("to cong tac so may lam viec voi phuong").kind == NUMBER
    assert question_form("nha may thuy dien nao lon nhat").kind != NUMBER
    assert question_form("mh370 bay tu dau den dau").kind == PLACE
    assert question_form("dau tu vao nganh nao").kind != PLACE
    # with "bao nhiêu" asked, a bare "may" is the machine
    assert question_form("may danh gia duoc lap o bao nhieu phuong xa").counted == ("phuong", "xa")


def test_the_thing_counted_and_a_kind_word_that_is_another_word():
    assert question_form("HLV dùng bao nhiêu cầu thủ HAGL?").counted == ("cau", "thu")
    assert question_form("tàu nghiêng bao nhiêu độ").counted == ("do",)
    assert question_form("Vì sao Ford tính chuyện cắt giảm việc làm?").places == ()  # "tính" is no "tỉnh"
    assert question_form("Ba hãng tin nào làm khảo sát?").plural


def test_what_the_question_sets_aside_is_not_what_it_is_about():
    form = question_form("Ngoài trung tâm hành chính, Phú Thuận còn kiến nghị gì về quy hoạch?")
    assert form.besides == 5 and "trung" not in form.content and {"kien", "nghi", "quy", "hoach"} <= set(form.content)
    assert question_form("Ngoài ra, phường kiến nghị gì?").content == ("phuong", "kien", "nghi")


def test_a_question_in_sentence_case_names_a_place_only_with_a_capital():
    assert question_form("Phường kiến nghị gì?").places == ()
    assert question_form("Phường Tân Mỹ kiến nghị gì?").places == (("phuong", "tan my"),)
    assert question_form("Quận 1 có gì?").places == (("quan", "1"),)
    assert question_form("phường tân mỹ có bao nhiêu dân").places == (("phuong", "tan my"),)  # no case to go by
    # and the name ends with its capitals, in the role too
    form = question_form("Thống đốc tỉnh Nuristan tên là gì?")
    assert form.places == (("tinh", "nuristan"),) and form.role.place == ("tinh", "nuristan")


def test_a_name_noun_is_matched_whole_with_or_without_accents():
    """"nội dung gì" asks for a thing, not a name: "ứng dụng" only shares its last syllable."""
    for question in ("Kế hoạch đề ra những nội dung gì?", "Ke hoach de ra nhung noi dung gi?"):
        assert question_form(question).kind == "thing"
    for question in ("Ứng dụng gì được ra mắt?", "ung dung gi duoc ra mat"):
        assert question_form(question).kind == "name"


def test_bao_gio_asks_when_and_the_question_phrase_names_no_place():
    assert question_form("may bay bi bo lai san bay noi bai tu bao gio").unit is None  # no clock time
    assert question_form("Trận đấu bắt đầu lúc mấy giờ?").unit == "clock"
    # "ba huyen ngay nao" (bà Huyền, ngày nào): "huyện ngày" is no district
    assert question_form("bhxh quan thanh xuan duyet tien cho ba huyen ngay nao").places == (("quan", "thanh xuan"),)


def test_a_score_or_a_rank_asks_for_no_unit():
    assert question_form("nadal thang thiem ty so bao nhieu o chung ket").unit is None  # not "tháng" (month)
    assert question_form("Alibaba là nền kinh tế thứ mấy thế giới năm 2036?").unit is None


def test_no_question_phrase_ends_a_compound():
    """"cơ sở nào" asks for a facility, not a department ("sở nào"); "cán bộ nào" for a person."""
    assert question_form("Ông ấy muốn giao cho phường quản lý cơ sở nào?").kind != "organization"
    assert question_form("Cán bộ nào phụ trách việc này?").kind == "person"
    assert question_form("Sở nào cấp phép?").kind == "organization"


def test_before_thi_is_the_topic_the_question_is_after_it():
    for question in ("Việc giữ lại mấy đường đèn thì giao sở nào đề xuất?",
                     "viec giu lai may duong den thi giao so nao de xuat"):
        assert question_form(question).kind == "organization"
    assert question_form("Còn Nokia 5 thì giá bao nhiêu?").unit == "money"
    assert question_form("Mấy thí sinh dự thi?").kind == "number"  # "thí" (sinh) is no "thì"


def test_a_question_opening_with_a_count_asks_for_several():
    assert question_form("Hai đối thủ sát nút của ông Moon là ai?").plural
    assert not question_form("Ai vô địch?").plural
