"""Typed spans of a sentence: people, organisations, places, numbers with units, times, roles
(`assistant.text.spans`)."""

from assistant.text.spans import NUMBER, ORGANIZATION, PERSON, PLACE, ROLE, SCORE, TIME, lists, typed_spans

OPENING = ("Ngày 24-10, tổ công tác số 5 do đồng chí Nguyễn Thị Mỹ Hằng, Ủy viên Ban Thường vụ Thành ủy, Trưởng Ban "
           "Nội chính Thành ủy TPHCM, làm tổ trưởng, đã làm việc với phường Phú Thuận và phường Tân Mỹ về kết quả thực "
           "hiện Kế hoạch 249-KH/UBKTTW của Ủy ban Kiểm tra Trung ương.")


def spans_of(sentence: str, kind: str) -> list[str]:
    return [sentence[s.start:s.end] for s in typed_spans(sentence) if s.kind == kind]


def test_people_roles_places_and_organisations_of_a_news_sentence():
    assert "Nguyễn Thị Mỹ Hằng" in spans_of(OPENING, PERSON)
    assert spans_of(OPENING, ROLE)[:2] == ["Ủy viên Ban Thường vụ Thành ủy", "Trưởng Ban Nội chính Thành ủy TPHCM"]
    assert {"phường Phú Thuận", "phường Tân Mỹ"} <= set(spans_of(OPENING, PLACE))
    assert "Ủy ban Kiểm tra Trung ương" in spans_of(OPENING, ORGANIZATION)
    assert "24-10" in spans_of(OPENING, TIME)


def test_a_role_stops_at_the_name_of_who_holds_it():
    sentence = "Phó Bí thư Thường trực Đảng ủy phường Phú Thuận Nguyễn Đăng Thoại cho biết thêm."
    assert spans_of(sentence, ROLE) == ["Phó Bí thư Thường trực Đảng ủy phường Phú Thuận"]
    assert spans_of(sentence, PERSON) == ["Nguyễn Đăng Thoại"]


def test_a_deputy_head_of_a_board_holds_a_role_with_the_board_s_name_set_apart():
    sentence = "Ông Hoàng Như Cương, Phó Ban quản lý đường sắt đô thị, bổ sung: Robot TBM là do nhà thầu mua."
    assert spans_of(sentence, ROLE) == ["Phó Ban quản lý đường sắt đô thị"]
    assert spans_of(sentence, PERSON) == ["Hoàng Như Cương"]  # "Phó Ban" is no one's name
    assert spans_of("Trưởng phòng nói rằng sẽ xử lý.", ROLE) == ["Trưởng phòng"]  # a verb is no board's name


def test_amounts_keep_their_approximation_and_unit():
    sentence = "Phường kiến nghị xây trên khu đất gần 12.000 m², Tuyết lở phá hủy 25 ngôi nhà, hơn 1.000 tỷ đồng."
    amounts = spans_of(sentence, NUMBER)
    assert amounts == ["gần 12.000 m²", "25 ngôi nhà", "hơn 1.000 tỷ đồng"]
    assert "tâm" not in " ".join(spans_of("Trung tâm hành chính đa chức năng", NUMBER))  # "tâm" is no "tám"


def test_listed_spans_merge_into_one():
    sentence = "Khảo sát do ba hãng tin lớn là KBC, MBC và SBS tiến hành."
    merged = lists(sentence, list(typed_spans(sentence)))
    assert [sentence[s.start:s.end] for s in merged] == ["KBC, MBC và SBS"]


def test_spans_are_exact_substrings():
    for sentence in (OPENING, "Bà Nguyễn Thị Thu, Phó chủ tịch UBND TP.HCM, điều hành cuộc họp ngày 6/2."):
        for span in typed_spans(sentence):
            assert 0 <= span.start < span.end <= len(sentence)
            assert sentence[span.start:span.end].strip() == sentence[span.start:span.end]


def test_a_name_after_a_kind_of_place_is_the_place():
    # streets, markets and schools are named after people; the name is the place's
    for sentence in ("Hoa được bày trên đường hoa Nguyễn Huệ.", "Ông mua ở chợ Bến Thành.",
                     "Em học trường Nguyễn Huệ."):
        assert spans_of(sentence, PERSON) == []
    assert spans_of("Hiệu trưởng Nguyễn Văn An phát biểu.", PERSON) == ["Nguyễn Văn An"]


