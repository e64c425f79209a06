"""Reading the top passages: the answering sentence, the short answer, and the relation the question
asks for (roles with their qualifiers, places, the thing counted) (`assistant.answer.reading`)."""

from dataclasses import replace

import pytest

from assistant.answer import reading
from assistant.answer.reading import Reader, read
from assistant.answer.retrieval import lead_with
from assistant.results import Passage, Reading
from assistant.text.normalize import strip_diacritics

TAN_MY = ("Bí thư Đảng ủy phường Tân Mỹ Trần Chí Dũng cho biết, về cơ bản, số lượng và cơ cấu công chức hiện nay "
          "đáp ứng yêu cầu thực hiện nhiệm vụ.")
PHU_THUAN_DEPUTY = ("Phó Bí thư Thường trực Đảng ủy phường Phú Thuận Nguyễn Đăng Thoại cho biết thêm, phường đang gặp "
                    "khó khăn khi các trụ sở làm việc của Đảng ủy, HĐND, UBND, MTTQ đều hạn chế về diện tích và đang "
                    "xuống cấp.")
PHU_THUAN_LAND = ("Phường kiến nghị TPHCM sớm chấp thuận chủ trương xây dựng Trung tâm hành chính đa chức năng trên "
                  "khu đất gần 12.000 m². Vị trí đề xuất này đang vướng quy hoạch.")
PHU_THUAN_SECRETARY = ("Bí thư Đảng ủy phường Phú Thuận Châu Xuân Đại Thắng cũng kiến nghị giao cho phường quản lý các "
                       "trung tâm y tế trên địa bàn.")
TAN_MY_CHAIR = ("Đồng chí Nguyễn Thị Bé Ngoan, Phó Bí thư Đảng ủy, Chủ tịch UBND phường Tân Mỹ thông tin, hiện trụ sở "
                "các đơn vị vẫn còn phân tán.")
TITLE = "Tổ công tác số 5 làm việc với phường Phú Thuận và phường Tân Mỹ"


def passages(*texts: str) -> list[Passage]:
    """Consecutive paragraphs of one document, as retrieved (first = best)."""
    found, offset = [], 0
    for rank, text in enumerate(texts, start=1):
        found.append(Passage(text, 1.0 / rank, "doc", TITLE, "2025-10-24", rank, offset, offset + len(text),
                             rank=rank, highlights=((offset, offset + len(text)),)))
        offset += len(text) + 2
    return found


def short_answer(question: str, found: list[Passage]) -> str | None:
    reading = read(question, found)
    if reading.short is None:
        return None
    passage = found[reading.passage]
    return passage.text[reading.short[0] - passage.start:reading.short[1] - passage.start]


def read_after(question: str, before: str, text: str) -> tuple[str, Reading]:
    """Read a passage `text` that opens a paragraph after `before`, its document holding both."""
    document = before + "\n\n" + text
    start = len(before) + 2
    found = [Passage(text, 1.0, "doc", TITLE, "2025-10-24", 1, start, len(document), rank=1)]
    return document, Reader(question, document=lambda _id: document).read(found)


def test_a_deputy_is_not_the_secretary_asked_for():
    found = passages(PHU_THUAN_DEPUTY, PHU_THUAN_SECRETARY, TAN_MY)
    assert short_answer("Ai là Bí thư Đảng ủy phường Phú Thuận?", found) == "Châu Xuân Đại Thắng"
    assert short_answer("Ai là Phó Bí thư Thường trực Đảng ủy phường Phú Thuận?", found) == "Nguyễn Đăng Thoại"
    assert short_answer("Ai là Bí thư Đảng ủy phường Tân Mỹ?", found) == "Trần Chí Dũng"


def test_a_role_held_with_another_body_or_at_another_place_does_not_answer():
    found = passages(TAN_MY_CHAIR, PHU_THUAN_DEPUTY)
    assert short_answer("Chủ tịch UBND phường Tân Mỹ là ai?", found) == "Nguyễn Thị Bé Ngoan"
    reading = read("Chủ tịch HĐND phường Tân Mỹ là ai?", found)
    assert not reading.found and "role" in reading.rejected
    assert not read("Chủ tịch MTTQ phường Phú Thuận là ai?", found).found


