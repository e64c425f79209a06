"""Candidates (`answer/candidates.py`): the spans of a sentence that may answer a question, of the
kind it asks for, naming something the question does not already say."""

import pytest

from assistant.answer.candidates import candidates
from assistant.text.questions import question_form
from assistant.text.sentence_words import sentence_words

SECRETARIES = ("Bí thư Đảng ủy phường Phú Thuận Trần Chí Dũng và Phó Bí thư Thường trực Đảng ủy phường Phú Thuận "
               "Lê Văn Bình cùng dự.")
LAND = "Khu đất đề xuất xây Trung tâm hành chính rộng gần 12.000 m², cách trụ sở 2 km."
LEADER = "Tổ công tác số 5 do bà Nguyễn Thị Mỹ Hằng, Phó Chủ nhiệm Ủy ban Kiểm tra Trung ương, làm tổ trưởng."


def spans(question: str, sentence: str) -> tuple[list[str], list[str]]:
    form = question_form(question)
    matched = [i for i, word in enumerate(sentence_words(sentence)) if word.folded in form.content]
    found, refused = candidates(form, sentence, matched)
    return [sentence[span.start:span.end] for span, _priority in found], refused


@pytest.mark.parametrize("question, sentence, expected", [
    ("Tổ công tác số 5 do ai làm tổ trưởng?", LEADER, ["Nguyễn Thị Mỹ Hằng"]),
    ("Khu đất đề xuất xây Trung tâm hành chính rộng bao nhiêu mét vuông?", LAND, ["gần 12.000 m²"]),
    ("Khu đất cách trụ sở bao nhiêu km?", LAND, ["2 km"]),  # the unit asked, not the area
    ("Tổ công tác làm việc khi nào?", "Ngày 24-10, Tổ công tác số 5 làm việc với phường Phú Thuận.", ["24-10"]),
    ("Trần Chí Dũng giữ chức vụ gì?", SECRETARIES, ["Bí thư Đảng ủy phường Phú Thuận"]),
    # "sở nào" asks for a Sở: its noun is no word of the question the answer would repeat
    ("Phường làm việc với sở nào để gỡ vướng quy hoạch?", "Phường làm việc với Sở Quy hoạch - Kiến trúc để gỡ.",
     ["Sở Quy hoạch - Kiến trúc"]),
    # the roles before the name, with an epithet between them
    ("Ông Jack Ma giữ chức gì ở tập đoàn?", "Chủ tịch kiêm Giám đốc điều hành Tập đoàn Alibaba, tỷ phú Jack Ma.",
     ["Chủ tịch kiêm Giám đốc điều hành Tập đoàn Alibaba"]),
    # a rank: said with either ordinal word, counting nothing
    ("Alibaba sẽ là nền kinh tế thứ mấy thế giới?", "Alibaba sẽ trở thành nền kinh tế số 5 trên thế giới.", ["số 5"]),
    ("Sau giải, Thiem lên hạng mấy?", "Thiem sẽ vươn lên vị trí số 7 thế giới.", ["số 7"]),
    # where the role says it is, in brackets, between the role and the name
    ("Chủ tịch Hội Nông dân xã Suối Kiết là ai?",
     "Chủ tịch Hội Nông dân xã Suối Kiết (huyện Tánh Linh, Bình Thuận) Phan Văn Long cho biết.", ["Phan Văn Long"]),
    # the role after the name and a dash; "Boeing 777" is no person
    ("Ai là Tổng Cục trưởng Cục hàng không dân dụng Malaysia?",
     "Ông Azharuddin Abdul Rahman - Tổng Cục trưởng Cục hàng không dân dụng Malaysia nói về Boeing 777.",
     ["Azharuddin Abdul Rahman"]),
    # a teacher's name is said without "thầy"
    ("thay chu nhiem lop 12a1 cua hieu ten gi", "Thầy Trịnh Văn Hùng, Chủ nhiệm lớp 12A1 nhận xét về Hiếu.",
     ["Trịnh Văn Hùng"]),
])
def test_the_span_of_the_kind_asked(question, sentence, expected):
    assert spans(question, sentence)[0] == expected


