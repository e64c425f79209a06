"""Questions as typed: cleaned once (NFC, control characters, whitespace, length) before anything
reads them."""

from __future__ import annotations

import unicodedata

from ..errors import QuestionError
from ..text.normalize import nfc


def clean_question(question: object, max_chars: int) -> tuple[str, list[str]]:
    """NFC, control characters and lone surrogates removed, whitespace collapsed, length capped.

    Returns:
        `(question, notes)`; notes say what was changed.

    Raises:
        QuestionError: the question is not text or is empty.
    """
    if not isinstance(question, str):
        raise QuestionError(f"the question must be text, not {type(question).__name__}")
    notes = []
    kept = "".join(" " if unicodedata.category(ch) in ("Cc", "Cs", "Zl", "Zp") else ch for ch in question)
    text = " ".join(nfc(kept).split())
    if not text:
        raise QuestionError("the question is empty; type a question, e.g. “Ai là Chủ tịch UBND phường Tân Mỹ?”")
    if len(text) > max_chars:
        cut = text.rfind(" ", 0, max_chars)
        text = text[: cut if cut > max_chars // 2 else max_chars]
        notes.append(f"Câu hỏi quá dài nên chỉ dùng {len(text)} ký tự đầu.")
    return text, notes
