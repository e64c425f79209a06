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


# The longest word `_is_sentence_end` needs to see before a dot: the abbreviations, an initial.
_WORD_WINDOW = max(map(len, ABBREVIATIONS)) + 1
_LAST_WORD = re.compile(r"[\w.]+$")
_AFTER_TERMINATOR = frozenset(_TERMINATORS + _CLOSING_QUOTES + '")')


def sentence_spans(text: str) -> list[tuple[int, int]]:
    """Split `text` into sentences and return their `(start, end)` character spans.

    Does not split `12.000 m²`, `TP.HCM`, `249-KH/UBKTTW`, decimals, common abbreviations
    followed by a name (`TS. Lê`), or inside quotes “…”. Spans exclude surrounding whitespace,
    and a line break always ends a sentence. Linear in the length of `text`: each character is
    looked at a bounded number of times, however many terminators or spaces follow one another.

    Args:
        text: the original text (not normalised); offsets refer to it.

    Returns:
        Non-overlapping spans in order; `text[start:end]` is one sentence.
    """
    spans: list[tuple[int, int]] = []
    for line in re.finditer(r"[^\n]+", text):
        spans.extend(_LineSplitter(text, line.start(), line.end()).spans())
    return spans


class _LineSplitter:
    """The sentences of one line, `text[begin:end]`.

    Deciding whether a terminator ends a sentence looks at the run of terminators and closing
    quotes after it and at the spaces after that run; both are remembered, so the terminators of
    one run (`!!!…`, `?!`) share one scan instead of each scanning the rest of the run again.
    """

    def __init__(self, text: str, begin: int, end: int):
        self.text, self.begin, self.end = text, begin, end
        self._run = (-1, -1)  # (a position inside a run, the run's end) last found
        self._spaces = (-1, -1)  # (a run's end, the first non-space after it)

    def _run_end(self, start: int) -> int:
        """The first position from `start` that is not a terminator or a closing quote."""
        known_start, known_end = self._run
        if known_start <= start <= known_end:
            return known_end
        position = start
        while position < self.end and self.text[position] in _AFTER_TERMINATOR:
            position += 1
        self._run = (start, position)
        return position

    def _next_visible(self, start: int) -> int:
        """The first position from `start` that is not a space (`end` if none)."""
        if self._spaces[0] == start:
            return self._spaces[1]
        position = start
        while position < self.end and self.text[position].isspace():
            position += 1
        self._spaces = (start, position)
        return position

    def _is_sentence_end(self, index: int) -> bool:
        """Whether the terminator at `index` ends a sentence (the caller skips quoted text)."""
        text = self.text
        after = self._run_end(index + 1)
        if after < self.end and not text[after].isspace():
            return False  # 12.000, TP.HCM, 3.5, a.m.
        following = self._next_visible(after)
        if following == self.end:
            return True
        first = text[following]
        if not (first.isupper() or first.isdigit() or first in _OPENING_QUOTES + '"(-–'):
            return False  # "quy hoạch… ảnh hưởng": the sentence goes on
        if text[index] == ".":
            # Only the last few characters can make an abbreviation or an initial.
            window = max(0, index - _WORD_WINDOW)
            word = _LAST_WORD.search(text, window, index)
            if word and (word.start() > window or window == 0 or not _is_word_char(text[window - 1])):
                word = word.group()
                if word.lower() in ABBREVIATIONS:
                    return False
                if len(word) == 1 and word.isupper():
                    return False  # an initial: "Nguyễn V. An"
        return True

    def spans(self) -> list[tuple[int, int]]:
        text, begin, end = self.text, self.begin, self.end
        spans = []
        depth = 0  # nesting of curly quotes; straight quotes toggle
        straight_open = False
        start = begin
        index = begin
        while index < end:
            char = text[index]
            if char in _OPENING_QUOTES:
                depth += 1
            elif char in _CLOSING_QUOTES:
                depth = max(0, depth - 1)
                if depth == 0 and index > begin and text[index - 1] in _TERMINATORS:
                    if self._is_sentence_end(index):
                        spans.append((start, index + 1))
                        start = index + 1
            elif char == '"':
                straight_open = not straight_open
            elif char in _TERMINATORS and not straight_open and depth == 0:
                if self._is_sentence_end(index):
                    stop = index + 1
                    while stop < end and text[stop] in _TERMINATORS:
                        stop += 1
                    if stop < end and text[stop] in _CLOSING_QUOTES + '"':
                        index = stop  # the closing quote will end the sentence
                        continue
                    spans.append((start, stop))
                    start = stop
                    index = stop
                    continue
            index += 1
        spans.append((start, end))
        return [trim_span(text, s, e) for s, e in spans if not text[s:e].isspace() and s < e]


def _is_word_char(char: str) -> bool:
    """Whether `char` is one `[\\w.]` matches."""
    return char == "." or char == "_" or char.isalnum()


def trim_span(text: str, start: int, end: int) -> tuple[int, int]:
    """Shrink `(start, end)` so `text[start:end]` has no surrounding whitespace."""
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


def cut_at_words(text: str, start: int, end: int, max_chars: int) -> list[tuple[int, int]]:
    """Cut `text[start:end]` into spans of at most `max_chars` characters, each ending at a space
    (a word longer than `max_chars` is cut inside), without surrounding whitespace: for runs that
    no punctuation ends."""
    spans = []
    position = start
    while end - position > max_chars:
        stop = position + max_chars
        cut = max(text.rfind(" ", position + 1, stop + 1), text.rfind("\t", position + 1, stop + 1))
        if cut <= position:
            cut = stop  # one "word" longer than the bound
        span = trim_span(text, position, cut)
        if span[1] > span[0]:
            spans.append(span)
        position = cut
        while position < end and text[position].isspace():
            position += 1
    span = trim_span(text, position, end)
    if span[1] > span[0]:
        spans.append(span)
    return spans


def shorten(text: str, max_chars: int) -> str:
    """`text` if it fits in `max_chars`, else its first words that do, followed by "…"."""
    if len(text) <= max_chars:
        return text
    start, end = cut_at_words(text, 0, len(text), max_chars - 1)[0]
    return text[start:end] + "…"