def test_the_role_asked_with_its_qualifier_is_told_from_the_role_without():
    assert spans("Ai là Bí thư Đảng ủy phường Phú Thuận?", SECRETARIES)[0] == ["Trần Chí Dũng"]
    assert spans("Ai là Phó Bí thư Thường trực Đảng ủy phường Phú Thuận?", SECRETARIES)[0] == ["Lê Văn Bình"]


def test_the_role_of_another_ward_is_refused_and_says_why():
    found, refused = spans("Ai là Bí thư Đảng ủy phường Phú Thuận?",
                           "Bí thư Đảng ủy phường Tân Mỹ Nguyễn Văn Cường phát biểu.")
    assert found == [] and refused == ["role"]


def test_the_question_s_own_words_are_no_answer():
    found, _refused = spans("Bà Nguyễn Thị Mỹ Hằng làm tổ trưởng tổ nào?", LEADER)
    assert "Nguyễn Thị Mỹ Hằng" not in found


def test_the_head_of_a_body_is_no_deputy():
    sentence = ("Phó Bí thư Thường trực Đảng ủy phường Phú Thuận Nguyễn Đăng Thoại và Bí thư Đảng ủy phường Phú Thuận "
                "Châu Xuân Đại Thắng cùng dự.")
    assert spans("Ai là người đứng đầu Đảng ủy phường Phú Thuận?", sentence)[0] == ["Châu Xuân Đại Thắng"]


def test_why_is_answered_by_a_cause_or_a_purpose_what_for_by_a_purpose_only():
    sentence = "Phường kiến nghị được phân cấp mạnh hơn vì thiếu người, để chủ động xử lý các vấn đề thực tiễn."
    assert spans("Vì sao phường kiến nghị được phân cấp mạnh hơn?", sentence)[0] == \
        ["thiếu người", "chủ động xử lý các vấn đề thực tiễn"]  # "vấn đề" is no "để"
    assert spans("Phường kiến nghị được phân cấp mạnh hơn để làm gì?", sentence)[0] == \
        ["chủ động xử lý các vấn đề thực tiễn"]


def test_what_was_said_follows_a_verb_of_the_same_kind_and_where_from_the_same_preposition():
    assert spans("Ông Trần Chí Dũng nói gì về công chức?",
                 "Đồng chí Trần Chí Dũng cho biết, công chức hiện nay đáp ứng yêu cầu.")[0] == \
        ["công chức hiện nay đáp ứng yêu cầu"]
    assert spans("Kinh phí lấy từ đâu?",
                 "Phường đề xuất cơ chế hợp đồng cộng tác viên từ nguồn kinh phí của Thành phố.")[0] == \
        ["nguồn kinh phí của Thành phố"]


@pytest.mark.parametrize("question, sentence, expected", [
    ("Mỗi năm anh Cường thu bao nhiêu tấn xoài?", "Mỗi năm thu hoạch từ 10 đến 15 tấn quả.", "từ 10 đến 15 tấn"),
    ("apec co bao nhieu nen kinh te thanh vien", "APEC gồm 21 nền kinh tế thành viên.", "21 nền kinh tế thành viên"),
    ("Có bao nhiêu người chết do sập mái nhà?", "Ít nhất 5 người tử vong do sập mái nhà.", "Ít nhất 5 người"),
    ("to cong tac so may lam viec voi phuong phu thuan", "Tổ công tác số 5 làm việc với phường Phú Thuận.", "số 5"),
    ("Khu đất cách trụ sở bao nhiêu km?", LAND, "2 km"),  # "sở" is no "số"
])
def test_an_amount_is_read_with_the_words_the_question_asks_it_with(question, sentence, expected):
    assert spans(question, sentence)[0] == [expected]


def test_a_named_thing_is_its_noun_and_its_name_and_a_thing_ends_before_a_preposition():
    plan = ("Tổ công tác làm việc về kết quả thực hiện Kế hoạch 249-KH/UBKTTW của Ủy ban Kiểm tra Trung ương.")
    assert "Kế hoạch 249-KH/UBKTTW" in spans("Tổ công tác kiểm tra việc thực hiện kế hoạch nào?", plan)[0]
    assert "hợp đồng cộng tác viên" in spans("Phường đề xuất cơ chế gì?", "Phường đề xuất có cơ chế hợp đồng "
                                             "cộng tác viên từ nguồn kinh phí của Thành phố.")[0]


