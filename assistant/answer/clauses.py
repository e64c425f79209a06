"""Clauses: what fills a question word's slot when no span of a kind answers it ("Phường kiến nghị
gì?" → the clause after "kiến nghị"; "Vì sao …?" → the clause after "vì" or "để"), where it starts
(after the whole word the sentence writes, "xây dựng" for "xây") and where it ends (at the clause's
end, or before a preposition for a thing)."""

from __future__ import annotations

import math
import re
from functools import lru_cache
from typing import Sequence

from ..text.equivalents import kind_at, kind_ends
from ..text.normalize import canonical_tones, fold_chars, has_diacritics
from ..text.questions import MANNER, REASON, THING, QuestionForm
from ..text.reference import reference_idf
from ..text.sentence_words import joined
from ..text.spans import Span, Word
from ..text.words import fold_all

# Verbs of saying and asking: what follows them is a clause ("kiến nghị TPHCM hỗ trợ …").
SAYING_WORDS = frozenset(w for phrase in fold_all(
    "kiến_nghị đề_nghị đề_xuất yêu_cầu nói cho_biết khẳng_định nhấn_mạnh cam_kết mong muốn mong_muốn hứa "
    "thông_tin chia_sẻ phát_biểu tuyên_bố xin đòi kêu_gọi", joiner="_") for w in phrase.split()[-1:])


# Connectors, matched as written when the sentence has diacritics ("để" is no "đề", "thì" no "thi").
_CAUSES = (re.compile(r"(?<!\w)(?:vì|do|bởi|bởi vì|tại vì|nhờ|nên|khiến|là do|nguyên nhân là)(?!\w)"),
           re.compile(r"(?<!\w)(?:vi|do|boi|boi vi|tai vi|nho|nen|khien|la do|nguyen nhan la)(?!\w)"))
_PURPOSES = (re.compile(r"(?<!\w)(?:để|nhằm)(?!\w)"), re.compile(r"(?<!\w)(?:de|nham)(?!\w)"))


_CLAUSE_END = (
    re.compile(r"[;:!?…()\"“”]|[.,](?!\d)|(?<!\w)(?:nhưng|để|nhằm|vì|do|khi|nếu|thì|mà|nên|đồng thời|tuy nhiên)(?!\w)"),
    re.compile(r"[;:!?…()\"“”]|[.,](?!\d)|(?<!\w)(?:nhung|de|nham|vi|do|khi|neu|thi|ma|nen|dong thoi|tuy nhien)(?!\w)"))


@lru_cache(maxsize=8192)
def readable(sentence: str) -> tuple[str, int]:
    """The sentence in lower case as written (index 0 of the connector patterns) when it has
    diacritics and lower-casing keeps its offsets, else accent-free (index 1)."""
    lower = sentence.lower()
    if has_diacritics(sentence) and len(lower) == len(sentence):
        return lower, 0
    return fold_chars(sentence), 1


# A noun phrase ends before these ("cơ chế hợp đồng cộng tác viên từ nguồn …"), compared as written
# when the word has accents.
# What follows the noun asked about when the sentence goes on to say something of it ("máy bay bị mất
# tích"), not which one or what kind it is.
PREDICATE_STARTS = frozenset("bị được đã đang sẽ vừa là có không chưa cũng đều thì".split())
PREPOSITIONS = frozenset("từ cho với tại trong đến đối trên dưới ở để".split())
_DETERMINERS = frozenset(("cac", "nhung", "mot"))
_QUOTED_GAPS = (" ", " “", "” ", " \"", "\" ")


# Two syllables are one word when the pair stands in at least a third of the reference news documents
# that have the first ("xây dựng"; not "xây nhà", "đề xuất" typed without accents).
COMPOUND_IDF_GAP = math.log(3)


@lru_cache(maxsize=8192)
def _one_word(left: str, right: str) -> bool:
    return reference_idf(f"~{left}_{right}") - reference_idf(f"~{left}") < COMPOUND_IDF_GAP


