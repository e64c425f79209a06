"""Candidates: the spans of a sentence that may answer a question, by the kind of thing it asks for
(a person, an organisation, a place, an amount with its unit, a time, a name, a role), or the
clause that fills its question word's slot ("Phường kiến nghị gì?": what follows "kiến nghị"),
each with a priority (a span of the kind asked before a mere clause)."""

from __future__ import annotations

import re
from typing import Sequence

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
from ..text.sentence_words import joined
from ..text.spans import CODE, QUOTE, SCORE, Span, Word, lists, sentence_words, typed_spans
from ..text.spans import NAME as NAME_SPAN
from ..text.spans import ORGANIZATION as ORGANIZATION_SPAN
from ..text.spans import PERSON as PERSON_SPAN
from ..text.spans import PLACE as PLACE_SPAN
from ..text.spans import TIME as TIME_SPAN
from ..text.units import find_phrase
from .clauses import (
    SAYING_WORDS,
    before_preposition,
    clause_after,
    is_one_of,
    readable,
    slot_clauses,
)
from .fits import MAGNITUDES, only_year, time_fits, unit_fits
from .focus import after_focus, focus_phrases, named_run
from .relations import deputies, inside_question, names_question_person, role_answer, role_holders

# How much a candidate span is preferred to another as near the question's words: a span of the
# kind asked over a clause, one of the form asked ("ngày nào": a date) over another, a list
# when the question asks for several.
TYPED, FITS, PLURAL, SLOT = 0.2, 0.1, 0.1, 0.15


