"""Candidates: the spans of a sentence that may answer a question, by the kind of thing it asks for
(a person, an organisation, a place, an amount with its unit, a time, a name, a role), or the
clause that fills its question word's slot ("Phường kiến nghị gì?": what follows "kiến nghị"),
each with a priority (a span of the kind asked before a mere clause)."""

from __future__ import annotations

import math
import re
from functools import lru_cache
from typing import Sequence

from ..text.equivalents import kind_at, kind_ends
from ..text.normalize import fold_chars, has_diacritics
from ..text.questions import (
    MANNER,
    NAME,
    NUMBER,
    ORGANIZATION,
    PERSON,
    PLACE,
    PLACE_KINDS,
    REASON,
    ROLE,
    STOP,
    THING,
    TIME,
    QuestionForm,
)
from ..text.reference import reference_idf
from ..text.sentence_words import joined
from ..text.spans import CODE, QUOTE, Span, Word, lists, sentence_words, typed_spans
from ..text.spans import NAME as NAME_SPAN
from ..text.spans import ORGANIZATION as ORGANIZATION_SPAN
from ..text.spans import PERSON as PERSON_SPAN
from ..text.spans import PLACE as PLACE_SPAN
from ..text.spans import TIME as TIME_SPAN
from ..text.units import find_phrase
from ..text.words import fold_all
from .relations import (
    MAGNITUDES,
    deputies,
    inside_question,
    names_question_person,
    role_answer,
    role_holders,
    time_fits,
    unit_fits,
)

# How much a candidate span is preferred to another as near the question's words: a span of the
# kind asked over a clause, one of the form asked ("ngày nào": a date) over another, a list
# when the question asks for several.
TYPED, FITS, PLURAL, SLOT = 0.2, 0.1, 0.1, 0.15


# Verbs of saying and asking: what follows them is a clause ("kiến nghị TPHCM hỗ trợ …").
_SAYING_WORDS = frozenset(w for phrase in fold_all(
    "kiến_nghị đề_nghị đề_xuất yêu_cầu nói cho_biết khẳng_định nhấn_mạnh cam_kết mong muốn mong_muốn hứa "
    "thông_tin chia_sẻ phát_biểu tuyên_bố xin đòi kêu_gọi", joiner="_") for w in phrase.split()[-1:])


_NAMED = {QUOTE, CODE, NAME_SPAN, ORGANIZATION_SPAN}


# Connectors, matched as written when the sentence has diacritics ("để" is no "đề", "thì" no "thi").
_CAUSES = (re.compile(r"(?<!\w)(?:vì|do|bởi|bởi vì|tại vì|nhờ|nên|khiến|là do|nguyên nhân là)(?!\w)"),
           re.compile(r"(?<!\w)(?:vi|do|boi|boi vi|tai vi|nho|nen|khien|la do|nguyen nhan la)(?!\w)"))
_PURPOSES = (re.compile(r"(?<!\w)(?:để|nhằm)(?!\w)"), re.compile(r"(?<!\w)(?:de|nham)(?!\w)"))


_CLAUSE_END = (
    re.compile(r"[;:!?…()\"“”]|[.,](?!\d)|(?<!\w)(?:nhưng|để|nhằm|vì|do|khi|nếu|thì|mà|nên|đồng thời|tuy nhiên)(?!\w)"),
    re.compile(r"[;:!?…()\"“”]|[.,](?!\d)|(?<!\w)(?:nhung|de|nham|vi|do|khi|neu|thi|ma|nen|dong thoi|tuy nhien)(?!\w)"))


@lru_cache(maxsize=8192)
def _readable(sentence: str) -> tuple[str, int]:
    """The sentence in lower case as written (index 0 of the connector patterns) when it has
    diacritics and lower-casing keeps its offsets, else accent-free (index 1)."""
    lower = sentence.lower()
    if has_diacritics(sentence) and len(lower) == len(sentence):
        return lower, 0
    return fold_chars(sentence), 1


