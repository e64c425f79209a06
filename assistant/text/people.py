"""People: the persons a sentence names with the roles it gives them in apposition, and every role
a document gives each person.

News names a person once with their roles ("đồng chí Nguyễn Thị Mỹ Hằng, Ủy viên Ban Thường vụ
Thành ủy, Trưởng Ban Nội chính Thành ủy TPHCM") and then by name alone, or by nobody at all
("Đồng chí cũng kỳ vọng …"); a question asks by role or by name. Reading (`answer.reading`) uses
this to count a role as said by a sentence that names its holder, and a person as said by the
sentences after the one that named them.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass
from functools import lru_cache

from .sentences import sentence_spans
from .spans import PERSON, ROLE, sentence_words, typed_spans

_APPOSITION = re.compile(r"\s*,?\s*")  # what stands between a name and its role


@dataclass(frozen=True)
class Person:
    """A person a text names: `name` (accent-free words joined by spaces), `written` (the name as
    the text writes it) and `words`, the words of the name and of the roles given with it as
    written (lower case, canonical tone marks)."""

    name: str
    written: str
    words: frozenset[str]


def _written(text: str) -> list[str]:
    return [w.written for w in sentence_words(text)]


@lru_cache(maxsize=8192)
def people(sentence: str) -> tuple[Person, ...]:
    """The persons `sentence` names, in order, each with the roles right before or after the name
    ("Bí thư Đảng ủy phường Tân Mỹ Trần Chí Dũng", "Phạm Anh Dũng, Chủ tịch UBND TP Biên Hòa")."""
    spans = [s for s in typed_spans(sentence) if s.kind in (PERSON, ROLE)]
    found = []
    for index, span in enumerate(spans):
        if span.kind != PERSON:
            continue
        name = " ".join(w.folded for w in sentence_words(sentence[span.start:span.end]))
        words = _written(sentence[span.start:span.end])
        end, after = span.end, index + 1
        while after < len(spans) and spans[after].kind == ROLE and \
                _APPOSITION.fullmatch(sentence[end:spans[after].start]):
            words += _written(sentence[spans[after].start:spans[after].end])
            end, after = spans[after].end, after + 1
        before = spans[index - 1] if index else None
        if before is not None and before.kind == ROLE and _APPOSITION.fullmatch(sentence[before.end:span.start]):
            words += _written(sentence[before.start:before.end])
        found.append(Person(name, sentence[span.start:span.end], frozenset(words)))
    return tuple(found)


@lru_cache(maxsize=256)
def _sentence_starts(text: str) -> tuple[tuple[int, ...], tuple[tuple[int, int], ...]]:
    spans = tuple(sentence_spans(text))
    return tuple(start for start, _end in spans), spans


@lru_cache(maxsize=8192)
def with_roles(text: str, person: Person) -> frozenset[str]:
    """The words of `person` with those of every role `text` gives them: read in the sentences of
    `text` that write their name ("Trưởng Ban Nội chính Thành ủy" for "Nguyễn Thị Mỹ Hằng")."""
    starts, spans = _sentence_starts(text)
    words = set(person.words)
    at = text.find(person.written)
    while at >= 0 and starts:
        start, end = spans[max(0, bisect_right(starts, at) - 1)]
        words.update(*(other.words for other in people(text[start:end]) if other.name == person.name))
        at = text.find(person.written, max(end, at + 1))
    return frozenset(words)