def test_where_to_follows_the_question_s_own_preposition_and_a_count_is_no_code():
    money = "Toàn bộ tiền thai sản được chuyển vào tài khoản của Công ty Thành Phú ở quận Thanh Xuân."
    assert "tài khoản của Công ty Thành Phú" in spans("Tiền thai sản được chuyển vào đâu?", money)[0]
    assert "khoản của Công ty Thành Phú" not in spans("Tiền thai sản được chuyển vào đâu?", money)[0]  # "tài" no "tại"
    assert spans("Seychelles phát hiện mấy mảnh vỡ?", "Seychelles phát hiện mảnh vỡ của MH370.")[0] == []
    assert spans("Kế hoạch số mấy?", "Phường thực hiện Kế hoạch 249-KH/UBKTTW.")[0] == ["249-KH/UBKTTW"]


def test_what_was_proposed_is_the_clause_after_the_verb():
    found = spans("Phường kiến nghị gì?", "Phường kiến nghị TPHCM hỗ trợ biệt phái cán bộ chuyên môn về cơ sở.")[0]
    assert found[-1] == "TPHCM hỗ trợ biệt phái cán bộ chuyên môn về cơ sở"


def test_what_was_said_runs_past_the_commas_of_its_list_and_the_dots_of_its_numbers():
    sentence = ("Chủ tịch UBND phường Tân Mỹ thông tin, hiện trụ sở các đơn vị như Công an, Ban Chỉ huy quân sự và "
                "Trung tâm Phục vụ hành chính công vẫn còn phân tán, gây khó khăn trong công tác.")
    assert spans("Chủ tịch UBND phường Tân Mỹ thông tin gì về trụ sở?", sentence)[0][-1] == (
        "hiện trụ sở các đơn vị như Công an, Ban Chỉ huy quân sự và Trung tâm Phục vụ hành chính công vẫn còn phân tán")
    found = spans("Phường kiến nghị gì?", "Phường kiến nghị xây trụ sở trên khu đất gần 12.000 m².")[0]
    assert found[-1] == "xây trụ sở trên khu đất gần 12.000 m²"


def test_a_slot_word_counts_only_where_the_sentence_goes_on_as_the_question_does():
    """"nội dung gì": the "Nội" of "Ban Nội chính" is no anchor; the clause after "đề xuất" keeps
    its own first word although the question has it elsewhere ("Phường" / "phương án")."""
    leader = "Đồng chí Nguyễn Thị Mỹ Hằng, Trưởng Ban Nội chính Thành ủy, làm tổ trưởng."
    assert not any(span.startswith("chính") for span in spans("Tổ công tác đề ra những nội dung gì?", leader)[0])
    proposal = "Phường đã đề xuất phương án sử dụng, sắp xếp lại tài sản công."
    assert spans("Phường đề xuất giải pháp gì?", proposal)[0][0].startswith("phương án sử dụng")


@pytest.mark.parametrize("question, sentence, expected", [
    ("Bao nhiêu cán bộ được huy động làm công tác thi?",
     "Số cán bộ làm công tác thi được huy động hơn 90 nghìn người.", ["hơn 90 nghìn người"]),
    ("Chỗ tàu mắc cạn cách đảo Phú Quý bao xa?", "Tàu mắc cạn cách đảo Phú Quý khoảng 28 hải lý.",
     ["khoảng 28 hải lý"]),
    # A year opening the question is no measure; "tỷ" alone is money in the news.
    ("Năm 2016 Đà Nẵng thu từ thuế và phí được bao nhiêu?", "Trong đó thu từ thuế và phí đạt gần 16.000 tỷ.",
     ["gần 16.000 tỷ"]),
    # "năm" after digits is years, although it also ends phrases ("năm" is five, too).
    ("Đà Nẵng đã chia tách được bao lâu?", "Sau hơn 20 năm chia tách, Đà Nẵng phát triển.", ["hơn 20 năm"]),
    ("Nhà hát bao nhiêu tuổi rồi?", "Trong đó có nhà hát hơn 100 năm tuổi.", ["hơn 100 năm tuổi"]),
])
def test_an_amount_of_the_unit_asked_however_the_news_writes_it(question, sentence, expected):
    assert spans(question, sentence)[0] == expected


