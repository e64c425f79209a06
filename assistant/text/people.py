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
from dataclasses import dataclass
from functools import lru_cache

from .sentences import sentence_spans
from .spans import PERSON, ROLE, sentence_words, typed_spans

_APPOSITION = re.compile(r"\s*,?\s*")  # what stands between a name and its role


@dataclass(frozen=True)
class Person:
    """A person a text names: `name` (accent-free words joined by spaces) and `words`, the words
    of the name and of the roles given with it as written (lower case, canonical tone marks)."""

    name: str
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
        found.append(Person(name, frozenset(words)))
    return tuple(found)


@lru_cache(maxsize=256)
def document_people(text: str) -> dict[str, frozenset[str]]:
    """Every person `text` names, with the words of their name and of every role it gives them."""
    profile: dict[str, frozenset[str]] = {}
    for start, end in sentence_spans(text):
        for person in people(text[start:end]):
            profile[person.name] = profile.get(person.name, frozenset()) | person.words
    return profile