LEAD = ("Ngày 24-10, tổ công tác số 5 do đồng chí Nguyễn Thị Mỹ Hằng, Ủy viên Ban Thường vụ Thành ủy, làm tổ "
        "trưởng, đã làm việc với phường Phú Thuận và phường Tân Mỹ.")


def test_the_wards_a_role_question_goes_on_to_name_are_no_place_of_the_role():
    # "Mỹ" of "Tân Mỹ" does not make "Nguyễn Thị Mỹ Hằng" the question's own person, and the wards
    # the team worked with are not where the team leader is one.
    found = passages(LEAD, TAN_MY)
    question = "Tổ công tác số 5 làm việc với những phường Phú Thuận và phường Tân Mỹ tổ trưởng là ai?"
    assert short_answer(question, found) == "Nguyễn Thị Mỹ Hằng"
    assert short_answer("Ai là tổ trưởng tổ công tác số 5 làm việc với phường Tân Mỹ?", found) == \
        "Nguyễn Thị Mỹ Hằng"


def test_an_amount_is_read_with_its_unit_and_a_count_of_something_else_is_no_answer():
    found = passages(PHU_THUAN_LAND, TAN_MY)
    assert short_answer("Diện tích khu đất xây trụ sở mới là bao nhiêu?", found) == "gần 12.000 m²"
    assert not read("Phường Tân Mỹ có bao nhiêu dân?", found).found


def test_an_amount_next_to_the_question_s_word_said_otherwise_answers():
    # "lãi" is said "lợi nhuận": the amount after it, not the price per kilogram before it
    found = passages("Vụ quýt vừa qua gia đình chị thu được 20 tấn quả với giá bán 23 nghìn đồng/kg, trừ chi phí "
                     "lợi nhuận hơn 100 triệu đồng.")
    assert short_answer("Vụ quýt vừa qua chị Hồng lãi bao nhiêu?", found) == "hơn 100 triệu đồng"


def test_what_follows_the_verb_the_question_says_otherwise_is_the_thing_asked():
    # "vướng mắc gì" is what the land "vướng" (is held up by)
    assert short_answer("Vị trí đó đang gặp vướng mắc gì?", passages(PHU_THUAN_LAND, TAN_MY)) == "quy hoạch"


def test_of_sentences_the_title_makes_equal_the_one_saying_the_question_itself_is_chosen():
    text = "Ảnh minh họa. Theo Reuters, Malaysia khẳng định các mảnh vỡ không phải của máy bay MH370."
    found = [Passage(text, 1.0, "doc", "Các mảnh vỡ không phải của máy bay MH370", "2017-07-14", 1, 0, len(text),
                     rank=1)]
    reading = read("Có phải của MH370 không?", found)
    assert text[reading.sentence[0]:reading.sentence[1]].startswith("Theo Reuters")


def test_the_role_of_a_person_named_in_the_question():
    found = passages(TAN_MY_CHAIR, TAN_MY)
    assert short_answer("Bà Nguyễn Thị Bé Ngoan giữ chức vụ gì?", found) == \
        "Phó Bí thư Đảng ủy, Chủ tịch UBND phường Tân Mỹ"


def test_who_a_named_person_is_are_the_roles_said_of_them():
    found = passages(TAN_MY_CHAIR, TAN_MY)
    assert short_answer("Bà Nguyễn Thị Bé Ngoan là ai?", found) == \
        "Phó Bí thư Đảng ủy, Chủ tịch UBND phường Tân Mỹ"


def test_the_name_asked_of_a_thing_is_the_one_after_that_thing():
    found = passages("Năm 1564, René Goulaine de Laudonnière thành lập khu định cư châu Âu đầu tiên trên St. Johns. "
                     "Khu vực này vào năm 1564 là địa điểm thuộc địa Fort Fortine của Pháp.")
    assert "Fort Fortine" in short_answer("Tên thuộc địa của Pháp được thành lập năm 1564 là gì?", found)


def test_the_answering_passage_leads_and_its_sentence_is_highlighted():
    found = passages(TAN_MY, PHU_THUAN_SECRETARY)
    reading = read("Ai là Bí thư Đảng ủy phường Phú Thuận?", found)
    assert reading.passage == 1
    ordered = lead_with(found, reading)
    assert [p.rank for p in ordered] == [1, 2] and ordered[0].text == PHU_THUAN_SECRETARY
    assert ordered[0].highlights[0] == reading.sentence