def candidates(form: QuestionForm, sentence: str, matched: list[int]) -> tuple[list[tuple[Span, float]], list[str]]:
    """Spans of the kind `form` asks for in `sentence` that name something new, each with a
    priority (a typed span of the kind asked before a mere clause); and why others were refused."""
    words = sentence_words(sentence)
    spans = list(typed_spans(sentence))
    listed = lists(sentence, spans)
    spans += listed
    kind = form.kind
    refused: list[str] = []
    if kind == ROLE:
        roles = [(span, TYPED) for span in role_answer(spans, words, sentence, form)]
        if roles or any(s.kind == PERSON_SPAN and inside_question(s, words, form) for s in spans):
            return roles, refused
        # "Chàng trai mơ ước làm nghề gì?": no person named, the clause after the question's words
        return [(span, 0.0) for span in _slot_clauses(form, words, sentence, matched)], refused
    wanted = {PERSON: {PERSON_SPAN}, ORGANIZATION: {ORGANIZATION_SPAN}, PLACE: {PLACE_SPAN}, NUMBER: {"number"},
              TIME: {TIME_SPAN}, NAME: _NAMED, THING: _NAMED}.get(kind, set())
    # "Ông Thắng tên đầy đủ là gì?": the question's own person, named in full, is the answer.
    full_name = kind == PERSON and ("day du" in " ".join(form.words) or "ho ten" in " ".join(form.words))
    found = [(s, TYPED + (PLURAL if form.plural and s in listed else 0.0)) for s in spans
             if s.kind in wanted and (full_name or not inside_question(s, words, form))]
    if kind == PERSON and not full_name:  # "ông Moon" asked about: "Moon Jae-in" is the question's own person
        found = [(s, p) for s, p in found if not names_question_person(s, words, form)]
        # "Tiền làm đường đèn do ai chi?": an organisation may be who, not in "Ai là người …?"
        if form.role is None and "nguoi" not in form.words:
            found += [(s, 0.0) for s in spans if s.kind == ORGANIZATION_SPAN and not inside_question(s, words, form)]
        if form.ask == (0, 1) and form.role is None:  # "Ai nêu kiến nghị …?": who does it, not whom it is asked of
            found = [(s, p) for s, p in found if not _object_of(s, words, form)]
    if kind == NUMBER:  # read as the question asks: "từ 10 đến 15 tấn", "21 nền kinh tế", "số 5"
        found = [(_as_asked(s, words, form) if s.kind == "number" else s, p) for s, p in found]
    if kind == NUMBER:  # "Honda Future 125": a number inside a name counts nothing
        names = [s for s in spans if s.kind in (NAME_SPAN, ORGANIZATION_SPAN, PERSON_SPAN, CODE)]
        found = [(s, p) for s, p in found if not any(n.start <= s.start and s.end <= n.end for n in names)]
    if kind == ORGANIZATION:  # a capitalised name that is no person may be the organisation asked, unless
        # it names what the question does ("Nokia 3" when asked who launched "các mẫu Nokia mới")
        found += [(s, TYPED / 2) for s in spans if s.kind == NAME_SPAN and not inside_question(s, words, form)
                  and not any(w.capitalised and w.folded in form.content for w in words[s.first_word:s.last_word + 1])]
    if kind == NUMBER and "ty so" in " ".join(form.words):  # "tỷ số bao nhiêu": a score such as 3-0
        found += [(s, TYPED) for s in spans if s.kind == TIME_SPAN
                  and re.fullmatch(r"\d{1,2}-\d{1,2}", sentence[s.start:s.end])]
    if kind == NUMBER and not form.counted and form.unit is None:  # "kế hoạch số mấy": an identifier with digits
        found += [(s, TYPED / 2) for s in spans if s.kind == CODE and any(c.isdigit() for c in sentence[s.start:s.end])
                  and not inside_question(s, words, form)]
    if kind == PLACE:
        found = [(_with_kind_word(s, words), priority) for s, priority in found]
        # What follows "tại"/"ở", or the question's own preposition: "lấy từ đâu" → "nguồn kinh phí …",
        # "chuyển vào đâu" → "tài khoản …"; up to the next preposition.
        own = next((i for i in (form.ask[0], form.ask[0] - 1) if 0 <= i < len(form.words)
                    and form.words[i] in _PLACE_PREPOSITIONS), None)
        after_place_words = (_clause_after(words, sentence, _readable(sentence), i, 10) for i, w in enumerate(words)
                             if i not in matched
                             and (_is_one_of(w, _AT) or (own is not None and form.same_word(own, w)))
                             and not (i + 1 < len(words) and _is_one_of(words[i + 1], _DEMONSTRATIVES)))
        found += [(_before_preposition(c, words), -TYPED / 2) for c in after_place_words if c is not None]
    if kind in (PLACE, ORGANIZATION) and form.focus:  # "cảng nào": a port first; "ngân hàng nào": a bank
        found = [(s, p + FITS * (find_phrase(tuple(w.folded for w in words[s.first_word:s.last_word + 1]),
                                             form.focus) >= 0)) for s, p in found]
    if kind == NUMBER:
        fitting = [(s, priority) for s, priority in found
                   if s.kind == CODE or unit_fits(s, form, sentence[s.start:s.end])]
        if found and not fitting:
            refused.append("unit")
        found = fitting
    if kind == TIME and form.unit:
        found = [(s, priority + (FITS if time_fits(sentence[s.start:s.end], form.unit) else 0.0))
                 for s, priority in found]
        if form.unit in ("year", "clock", "minute"):  # "mấy giờ": a date is no answer
            fitting = [(s, p) for s, p in found if time_fits(sentence[s.start:s.end], form.unit)]
            if found and not fitting:
                refused.append("unit")
            found = fitting
    if kind == PERSON and form.role is not None:
        kept, why = role_holders([s for s, _p in found], spans, words, sentence, form.role)
        found = [(s, p) for s, p in found if s in kept]
        refused += why
    if kind == PERSON and "dung dau" in " ".join(form.words):  # "người đứng đầu …" is no "Phó …"
        deputy = deputies([s for s, _p in found], spans, words, sentence)
        if deputy:
            found = [(s, p) for s, p in found if s not in deputy]
            refused.append("role")
    if kind == NAME and form.focus:
        found += [(s, 0.0) for s in _focus_phrases(words, sentence, form)]
    if kind == THING and form.focus:  # "bản màu gì": what follows "màu" ("đen mờ"), before a quote elsewhere
        found += [(s, TYPED + FITS + SLOT) for s in _after_focus(words, sentence, form)]
    if kind in (THING, MANNER, REASON):
        clauses = _slot_clauses(form, words, sentence, matched)
        if kind == THING and set(form.before[-2:]) & _SAYING_WORDS:
            # "Phường kiến nghị gì?": what was proposed is the clause, not a name inside it ("TPHCM")
            found = [(s, 0.0) for s, _p in found] + [(c, TYPED + FITS) for c in clauses]
        else:
            found += [(c, 0.0) for c in clauses]
    return found, refused


