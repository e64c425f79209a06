"""Rendering answers as HTML (`ui/render.py`): citations with title, date and paragraph, the answering
sentence marked at its exact offsets, the three states shown apart, and untrusted text inert."""

import html
import re

from assistant.results import Answer, Passage
from assistant.text.normalize import fold
from ui.render import escape_text, format_answer_html, highlight_html, question_word_spans

TAN_MY_OFFICES = "Chủ tịch UBND phường Tân Mỹ thông tin gì về trụ sở?"
HOSTILE = "<script>window.pwned = 1</script> ![x](http://127.0.0.1:9/x.png) [link](javascript:alert(1))"


def test_answer_cites_title_date_paragraph_and_marks_the_answering_sentence(lexical_assistant):
    assistant = lexical_assistant
    answer = assistant.ask(TAN_MY_OFFICES)
    page = format_answer_html(answer, assistant.document)
    best = answer.passages[0]
    assert best.paragraph == 9
    assert '<b>[1]</b> <b>Tổ công tác số 5' in page and "24/10/2025 · đoạn 9" in page
    assert len(re.findall(r'class="va-citation"', page)) == len(answer.passages)
    start, end = best.highlights[0]
    first_mark = re.search(r"<mark>(.*?)</mark>", page).group(1)
    assert html.unescape(re.sub("</?b>", "", first_mark)) == assistant.document(best.document_id).text[start:end]
    assert first_mark.startswith("Đồng chí Nguyễn Thị Bé Ngoan")


def test_citation_context_shows_neighbouring_paragraphs_with_the_passage_marked(lexical_assistant):
    assistant = lexical_assistant
    answer = assistant.ask(TAN_MY_OFFICES)
    page = format_answer_html(answer, assistant.document)
    context = re.search(r'<details><summary>Xem đoạn trích trong bài</summary><div class="va-context">(.*?)</div>',
                        page).group(1)
    assert "Châu Xuân Đại Thắng" in context  # paragraph 8, before the cited one
    assert "Kết luận buổi làm việc" in context  # paragraph 10, after it
    assert '<span class="va-cited"><mark>Đồng chí Nguyễn Thị Bé Ngoan' in context


def test_highlight_marks_exact_document_offsets():
    # "cầu dài" starts at document offset 100; the mark covers offsets 104–107 ("dài").
    assert highlight_html("cầu dài 500 m", 100, [(104, 107)], (100, 107)) == \
        '<span class="va-cited">cầu </span><span class="va-cited"><mark>dài</mark></span> 500 m'


def test_the_three_states_render_distinctly():
    passage = Passage("Câu trả lời.", 1.0, "a", "Tin", None, 1, 0, 12, highlights=((0, 12),))
    pages = {status: format_answer_html(Answer("?", status, f"nội dung {status}", [] if status == "not_found"
                                               else [passage]), lambda _id: None)
             for status in ("answered", "related", "not_found")}
    assert "va-text" in pages["answered"] and "Nguồn trích dẫn:" in pages["answered"]
    assert "va-related" in pages["related"] and "Các đoạn liên quan:" in pages["related"]
    assert "va-notfound" in pages["not_found"] and "va-citation" not in pages["not_found"]


def test_untrusted_text_is_inert_html_and_markdown():
    escaped = escape_text(HOSTILE + "\n$$x$$ `code` **b**")
    assert "<" not in escaped.replace("<br>", "") and ">" not in escaped.replace("<br>", "")
    for active in ("![", "](", "[", "$$", "`", "**", "javascript:"):
        assert active not in escaped
    assert html.unescape(escaped.replace("<br>", "\n")) == HOSTILE + "\n$$x$$ `code` **b**"


def test_citations_show_a_relevance_word_relative_to_the_best_never_a_raw_score(lexical_assistant):
    answer = lexical_assistant.ask(TAN_MY_OFFICES)
    page = format_answer_html(answer, lexical_assistant.document)
    headers = re.findall(r'<div><b>\[\d\]</b>(.*?)</div>', page)
    assert len(headers) == len(answer.passages)
    assert not any("điểm" in header or re.search(r"\d\.\d", header) for header in headers)
    words = re.findall(r'</span></span>([^<]+)</span>', page)
    assert len(words) == len(answer.passages) and "liên quan nhất" in words


def test_only_the_quoted_sentence_is_marked_as_the_answer_with_the_short_answer_first_and_bold(lexical_assistant):
    answer = lexical_assistant.ask(TAN_MY_OFFICES)
    assert answer.status == "answered" and answer.short_answer and len(answer.passages) > 1
    page = format_answer_html(answer, lexical_assistant.document)
    assert page.index('class="va-short"><b>') < page.index('class="va-text"') < page.index('class="va-citation"')
    citations = page.split('<div class="va-citation"')[1:]
    first_passage = citations[0].split("<details>")[0]
    assert first_passage.count("<mark>") == 1 and f"<b>{escape_text(answer.short_answer)}</b>" in first_passage
    for other in citations[1:]:
        assert "<mark>" not in other  # the question's words only, lighter
        assert '<mark class="va-light">' in other


def test_related_passages_mark_only_the_question_words(lexical_assistant):
    answer = lexical_assistant.ask("Dân số phường Phú Thuận là bao nhiêu?")
    assert answer.status == "related"
    page = format_answer_html(answer, lexical_assistant.document)
    assert "<mark>" not in page and re.findall(r'<mark class="va-light">([^<]+)</mark>', page)
    marked = {fold(html.unescape(word)).lower() for word in re.findall(r'<mark class="va-light">([^<]+)</mark>', page)}
    assert marked <= {"dan", "so", "phuong", "phu", "thuan"}


def test_question_words_are_found_with_or_without_accents_and_common_words_are_not():
    text = "Phường Phú Thuận có trụ sở mới là của phường"
    spans = question_word_spans("tru so phuong Phu Thuan la gi", text, 100)
    assert [text[start - 100:end - 100] for start, end in spans] == \
        ["Phường", "Phú", "Thuận", "trụ", "sở", "phường"]


def test_zero_width_and_bidi_characters_are_not_shown():
    assert escape_text("Ti\u200bêu \u202eđề\u202c\ufeff") == "Tiêu đề"
    assert highlight_html("ab\u202ecd", 10, [(12, 15)]) == "ab<mark>cd</mark>"  # offsets are the stored text's


def test_a_short_answer_written_before_the_passage_is_bold_in_its_context(lexical_assistant):
    """"Phường nào kiến nghị …?" of "Phường kiến nghị …": the ward named in the paragraph before."""
    answer = lexical_assistant.ask("Phường nào kiến nghị xây Trung tâm hành chính đa chức năng?")
    assert answer.status == "answered" and answer.short_answer == "phường Phú Thuận"
    best = answer.passages[0]
    start, end = answer.short_span
    assert lexical_assistant.document(best.document_id).text[start:end] == answer.short_answer and end <= best.start
    page = format_answer_html(answer, lexical_assistant.document)
    citation = page.split('<div class="va-citation"')[1]
    passage, context = citation.split("<details>")
    assert "<b>phường Phú Thuận</b>" not in passage and "<b>phường Phú Thuận</b>" in context