@pytest.mark.parametrize("question", ["Ai là Bí thư Đảng ủy phường Phú Thuận?",
                                      "Diện tích khu đất xây trụ sở mới là bao nhiêu?"])
def test_with_or_without_diacritics_the_same_reading(question):
    found = passages(PHU_THUAN_LAND, PHU_THUAN_DEPUTY, PHU_THUAN_SECRETARY)
    assert read(question, found) == read(strip_diacritics(question), found)


def test_highlights_weigh_down_words_every_sentence_of_the_passage_has():
    from assistant.answer.reading import Reader

    text = "Warsaw có sông. Warsaw có sở giao dịch chứng khoán mở lại năm 1991. Warsaw rất đông."
    (start, end), *_rest = Reader("Sở giao dịch chứng khoán Warsaw mở lại khi nào?").highlights(text, 0, "")
    assert "1991" in text[start:end]


def test_a_passage_nearly_tied_with_the_first_gives_its_answering_sentence():
    first = "Về cán bộ không chuyên trách, đồng chí Trần Chí Dũng cho biết, phường có lực lượng nhân sự trẻ."
    found = passages(first, TAN_MY)
    question = "Ông Trần Chí Dũng giữ chức vụ gì?"
    tied = [replace(p, score=score) for p, score in zip(found, (2.77, 2.76))]
    apart = [replace(p, score=score) for p, score in zip(found, (2.77, 1.20))]
    assert Reader(question).read(tied, fused=True).passage == 1  # scores nearly tied: the role is read
    assert Reader(question).read(apart, fused=True).passage == 0
    assert Reader(question).read(tied).passage == 0  # scores of another scale: one rank costs RANK_WEIGHT


def test_a_word_said_only_with_other_accents_is_missing_and_weighs_as_written():
    """"voi" (elephant) is no "với"; "Vạn" is rare although "văn" is not."""
    fishing = passages("Mỗi ngày vợ chồng anh làm việc với nhau và bắt được khoảng 4 kg cá.")
    assert read("Một con voi ăn bao nhiêu kg thức ăn mỗi ngày?", fishing).missing_passage == 1.0
    # typed with few accents, a word without any may be any word: "voi" may be "với"
    assert read("Mot con voi an bao nhiêu kg thuc an moi ngay?", fishing).missing_passage < 1.0


def test_a_word_with_other_accents_does_not_count_as_said():
    """"sống" (alive) does not say "sông" (river): the sentence about rivers is quoted."""
    text = "Con rắn sống ở Florida dài nhất thế giới. Sông Nile dài nhất thế giới, chảy qua Ai Cập."
    found = passages(text)
    reading = read("Sông Nile dài bao nhiêu?", found)
    assert found[0].text[reading.sentence[0]:reading.sentence[1]].startswith("Sông Nile")
    assert read("Sông Nile dài bao nhiêu?", passages("Con rắn sống ở Nile dài nhất thế giới.")).words < 1.0


def test_a_person_is_said_by_the_sentences_after_the_one_naming_them():
    """"Đồng chí cũng kỳ vọng …" is about the person the sentence before named, with her roles."""
    text = ("Về nhân sự, đồng chí Nguyễn Thị Mỹ Hằng, Trưởng Ban Nội chính Thành ủy, cho biết TPHCM sẽ hỗ trợ. "
            "Đồng chí cũng kỳ vọng các mô hình “liên phường” sớm được triển khai.")
    reading = read("Trưởng Ban Nội chính Thành ủy muốn có mô hình gì?", passages(text))
    found = passages(text)[0]
    assert found.text[reading.short[0]:reading.short[1]] == "liên phường"
    assert reading.missing == 0.0


def test_what_a_follow_up_carried_in_is_said_by_a_passage_that_says_it_anywhere():
    found = passages("Chiếc máy bay B727 bị bỏ ở sân bay Nội Bài nhiều năm. Được biết, đầu tháng 5/2007, nó gặp sự cố "
                     "và đỗ tại đây.")
    question = "Chiếc máy bay bị bỏ ở Nội Bài đỗ từ khi nào?"
    alone = Reader(question).read(found)
    followed = Reader(question, carried=frozenset({"chiec", "may", "bay", "bi", "bo", "noi", "bai"})).read(found)
    # Alone, the sentence naming the plane wins; in the conversation about it, the one with the date.
    assert alone.short is None
    assert found[0].text[followed.short[0]:followed.short[1]] == "đầu tháng 5/2007"
    assert followed.missing < alone.missing


