"""Typed spans: the people, organisations, places, names, numbers with their units, times, roles and
quotations a sentence holds, as exact character spans of it (model-free): `names` and
`quantities` read them, this module gathers them and joins lists ("KBC, MBC và SBS").

Read on the accent-free form (`normalize.fold_chars`, offsets unchanged) with the capitals of the
sentence as written.
"""

from __future__ import annotations

import re
from functools import lru_cache

from .names import LOWER_ORGANIZATION_HEADS, kind_of_run, kind_places, name_runs, roles
from .normalize import canonical_tones, fold_chars
from .quantities import codes, numbers, quotes, times
from .sentence_words import (  # noqa: F401 (the kinds and types callers take from here)
    CODE,
    NAME,
    NUMBER,
    ORGANIZATION,
    PERSON,
    PLACE,
    QUOTE,
    ROLE,
    SCORE,
    TIME,
    Span,
    Word,
    sentence_words,
)
from .words import PLACE_NAMES, SURNAMES

# Institutions written with one capital ("Chính phủ"), which no run of capitalised words finds whole.
_INSTITUTIONS = re.compile(r"(?<!\w)(?:Chính phủ|Quốc hội|Bộ Chính trị|Ban Bí thư)(?!\w)")


def _institutions(sentence: str, words: tuple[Word, ...], found: list[Span]) -> list[Span]:
    """`found` with the institutions `sentence` names as organisations, outside a role ("Thủ tướng
    Chính phủ"), in place of the name spans inside them ("Chính")."""
    for match in _INSTITUTIONS.finditer(canonical_tones(sentence)):
        start, end = match.span()
        if any(s.kind in (ROLE, ORGANIZATION) and s.start <= start and end <= s.end for s in found):
            continue
        first = next((i for i, w in enumerate(words) if w.start == start), None)
        last = next((i for i, w in enumerate(words) if w.end == end), None)
        if first is None or last is None:
            continue
        found = [s for s in found if not (start <= s.start and s.end <= end)]
        found.append(Span(start, end, ORGANIZATION, "", first, last))
    return found


@lru_cache(maxsize=8192)
def typed_spans(sentence: str) -> tuple[Span, ...]:
    """Every typed span of `sentence`, in order of their start."""
    words = sentence_words(sentence)
    folded = fold_chars(sentence)
    said_roles = roles(sentence, words)
    found: list[Span] = list(said_roles)
    for first, last in name_runs(sentence, words, said_roles):
        kind = kind_of_run(sentence, words, first, last)
        start = words[first].start
        if kind == ORGANIZATION and first and not words[first - 1].capitalised \
                and words[first - 1].folded in LOWER_ORGANIZATION_HEADS:
            start, first = words[first - 1].start, first - 1  # "đảng Nhân dân"
        if kind == PERSON:  # "Phú Thuận Châu Xuân Đại Thắng", "Hồng Kông Wong Hong Kit": a place, then a person
            cut = next((k for k in range(first + 1, last)
                        if (words[k].folded in SURNAMES or " ".join(w.folded for w in words[first:k]) in PLACE_NAMES)
                        and kind_of_run(sentence, words, first, k - 1) == PLACE), None)
            if cut is not None:
                found.append(Span(start, words[cut - 1].end, PLACE, "", first, cut - 1))
                start, first = words[cut].start, cut
        found.append(Span(start, words[last].end, kind, "", first, last))
    found += numbers(sentence, words, folded)
    found += times(sentence, words, folded)
    found += quotes(sentence, words)
    found += codes(sentence, words)
    found += kind_places(sentence, words)
    found = _institutions(sentence, words, found)
    identifiers = [span for span in found if span.kind == CODE]
    found = [span for span in found if span.kind == CODE or
             not any(code.start <= span.start and span.end <= code.end for code in identifiers)]
    return tuple(sorted(found, key=lambda span: (span.start, -span.end)))


def lists(sentence: str, spans: list[Span]) -> list[Span]:
    """Spans of one kind listed together ("KBC, MBC và SBS") merged into one span each."""
    merged = []
    spans = sorted(spans, key=lambda span: span.start)
    index = 0
    while index < len(spans):
        current = spans[index]
        probe = index + 1
        while probe < len(spans) and spans[probe].kind == current.kind \
                and re.fullmatch(r"\s*(?:,|và|hoặc|,\s*và)\s*", sentence[current.end if probe == index + 1 else
                                                                      spans[probe - 1].end:spans[probe].start]):
            probe += 1
        if probe - index > 1:
            last = spans[probe - 1]
            merged.append(Span(current.start, last.end, current.kind, current.unit, current.first_word,
                               last.last_word))
        index = probe
    return merged
