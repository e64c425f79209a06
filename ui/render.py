"""Chat rendering: answers, citations and the documents table as HTML, every piece of untrusted
text escaped (pure functions, no Gradio)."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Callable, Sequence

from assistant.results import relevance
from assistant.text.normalize import fold, visible
from assistant.text.sentence_words import sentence_words
from assistant.text.words import QUESTION_WORDS

if TYPE_CHECKING:
    from assistant.ingest.documents import Document
    from assistant.results import Answer, Passage

CONTEXT_CHARS = 400  # shown around a passage when its neighbouring paragraphs are too long
MAX_CONTEXT_CHARS = 2500
CSS = """
.va-answer mark, .va-citation mark { background: #fde68a; color: inherit; padding: 0 1px; }
.va-answer mark.va-light { background: #eef2f7; border-bottom: 1px solid #94a3b8; }
.va-answer mark b { font-weight: 700; }
.va-short { font-size: 1.2em; margin: 0 0 0.2em; }
.va-text { font-size: 1.08em; border-left: 4px solid #f59e0b; padding-left: 0.6em; }
.va-rewritten, .va-note { color: #4b5563; font-size: 0.92em; }
.va-sources { margin: 0.8em 0 0.2em; font-weight: 600; }
.va-citation { border-left: 3px solid #93c5fd; margin: 0.6em 0; padding-left: 0.6em; }
.va-passage { margin: 0.3em 0; }
.va-cited { background: #e0f2fe; }
.va-context { margin: 0.3em 0 0.3em 0.8em; color: #374151; }
.va-notfound { font-weight: 600; }
.va-related { font-weight: 600; color: #92400e; border-left: 4px solid #d1d5db; padding-left: 0.6em; }
.va-relevance { color: #4b5563; font-size: 0.92em; white-space: nowrap; }
.va-bar { display: inline-block; width: 3em; height: 0.5em; background: #e5e7eb; border-radius: 3px;
          vertical-align: middle; margin-right: 0.3em; overflow: hidden; }
.va-bar span { display: block; height: 100%; background: #2563eb; }
.va-user { text-align: right; color: #374151; }
/* Gradio's orange buttons and grey upload hints are below WCAG AA contrast: darker ones. */
button.primary { background: #1d4ed8 !important; border-color: #1d4ed8 !important; color: #fff !important; }
button.stop { background: #b91c1c !important; border-color: #b91c1c !important; color: #fff !important; }
#upload .or, #upload .wrap { color: #374151 !important; }
@media (max-width: 640px) {
  #intro p { display: none; }
  #intro h1 { font-size: 1.2em; margin: 0; }
}
.va-error { color: #b91c1c; }
.va-generated { font-size: 1.05em; border-left: 4px solid #10b981; padding-left: 0.6em; }
.va-model { color: #4b5563; font-size: 0.85em; }
.va-documents td, .va-documents th { padding: 2px 8px; text-align: left; }
"""

# HTML specials, plus the characters with a meaning in Markdown or LaTeX, written as entities in
# one pass: untrusted text can then never become a tag, a link, an image or a formula, even if the
# chat's Markdown rendering were switched on. Newlines become <br> so no text starts a Markdown block.
_INERT = {ord(ch): f"&#{ord(ch)};" for ch in "&<>\"'[]()!*_`#|~$\\{}:"} | {ord("\n"): "<br>"}


def escape_text(text: str) -> str:
    """Untrusted text as inert HTML: tags, entities and Markdown syntax all shown literally; zero-width
    and bidi characters left out (`assistant.text.normalize.visible`)."""
    return visible(text).translate(_INERT)


def format_date(date: str | None) -> str:
    """`2025-10-24` → `24/10/2025` (Vietnamese order); anything else unchanged."""
    match = re.fullmatch(r"(\d{4})-(\d{2})-(\d{2})", date or "")
    return f"{match[3]}/{match[2]}/{match[1]}" if match else (date or "")


def highlight_html(text: str, offset: int, marks: Sequence[tuple[int, int]],
                   cited: tuple[int, int] | None = None, light: Sequence[tuple[int, int]] = (),
                   bold: tuple[int, int] | None = None) -> str:
    """Escape `text` (which starts at document offset `offset`), wrapping the document spans
    `marks` (the answer) in `<mark>`, `light` (the question's words elsewhere) in a lighter
    `<mark class="va-light">`, `bold` (the short answer) in `<b>`, and the span `cited` in
    `<span class="va-cited">`."""
    end_of_text = offset + len(text)
    boundaries = {offset, end_of_text}
    for start, end in [*marks, *light, *([cited] if cited else []), *([bold] if bold else [])]:
        boundaries.update(b for b in (start, end) if offset < b < end_of_text)
    points = sorted(boundaries)
    groups: list[tuple[tuple[str, bool], list[str]]] = []  # runs of one mark and citation state
    for start, end in zip(points, points[1:]):
        piece = escape_text(text[start - offset:end - offset])
        if bold and bold[0] <= start and end <= bold[1]:
            piece = f"<b>{piece}</b>"
        kind = "answer" if any(s <= start and end <= e for s, e in marks) else \
            "light" if any(s <= start and end <= e for s, e in light) else ""
        state = (kind, bool(cited and cited[0] <= start and end <= cited[1]))
        if groups and groups[-1][0] == state:
            groups[-1][1].append(piece)
        else:
            groups.append((state, [piece]))
    html_pieces = []
    for (kind, in_cited), run in groups:
        piece = "".join(run)
        if kind:
            piece = f'<mark class="va-light">{piece}</mark>' if kind == "light" else f"<mark>{piece}</mark>"
        html_pieces.append(f'<span class="va-cited">{piece}</span>' if in_cited else piece)
    return "".join(html_pieces)


# Function words and question words are not what a reader looks for; compared accent-free, as a
# question may be typed without accents.
_IGNORED_WORDS = frozenset(map(fold, QUESTION_WORDS)) | frozenset(fold(word) for word in (
    "là của và có được cho với các những một trong này đã để từ đến về theo như tại ra vào sẽ cũng thì "
    "đó mà rằng còn rất đang vẫn lại đều chỉ cùng bị nên nếu hay hoặc ở").split())


def question_word_spans(question: str, text: str, offset: int) -> list[tuple[int, int]]:
    """The document spans of `text` (starting at `offset`) holding a word of `question`: as
    written where the question has accents, accent-free where it was typed without; common and
    question words are left out."""
    written, folded = set(), set()
    for word in sentence_words(question):
        if word.folded.lower() in _IGNORED_WORDS:
            continue
        (folded if word.text.lower() == word.folded.lower() else written).add(
            word.folded.lower() if word.text.lower() == word.folded.lower() else word.written)
    return [(offset + word.start, offset + word.end) for word in sentence_words(text)
            if word.written in written or word.folded.lower() in folded]


def context_window(document: "Document", passage: "Passage") -> tuple[int, int]:
    """The document span shown around `passage`: its paragraph with the previous and next ones,
    or `CONTEXT_CHARS` either side when those are too long."""
    paragraphs = list(document.paragraphs)
    index = next((i for i, p in enumerate(paragraphs) if p.start <= passage.start < p.end), None)
    if index is not None:
        start = min(paragraphs[max(index - 1, 0)].start, passage.start)
        end = max(paragraphs[min(index + 1, len(paragraphs) - 1)].end, passage.end)
        if end - start <= MAX_CONTEXT_CHARS:
            return start, end
    return max(0, passage.start - CONTEXT_CHARS), min(len(document.text), passage.end + CONTEXT_CHARS)


def format_citation_html(passage: "Passage", document: "Document | None", best_score: float,
                         answer: tuple[int, int] | None = None, short: tuple[int, int] | None = None,
                         question: str = "") -> str:
    """One numbered citation: title, date, paragraph, a relevance word relative to `best_score`,
    the passage, and the passage in its article context behind a `<details>`.

    Args:
        answer: the document span of the quoted answering sentence, marked as the answer (only in
            the passage it is quoted from); every other passage shows `question`'s words lightly.
        short: the short answer's span inside it, in bold.
    """
    word, share = relevance(passage.score, best_score)
    date = f" · {escape_text(format_date(passage.date))}" if passage.date else ""
    header = (f"<b>[{passage.rank}]</b> <b>{escape_text(passage.title)}</b>{date} · đoạn {passage.paragraph}"
              f' · <span class="va-relevance"><span class="va-bar" aria-hidden="true"><span style="width:'
              f'{round(share * 100)}%"></span></span>{word}</span>')
    marks = [answer] if answer else []
    light = [] if answer else question_word_spans(question, passage.text, passage.start)
    body = highlight_html(passage.text, passage.start, marks, light=light, bold=short)
    parts = [f'<div class="va-citation" data-rank="{passage.rank}">', f"<div>{header}</div>",
             f'<div class="va-passage">{body}</div>']
    if document is not None and document.text[passage.start:passage.end] == passage.text:
        start, end = context_window(document, passage)
        context_light = [] if answer else question_word_spans(question, document.text[start:end], start)
        context = highlight_html(document.text[start:end], start, marks, (passage.start, passage.end),
                                 light=context_light, bold=short)
        ellipsis_before, ellipsis_after = ("… " if start > 0 else ""), (" …" if end < len(document.text) else "")
        parts.append(f"<details><summary>Xem đoạn trích trong bài</summary>"
                     f'<div class="va-context">{ellipsis_before}{context}{ellipsis_after}</div></details>')
    parts.append("</div>")
    return "".join(parts)


def format_answer_html(answer: "Answer", document: Callable[[str], "Document | None"]) -> str:
    """The chat message for an answer: the short answer in bold, the answering sentence, then the
    numbered citations. Only the quoted sentence is marked as the answer; other passages show the
    question's words in a lighter mark.

    Args:
        answer: what `Assistant.ask` returned.
        document: the indexed document with a given id (for the context around each passage).

    Returns:
        HTML in which every piece of question or document text is escaped.
    """
    parts = [f'<div class="va-answer va-status-{answer.status}">']
    css = {"answered": "va-text", "related": "va-related"}.get(answer.status, "va-notfound")
    if answer.generated:
        parts.append(f'<p class="va-generated">{escape_text(answer.text)}</p>')
        parts.append(f'<p class="va-model">Viết bởi mô hình {escape_text(answer.model or "")} từ các đoạn dưới '
                     'đây; mọi dẫn nguồn [n] đã được đối chiếu.</p>')
    else:
        if answer.short_answer:  # the words that answer, first and bold; the quotation under them
            parts.append(f'<p class="va-short"><b>{escape_text(answer.short_answer)}</b></p>')
        parts.append(f'<p class="{css}">{escape_text(answer.text)}</p>')
    if answer.rewritten_question:
        parts.append(f'<p class="va-rewritten">Hiểu câu hỏi là: <i>{escape_text(answer.rewritten_question)}</i></p>')
    parts.extend(f'<p class="va-note">{escape_text(note)}</p>' for note in answer.notes)
    if answer.passages:
        heading = "Nguồn trích dẫn:" if answer.answered else "Các đoạn liên quan:"
        parts.append(f'<p class="va-sources">{heading}</p>')
        best = max(p.score for p in answer.passages)
        question = answer.rewritten_question or answer.question
        quoted = answer.answered and not answer.generated and answer.passages[0].highlights
        for index, passage in enumerate(answer.passages):
            answer_span = passage.highlights[0] if quoted and index == 0 else None
            short = answer.short_span if answer_span else None
            parts.append(format_citation_html(passage, document(passage.document_id), best, answer_span, short,
                                              question))
    parts.append("</div>")
    return "".join(parts)


def format_streaming_html(text: str, model: str) -> str:
    """A language model's answer as it arrives, marked as not yet checked."""
    return (f'<div class="va-answer va-streaming"><p class="va-generated">{escape_text(text)}</p>'
            f'<p class="va-model">{escape_text(model)} đang viết… (chưa kiểm chứng nguồn)</p></div>')


def format_error_html(message: str) -> str:
    """A chat message for an error the user can fix."""
    return f'<p class="va-error">Lỗi: {escape_text(message)}</p>'


def format_documents_html(documents: Sequence["Document"]) -> str:
    """The table of indexed documents: id, title, date, characters."""
    if not documents:
        return "<p>Chưa có tài liệu nào trong chỉ mục. Hãy tải lên một bài báo .txt hoặc .md.</p>"
    rows = "".join(
        f"<tr><td><code>{escape_text(d.id)}</code></td><td>{escape_text(d.title)}</td>"
        f"<td>{escape_text(format_date(d.date))}</td><td>{thousands(len(d.text))}</td></tr>" for d in documents)
    return (f"<p>{len(documents)} tài liệu trong chỉ mục.</p><table class=\"va-documents\"><thead><tr>"
            f"<th>Mã</th><th>Tiêu đề</th><th>Ngày</th><th>Số ký tự</th></tr></thead><tbody>{rows}</tbody></table>")


def thousands(number: int) -> str:
    """`12000` → `12.000`."""
    return f"{number:,}".replace(",", ".")  # Vietnamese groups thousands with dots: 12.000
