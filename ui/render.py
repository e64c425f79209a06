"""Chat rendering: answers, citations and the documents table as HTML, every piece of untrusted
text escaped (pure functions, no Gradio)."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Callable, Sequence

from assistant.text.normalize import visible

if TYPE_CHECKING:
    from assistant.ingest.documents import Document
    from assistant.results import Answer, Passage

CONTEXT_CHARS = 400  # shown around a passage when its neighbouring paragraphs are too long
MAX_CONTEXT_CHARS = 2500
CSS = """
.va-answer mark, .va-citation mark { background: #fde68a; color: inherit; padding: 0 1px; }
.va-short { font-size: 1.2em; margin-bottom: 0.2em; }
.va-text { font-size: 1.08em; border-left: 4px solid #f59e0b; padding-left: 0.6em; }
.va-rewritten, .va-note, .va-meta { color: #6b7280; font-size: 0.92em; }
.va-sources { margin: 0.8em 0 0.2em; font-weight: 600; }
.va-citation { border-left: 3px solid #93c5fd; margin: 0.6em 0; padding-left: 0.6em; }
.va-passage { margin: 0.3em 0; }
.va-cited { background: #e0f2fe; }
.va-context { margin: 0.3em 0 0.3em 0.8em; color: #374151; }
.va-notfound { font-weight: 600; }
.va-related { font-weight: 600; color: #92400e; border-left: 4px solid #d1d5db; padding-left: 0.6em; }
.va-status-related mark { background: #e5e7eb; }
.va-error { color: #b91c1c; }
.va-generated { font-size: 1.05em; border-left: 4px solid #10b981; padding-left: 0.6em; }
.va-model { color: #6b7280; font-size: 0.85em; }
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
                   cited: tuple[int, int] | None = None) -> str:
    """Escape `text` (which starts at document offset `offset`), wrapping the document spans
    `marks` in `<mark>` and the span `cited` in `<span class="va-cited">`."""
    end_of_text = offset + len(text)
    boundaries = {offset, end_of_text}
    for start, end in [*marks, *([cited] if cited else [])]:
        boundaries.update(b for b in (start, end) if offset < b < end_of_text)
    points = sorted(boundaries)
    pieces = []
    for start, end in zip(points, points[1:]):
        piece = escape_text(text[start - offset:end - offset])
        if any(s <= start and end <= e for s, e in marks):
            piece = f"<mark>{piece}</mark>"
        if cited and cited[0] <= start and end <= cited[1]:
            piece = f'<span class="va-cited">{piece}</span>'
        pieces.append(piece)
    return "".join(pieces)


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


def format_citation_html(passage: "Passage", document: "Document | None") -> str:
    """One numbered citation: title, date, paragraph, score, the passage with its answering
    span marked, and the passage in its article context behind a `<details>`."""
    date = f" · {escape_text(format_date(passage.date))}" if passage.date else ""
    header = (f"<b>[{passage.rank}]</b> <b>{escape_text(passage.title)}</b>{date} · đoạn {passage.paragraph}"
              f' <span class="va-meta">· điểm {passage.score:.3f}</span>')
    body = highlight_html(passage.text, passage.start, passage.highlights)
    parts = [f'<div class="va-citation" data-rank="{passage.rank}">', f"<div>{header}</div>",
             f'<div class="va-passage">{body}</div>']
    if document is not None and document.text[passage.start:passage.end] == passage.text:
        start, end = context_window(document, passage)
        context = highlight_html(document.text[start:end], start, passage.highlights, (passage.start, passage.end))
        ellipsis_before, ellipsis_after = ("… " if start > 0 else ""), (" …" if end < len(document.text) else "")
        parts.append(f"<details><summary>Xem đoạn trích trong bài</summary>"
                     f'<div class="va-context">{ellipsis_before}{context}{ellipsis_after}</div></details>')
    parts.append("</div>")
    return "".join(parts)


def format_answer_html(answer: "Answer", document: Callable[[str], "Document | None"]) -> str:
    """The chat message for an answer: the answering sentence, then the numbered citations.

    Args:
        answer: what `Assistant.ask` returned.
        document: the indexed document with a given id (for the context around each passage).

    Returns:
        HTML in which every piece of question or document text is escaped.
    """
    parts = [f'<div class="va-answer va-status-{answer.status}">']
    if answer.rewritten_question:
        parts.append(f'<p class="va-rewritten">Hiểu câu hỏi là: <i>{escape_text(answer.rewritten_question)}</i></p>')
    css = {"answered": "va-text", "related": "va-related"}.get(answer.status, "va-notfound")
    if answer.generated:
        parts.append(f'<p class="va-generated">{escape_text(answer.text)}</p>')
        parts.append(f'<p class="va-model">Viết bởi mô hình {escape_text(answer.model or "")} từ các đoạn dưới '
                     'đây; mọi dẫn nguồn [n] đã được đối chiếu.</p>')
    else:
        if answer.short_answer:  # the words that answer, first and bold; the quotation under them
            parts.append(f'<p class="va-short"><b>{escape_text(answer.short_answer)}</b></p>')
        parts.append(f'<p class="{css}">{escape_text(answer.text)}</p>')
    parts.extend(f'<p class="va-note">{escape_text(note)}</p>' for note in answer.notes)
    if answer.passages:
        heading = "Nguồn trích dẫn:" if answer.answered else "Các đoạn liên quan:"
        parts.append(f'<p class="va-sources">{heading}</p>')
        parts.extend(format_citation_html(p, document(p.document_id)) for p in answer.passages)
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
        f"<td>{escape_text(format_date(d.date))}</td><td>{_thousands(len(d.text))}</td></tr>" for d in documents)
    return (f"<p>{len(documents)} tài liệu trong chỉ mục.</p><table class=\"va-documents\"><thead><tr>"
            f"<th>Mã</th><th>Tiêu đề</th><th>Ngày</th><th>Số ký tự</th></tr></thead><tbody>{rows}</tbody></table>")


def _thousands(number: int) -> str:
    return f"{number:,}".replace(",", ".")  # Vietnamese groups thousands with dots: 12.000