def test_which_bank_is_answered_by_a_bank_first():
    sentence = ("(BVPL) - Moody's đã nâng xếp hạng tiền gửi của Ngân hàng Thương mại Cổ phần Phát triển Thịnh Vượng "
                "(VPBank) lên B2.")
    form = question_form("Moody's nâng hạng tiền gửi của ngân hàng nào lên B2?")
    assert form.focus == ("ngan", "hang")  # the noun inside the question phrase
    matched = [i for i, word in enumerate(sentence_words(sentence)) if word.folded in form.content]
    found, _refused = candidates(form, sentence, matched)
    best = max(found, key=lambda candidate: candidate[1])[0]
    assert sentence[best.start:best.end] == "Ngân hàng Thương mại Cổ phần Phát triển Thịnh Vượng"


def test_an_amount_takes_the_question_s_words_for_what_it_counts_up_to_a_function_word():
    sentence = "Ông Ma nói có thể hỗ trợ 10.000.000 doanh nghiệp có lợi nhuận."
    assert spans("Ông Ma nói có thể hỗ trợ bao nhiêu doanh nghiệp có lợi nhuận?", sentence)[0] == \
        ["10.000.000 doanh nghiệp"]


def test_here_names_no_place():
    sentence = "Tôm hùm chết hàng loạt khiến hơn 500 hộ nuôi tôm hùm ở đây lâm cảnh nợ nần."
    assert spans("Tôm hùm chết hàng loạt ở thị xã nào của Phú Yên?", sentence)[0] == []


def test_the_question_s_own_noun_with_a_determiner_names_nothing():
    sentence = "Năm 2017, Vietlott mở rộng kinh doanh tại các tỉnh, thành phố theo phê duyệt của Bộ Tài chính."
    assert spans("Năm 2017 Vietlott sẽ mở thêm ở những tỉnh nào?", sentence)[0] == []
    named = sentence.replace("các tỉnh", "Hà Nam")
    assert "Hà Nam" in spans("Năm 2017 Vietlott sẽ mở thêm ở những tỉnh nào?", named)[0]


def test_a_birth_date_answers_when_someone_was_born_only():
    sentence = ("BHXH kiểm tra chế độ thai sản đối với bà Nguyễn Thị Huyền, sinh ngày 11/6/1989, làm việc tại Công ty "
                "Thành Phú.")
    assert spans("Công ty trả lại tiền cho bà Nguyễn Thị Huyền vào ngày nào?", sentence)[0] == []
    assert "11/6/1989" in spans("Bà Nguyễn Thị Huyền sinh ngày nào?", sentence)[0]


SUZUKI = ('Mẫu xe Suzuki Axelo RR vừa được Suzuki "làm mới" cho năm 2017 bằng cách bổ sung thêm phiên bản màu '
          'đen mờ mới Ecstar.')


def test_what_colour_is_what_follows_the_colour_word_not_a_quote_elsewhere():
    assert set(spans("Suzuki vừa bổ sung Axelo RR bản màu gì?", SUZUKI)[0]) == {"đen mờ mới Ecstar"}


def test_what_a_sentence_says_of_the_noun_asked_about_is_not_what_it_is():
    sentence = "Malaysia khẳng định các mảnh vỡ không phải của máy bay bị mất tích mang số hiệu MH370."
    assert spans("MH370 là loại máy bay gì?", sentence)[0] == []
    assert "Boeing 777" in spans("MH370 là loại máy bay gì?", "Đó là mảnh vỡ của máy bay Boeing 777.")[0]


def test_a_price_is_an_amount_of_money_not_a_year_followed_by_bang():
    found, refused = spans("Bản đen mờ giá bao nhiêu?", SUZUKI)
    assert found == [] and refused == ["unit"]


APEC = ("Các quan chức của 21 nền kinh tế thành viên, cùng đại diện Hội đồng tư vấn doanh nghiệp APEC (ABAC), "
        "Hội đồng hợp tác kinh tế Thái Bình Dương (PECC) và Hội nghị các Bộ trưởng phụ trách Thương mại APEC lần "
        "thứ 23 (MRT 23).")


