"""Focus phrases: where a sentence says the noun a question's question word asks about ("kế hoạch
nào" → "Kế hoạch 249-KH/UBKTTW", "màu gì" → what follows "màu"), and the name or code that runs on
from a word."""

from __future__ import annotations

from typing import Sequence

from ..text.questions import QuestionForm
from ..text.spans import Span, Word
from .clauses import PREDICATE_STARTS, clause_after, is_one_of, readable, thing_end


def focus_phrases(words: Sequence[Word], sentence: str, form: QuestionForm) -> list[Span]:
    """"cơ chế gì" → the phrase that starts with "cơ chế" in the sentence."""
    focus = form.focus[-1]
    found = []
    for index, word in enumerate(words):
        if word.folded == focus:
            # From the focus phrase's first word ("kế hoạch" of "kế hoạch nào"), through the name or
            # code right after it ("Kế hoạch 249-KH/UBKTTW"), else the clause.
            first = index - 1 if len(form.focus) > 1 and index and words[index - 1].folded == form.focus[-2] else index
            named = named_run(words, sentence, index + 1)
            if named is not None:
                found.append(Span(words[first].start, words[named].end, "clause", "", first, named))
                continue
            clause = clause_after(words, sentence, readable(sentence), first - 1, 8) if first else None
            if clause is not None and clause.last_word > index:
                found.append(clause)
    return found


NAME_RUN_WORDS = 6


def named_run(words: Sequence[Word], sentence: str, first: int) -> int | None:
    """The last word of the name or code that starts at word `first` (capitalised words or words
    with digits, joined by spaces, "-" or "/"), None when none starts there."""
    last = None
    for index in range(first, min(len(words), first + NAME_RUN_WORDS)):
        word = words[index]
        gap = sentence[words[index - 1].end:word.start]
        if gap not in (" ", "-", "/", "") or not (word.text[:1].isupper() or any(c.isdigit() for c in word.text)):
            break
        last = index
    return last


def after_focus(words: Sequence[Word], sentence: str, form: QuestionForm) -> list[Span]:
    """"màu gì" → the words right after "màu" in the sentence, up to the clause's end."""
    asked = form.index_before(form.focus[-1])
    found = []
    for index, word in enumerate(words):
        if form.same_word(asked, word) and index + 1 < len(words) and words[index + 1].folded not in form.words \
                and not is_one_of(words[index + 1], PREDICATE_STARTS):
            clause = clause_after(words, sentence, readable(sentence), index, FOCUS_CLAUSE_WORDS,
                                   asked=frozenset(form.after))
            if clause is not None:
                found.append(thing_end(clause, words))
    return found


FOCUS_CLAUSE_WORDS = 6
