"""Sentence splitting (`text/sentences.py`): abbreviations, numbers, quotations and ellipses do not
end a sentence, and every span is an exact offset into the text."""

import pytest

from assistant.text.sentences import sentence_spans


def _sentences(text):
    return [text[s:e] for s, e in sentence_spans(text)]


def test_sentence_splitter_hard_cases():
    text = ("Khu đất gần 12.000 m² ở TP.HCM được đề xuất. Kế hoạch 249-KH/UBKTTW có hiệu lực. "
            "Lãi suất là 6.5 phần trăm. TS. Lê Văn An nói: “Chúng tôi làm. Các bạn chờ.” Sau đó ông về. "
            "Đầu tư công, quy hoạch… ảnh hưởng đến tiến độ.")
    assert _sentences(text) == [
        "Khu đất gần 12.000 m² ở TP.HCM được đề xuất.",
        "Kế hoạch 249-KH/UBKTTW có hiệu lực.",
        "Lãi suất là 6.5 phần trăm.",
        "TS. Lê Văn An nói: “Chúng tôi làm. Các bạn chờ.”",
        "Sau đó ông về.",
        "Đầu tư công, quy hoạch… ảnh hưởng đến tiến độ.",
    ]


def test_sentence_spans_are_offsets_into_the_original():
    text = "  Câu một.   Câu hai!\nCâu ba? "
    spans = sentence_spans(text)
    assert [text[s:e] for s, e in spans] == ["Câu một.", "Câu hai!", "Câu ba?"]
    assert all(0 <= s < e <= len(text) for s, e in spans)


def test_quoted_text_is_not_split():
    text = "Ông kỳ vọng các mô hình “liên phường. Mỗi phường một lĩnh vực” sớm được triển khai."
    assert _sentences(text) == [text]


# Lines a hostile or unlucky file holds: many short sentences, abbreviations, initials, runs of
# terminators before a closing quote or a lower-case word, spaces after terminators.
LONG_LINES = ["Tin tức. ", "TP. ", "A. ", "a!!!!!!!!!!b ", "!!!!!!”", "“Tin. ", "… ", "Tin.    "]


@pytest.mark.timeout(20)  # a bound, not a measurement: the quadratic splitter took 127 s for 20k sentences
@pytest.mark.parametrize("piece", LONG_LINES)
def test_fifty_thousand_sentences_on_one_line_are_split_in_linear_time(piece):
    text = piece * 50_000
    spans = sentence_spans(text)
    assert spans and all(0 <= start < end <= len(text) for start, end in spans)
    assert all(a[1] <= b[0] for a, b in zip(spans, spans[1:]))


def test_many_short_sentences_each_get_their_span():
    text = "Tin tức. " * 1000
    assert [text[s:e] for s, e in sentence_spans(text)] == ["Tin tức."] * 1000