@pytest.mark.parametrize("question, expected", [
    ("ABAC là hội đồng gì?", ["Hội đồng tư vấn doanh nghiệp APEC"]),  # back to the noun asked
    ("PECC là gì?", ["Hội đồng hợp tác kinh tế Thái Bình Dương"]),  # the name ending at the bracket
    # the other way round: every abbreviation, the one next to the question's words is read first
    ("Hội nghị các Bộ trưởng phụ trách Thương mại APEC viết tắt là gì?", ["ABAC", "PECC", "MRT 23"]),
])
def test_an_abbreviation_in_brackets_and_what_it_stands_for(question, expected):
    assert spans(question, APEC)[0] == expected


def test_an_amount_counts_what_follows_its_own_unit():
    sentence = "Tại phường này mới chỉ có sáu trường hợp người dân chấm điểm cán bộ."
    assert spans("Phường Long Bình mới có bao nhiêu người chấm điểm cán bộ?", sentence)[0] == ["sáu trường hợp"]
    assert spans("Phường Long Bình có bao nhiêu cán bộ?", sentence)[1] == ["unit"]  # "cán bộ" is not what it counts


def test_a_place_after_o_is_the_name_it_opens_with_and_not_the_question_s_own():
    question = "Tôm hùm chết hàng loạt ở thị xã nào của Phú Yên?"
    assert "Sông Cầu" in spans(question, "Hơn 500 hộ nuôi tôm hùm ở Sông Cầu lâm cảnh nợ nần.")[0]
    assert spans(question, "Hơn 500 hộ nuôi tôm hùm ở Phú Yên lâm cảnh nợ nần.")[0] == []


def test_what_is_built_is_the_thing_after_the_whole_verb_up_to_a_preposition():
    sentence = ("Phường kiến nghị sớm chấp thuận chủ trương xây dựng Trung tâm hành chính đa chức năng trên khu đất "
                "gần 12.000 m².")
    assert "Trung tâm hành chính đa chức năng" in spans("Khu đất được đề xuất để xây gì?", sentence)[0]
    assert not [s for s in spans("Khu đất được đề xuất để xây gì?", sentence)[0] if s.startswith("dựng")]


def test_a_full_name_asked_is_the_question_s_own_person_in_full():
    sentence = "Bí thư Đảng ủy phường Phú Thuận Châu Xuân Đại Thắng cũng kiến nghị giao cho phường quản lý."
    assert spans("Ông Thắng tên đầy đủ là gì?", sentence)[0] == ["Châu Xuân Đại Thắng"]
    assert spans("ong Chau Xuan Dai Thang ten day du la gi", sentence)[0] == ["Châu Xuân Đại Thắng"]


def test_who_does_it_is_not_whom_it_is_asked_of():
    sentence = "Phường kiến nghị TPHCM sớm chấp thuận chủ trương xây dựng Trung tâm hành chính."
    assert spans("Ai nêu kiến nghị xây Trung tâm hành chính?", sentence)[0] == []
    assert spans("Ai kiến nghị xây Trung tâm hành chính?",
                 "Ông Nguyễn Đăng Thoại kiến nghị TPHCM sớm xây Trung tâm hành chính.")[0] == ["Nguyễn Đăng Thoại"]
    # the place the question names is no verb: the person after its name is who said it
    said = "Phó Bí thư Đảng ủy phường Phú Thuận Nguyễn Đăng Thoại cho biết thêm, phường gặp khó khăn về trụ sở."
    assert "Nguyễn Đăng Thoại" in spans("Ai nói phường Phú Thuận gặp khó khăn về trụ sở?", said)[0]


def test_what_is_hoped_for_starts_after_the_question_s_own_topic():
    sentence = "Đồng chí cũng kỳ vọng các mô hình “liên phường” sớm được triển khai, trong đó mỗi phường phụ trách sâu."
    assert spans("Bà Hằng kỳ vọng gì về mô hình liên phường?", sentence)[0][0] == "sớm được triển khai"


def test_a_person_sharing_a_word_with_a_place_the_question_names_may_answer():
    # "Nam" of "Lý Hoàng Nam" is not the question's own "Việt Nam"
    sentence = "Lý Hoàng Nam (hạng 635 thế giới) đã thắng 3-0 để cân bằng tỷ số 1-1 cho Việt Nam."
    assert spans("Ai gỡ hòa 1-1 cho Việt Nam?", sentence)[0] == ["Lý Hoàng Nam"]
    lost = "Ở trận mở màn, Nguyễn Hoàng Thiên để thua ngược 2-3 trước Wong Hong Kit."
    assert spans("Ở trận mở màn, tay vợt Việt Nam nào để thua?", lost)[0][0] == "Nguyễn Hoàng Thiên"


