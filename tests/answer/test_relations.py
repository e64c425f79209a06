"""Relations (`answer/relations.py`): whether a span stands where the question asks: the place and
the specifier the question names."""

import pytest

from assistant.answer.relations import Context, kind_alone_at, last_named
from assistant.text.questions import question_form
from assistant.text.spans import sentence_words


def context_of(*sentences: str) -> Context:
    context = Context()
    for sentence in sentences:
        context.read(sentence)
    return context


def test_another_ward_of_the_same_kind_is_another_place():
    form = question_form("Dân số phường Tân Mỹ là bao nhiêu?")
    assert context_of("Phường Phú Thuận có 50.000 dân.").other_place(form)
    assert not context_of("Phường Tân Mỹ có 50.000 dân.").other_place(form)
    assert not context_of("Thành phố có 9 triệu dân.").other_place(form)  # no ward named
    # a region of the country is a place of its kind: "miền Bắc" is no "miền Nam"
    south = question_form("Ngày 1/6 miền Nam tiêu thụ bao nhiêu điện?")
    assert context_of("Điện tiêu thụ toàn miền Bắc ngày 1/6 là gần 275 triệu kWh.").other_place(south)
    assert not context_of("Điện tiêu thụ toàn miền Nam ngày 1/6 là 200 triệu kWh.").other_place(south)
    assert question_form("Hàng có được miễn thuế không?").places == ()  # "miễn" is no "miền"
    assert question_form("hang co duoc mien thue khong").places == ()  # nor typed without accents


def test_a_sentence_that_names_no_place_is_read_in_the_place_named_before_it():
    # "Phường kiến nghị …" in a paragraph about Phú Thuận speaks of Phú Thuận.
    form = question_form("Tân Mỹ đề xuất xây trung tâm hành chính trên khu đất rộng bao nhiêu?")
    before = ("Tổ công tác làm việc với phường Phú Thuận và phường Tân Mỹ.",
              "Bí thư Đảng ủy phường Phú Thuận Châu Xuân Đại Thắng kiến nghị.")
    assert context_of(*before, "Phường kiến nghị xây Trung tâm hành chính trên khu đất gần 12.000 m².").other_place(form)
    assert not context_of(before[0]).other_place(form)  # both wards in effect: no other place
    # "Ngoài Phú Thuận, …": the place the question sets aside is no place it asks about
    besides = question_form("Ngoài Phú Thuận, tổ công tác còn làm việc với phường nào?")
    assert not context_of(before[0], "Phường Tân Mỹ kiến nghị.").other_place(besides)


def test_another_specifier_of_the_thing_asked():
    form = question_form("Khối A có bao nhiêu thí sinh?")
    assert context_of("Khối B có 3.000 thí sinh.").other_specifier(form)
    assert not context_of("Khối A có 3.000 thí sinh.").other_specifier(form)
    assert not context_of("Khối B có 3.000 thí sinh.").other_specifier(question_form("Có bao nhiêu thí sinh?"))
    assert context_of("Tuyến metro số 1 dài 20 km.").other_specifier(question_form("Tuyến metro số 2 dài bao nhiêu?"))
    # "ở" is a word, no letter: "Tết Đinh Dậu ở TP.HCM" specifies nothing against "Tết Đinh Dậu 2017"
    assert not context_of("Đường hoa Tết Đinh Dậu 2017 mở cửa.").other_specifier(
        question_form("Ai chủ trì cuộc họp về đường hoa Tết Đinh Dậu ở TP.HCM?"))


def test_a_sentence_is_about_the_thing_it_sets_another_against():
    nokia_6, nokia_5 = question_form("Nokia 6 chạy hệ điều hành gì?"), question_form("Nokia 5 chạy hệ điều hành gì?")
    contrasted = "Khác với Nokia 6, Nokia 5 được cài sẵn Android 7.1.1 Nougat."
    assert context_of(contrasted).other_specifier(nokia_6)
    assert not context_of(contrasted).other_specifier(nokia_5)
    # and so is the sentence after it
    assert context_of("Khác với Nokia 5, Nokia 3 có khung kim loại.", "Máy chạy Android 7.0.").other_specifier(nokia_5)


def test_a_year_holds_for_its_own_sentence_only():
    form = question_form("Có bao nhiêu người bỏ chạy khỏi nước Pháp đến những năm 1700?")
    assert context_of("Chiến tranh nối lại vào những năm 1620.").other_specifier(form)
    assert not context_of("Chiến tranh nối lại vào những năm 1620.",
                          "Khoảng 500.000 người trốn chạy khỏi nước Pháp.").other_specifier(form)
    # a thing's specifier still holds for the sentences after it
    assert context_of("Khối B có 3.000 thí sinh.", "Tỷ lệ đỗ là 90%.").other_specifier(
        question_form("Khối A có bao nhiêu thí sinh?"))


@pytest.mark.parametrize("sentence, at", [
    ("Phường kiến nghị TPHCM sớm chấp thuận chủ trương.", 0),
    ("Vị trí này đang vướng quy hoạch và phường đã làm việc với Sở.", 8),
    ("Phường Tân Mỹ kiến nghị xây trụ sở.", None),  # named
    ("Các phường cần chủ động liên kết.", None),  # any ward
    ("Giúp phường nâng cao năng lực.", None),  # no subject
])
def test_a_place_named_by_its_kind_alone(sentence, at):
    assert kind_alone_at(sentence_words(sentence), "phuong") == at


def test_the_place_of_a_kind_a_text_named_last():
    text = ("Bí thư Đảng ủy phường Tân Mỹ cho biết. Phó Bí thư Đảng ủy phường Phú Thuận Nguyễn Đăng Thoại "
            "cho biết thêm, phường đang gặp khó khăn.")
    start, end = last_named(text, "phuong")
    assert text[start:end] == "phường Phú Thuận"  # not the person after it
    assert last_named("Quận 1 có nhiều trụ sở.", "phuong") is None


def test_a_kind_of_place_in_capitals_is_an_acronym():
    """"Ảnh: AP Ông Moon …": the news agency, no hamlet ("ấp") named "Ông Moon"."""
    context = Context()
    context.read("Ảnh: AP Ông Moon Jae-in tuyên bố chiến thắng.")
    assert context.places == {} and context.known == {}
    context.read("Người dân ở ấp Phú Hòa.")
    assert context.places == {"ap": ["phu hoa"]}


def test_a_quality_and_its_opposite_name_two_things():
    """"áp suất cao" does not answer a question about "áp suất thấp"; without accents it cannot tell."""
    context = Context()
    context.read("Hiệu suất đạt khoảng 27-30% ở động cơ áp suất cao.")
    assert context.other_specifier(question_form("Hiệu suất ở loại áp suất thấp là bao nhiêu?"))
    assert not context.other_specifier(question_form("Hiệu suất ở loại áp suất cao là bao nhiêu?"))
    assert not context.other_specifier(question_form("Hiệu suất động cơ là bao nhiêu?"))