def test_a_place_name_then_a_person_are_two_spans():
    sentence = "Lý Hoàng Nam thắng 3-0 trước tay vợt số 1 tuyển Hồng Kông Wong Hong Kit."
    assert spans_of(sentence, PERSON) == ["Lý Hoàng Nam", "Wong Hong Kit"]
    assert "Hồng Kông" in spans_of(sentence, PLACE)


def test_won_is_no_month_and_a_score_no_date():
    # accent-free, "thắng 3-0" would read "tháng 3"
    assert spans_of("Lý Hoàng Nam đã thắng 3-0.", TIME) == []
    assert spans_of("Lý Hoàng Nam đã thắng 3-0.", SCORE) == ["3-0"]  # no date either
    assert "tháng 5 năm 2017" in spans_of("Ngày 3 tháng 5 năm 2017, trời mưa.", TIME)
    assert "thang 5 nam 2017" in spans_of("ngay 3 thang 5 nam 2017 troi mua", TIME)


def test_an_organisation_written_partly_in_lower_case_ends_before_what_is_said_of_it():
    sentence = "Ông Ahn Cheol Soo của đảng Nhân dân lần lượt nhận được 21,8% phiếu bầu."
    assert spans_of(sentence, ORGANIZATION) == ["đảng Nhân dân"]
    assert spans_of("Ban Chỉ huy quân sự cũng thiếu chỗ.", ORGANIZATION) == ["Ban Chỉ huy quân sự"]


def test_a_capital_opening_a_sentence_before_a_role_is_no_name():
    sentence = "Theo Cục trưởng Quản lý chất lượng, PGS, TS Mai Văn Trinh, Bộ đã chuẩn bị kỹ."
    assert spans_of(sentence, ROLE) == ["Cục trưởng Quản lý chất lượng"]
    assert not [s for s in typed_spans(sentence) if sentence[s.start:s.end].startswith("Theo")]


def test_a_foreign_name_ending_as_an_event_place_or_company_does_is_no_person():
    sentence = "Nadal thắng Dominic Thiem ở Madrid Open, trước tàu quốc tịch Cayman Islands của Ford Motors."
    assert spans_of(sentence, PERSON) == ["Dominic Thiem"]
    assert {"Cayman Islands", "Ford Motors"} <= set(spans_of(sentence, "name"))


def test_an_organisation_after_the_preposition_opening_a_sentence_and_with_hang_khong_in_it():
    assert spans_of("Theo Bộ Giáo dục, kỳ thi diễn ra an toàn.", ORGANIZATION) == ["Bộ Giáo dục"]
    assert spans_of("Tàu bay bị bỏ tại Nội Bài do Cục Hàng không VN thành lập tổ đánh giá.", ORGANIZATION) == \
        ["Cục Hàng không VN"]
    assert spans_of("Theo Nguyễn Văn An, việc này khó.", PERSON) == ["Nguyễn Văn An"]
    # "và" joins two fields of one body's name, not two bodies nor a body and a person
    assert spans_of("Theo Bộ Giáo dục và Đào tạo, kỳ thi diễn ra.", ORGANIZATION) == ["Bộ Giáo dục và Đào tạo"]
    assert spans_of("Sở Nội vụ và Nguyễn Văn An làm việc.", ORGANIZATION) == ["Sở Nội vụ"]
    assert "Bộ Y tế" in spans_of("Bộ Y tế và Bộ Tài chính họp.", ORGANIZATION)


def test_an_institution_written_with_one_capital_is_an_organisation_outside_a_role():
    sentence = "Bộ Y tế là cơ quan của Chính phủ, thực hiện chức năng quản lý nhà nước về y tế."
    assert ("organization", "Chính phủ") in [(s.kind, sentence[s.start:s.end]) for s in typed_spans(sentence)]
    role = "Thủ tướng Chính phủ yêu cầu."
    assert [(s.kind, role[s.start:s.end]) for s in typed_spans(role)] == [("role", "Thủ tướng Chính phủ")]