def test_a_year_alone_is_no_day_or_month_and_a_score_no_date():
    assert spans("Cuộc họp diễn ra ngày nào?", "Ngày 6/2, bà Thu chủ trì cuộc họp về Tết Đinh Dậu 2017.")[0] == ["6/2"]
    assert spans("Kế hoạch phải có trong tháng mấy?", "Năm 2018, kế hoạch phải có trong tháng 2.")[0] == ["tháng 2"]
    assert spans("U23 Việt Nam gặp U23 Malaysia tối ngày nào?",
                 "Tối 7-2, U23 Việt Nam thắng 3-0 trước U23 Malaysia.")[0] == ["7-2"]
    assert "3-0" in spans("Tỷ số trận đấu là bao nhiêu?", "U23 Việt Nam thắng 3-0 trước U23 Malaysia.")[0]


def test_a_list_naming_the_question_s_own_place_gives_its_other_items():
    sentence = "Tổ công tác đã làm việc với phường Phú Thuận và phường Tân Mỹ."
    assert set(spans("Ngoài Phú Thuận, tổ công tác còn làm việc với phường nào nữa?", sentence)[0]) == {"phường Tân Mỹ"}


def test_a_role_is_read_past_academic_titles_and_a_body_opening_like_a_kind_of_place():
    # "Quản" is no "quận"; "PGS, TS" stand between the role and its holder
    sentence = ("Theo Cục trưởng Quản lý chất lượng (Bộ GD và ĐT), PGS, TS Mai Văn Trinh, Bộ đã chuẩn bị kỹ lưỡng "
                "cho kỳ thi.")
    assert spans("Ông Mai Văn Trinh giữ chức gì?", sentence)[0] == ["Cục trưởng Quản lý chất lượng"]
    assert spans("Cục trưởng Quản lý chất lượng là ai?", sentence)[0] == ["Mai Văn Trinh"]


def test_what_fills_the_slot_follows_the_question_s_own_preposition():
    sentence = "Một số vị trí thiếu nhân sự am hiểu sâu về đầu tư công, quy hoạch… ảnh hưởng đến tiến độ."
    for question in ("Phường đang thiếu nhân sự am hiểu về lĩnh vực nào?",
                     "phuong dang thieu nhan su am hieu ve linh vuc nao"):
        assert spans(question, sentence)[0][0].startswith("đầu tư công")


def test_a_thing_ends_before_another_clause_and_what_was_proposed_after_de_xuat():
    assert spans("Vị trí đó đang vướng gì?", "Vị trí đề xuất này đang vướng quy hoạch và phường đã làm việc với Sở "
                 "Quy hoạch - Kiến trúc TPHCM để tháo gỡ.")[0][0] == "quy hoạch"
    # "phương án" is no "phường" the question names
    proposed = ("Phường đã có công văn báo cáo và đề xuất phương án sử dụng, sắp xếp lại tài sản công, trong đó "
                "kiến nghị đưa các đơn vị về chung trụ sở UBND phường.")
    assert any(s.startswith("phương án sử dụng") for s in spans("Phường Tân Mỹ đề xuất gì?", proposed)[0])
    # "thông tin" reports what was said
    informed = ("Đồng chí Nguyễn Thị Bé Ngoan, Chủ tịch UBND phường Tân Mỹ thông tin, hiện trụ sở các đơn vị vẫn còn "
                "phân tán.")
    assert "hiện trụ sở các đơn vị vẫn còn phân tán" in spans("Bà Bé Ngoan nói gì về trụ sở?", informed)[0]


def test_an_amount_of_another_name_for_the_thing_counted_answers():
    sentence = "Trên tàu có chở gần 30.000 tấn hóa chất, 745 tấn dầu FO và 27 thuyền viên."
    assert spans("Tàu có bao nhiêu thủy thủ?", sentence)[0] == ["27 thuyền viên"]
    assert spans("Tàu có bao nhiêu học sinh?", sentence)[0] == []