_PLACE_PREPOSITIONS = frozenset("tu ve den vao ra len toi sang".split())


def _object_of(span: Span, words: Sequence[Word], form: QuestionForm) -> bool:
    """Whether `span` comes right after (within two words) one of the first words of what the
    question's "Ai …" says of its subject ("Ai nêu kiến nghị …?" and "Phường kiến nghị TPHCM …":
    "TPHCM" is asked, not the one asking)."""
    verbs = [i for i in range(1, min(len(form.words), 4)) if form.words[i] != "la"]
    return any(form.same_word(v, words[i]) for v in verbs for i in range(max(0, span.first_word - 2),
                                                                         span.first_word))


def _as_asked(span: Span, words: Sequence[Word], form: QuestionForm) -> Span:
    """An amount with the words the question asks it with: the start of its range ("từ 10 đến 15
    tấn", not "đến 15 tấn"), its unit as long as the question's ("21 nền kinh tế", "5 người" of "5
    người tử vong" for "bao nhiêu người chết"), and "số"/"thứ" when asked "số mấy"/"thứ mấy"."""
    start, end, first, last = span.start, span.end, span.first_word, span.last_word
    if first >= 2 and words[first - 1].folded in ("den", "toi") and words[first - 2].text[:1].isdigit():
        first -= 3 if first >= 3 and words[first - 3].folded == "tu" else 2
        start = words[first].start
    asked = form.words[form.ask[1]:]
    digits = [i for i in range(first, last + 1) if any(c.isdigit() for c in words[i].text)]
    unit = digits[-1] + 1 if digits else last + 1
    while unit <= last and words[unit].folded in MAGNITUDES:
        unit += 1
    same = 0
    if unit <= last and asked and words[unit].folded == asked[0]:  # the unit it has is the one asked
        # Up to a function word: "10.000.000 doanh nghiệp", not "… doanh nghiệp có lợi nhuận".
        while unit + same < len(words) and same < len(asked) and words[unit + same].folded == asked[same] \
                and not (same and asked[same] in STOP):
            same += 1
        if same:
            last = unit + same - 1
            end = words[last].end
    keys, ordinals = (form.written, ("số", "thứ", "hạng")) if form.written else (form.words, ("so", "thu", "hang"))
    ordinal = next((i for i in (form.ask[0] - 1, form.ask[0]) if 0 <= i < len(keys) and keys[i] in ordinals),
                   None)  # "số", "thứ", "hạng", as written when it can tell: not "sở"
    if ordinal is not None and digits and not same:  # a rank counts nothing: "số 7", not "số 7 thế giới"
        last, end = digits[-1], words[digits[-1]].end
    # The sentence may rank with the other word ("thứ mấy" → "số 5").
    if ordinal is not None and first and _is_one_of(words[first - 1], _ORDINALS) and words[first - 1].end <= start:
        first -= 1
        start = words[first].start
    return Span(start, end, span.kind, span.unit, first, last)