_NAMED = {QUOTE, CODE, NAME_SPAN, ORGANIZATION_SPAN}


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
        return [(span, 0.0) for span in slot_clauses(form, words, sentence, matched)], refused
    wanted = {PERSON: {PERSON_SPAN}, ORGANIZATION: {ORGANIZATION_SPAN}, PLACE: {PLACE_SPAN}, NUMBER: {"number"},
              TIME: {TIME_SPAN}, NAME: _NAMED, THING: _NAMED}.get(kind, set())
    # "Ông Thắng tên đầy đủ là gì?": the question's own person, named in full, is the answer.
    full_name = kind == PERSON and ("day du" in " ".join(form.words) or "ho ten" in " ".join(form.words))
    # A list naming the question's own thing is no answer ("Ngoài Phú Thuận, … phường nào nữa?"):
    # its other items are.
    own_lists = {s for s in listed if any(t.kind == s.kind and t not in listed and s.start <= t.start
                                          and t.end <= s.end and inside_question(t, words, form) for t in spans)}
    # "những phường nào" asks for a list; "phường nào" of "với phường Phú Thuận và phường Tân Mỹ" takes it too
    list_bonus = PLURAL if form.plural else PLURAL / 2 if kind in (PLACE, ORGANIZATION) else 0.0
    found = [(s, TYPED + list_bonus * (s in listed)) for s in spans
             if s.kind in wanted and s not in own_lists and (full_name or not inside_question(s, words, form))]
    if kind == PERSON and not full_name:  # "ông Moon" asked about: "Moon Jae-in" is the question's own person
        found = [(s, p) for s, p in found if not names_question_person(s, words, form)]
        # "Tiền làm đường đèn do ai chi?": an organisation may be who, not in "Ai là người …?"
        if form.role is None and "nguoi" not in form.words:
            found += [(s, 0.0) for s in spans if s.kind == ORGANIZATION_SPAN and not inside_question(s, words, form)]
        if form.ask == (0, 1) and form.role is None:  # "Ai nêu kiến nghị …?": who does it, not whom it is asked of
            found = [(s, p) for s, p in found if not _object_of(s, words, form)]
    if kind == NUMBER and form.counted:  # "Có năm bài thi": "năm" (also "year") counts the noun asked
        found += [(_spelled_count(words, i, len(form.counted)), TYPED) for i in range(len(words) - len(form.counted))
                  if words[i].written in _SPELLED_ELSEWHERE
                  and tuple(w.folded for w in words[i + 1:i + 1 + len(form.counted)]) == form.counted
                  and not any(s.kind == "number" and s.first_word <= i <= s.last_word for s in spans)]
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
        found += [(s, TYPED) for s in spans if s.kind == SCORE
                  or (s.kind == TIME_SPAN and re.fullmatch(r"\d{1,2}-\d{1,2}", sentence[s.start:s.end]))]
    if kind == NUMBER and not form.counted and form.unit is None:  # "kế hoạch số mấy": an identifier with digits
        found += [(s, TYPED / 2) for s in spans if s.kind == CODE and any(c.isdigit() for c in sentence[s.start:s.end])
                  and not inside_question(s, words, form)]
    if kind == PLACE:
        found = [(_with_kind_word(s, words), priority) for s, priority in found]
        # What follows "tại"/"ở", or the question's own preposition: "lấy từ đâu" → "nguồn kinh phí …",
        # "chuyển vào đâu" → "tài khoản …"; up to the next preposition.
        own = next((i for i in (form.ask[0], form.ask[0] - 1) if 0 <= i < len(form.words)
                    and form.words[i] in _PLACE_PREPOSITIONS), None)
        after_place_words = (clause_after(words, sentence, readable(sentence), i, 10) for i, w in enumerate(words)
                             if i not in matched
                             and (is_one_of(w, _AT) or (own is not None and form.same_word(own, w))
                                  or (is_one_of(w, _ON) and i + 1 < len(words) and is_one_of(words[i + 1], _GROUND)))
                             and not (i + 1 < len(words) and is_one_of(words[i + 1], _DEMONSTRATIVES)))
        clauses = [_named_place(before_preposition(c, words), words, sentence) for c in after_place_words
                   if c is not None]
        found += [(c, -TYPED / 2) for c in clauses  # not the question's own place ("… của Phú Yên")
                  if not (words[c.first_word].capitalised and inside_question(c, words, form))]
        # "Tp" and "HCM" of "Tp.HCM" are no places of their own
        whole = [s for s in spans if s.kind == PLACE_SPAN and not any(c.isspace() for c in sentence[s.start:s.end])]
        found = [(s, p) for s, p in found if not any(w.start <= s.start and s.end <= w.end
                                                     and (w.start, w.end) != (s.start, s.end) for w in whole)]
    level = _place_level(form.focus) if kind == PLACE else None
    if level is not None:  # "tỉnh nào": no region ("miền Đông Afghanistan"), no ward
        found = [(s, p) for s, p in found
                 if _place_level(tuple(w.folded for w in words[s.first_word:s.first_word + 2])) in (None, level)]
    if kind in (PLACE, ORGANIZATION) and form.focus:  # "cảng nào": a port first; "ngân hàng nào": a bank
        found = [(s, p + FITS * (find_phrase(tuple(w.folded for w in words[s.first_word:s.last_word + 1]),
                                             form.focus) >= 0)) for s, p in found]
    if kind == NUMBER:
        fitting = [(s, priority) for s, priority in found if s.kind == CODE
                   or unit_fits(s, form, sentence[s.start:s.end]) or _counted_after(s, words, sentence, form)
                   or _share_counted(s, words, form)]
        # Of two shares, the one of the noun with the question's qualifiers ("câu hỏi khó").
        fitting = [(s, p + (FITS + SLOT) * (_share_counted(s, words, form) > len(form.counted))) for s, p in fitting]
        if found and not fitting:
            refused.append("unit")
        found = fitting
    if kind == TIME and "sinh" not in form.words:  # "bà Huyền, sinh ngày 11/6/1989": her birth, no other event
        found = [(s, p) for s, p in found
                 if "sinh" not in (w.folded for w in words[max(0, s.first_word - 2):s.first_word])]
    if kind == TIME and form.unit:
        found = [(s, priority + (FITS if time_fits(sentence[s.start:s.end], form.unit) else 0.0))
                 for s, priority in found]
        if form.unit in ("date", "month"):  # "ngày nào", "tháng mấy": a year alone is no answer
            found = [(s, p) for s, p in found if not only_year(sentence[s.start:s.end])]
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
        found += [(s, 0.0) for s in focus_phrases(words, sentence, form)]
    if kind == THING and form.focus:  # "bản màu gì": what follows "màu" ("đen mờ"), not a quote elsewhere
        following = after_focus(words, sentence, form)
        found = [(s, TYPED + FITS + SLOT) for s in following] or found
    if kind in (THING, MANNER, REASON):
        clauses = slot_clauses(form, words, sentence, matched)
        if kind == THING and set(form.before[-2:]) & SAYING_WORDS:
            # "Phường kiến nghị gì?": what was proposed is the clause, not a name inside it ("TPHCM")
            found = [(s, 0.0) for s, _p in found] + [(c, TYPED + FITS) for c in clauses]
        else:
            found += [(c, 0.0) for c in clauses]
    if kind in (THING, NAME, ORGANIZATION):  # "ABAC là hội đồng gì?": what "(ABAC)" stands for
        expanded = [s for s in _acronyms(words, sentence, spans, form) if not _names_nothing(s, words, form)]
        found = [(s, TYPED + FITS + SLOT) for s in expanded] or found
    return [(s, p) for s, p in found if (s.kind != "clause" or not _names_nothing(s, words, form))
            and not _CREDIT.search(sentence, 0, s.start)], refused


