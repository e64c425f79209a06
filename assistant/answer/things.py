"""Things: what "nó" (it) points at in the earlier turns of a conversation, the thing a question or
an answer named ("Nokia 6") or the noun phrase a question opened with ("chiếc máy bay bị bỏ ở Nội Bài")."""

from __future__ import annotations

import re
from typing import Sequence

from ..text.normalize import fold
from ..text.questions import question_form
from ..text.spans import NAME as NAME_SPAN
from ..text.spans import ORGANIZATION as ORGANIZATION_SPAN
from ..text.spans import typed_spans
from .clauses import PREDICATE_STARTS
from .turns import Turn, statement


def named_thing(text: str) -> str | None:
    """The first thing `text` names that is neither a person nor a place ("Nokia 6", "Tập đoàn
    Alibaba"): what "nó" points at after a question about it; None when it names none."""
    for span in typed_spans(text):
        if span.kind in (NAME_SPAN, ORGANIZATION_SPAN):
            model = re.match(r" \d+\b", text[span.end:])  # "Nokia 6": the model number goes with the name
            return text[span.start:span.end + (model.end() if model else 0)]
    return brand(text)


def brand(text: str) -> str | None:
    """The brand a text opens on ("Ford định cắt giảm …"): a capital opening a sentence is no name,
    unless the word is no Vietnamese syllable; with its model number ("Nokia 6")."""
    first = re.match(r"\s*([A-Z][a-z]+)(?![^\W\d_])(?: \d+\b)?", text)
    return first.group().strip() if first and _foreign(first.group(1)) else None


_SYLLABLE = re.compile(r"(?:[bcdghklmnpqrstvx]|ch|gh|gi|kh|ng|ngh|nh|ph|qu|th|tr)?[aeiouy]+(?:c|ch|m|n|ng|nh|p|t)?")


def _foreign(word: str) -> bool:
    """Whether a word written without accents is no Vietnamese syllable ("Ford", "Nokia", "Vietlott")."""
    return not _SYLLABLE.fullmatch(word.lower())


# Nouns that open a noun phrase about one thing ("chiếc máy bay …", "con tàu …"), and the words that
# end it, where its predicate starts ("bị bỏ ở Nội Bài", "đã được bán").
_CLASSIFIERS = frozenset(fold(w) for w in "chiếc con cái bức ngôi tòa toà cây quả tấm bộ vụ trận cuộc "
                         "căn pho bài".split())
_PREDICATE_STARTS = frozenset(fold(w) for w in PREDICATE_STARTS | set("mới mang thuộc của ở tại do".split()))


def what_it_is(turns: Sequence[Turn]) -> str:
    """What "nó" points at after `turns` (the relevant ones, oldest first): the thing the latest
    that names one named ("Nokia 6", even with a question on another topic in between), or the noun
    phrase its question opened with ("chiếc máy bay bị bỏ ở Nội Bài" of "Chiếc máy bay bị bỏ ở Nội
    Bài mang quốc tịch nước nào?"); else what the last one established, without its question phrase."""
    for turn in reversed(turns):
        thing = named_thing(turn.standalone) or _opening_phrase(statement(turn), classified=True)
        if thing:
            return thing
    return _opening_phrase(statement(turns[-1])) if turns else ""


def _opening_phrase(said: str, classified: bool = False) -> str | None:
    """The noun phrase a question opens with, up to its predicate when it opens with a classifier
    ("chiếc máy bay bị bỏ ở Nội Bài"); the whole statement (without its question phrase) when not,
    or None when `classified` asks for a classifier's phrase only."""
    form = question_form(said)
    words = said.split()
    if not words:
        return said
    if form.kind is not None and len(words) == len(form.words) and form.ask[0] > 0:
        words = words[:form.ask[0]]
    if classified and fold(words[0]) not in _CLASSIFIERS:
        return None
    if fold(words[0]) in _CLASSIFIERS:  # up to its predicate, after the first name, which tells which one
        named = min((i for i in range(1, len(words)) if words[i][:1].isupper()), default=1)
        end = next((i for i in range(2, len(words)) if fold(words[i]) in _PREDICATE_STARTS and i > named),
                   len(words))
        words = words[:end]
    text = " ".join(words).rstrip(" ,")
    # In the middle of the question it is lower case, unless it opens with a name ("Nội Bài …").
    second_capital = len(words) > 1 and words[1][:1].isupper()
    return text if second_capital else text[:1].lower() + text[1:]