@lru_cache(maxsize=64)
def _folded(words: frozenset[str]) -> frozenset[str]:
    return frozenset(fold_all(" ".join(words)))


def is_one_of(word: Word, written: frozenset[str]) -> bool:
    """Whether `word` is one of the `written` words: as written when it has accents ("tài" is no
    "tại"), accent-free when it has none."""
    return word.written in written or (word.written == word.folded and word.folded in _folded(written))


def before_preposition(span: Span, words: Sequence[Word]) -> Span:
    """`span` cut before its first preposition after its first word ("b3 từ mức caa1" → "b3"), or after
    its second when it opens with one ("đối với các phường …" is not cut to "đối")."""
    opens = is_one_of(words[span.first_word], PREPOSITIONS)
    for index in range(span.first_word + 1 + opens, span.last_word + 1):
        if is_one_of(words[index], PREPOSITIONS):
            return Span(span.start, words[index - 1].end, span.kind, span.unit, span.first_word, index - 1)
    return span


_CONJUNCTIONS = frozenset(("và", "nhưng", "còn", "rồi", "song"))


def thing_end(span: Span, words: Sequence[Word]) -> Span:
    """A thing named by a clause ends before a preposition (`before_preposition`) and before a
    conjunction that opens another clause ("quy hoạch và phường đã làm việc …" → "quy hoạch")."""
    for index in range(span.first_word + 1, span.last_word + 1):
        if is_one_of(words[index], _CONJUNCTIONS) and any(is_one_of(w, PREDICATE_STARTS)
                                                         for w in words[index + 1:index + 4]):
            span = Span(span.start, words[index - 1].end, span.kind, span.unit, span.first_word, index - 1)
            break
    return before_preposition(span, words)


CLAUSE_WORDS, REPORTED_WORDS, REPORTED_MIN_WORDS = 20, 40, 12


def clause_after(words: Sequence[Word], sentence: str, lowered: tuple[str, int], position: int,
                 limit: int = CLAUSE_WORDS, asked: frozenset[str] = frozenset(),
                 reported: bool = False) -> Span | None:
    """The words after word `position` up to the end of the clause (at most `limit` words), the
    question's own words (`asked`) that run on right after it left out ("thiết bị": not "bị");
    `lowered`: the sentence as `readable` gives it."""
    first = position + 1
    # "kỳ vọng các mô hình “liên phường” sớm được triển khai" for "kỳ vọng gì về mô hình liên phường"
    while first < len(words) and joined(sentence, words[first - 1], words[first], _QUOTED_GAPS) and \
            (words[first].folded in asked or (words[first].folded in _DETERMINERS and first + 1 < len(words)
                                              and words[first + 1].folded in asked)):
        first += 1
    if first < len(words) and joined(sentence, words[first - 1], words[first]) and \
            _one_word(words[first - 1].folded, words[first].folded):
        first += 1  # "xây gì" → "xây dựng Trung tâm …": the answer starts after the whole word
    if reported and first + 1 < len(words) and words[first].folded in _SAID_ADVERBS:
        first += 1  # "cho biết thêm, phường …": what was said starts after "thêm"
    position = first - 1
    if first >= len(words):
        return None
    text, form = lowered
    # Reported speech runs past the commas of its lists: to the first clause end after a dozen words,
    # and on through a list of abbreviations ("của Đảng ủy, HĐND, UBND, MTTQ đều …").
    begin = words[min(len(words) - 1, first + REPORTED_MIN_WORDS)].start if reported else \
        words[position].end + (1 if text[words[position].end:words[position].end + 1] in ",:" else 0)
    stop = _CLAUSE_END[form].search(text, begin)
    while reported and stop and text[stop.start()] == "," and _abbreviation_after(words, stop.end()):
        stop = _CLAUSE_END[form].search(text, stop.end())
    end_offset = stop.start() if stop and stop.start() > words[first].start else len(sentence)
    inside = [i for i in range(first, min(len(words), first + limit)) if words[i].end <= end_offset]
    if not inside:
        return None
    return Span(words[inside[0]].start, words[inside[-1]].end, "clause", "", inside[0], inside[-1])