def _with_kind_word(span: Span, words: Sequence[Word]) -> Span:
    """"phường Tân Mỹ", "ga Suối Tiên": a place with the kind word before it."""
    before = span.first_word - 1
    if before >= 0 and not words[before].capitalised and (words[before].folded in PLACE_KINDS or
                                                         words[before].folded in ("ga", "vinh", "song", "cang", "cho")):
        return Span(words[before].start, span.end, span.kind, span.unit, before, span.last_word)
    return span


def _focus_phrases(words: Sequence[Word], sentence: str, form: QuestionForm) -> list[Span]:
    """"cơ chế gì" → the phrase that starts with "cơ chế" in the sentence."""
    focus = form.focus[-1]
    found = []
    for index, word in enumerate(words):
        if word.folded == focus:
            # From the focus phrase's first word ("kế hoạch" of "kế hoạch nào"), through the name or
            # code right after it ("Kế hoạch 249-KH/UBKTTW"), else the clause.
            first = index - 1 if len(form.focus) > 1 and index and words[index - 1].folded == form.focus[-2] else index
            named = _named_run(words, sentence, index + 1)
            if named is not None:
                found.append(Span(words[first].start, words[named].end, "clause", "", first, named))
                continue
            clause = _clause_after(words, sentence, _readable(sentence), first - 1, 8) if first else None
            if clause is not None and clause.last_word > index:
                found.append(clause)
    return found


NAME_RUN_WORDS = 6


def _named_run(words: Sequence[Word], sentence: str, first: int) -> int | None:
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


def _after_focus(words: Sequence[Word], sentence: str, form: QuestionForm) -> list[Span]:
    """"màu gì" → the words right after "màu" in the sentence, up to the clause's end."""
    asked = form.index_before(form.focus[-1])
    found = []
    for index, word in enumerate(words):
        if form.same_word(asked, word) and index + 1 < len(words) and words[index + 1].folded not in form.words:
            clause = _clause_after(words, sentence, _readable(sentence), index, FOCUS_CLAUSE_WORDS,
                                   asked=frozenset(form.after))
            if clause is not None:
                found.append(_before_preposition(clause, words))
    return found


FOCUS_CLAUSE_WORDS = 6
# A noun phrase ends before these ("cơ chế hợp đồng cộng tác viên từ nguồn …"), compared as written
# when the word has accents.
_PREPOSITIONS = frozenset("từ cho với tại trong đến đối trên dưới ở để".split())
_AT = frozenset(("tại", "ở"))
_DETERMINERS = frozenset(("cac", "nhung", "mot"))
_QUOTED_GAPS = (" ", " “", "” ", " \"", "\" ")
_ORDINALS = frozenset(("số", "thứ"))
_DEMONSTRATIVES = frozenset(("đây", "đó", "đấy", "kia", "này", "ấy"))  # "ở đây" names no place


# Two syllables are one word when the pair stands in at least a third of the reference news documents
# that have the first ("xây dựng"; not "xây nhà", "đề xuất" typed without accents).
COMPOUND_IDF_GAP = math.log(3)


@lru_cache(maxsize=8192)
def _one_word(left: str, right: str) -> bool:
    return reference_idf(f"~{left}_{right}") - reference_idf(f"~{left}") < COMPOUND_IDF_GAP


@lru_cache(maxsize=64)
def _folded(words: frozenset[str]) -> frozenset[str]:
    return frozenset(fold_all(" ".join(words)))


def _is_one_of(word: Word, written: frozenset[str]) -> bool:
    """Whether `word` is one of the `written` words: as written when it has accents ("tài" is no
    "tại"), accent-free when it has none."""
    return word.written in written or (word.written == word.folded and word.folded in _folded(written))


def _before_preposition(span: Span, words: Sequence[Word]) -> Span:
    """`span` cut before its first preposition after its second word."""
    for index in range(span.first_word + 2, span.last_word + 1):
        if _is_one_of(words[index], _PREPOSITIONS):
            return Span(span.start, words[index - 1].end, span.kind, span.unit, span.first_word, index - 1)
    return span


CLAUSE_WORDS, REPORTED_WORDS, REPORTED_MIN_WORDS = 20, 40, 12