def test_a_name_a_follow_up_carried_in_is_said_with_its_word_pairs():
    text = ("Gia đình anh Châu Văn Cường ở thôn Suối Sâu trồng các loại cây ăn trái, nhất là cây xoài. "
            "Trồng xoài cho thu nhập cao. Mỗi năm thu hoạch 10 tấn quả, với giá bán 12 nghìn đồng/kg.")
    found = passages(text)
    question = "Anh Châu Văn Cường bán xoài giá bao nhiêu?"
    followed = Reader(question, carried=frozenset({"chau", "van", "cuong"})).read(found)
    assert found[0].text[followed.short[0]:followed.short[1]] == "12 nghìn đồng/kg"


def test_a_sentence_goes_on_with_its_paragraph_s_topic(monkeypatch):
    text = "Anh Cường trồng xoài ở Suối Kiết. Mỗi năm anh bán với giá 12 nghìn đồng/kg.\nGiá cam cũng tăng."

    def scores() -> list[float]:
        return [s.score for s in Reader("Anh Cường bán xoài giá bao nhiêu?").passage(text, 0, TITLE, None).sentences]

    with_topic = scores()
    monkeypatch.setattr(reading, "TOPIC_WEIGHT", 0.0)
    alone = scores()
    assert with_topic[1] > alone[1]  # "xoài", said the sentence before
    assert with_topic[2] == alone[2]  # not across a paragraph


def test_who_proposed_is_the_speaker_a_sentence_before_in_the_passage():
    found = passages("Phó Bí thư Thường trực Đảng ủy phường Phú Thuận Nguyễn Đăng Thoại cho biết thêm, phường đang "
                     "gặp khó khăn về trụ sở. Phường kiến nghị TPHCM sớm chấp thuận chủ trương xây dựng Trung tâm "
                     "hành chính đa chức năng.")
    assert short_answer("Ai kiến nghị xây dựng Trung tâm hành chính đa chức năng?", found) == "Nguyễn Đăng Thoại"
    # a role asked is no speaker's
    assert short_answer("Ai là Chủ tịch UBND phường?", found) is None


def test_who_proposed_is_the_speaker_the_document_named_before_the_passage():
    """The passage opens with "Phường kiến nghị …": the speaker is in the paragraph before it."""
    document, reading = read_after("Ai nêu kiến nghị xây Trung tâm hành chính đa chức năng?", PHU_THUAN_DEPUTY,
                                   PHU_THUAN_LAND)
    assert reading.found and reading.short_text == "Nguyễn Đăng Thoại"
    assert document[reading.short[0]:reading.short[1]] == reading.short_text


def test_the_speaker_stands_before_the_sentence_as_near_as_its_subject():
    """A follow-up carried its topic in, so every sentence of the passage says it: the sentence saying
    the question's verb about the speaker answers, not one naming an organisation further from it."""
    land = PHU_THUAN_LAND.replace("vướng quy hoạch.", "vướng quy hoạch và phường đã làm việc với Sở Quy hoạch - "
                                  "Kiến trúc TPHCM để tháo gỡ.")
    document = PHU_THUAN_DEPUTY + "\n\n" + land
    found = [Passage(land, 1.0, "doc", TITLE, "2025-10-24", 1, len(PHU_THUAN_DEPUTY) + 2, len(document), rank=1)]
    carried = frozenset("xay trung tam hanh chinh da chuc nang".split())
    reading = Reader("Ai nêu kiến nghị xây Trung tâm hành chính đa chức năng?", document=lambda _id: document,
                     carried=carried).read(found)
    assert reading.short_text == "Nguyễn Đăng Thoại"


def test_what_a_follow_up_carried_in_is_said_by_every_passage_of_the_document_naming_it():
    lead = "Moody's nâng hạng Ngân hàng Thịnh Vượng lên B2. "
    later = "Lợi nhuận sau thuế quý I đạt hơn 1.520 tỷ đồng."
    document = lead + "Các chỉ tiêu khác cũng tăng trưởng tốt. " * 60 + later
    start = document.index(later)
    found = [Passage(later, 1.0, "doc", TITLE, "2025-10-24", 3, start, start + len(later), rank=1,
                     highlights=((start, start + len(later)),))]
    question = "Lợi nhuận sau thuế quý I của Ngân hàng Thịnh Vượng được bao nhiêu?"
    alone = Reader(question, document=lambda _id: document).read(found)
    followed = Reader(question, document=lambda _id: document, carried=frozenset({"thinh", "vuong"})).read(found)
    assert start > reading.CONTEXT_CHARS  # the bank is named far before the passage
    assert followed.words > alone.words and followed.missing < alone.missing