_SAID_ADVERBS = frozenset(("them", "rang"))


def _abbreviation_after(words: Sequence[Word], offset: int) -> bool:
    """Whether the first word after `offset` is an abbreviation in capitals ("HĐND")."""
    following = next((w for w in words if w.start >= offset), None)
    return following is not None and len(following.text) > 1 and following.text.isupper()


def slot_clauses(form: QuestionForm, words: Sequence[Word], sentence: str, matched: list[int]) -> list[Span]:
    """What fills the question word's slot: the clause after the question's words that come right
    before it ("Phường kiến nghị gì?" → what follows "kiến nghị"), or after a reason's connector."""
    lowered = readable(sentence)
    found = []
    if form.kind == REASON:
        # "để làm gì", "nhằm mục đích gì" ask a purpose; "vì sao", "tại sao" a cause or a purpose
        # ("Vì sao phường muốn …?" "… để chủ động …").
        purpose = form.words[form.ask[0]:form.ask[0] + 1] in (("de",), ("nham",)) or "muc dich" in " ".join(form.words)
        connectors = [_PURPOSES] if purpose else [_CAUSES, _PURPOSES]
        for match in (m for pattern in connectors for m in pattern[lowered[1]].finditer(lowered[0])):
            index = next((i for i, w in enumerate(words) if w.start == match.start()), None)
            if index is not None:
                last = index + len(match.group().split()) - 1
                clause = clause_after(words, sentence, lowered, last)
                if clause is not None:
                    found.append(clause)
        return found
    if form.kind == MANNER and matched:
        # "Phường đề xuất giải quyết thế nào?": what was proposed; else what follows the question's words.
        proposed = _said_verbs(form, words)
        clause = clause_after(words, sentence, lowered, proposed[0], REPORTED_WORDS, reported=True) if proposed \
            else clause_after(words, sentence, lowered, max(matched), asked=frozenset(form.words))
        return [clause] if clause is not None else []
    # The question's last words before its question word, the nearest one the sentence has. A word
    # followed by more of the question's words counts only where the sentence goes on as the
    # question does ("nội dung gì": not the "Nội" of "Ban Nội chính"), unless what follows is the
    # noun the question word asks about, which the answer replaces ("đề xuất giải pháp gì").
    for anchor in reversed(form.before[-3:]):
        at = form.index_before(anchor)
        following = form.words[at + 1] if at + 1 < form.ask[0] else None
        goes_on = following in form.before and (following not in form.focus or anchor in form.focus)
        positions = [i for i, w in enumerate(words) if form.same_word(at, w)
                     and (not goes_on or (i + 1 < len(words) and form.same_word(at + 1, words[i + 1])))]
        # What was said, proposed or asked for runs to the end of the sentence, lists and all.
        reported = anchor in SAYING_WORDS
        # Only the question's own words that come after the anchor run on ("thiết bị": not "bị"), and
        # what it asks about after its question word ("kỳ vọng gì về mô hình liên phường").
        asked = frozenset(form.words[at + 1:form.ask[0]]) | frozenset(form.after)
        for index in positions:
            if anchor in form.focus and index + 1 < len(words) and (
                    is_one_of(words[index + 1], PREDICATE_STARTS)
                    or any(form.same_word(k, words[index + 1]) for k in range(len(form.words)))):
                continue  # "máy bay bị mất tích", "máy bay MH370": said of the plane asked about, not what it is
            clause = clause_after(words, sentence, lowered, index, REPORTED_WORDS if reported else CLAUSE_WORDS,
                                   asked=asked, reported=reported)
            if clause is not None:
                clause = _after_own_preposition(clause, words, form)
                # What is built, bought, done ("xây gì"): a thing, which ends before a preposition.
                found.append(clause if reported or form.kind != THING else thing_end(clause, words))
        if positions:
            break
        # "Ông X nói gì?" of "X cho biết, …": what follows a verb of the same kind.
        kind = kind_at(form.words, form.written or form.words, at)
        if kind is not None:
            reported = kind in _REPORTING_KINDS  # "giỏi về lĩnh vực nào" of "am hiểu sâu về …": a thing
            for index in kind_ends(kind, words):
                clause = clause_after(words, sentence, lowered, index, REPORTED_WORDS if reported else CLAUSE_WORDS,
                                      reported=reported)
                if clause is not None:
                    clause = clause if reported else _after_own_preposition(clause, words, form)
                    found.append(clause if reported or form.kind != THING else thing_end(clause, words))
            if found:
                break
    return found