def _named_place(span: Span, words: Sequence[Word], sentence: str) -> Span:
    """What follows "ở"/"tại", up to the end of the name it opens with: "Phú Yên", not "Phú Yên lâm
    cảnh nợ nần"; the whole clause when it opens with no name ("nguồn kinh phí của Thành phố")."""
    named = named_run(words, sentence, span.first_word) if words[span.first_word].capitalised else None
    if named is None:
        return span
    last = min(named, span.last_word)
    return Span(span.start, words[last].end, span.kind, span.unit, span.first_word, last)


def _counted_after(span: Span, words: Sequence[Word], sentence: str, form: QuestionForm) -> bool:
    """Whether the noun the question counts follows the amount's own unit: "sáu trường hợp người dân"
    for "bao nhiêu người"."""
    after = span.last_word + 1
    return bool(form.counted) and after < len(words) and span.unit != "" and words[after].folded == form.counted[0] \
        and joined(sentence, words[after - 1], words[after])


_SHARE_LINKS = frozenset("la so cac nhung trong".split())


def _share_counted(span: Span, words: Sequence[Word], form: QuestionForm) -> int:
    """How many of the question's words after its "bao nhiêu" follow a percentage that is a share of
    the noun it counts ("khoảng 40% là các câu hỏi khó" for "bao nhiêu câu hỏi khó": 3; "30% số hộ"
    for "bao nhiêu hộ": 1); 0 when it is no such share."""
    if "%" not in span.unit or not form.counted:
        return 0
    after = span.last_word + 1
    while after < len(words) and words[after].folded in _SHARE_LINKS:
        after += 1
    shared = 0
    while shared < len(form.after) and after + shared < len(words) \
            and words[after + shared].folded == form.after[shared]:
        shared += 1
    return shared if shared >= len(form.counted) else 0


# Number words that are other words as often ("ba" father, "năm" year, "một" a): `text.quantities`
# reads them as numbers only before a scale; before the noun a question counts, they count it.
_SPELLED_ELSEWHERE = frozenset(("một", "ba", "năm"))


def _spelled_count(words: Sequence[Word], index: int, length: int) -> Span:
    """The amount "năm bài thi": the number word at `index` and the `length` words it counts."""
    counted = words[index + 1:index + 1 + length]
    return Span(words[index].start, counted[-1].end, "number", " ".join(w.folded for w in counted), index,
                index + length)


def _names_nothing(span: Span, words: Sequence[Word], form: QuestionForm) -> bool:
    """Whether a clause is only the question's own words and quantifiers ("các tỉnh" for "những tỉnh nào")."""
    return all(w.folded in form.content or w.folded in form.focus or w.folded in _QUANTIFIERS
               for w in words[span.first_word:span.last_word + 1])


_QUANTIFIERS = frozenset("cac nhung moi nhieu mot so vai may ca toan".split())  # they say how many, not which


ACRONYM_REACH = 12  # words back from "(ABAC)" to the start of what it stands for


