"""Sentences: split text into sentences with exact character spans (numbers, abbreviations and
quotations kept whole)."""

from __future__ import annotations

import re

# Abbreviations that end with a dot but do not end a sentence.
ABBREVIATIONS = {
    "tp", "q", "p", "tt", "ts", "ths", "pgs", "gs", "bs", "ks", "ls", "th", "mr", "mrs", "ms",
    "dr", "st", "no", "vs", "etc", "v.v", "tr", "vd", "đ", "ông", "bà",
}
_TERMINATORS = ".!?…"
_OPENING_QUOTES = "“‘«"
_CLOSING_QUOTES = "”’»"


def _is_sentence_end(text: str, index: int, depth: int) -> bool:
    """Whether the terminator at `index` ends a sentence (the caller skips quoted text)."""
    if depth > 0:
        return False
    after = index + 1
    while after < len(text) and text[after] in _TERMINATORS + _CLOSING_QUOTES + '")':
        after += 1
    if after < len(text) and not text[after].isspace():
        return False  # 12.000, TP.HCM, 3.5, a.m.
    following = text[after:].lstrip()
    if not following:
        return True
    first = following[0]
    if not (first.isupper() or first.isdigit() or first in _OPENING_QUOTES + '"(-–'):
        return False  # "quy hoạch… ảnh hưởng": the sentence goes on
    if text[index] == ".":
        word = re.search(r"([\w.]+)$", text[:index])
        if word and word.group(1).lower() in ABBREVIATIONS:
            return False
        if word and len(word.group(1)) == 1 and word.group(1).isupper():
            return False  # an initial: "Nguyễn V. An"
    return True


def sentence_spans(text: str) -> list[tuple[int, int]]:
    """Split `text` into sentences and return their `(start, end)` character spans.

    Does not split `12.000 m²`, `TP.HCM`, `249-KH/UBKTTW`, decimals, common abbreviations
    followed by a name (`TS. Lê`), or inside quotes “…”. Spans exclude surrounding whitespace,
    and a line break always ends a sentence.

    Args:
        text: the original text (not normalised); offsets refer to it.

    Returns:
        Non-overlapping spans in order; `text[start:end]` is one sentence.
    """
    spans: list[tuple[int, int]] = []
    for line in re.finditer(r"[^\n]+", text):
        spans.extend(_line_sentence_spans(text, line.start(), line.end()))
    return spans


def _line_sentence_spans(text: str, begin: int, end: int) -> list[tuple[int, int]]:
    spans = []
    depth = 0  # nesting of curly quotes; straight quotes toggle
    straight_open = False
    start = begin
    index = begin
    line = text[:end]
    while index < end:
        char = text[index]
        if char in _OPENING_QUOTES:
            depth += 1
        elif char in _CLOSING_QUOTES:
            depth = max(0, depth - 1)
            if depth == 0 and index > begin and text[index - 1] in _TERMINATORS:
                if _is_sentence_end(line, index, 0):
                    spans.append((start, index + 1))
                    start = index + 1
        elif char == '"':
            straight_open = not straight_open
        elif char in _TERMINATORS and not straight_open:
            if _is_sentence_end(line, index, depth):
                stop = index + 1
                while stop < end and text[stop] in _TERMINATORS:
                    stop += 1
                if stop < end and text[stop] in _CLOSING_QUOTES + '"':
                    index += 1
                    continue  # the closing quote will end the sentence
                spans.append((start, stop))
                start = stop
                index = stop
                continue
        index += 1
    spans.append((start, end))
    return [trim_span(text, s, e) for s, e in spans if text[s:e].strip()]


def trim_span(text: str, start: int, end: int) -> tuple[int, int]:
    """Shrink `(start, end)` so `text[start:end]` has no surrounding whitespace."""
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end