def _said_verbs(form: QuestionForm, words: Sequence[Word]) -> list[int]:
    """Where a sentence says the question's verb of saying or proposing, or a verb of its kind
    ("kiến nghị" for "đề xuất"; compared as written, so "cơ cấu" is no "yêu cầu")."""
    kinds = {kind_at(form.words, form.written or form.words, at) for at in range(len(form.words))}
    return sorted({i for kind in kinds & _REPORTING_KINDS for i in kind_ends(kind, words)})


# The kinds of verb (`text.equivalents.KINDS`) that report what was said, asked for, advised or promised.
_REPORTING_KINDS = frozenset(kind_at((verb,), (written,), 0) for verb, written in (
    ("noi", "nói"), ("muon", "muốn"), ("khuyen", "khuyên"), ("hua", "hứa")))
_OWN_PREPOSITIONS = frozenset(canonical_tones(p) for p in PREPOSITIONS | {"về"})
_OWN_PREPOSITIONS_FOLDED = frozenset(fold_chars(p) for p in _OWN_PREPOSITIONS)


def _after_own_preposition(span: Span, words: Sequence[Word], form: QuestionForm) -> Span:
    """"am hiểu về lĩnh vực nào": the answer follows the question's own preposition where the clause
    says it in its first words ("sâu về đầu tư công" → "đầu tư công")."""
    words_asked, prepositions = (form.written, _OWN_PREPOSITIONS) if form.written else \
        (form.words, _OWN_PREPOSITIONS_FOLDED)
    own = next((i for i in range(form.ask[0] - 1, max(-1, form.ask[0] - 4), -1) if words_asked[i] in prepositions),
               None)
    if own is None:
        return span
    for index in range(span.first_word, min(span.first_word + 3, span.last_word)):
        if form.same_word(own, words[index]):
            return Span(words[index + 1].start, span.end, span.kind, span.unit, index + 1, span.last_word)
    return span


def slot_anchor(form: QuestionForm) -> int | None:
    """The position of the question's word right before its question word (the focus noun aside):
    in the sentence, the answer usually follows it ("xây công trình gì" → what follows "xây")."""
    # "kiến nghị xây gì": no noun before "gì", but a verb after a verb of saying; the answer follows it.
    focus = set(form.focus) if not set(form.focus) & SAYING_WORDS else set()
    for word in reversed(form.before):
        if word not in focus:
            return form.index_before(word)
    return None


def anchor_positions(form: QuestionForm, words: Sequence[Word]) -> list[int]:
    """Where a sentence's `words` say the question's slot anchor (`slot_anchor`): the word itself,
    or the end of a phrase of its kind ("lợi nhuận" for "lãi bao nhiêu")."""
    anchor = slot_anchor(form)
    if anchor is None:
        return []
    kind = kind_at(form.words, form.written or form.words, anchor)
    said_otherwise = set(kind_ends(kind, words)) if kind is not None else set()
    return [i for i, w in enumerate(words) if form.same_word(anchor, w) or i in said_otherwise]