def test_a_sentence_giving_the_measure_asked_says_the_word_that_names_it():
    """"diện tích 5 ha" answers "rộng bao nhiêu"; a price does not say "rộng"."""
    assert read("Vườn lan rộng bao nhiêu?", passages("Vườn lan này có diện tích 5 ha.")).words == 1.0
    assert read("Vườn lan rộng bao nhiêu?", passages("Vườn lan này bán giá 5 triệu đồng.")).words < 1.0


def test_the_slot_of_which_thing_is_read_around_the_verb_not_the_noun_asked():
    """"xây công trình gì": the answer stands next to "xây", seldom next to "công trình"."""
    reading = read("Phú Thuận xin xây công trình gì?",
                   passages("Phú Thuận xin xây Trung tâm hành chính đa chức năng trên khu đất gần 12.000 m²."))
    assert reading.found and reading.slot > 0


def test_a_sentence_naming_an_organisation_of_the_kind_asked_answers_which_one():
    """"sở nào": the sentence with a "Sở …" answers, not the one naming "TPHCM" nearer the question's words."""
    text = PHU_THUAN_LAND.replace("Vị trí đề xuất này đang vướng quy hoạch.", "Vị trí đề xuất này đang vướng quy "
                                  "hoạch và phường đã làm việc với Sở Quy hoạch - Kiến trúc TPHCM để tháo gỡ.")
    assert short_answer("Phường Phú Thuận đã làm việc với sở nào?", passages(text)) == "Sở Quy hoạch - Kiến trúc TPHCM"


def test_the_title_the_question_gives_a_person_is_said_by_the_sentences_about_them():
    """"Bà Hằng đề nghị …": "Đồng chí đề nghị …" after the sentence naming her says "bà" too."""
    text = ("Kết luận buổi làm việc, đồng chí Nguyễn Thị Mỹ Hằng ghi nhận nỗ lực của 2 phường trong triển khai mô "
            "hình chính quyền địa phương 2 cấp. Đồng chí đề nghị các địa phương rà soát kỹ quỹ đất công, trụ sở làm "
            "việc để sử dụng hiệu quả, tránh lãng phí.")
    sentences = Reader("Bà Hằng đề nghị các địa phương làm gì?").passage(text, 0, TITLE).sentences
    assert sentences[1].words == pytest.approx(1.0)  # "Bà Hằng" and "đề nghị các địa phương", all said
    assert short_answer("Bà Hằng đề nghị các địa phương làm gì?", passages(text)).startswith("rà soát kỹ quỹ đất công")


def test_which_ward_of_a_sentence_naming_it_by_its_kind_alone():
    """"Phường nào kiến nghị …?" of "Phường kiến nghị …": the ward the document named before the
    passage, quoted as the document writes it."""
    question = "Phường nào kiến nghị xây Trung tâm hành chính đa chức năng?"
    document, reading = read_after(question, PHU_THUAN_DEPUTY, PHU_THUAN_LAND)
    assert reading.found and reading.short_text == "phường Phú Thuận"
    assert document[reading.short[0]:reading.short[1]] == reading.short_text
    # the ward stands where "Phường" opens the sentence, near what it proposed
    proposal = ("Phường đề xuất xem xét có cơ chế hợp đồng cộng tác viên từ nguồn kinh phí của Thành phố đối với "
                "các phường có số lượng tổ chức Đảng lớn.")
    _document, reading = read_after("Cơ chế thuê cộng tác viên được đề xuất áp dụng cho phường nào?", TAN_MY, proposal)
    assert reading.short_text == "phường Tân Mỹ" and reading.near > 0
    # asked of a sentence about wards in general, nothing
    _document, reading = read_after(question, PHU_THUAN_DEPUTY,
                                    "Các phường cần chủ động xây Trung tâm hành chính đa chức năng.")
    assert reading.short_text != "phường Phú Thuận"