def _acronyms(words: Sequence[Word], sentence: str, spans: list[Span], form: QuestionForm) -> list[Span]:
    """What an abbreviation in brackets that the question names stands for: back from the bracket to
    the question's noun ("Hội đồng tư vấn doanh nghiệp APEC (ABAC)" for "ABAC là hội đồng gì?"), else
    the name ending there, else from the capitalised word opening it; for "… viết tắt là gì?", the
    abbreviations themselves."""
    found = []
    abbreviation = find_phrase(form.words, ("viet", "tat")) >= 0
    for match in re.finditer(r"\(([^()]{2,20})\)", sentence):
        inside = [i for i, w in enumerate(words) if match.start(1) <= w.start and w.end <= match.end(1)]
        if not any(words[i].acronym for i in inside):
            continue
        if abbreviation:
            found.append(Span(match.start(1), match.end(1), "clause", "", inside[0], inside[-1]))
            continue
        before = [i for i, w in enumerate(words) if w.end <= match.start()]
        if not before or not any(words[i].folded in form.words for i in inside):
            continue
        reach = range(before[-1], max(-1, before[-1] - ACRONYM_REACH), -1)
        focus = form.focus if not set(form.focus) & {words[i].folded for i in inside} else ()
        start = next((i for i in reach if focus and find_phrase(tuple(w.folded for w in words[i:i + len(focus)]),
                                                                focus) == 0), None)
        if start is None:
            start = next((s.first_word for s in spans if s.kind in (ORGANIZATION_SPAN, NAME_SPAN)
                          and s.last_word == before[-1]), None)
        if start is None:
            start = next((i for i in reach if words[i].capitalised and not words[i].acronym), None)
        if start is not None:
            found.append(Span(words[start].start, words[before[-1]].end, "clause", "", start, before[-1]))
    return found


_PLACE_PREPOSITIONS = frozenset("tu ve den vao ra len toi sang".split())


def _object_of(span: Span, words: Sequence[Word], form: QuestionForm) -> bool:
    """Whether `span` comes right after (within two words) one of the first words of what the
    question's "Ai …" says of its subject ("Ai nêu kiến nghị …?" and "Phường kiến nghị TPHCM …":
    "TPHCM" is asked, not the one asking), up to a place it names ("Ai nói phường Phú Thuận …")."""
    verbs = []
    for i in range(1, min(len(form.words), 4)):
        if form.words[i] in PLACE_KINDS:
            break
        verbs += [i] if form.words[i] != "la" else []
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
    if ordinal is not None and first and is_one_of(words[first - 1], _ORDINALS) and words[first - 1].end <= start:
        first -= 1
        start = words[first].start
    return Span(start, end, span.kind, span.unit, first, last)


# Kinds of place by level, accent-free: a place of one level is no answer for a kind of another.
_PLACE_LEVELS = {kind: level for level, kinds in enumerate(("mien|vung", "tinh|thanh pho|tp", "quan|huyen|thi xa",
                                                            "phuong|xa|thi tran", "ap|thon|lang|khu pho"))
                 for kind in kinds.split("|")}


def _place_level(folded: tuple[str, ...]) -> int | None:
    """The level of the kind of place the words (accent-free) open with ("tỉnh …", "miền …"), None
    when no kind opens them."""
    return _PLACE_LEVELS.get(" ".join(folded[:2]), _PLACE_LEVELS.get(folded[0])) if folded else None


def _with_kind_word(span: Span, words: Sequence[Word]) -> Span:
    """"phường Tân Mỹ", "ga Suối Tiên": a place with the kind word before it."""
    before = span.first_word - 1
    if before >= 0 and not words[before].capitalised and (words[before].folded in PLACE_KINDS or
                                                         words[before].folded in ("ga", "vinh", "song", "cang", "cho")):
        return Span(words[before].start, span.end, span.kind, span.unit, before, span.last_word)
    return span


# A photo's caption or credit ("Ảnh: AP", "(Nguồn: Reuters)") right before a span: no answer.
_CREDIT = re.compile(r"(?i)(?:ảnh|nguồn|photo)\s*:\s*$")
_AT = frozenset(("tại", "ở"))
# "trên" (on) names a place before a word for ground or a way ("trên khu đất …", "trên địa bàn …"),
# not before others ("trên hệ thống điện").
_ON = frozenset(("trên",))
_GROUND = frozenset("khu địa đất đảo tuyến đường biển sông vùng lô mảnh thửa núi đồi cánh".split())
_ORDINALS = frozenset(("số", "thứ"))
_DEMONSTRATIVES = frozenset(("đây", "đó", "đấy", "kia", "này", "ấy"))  # "ở đây" names no place