@pytest.mark.parametrize("question, sentence, expected", [
    # a number word that is also another word ("năm": year) counts the noun the question counts
    ("Kỳ thi có mấy bài thi?", "Có năm bài thi, trong đó có ba bài thi độc lập.", ["năm bài thi", "ba bài thi"]),
    ("Năm nay có bao nhiêu thí sinh?", "Năm nay có 900 thí sinh.", ["900 thí sinh"]),
    # a spelled amount of the noun asked is new, though the noun is the question's
    ("Có bao nhiêu đối thủ?", "Hai đối thủ phe bảo thủ đều thừa nhận thất bại.", ["Hai đối thủ"]),
    # a unit written in capitals after the number
    ("Camera sau bao nhiêu MP?", "Máy có camera 16 MP ở mặt sau.", ["16 MP"]),
])
def test_amounts_spelled_or_with_a_capital_unit(question, sentence, expected):
    assert spans(question, sentence)[0] == expected


def test_what_follows_a_verb_of_the_same_kind_is_a_thing_after_the_question_s_preposition():
    sentence = "Một số vị trí thiếu nhân sự am hiểu sâu về đầu tư công, quy hoạch… ảnh hưởng đến chất lượng tham mưu."
    assert spans("Tân Mỹ thiếu cán bộ giỏi về mảng nào?", sentence)[0] == ["đầu tư công"]


def test_on_a_piece_of_ground_is_a_place_on_a_system_is_not():
    proposal = "Phường kiến nghị xây dựng Trung tâm hành chính đa chức năng trên khu đất gần 12.000 m²."
    assert spans("Phường đề xuất xây trung tâm ở đâu?", proposal)[0] == ["khu đất gần 12.000 m²"]
    assert not spans("Công suất tăng ở đâu?", "Công suất tăng 2.600 MW trên hệ thống điện.")[0]


def test_a_list_of_places_answers_which_place_before_one_of_them():
    sentence = "Tổ công tác số 5 đã làm việc với phường Phú Thuận và phường Tân Mỹ về kết quả thực hiện kế hoạch."
    found, _refused = candidates(question_form("Tổ công tác số 5 làm việc với phường nào?"), sentence, [])
    best = max(found, key=lambda c: c[1])
    assert sentence[best[0].start:best[0].end] == "phường Phú Thuận và phường Tân Mỹ"


def test_a_photo_credit_is_no_answer():
    sentence = "Ảnh: Thanh Tâm/Vietnam+ Nhà vườn của anh Nguyễn Cao Chánh là vựa lan lớn."
    assert spans("Ai là chủ vườn lan?", sentence)[0] == ["Nguyễn Cao Chánh"]


def test_the_parts_of_an_abbreviated_place_are_no_places_of_their_own():
    assert spans("Khách hàng đến từ đâu?", "Giải được trao cho 3 khách hàng đến từ Tp.HCM.")[0] == ["Tp.HCM"]


def test_a_place_of_another_level_is_no_answer_for_the_kind_asked():
    sentence = "Tại miền Đông, tuyết lở chôn vùi một ngôi làng ở Nuristan, quận Bình Thủy."
    province = spans("Tuyết lở ở tỉnh nào?", sentence)[0]
    assert "Nuristan" in province and not {"miền Đông", "quận Bình Thủy"} & set(province)
    assert "Đông" in spans("Tuyết lở ở miền nào?", sentence)[0]
    assert {"miền Đông", "quận Bình Thủy"} <= set(spans("Tuyết lở ở đâu?", sentence)[0])  # no kind asked


def test_a_share_of_the_noun_counted_answers_the_one_with_the_question_s_qualifiers_first():
    sentence = ("Mỗi đề thi có ít nhất 60% câu hỏi kiến thức cơ bản; khoảng 40% là các câu hỏi khó để phân loại "
                "thí sinh.")
    form = question_form("Mỗi đề có bao nhiêu câu hỏi khó?")
    found, _refused = candidates(form, sentence, [])
    assert [sentence[s.start:s.end] for s, _p in found] == ["ít nhất 60%", "khoảng 40%"]
    first = max(found, key=lambda candidate: candidate[1])[0]
    assert sentence[first.start:first.end] == "khoảng 40%"
    assert spans("Mỗi đề có bao nhiêu thí sinh?", sentence)[0] == []  # shares of another noun
