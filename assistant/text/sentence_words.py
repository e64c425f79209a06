"""The words of a sentence with their character offsets, accent-free and as written, and the typed
`Span` they make up; phrase matching on them."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from operator import attrgetter
from typing import Callable

from .normalize import canonical_tones, fold_chars

# The kinds of span (`Span.kind`).
PERSON, ORGANIZATION, PLACE, NAME = "person", "organization", "place", "name"


NUMBER, TIME, ROLE, QUOTE, CODE = "number", "time", "role", "quote", "code"
SCORE = "score"  # of a match: "3-0", which no calendar has


@dataclass(frozen=True)
class Span:
    """A typed span `sentence[start:end]`; `unit` names what a NUMBER counts or measures (its
    accent-free words), `first_word`/`last_word` are indexes of the sentence's words."""

    start: int
    end: int
    kind: str
    unit: str = ""
    first_word: int = 0
    last_word: int = 0


@dataclass(frozen=True)
class Word:
    start: int
    end: int
    text: str  # as written
    folded: str

    @property
    def capitalised(self) -> bool:
        return self.text[0].isupper() or (self.text[0].isdigit() and any(c.isupper() for c in self.text))

    @property
    def written(self) -> str:
        """Lower case with canonical tone marks: what was written, accents told apart."""
        return _written(self.text)

    @property
    def acronym(self) -> bool:
        letters = [c for c in self.text if c.isalpha()]
        return len(letters) >= 2 and all(c.isupper() for c in letters)


@lru_cache(maxsize=65536)
def _written(text: str) -> str:
    return canonical_tones(text.lower())


@lru_cache(maxsize=8192)
def sentence_words(sentence: str) -> tuple[Word, ...]:
    folded = fold_chars(sentence)
    return tuple(Word(m.start(), m.end(), sentence[m.start():m.end()], folded[m.start():m.end()])
                 for m in _WORD.finditer(sentence))


def joined(sentence: str, left: Word, right: Word, separators: tuple[str, ...] = (" ",)) -> bool:
    return sentence[left.end:right.start] in separators


def starts_with_written(words: tuple[Word, ...], index: int, phrases: tuple[tuple[str, ...], ...]) -> int:
    """`starts_with` on the words as written (lower case, canonical tones)."""
    return _longest_at(words, index, phrases, _AS_WRITTEN)


@lru_cache(maxsize=64)
def _by_first_word(phrases: tuple[tuple[str, ...], ...]) -> dict[str, tuple[tuple[str, ...], ...]]:
    table: dict[str, list[tuple[str, ...]]] = {}
    for phrase in phrases:
        table.setdefault(phrase[0], []).append(phrase)
    return {word: tuple(sorted(found, key=len, reverse=True)) for word, found in table.items()}


def starts_with(words: tuple[Word, ...], index: int, phrases: tuple[tuple[str, ...], ...]) -> int:
    """The length of the longest of `phrases` (word tuples) starting at `index`, or 0."""
    return _longest_at(words, index, phrases, _ACCENT_FREE)


_AS_WRITTEN, _ACCENT_FREE = attrgetter("written"), attrgetter("folded")


def _longest_at(words: tuple[Word, ...], index: int, phrases: tuple[tuple[str, ...], ...],
                key: Callable[[Word], str]) -> int:
    """The length of the longest of `phrases` starting at `index`, the words compared by `key`."""
    if index >= len(words):
        return 0
    for phrase in _by_first_word(phrases).get(key(words[index]), ()):
        if len(phrase) == 1 or tuple(key(w) for w in words[index:index + len(phrase)]) == phrase:
            return len(phrase)
    return 0


# Words that end a name written partly in lower case ("Ban Chỉ huy quân sự phường cũng ...").
# (As written: accent-free, "đa" of "đa chức năng" would be "đã".)
_BOUNDARY = frozenset(canonical_tones(word) for word in (
    "vẫn cũng đã đang sẽ không chưa đều được bị là của và với cho trên trong ngoài sau trước khi ngay cả "
    "thì mà nhưng nên để vì do bởi tại ở theo từ đến tới về như nói cần phải có làm này đó ấy kia các những "
    "một hai ba bốn năm hay hoặc rằng còn rồi ra vào lại đi tiếp thêm nhằm qua theo mỗi mọi từng "
    "so hơn lên xuống nữa anh chị ông bà em lần vừa mới luôn nhận giành đạt").split())


def is_boundary(word: Word) -> bool:
    return canonical_tones(word.text.lower()) in _BOUNDARY or word.folded[0].isdigit()

_WORD = re.compile(r"\w+")
