"""Equivalent wordings (`text/equivalents.py`): a question word counts as said when the sentence
says it otherwise (an abbreviation, a verb of the same kind, the title before a name, a misspelling),
and only then."""

import pytest

from assistant.text.equivalents import equivalents, kind_at, kind_ends
from assistant.text.questions import question_form
from assistant.text.spans import sentence_words


def _said_otherwise(question: str, sentence: str) -> set[str]:
    form = question_form(question)
    words = sentence_words(sentence)
    missing = set(form.content) - {w.folded for w in words}
    return equivalents(form.words, form.written, frozenset(form.content)).said(missing, sentence)


@pytest.mark.parametrize("question, sentence, expected", [
    # abbreviations both ways
    ("Chủ tịch UBND thành phố Biên Hòa là ai?", "Ông Phạm Anh Dũng, Chủ tịch UBND TP Biên Hòa, cho biết…",
     {"thanh", "pho"}),
    ("Ai là Chủ tịch UBND phường?", "Chủ tịch Ủy ban nhân dân phường là ông A.", {"ubnd"}),
    # a verb of the same kind; the title before the name the sentence writes
    ("Ông Trần Chí Dũng nói gì về công chức?", "Đồng chí Trần Chí Dũng cho biết, công chức đủ.", {"ong", "noi"}),
    ("Phú Thuận xin xây công trình gì?", "Phường kiến nghị xây dựng Trung tâm hành chính.", {"xin"}),
    ("phu thuan xin xay cong trinh gi", "Phường kiến nghị xây dựng Trung tâm hành chính.", {"xin"}),
    ("Ai dẫn đầu tổ công tác số 5?", "Tổ công tác số 5 do bà A làm tổ trưởng.", {"dan", "dau"}),
    ("EVN khuyên để điều hòa ở mức bao nhiêu độ?", "EVN nhắc nhở đặt điều hòa ở mức 26 độ C.", {"khuyen"}),
    ("Tesla chết năm nào?", "Tesla qua đời vào ngày 7 tháng 1 năm 1943.", {"chet"}),
    ("Ai ghi bàn cho U23 Việt Nam?", "U23 Việt Nam thắng nhờ các pha lập công của Tuấn Tài.", {"ghi", "ban"}),
    ("Còn máy lạnh nên để bao nhiêu độ?", "Khi dùng điều hòa nhiệt độ nên đặt ở mức 26 độ C.", {"may", "lanh"}),
    ("Đơn vị nào có trụ sở nằm rải rác?", "Trụ sở các đơn vị vẫn còn phân tán.", {"rai", "rac"}),
    ("Phường muốn gom các đơn vị về đâu?", "Phường đưa các đơn vị về chung trụ sở.", {"gom"}),
    ("Cả nước tiêu thụ bao nhiêu điện?", "Lượng tiêu thụ điện toàn quốc là 606 triệu kWh.", {"ca", "nuoc"}),
    ("Phường thiếu cán bộ giỏi về gì?", "Phường thiếu nhân sự am hiểu sâu về đầu tư công.", {"gioi", "can", "bo"}),
    # an abbreviation written out in one of the ways news writes it
    ("Hội nghị APEC tổ chức ở HN là lần thứ mấy?", "Tại Hà Nội diễn ra Hội nghị APEC lần thứ 23.", {"hn"}),
    ("TP.HCM có bao nhiêu thí sinh?", "Thành phố Hồ Chí Minh có 6.700 thí sinh.", {"tp", "hcm"}),
    ("HLV Park nói gì?", "Huấn luyện viên Park Hang-seo cho biết…", {"hlv", "noi"}),
    # a rare word one letter off a word of the sentence (a typo)
    ("Bà Mỹ Hằg ghi nhận điều gì?", "Bà Nguyễn Thị Mỹ Hằng ghi nhận nỗ lực của 2 phường.", {"hag"}),
])
def test_words_said_otherwise(question, sentence, expected):
    assert _said_otherwise(question, sentence) == expected


@pytest.mark.parametrize("question, sentence", [
    ("Thanh niên phường làm gì?", "TP có nhiều thanh tra."),  # "thanh" of "thanh niên" is no "TP"
    ("Ông ấy nói gì về dân số?", "Phường kiến nghị xây trụ sở."),  # another kind of verb; no name to go with "ông"
    ("Phường có bao nhiêu dân?", "Phường có 100 cán bộ."),  # a common word is no typo of another
    ("Ai là Chủ tịch UBND phường?", "Chủ tịch HĐND phường là ông A."),  # another body
    ("Tổ công tác đề ra nội dung gì?", "Trưởng Ban Nội chính Thành ủy cho biết."),  # "nội" is no "nói"
])
def test_words_not_said_otherwise(question, sentence):
    assert _said_otherwise(question, sentence) == set()


def test_the_kind_of_the_verb_before_the_question_word():
    words = tuple("ong a cho biet la gi".split())
    say = kind_at(("noi",), ("nói",), 0)
    assert kind_at(words, words, 3) == say != kind_at(("de", "xuat"), ("đề", "xuất"), 1)
    assert kind_at(words, words, 4) is None
    assert kind_at(("noi",), ("nội",), 0) is None  # "nội dung" is no "nói", accents told apart
    assert kind_ends(say, sentence_words("Bà A khẳng định và nói thêm")) == [3, 5]
    assert kind_ends(say, sentence_words("Ban Nội chính")) == []