def _clause_after(words: Sequence[Word], sentence: str, readable: tuple[str, int], position: int,
                  limit: int = CLAUSE_WORDS, asked: frozenset[str] = frozenset(),
                  reported: bool = False) -> Span | None:
    """The words after word `position` up to the end of the clause (at most `limit` words), the
    question's own words (`asked`) that run on right after it left out ("thiết bị": not "bị")."""
    first = position + 1
    # "kỳ vọng các mô hình “liên phường” sớm được triển khai" for "kỳ vọng gì về mô hình liên phường"
    while first < len(words) and joined(sentence, words[first - 1], words[first], _QUOTED_GAPS) and \
            (words[first].folded in asked or (words[first].folded in _DETERMINERS and first + 1 < len(words)
                                              and words[first + 1].folded in asked)):
        first += 1
    if first < len(words) and joined(sentence, words[first - 1], words[first]) and \
            _one_word(words[first - 1].folded, words[first].folded):
        first += 1  # "xây gì" → "xây dựng Trung tâm …": the answer starts after the whole word
    position = first - 1
    if first >= len(words):
        return None
    text, form = readable
    # Reported speech runs past the commas of its lists: to the first clause end after a dozen words.
    begin = words[min(len(words) - 1, first + REPORTED_MIN_WORDS)].start if reported else \
        words[position].end + (1 if text[words[position].end:words[position].end + 1] in ",:" else 0)
    stop = _CLAUSE_END[form].search(text, begin)
    end_offset = stop.start() if stop and stop.start() > words[first].start else len(sentence)
    inside = [i for i in range(first, min(len(words), first + limit)) if words[i].end <= end_offset]
    if not inside:
        return None
    return Span(words[inside[0]].start, words[inside[-1]].end, "clause", "", inside[0], inside[-1])


def _slot_clauses(form: QuestionForm, words: Sequence[Word], sentence: str, matched: list[int]) -> list[Span]:
    """What fills the question word's slot: the clause after the question's words that come right
    before it ("Phường kiến nghị gì?" → what follows "kiến nghị"), or after a reason's connector."""
    readable = _readable(sentence)
    found = []
    if form.kind == REASON:
        # "để làm gì", "nhằm mục đích gì" ask a purpose; "vì sao", "tại sao" a cause or a purpose
        # ("Vì sao phường muốn …?" "… để chủ động …").
        purpose = form.words[form.ask[0]:form.ask[0] + 1] in (("de",), ("nham",)) or "muc dich" in " ".join(form.words)
        connectors = [_PURPOSES] if purpose else [_CAUSES, _PURPOSES]
        for match in (m for pattern in connectors for m in pattern[readable[1]].finditer(readable[0])):
            index = next((i for i, w in enumerate(words) if w.start == match.start()), None)
            if index is not None:
                last = index + len(match.group().split()) - 1
                clause = _clause_after(words, sentence, readable, last)
                if clause is not None:
                    found.append(clause)
        return found
    if form.kind == MANNER and matched:
        clause = _clause_after(words, sentence, readable, max(matched), asked=frozenset(form.words))
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
        reported = anchor in _SAYING_WORDS
        # Only the question's own words that come after the anchor run on ("thiết bị": not "bị"), and
        # what it asks about after its question word ("kỳ vọng gì về mô hình liên phường").
        asked = frozenset(form.words[at + 1:form.ask[0]]) | frozenset(form.after)
        for index in positions:
            clause = _clause_after(words, sentence, readable, index, REPORTED_WORDS if reported else CLAUSE_WORDS,
                                   asked=asked, reported=reported)
            if clause is not None:
                # What is built, bought, done ("xây gì"): a thing, which ends before a preposition.
                found.append(clause if reported or form.kind != THING else _before_preposition(clause, words))
        if positions:
            break
        # "Ông X nói gì?" of "X cho biết, …": what follows a verb of the same kind.
        kind = kind_at(form.words, form.written or form.words, at)
        if kind is not None:
            for index in kind_ends(kind, words):
                clause = _clause_after(words, sentence, readable, index, REPORTED_WORDS, reported=True)
                if clause is not None:
                    found.append(clause)
            if found:
                break
    return found


def slot_anchor(form: QuestionForm) -> int | None:
    """The position of the question's word right before its question word (the focus noun aside):
    in the sentence, the answer usually follows it ("xây công trình gì" → what follows "xây")."""
    focus = set(form.focus)
    for word in reversed(form.before):
        if word not in focus:
            return form.index_before(word)
    return None
