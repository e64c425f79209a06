"""Conversation: rewrite a follow-up question into a standalone one, by rules on Vietnamese (no model)."""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from typing import Callable, Sequence

from ..config import MAX_HISTORY
from ..text.mentions import (
    PERSON_PRONOUNS,
    STOP_WORDS,
    entities,
    is_capitalised,
    matched_words,
    phrase_at,
    splice,
    words_of,
)
from ..text.normalize import fold, fold_chars, has_diacritics, nfc, strip_diacritics
from ..text.questions import NUMBER, REASON, question_form
from ..text.spans import ROLE as ROLE_SPAN
from ..text.spans import TIME as TIME_SPAN
from ..text.spans import typed_spans
from ..text.units import PEOPLE_NOUNS, UNIT_CUE_WORDS
from ..text.words import QUESTION_WORDS
from .demonstratives import resolve_demonstratives
from .references import resolve_bare_place, resolve_pronouns
from .things import named_thing, what_it_is
from .turns import HistoryItem, Turn, read_history, statement

# The shapes of "what about X?": còn X (thì sao), thế/vậy (còn) X thì sao, X thì thế nào...
_FOLLOW_UP = (
    re.compile(r"^(?:(?:va|the|vay) )*con (?:voi )?(?P<x>.+?)(?: nua)?(?: thi (?:sao|nhu the nao|the nao))?$"),
    re.compile(r"^(?:(?:va|the|vay|voi) )*(?P<x>.+?)(?: nua)? thi (?:sao|nhu the nao|the nao)$"),
)
MAX_FOLLOW_UP_WORDS = 8
_QUESTION_PHRASES = tuple(sorted(QUESTION_WORDS))  # a question word in "còn X" makes it no follow-up


def _what_about(question: str, earlier: Sequence[str]) -> str | None:
    """An earlier question asked again about X when `question` is "còn X thì sao?" and the like: the
    latest that names someone or somewhere (not "áp dụng cho phường nào", which goes on from another)."""
    subject_words = matched_words(question, _FOLLOW_UP)
    if not subject_words or len(subject_words) > MAX_FOLLOW_UP_WORDS \
            or any(phrase_at(subject_words, i, _QUESTION_PHRASES) for i in range(len(subject_words))):
        return None
    subject = question[subject_words[0].start():subject_words[-1].end()]
    asked_again = _at_another_time(subject, earlier)
    if asked_again:
        return asked_again
    found = entities(subject)
    new = found[0] if found and found[0].start == 0 and found[0].end == len(subject) else None
    if new is None and _opens_with_role(subject):
        asked_again = _role_for_holder(subject, earlier)
        if asked_again:
            return asked_again
    # A bare capitalised subject ("Tân Mỹ") is a place name; a lower-case one ("trụ sở") a topic.
    category = new.category if new else ("place" if all(is_capitalised(w.group()) for w in words_of(subject)) else "")
    # The latest question naming a place of the same kind ("phường Phú Thuận" for "phường Tân Mỹ",
    # not "Thành phố" of the question in between), else one of the same category, else naming any.
    named = [(text, entities(text)) for text in reversed(earlier)]
    same_kind = [text for text, found in named
                 if new and new.category == "place" and any(e.kind == new.kind for e in found)]
    previous = next(iter(same_kind), None) or next((text for text, found in named
                                                    if any(e.category == category for e in found)),
                                                   next((text for text, found in named if found), earlier[-1]))
    candidates = [e for e in entities(previous) if e.category == category]
    target = next((e for e in reversed(candidates) if new and e.kind == new.kind), None) \
        or (candidates[-1] if candidates else None)
    if target is None:
        owned = re.match(r"(?i)(?P<topic>[^?,]{3,60}?) của (?=\S)", previous)
        if not category and owned:  # "Còn mục tiêu tổng tài sản?" after "Lợi nhuận … của VPBank được bao nhiêu?"
            return splice(previous, 0, owned.end("topic"), subject)
        base = previous.rstrip(" ?.!") + (" ở " if new and new.category == "place" else ", ")
        return splice(base, len(base), len(base), subject) + "?"
    # "Tân Mỹ" for "phường Phú Thuận" keeps "phường"; a person's title ("ông") goes with the person.
    if new is None or (not new.kind and target.kind and target.category != "person"):
        return splice(previous, target.name_start, target.end, subject)
    return splice(previous, target.start, target.end, subject)


def _at_another_time(subject: str, earlier: Sequence[str]) -> str | None:
    """"Còn năm 2015?" after "Tỷ lệ vốn lõi … cuối năm 2016 là bao nhiêu?": the latest earlier
    question naming a time, asked of the new one ("… cuối năm 2015 …")."""
    if not any(s.kind == TIME_SPAN and s.end == len(subject) and fold(subject[:s.start]).strip() in _TIME_WORDS
               for s in typed_spans(subject)):
        return None
    unit = fold(words_of(subject)[0].group())  # "năm" of "cuối năm 2016": what qualifies it stays
    for text in reversed(earlier):
        times = [s for s in typed_spans(text) if s.kind == TIME_SPAN]
        if times:
            start, end = times[-1].start, times[-1].end
            inner = next((w.start() for w in words_of(text[start:end]) if fold(w.group()) == unit), None)
            before = words_of(text[:start])
            if inner is not None:
                start += inner
            elif before and fold(before[-1].group()) == unit:  # "Ngày 1/6": the time is "1/6"
                start = before[-1].start()
            return splice(text, start, end, subject[:1].lower() + subject[1:] if start else subject)
    return None


# What a time may open with, accent-free, in "Còn ngày 23-6?" ("" for none).
_TIME_WORDS = frozenset(("", "ngay", "hom", "vao", "luc"))


def _opens_with_role(text: str) -> bool:
    return any(span.kind == ROLE_SPAN and span.start == 0 for span in typed_spans(text))


def _role_for_holder(role: str, earlier: Sequence[str]) -> str | None:
    """"Còn chủ tịch UBND thành phố thì sao?": the latest earlier question naming a role or a person
    asked again of the role, in its place ("Ông Nguyễn Xuân Anh nói gì với doanh nghiệp?" → "Chủ tịch
    UBND thành phố nói gì với doanh nghiệp?")."""
    asked = question_form(role).role
    bare = asked is not None and asked.organ is None and asked.place is None
    for text in reversed(earlier):
        roles = [(span.start, span.end) for span in typed_spans(text) if span.kind == ROLE_SPAN]
        held = roles + [(e.start, e.end) for e in entities(text) if e.category == "person"]
        if not held:
            continue
        start, end = max(held, key=lambda at: at[1] - at[0])
        earlier_role = question_form(text).role
        if bare and (start, end) in roles and earlier_role is not None:
            # "Còn Phó Bí thư thì sao?" after "Ai là Bí thư Đảng ủy phường Phú Thuận?": the same body and place
            qualifiers = sum(len(qualifier.split()) for qualifier in earlier_role.qualifiers)
            head = words_of(text[start:end])[:len(earlier_role.prefix) + len(earlier_role.head) + qualifiers]
            end = start + head[-1].end()
        elif bare:  # in place of a person: of the place the conversation is about ("Bí thư phường Tân Mỹ")
            place = next((t[e.start:e.end] for t in reversed(earlier) for e in reversed(entities(t))
                          if e.category == "place"), None)
            role = f"{role} {place[:1].lower() + place[1:]}" if place else role
        return splice(text, start, end, role)
    return None


# Questions that only ask ("Tại sao?", "Để làm gì?", "Ai nói vậy?") carry none of these.
_GENERIC = frozenset(fold(w) for w in "còn thế vậy thì sao nào gì ai đâu nữa ạ nhỉ hả không có là được nói cho biết "
                     "làm tại vì để mục đích lý do nguyên nhân như cách hơn rồi".split())


# "Còn máy lạnh…", "Thế nó…", "Vậy còn…": a question that goes on from the previous one.
_FOLLOW_UP_MARK = re.compile(r"(?i)^(?:(?:và|thế|vậy|the|vay|va)\s+)?(?:còn|con)\s+(?!(?:lại|lai)\b)|^(?:thế|vậy)\s+(?=\w)")
_TRAILING = re.compile(r"(?i)(?:\s+(?:vậy|thế|ạ|nhỉ|hả|à|vay|the|a|nhi|ha))+$")


def _content_words(text: str) -> set[str]:
    return {fold(w.group()) for w in words_of(text)} - _GENERIC - STOP_WORDS


def _continues(question: str, previous: Turn) -> bool:
    """Whether a short question without a name of its own goes on about the previous turn: it
    shares a word with what that turn asked or answered ("Đặc biệt trong lĩnh vực nào?" after an
    answer saying "đặc biệt trong công tác chuyển đổi số"), or asks only how many or how much ("Cho mấy
    người?" after "Vietlott trao giải Jackpot bao nhiêu tiền?")."""
    if entities(question) or any(w[0].isupper() for w in question.split()[1:]):
        return False
    own = _content_words(question)
    if own - _ASKING <= _BARE_WORDS and question_form(question).kind is not None:
        return True
    if not own or len(own) > 3:
        return False
    return bool(own & (_content_words(previous.standalone) | _content_words(previous.sentence)))


# Words that ask how many or how much of something already spoken of, no new topic ("Cho mấy người?",
# "Bao nhiêu hộ bị ảnh hưởng?"; not "Giá vàng bao nhiêu?").
_BARE_WORDS = PEOPLE_NOUNS | UNIT_CUE_WORDS | {fold(w) for w in "bị ảnh hưởng thiệt hại".split()}
_ASKING = frozenset(fold(w) for w in QUESTION_WORDS)


SHORT_FOLLOW_UP_WORDS = 4
REASON_WORDS = 30  # the longest answer a "Tại sao?" asks about (what was proposed, said)
_IT = re.compile(r"(?i)(?<!\w)nó(?!\w)")


def _names(question: str) -> bool:
    """Whether the question writes a name with capitals after its first word."""
    return any(is_capitalised(w.group()) and not w.group().isdigit() for w in words_of(question)[1:])


# Prepositions that belong to the question words after them ("Vào ngày nào?", "Từ bao giờ?").
_ASKING_PREPOSITIONS = frozenset("vao tu den toi luc trong".split())


def _elliptic(question: str) -> bool:
    """Whether a question says nothing of its own beyond asking ("Tại sao?", "Để làm gì?", "Khi nào?",
    "Đã bao lâu rồi?")."""
    words, form = words_of(question), question_form(question)
    asking = set(range(*form.ask)) if form.kind is not None and len(form.words) == len(words) else set()
    if asking and min(asking) and form.words[min(asking) - 1] in _ASKING_PREPOSITIONS:  # "Vào ngày nào?"
        asking.add(min(asking) - 1)
    return not [w for i, w in enumerate(words) if i not in asking
                and fold(w.group()) not in _GENERIC and fold(w.group()) not in STOP_WORDS]


def _rewrite_one(question: str, turns: Sequence[Turn], restore: Callable[[str], str] | None = None) -> str:
    question = " ".join(nfc(question).split())
    if not turns or not question:
        return question
    if restore is not None and not has_diacritics(question):
        # "ai dan dau to cong tac do": its "đó" is told from "do" once the accents are restored.
        restored = " ".join(nfc(restore(question)).split())
        if fold(restored) == fold(question):
            rewritten = _rewrite_one(restored, turns)
            if rewritten == restored:
                return question
            return _finished(question, rewritten[:1].lower() + rewritten[1:] if question[:1].islower() else rewritten)
    relevant = [turn for turn in turns if turn.relevant]
    rewritten = resolve_pronouns(question, turns)
    rewritten = resolve_demonstratives(rewritten, turns)
    rewritten = resolve_bare_place(rewritten, turns)
    # "Còn phường Tân Mỹ thì sao?" asks the last answered question again (the last one when none was).
    rewritten = _what_about(rewritten, [turn.standalone for turn in relevant or turns]) or rewritten
    if not relevant:
        return _finished(question, rewritten)
    it = _IT.search(rewritten)
    if it:  # "Nó đang vướng gì?": the thing the previous turn named ("Nokia 6"), else what it was about;
        # a turn that asked about "nó" itself points where it pointed.
        thing = what_it_is([t for t in relevant if not _IT.search(t.question)] or relevant[-1:])
        rewritten = f"{rewritten[:it.start()]}{thing}{rewritten[it.end():]}"
    rewritten = _problem_solved(rewritten, relevant[-1]) or rewritten
    marked = _FOLLOW_UP_MARK.match(question) and len(_content_words(question)) < 3
    # A pronoun left unresolved ("ông ấy" with no man named before) is no ellipsis to fill in.
    unresolved = any(phrase_at(words_of(question), i, PERSON_PRONOUNS) for i in range(len(words_of(question))))
    if rewritten == question and not unresolved and \
            (_elliptic(question) or _continues(question, relevant[-1]) or marked):
        body = _TRAILING.sub("", _FOLLOW_UP_MARK.sub("", question).rstrip(" ?.!"))
        reason = question_form(body).kind == REASON
        # Why it was said or asked for is asked of all of it ("Tại sao … kiến nghị giao cho phường …?").
        said = _another_measure(question, relevant) or (statement(relevant[-1], REASON_WORDS) if reason
                                                        else statement(relevant[-1]))
        # "Tại sao <it>?" asks first; "<it> để làm gì?", "<it> khi nào?" ask after.
        why = reason and fold(body).split()[0] not in ("de", "nham")
        rewritten = f"{body[:1].upper() + body[1:]} {said}?" if why else f"{said} {body[:1].lower() + body[1:]}?"
    return _finished(question, rewritten)


# "giải quyết thế nào" with nothing to solve: the problem the previous question asked about.
_SOLVING = re.compile(r"(?<!\w)(?:giai quyet|khac phuc|xu ly|thao go|cai thien)(?= (?:the nao|nhu the nao|ra sao|"
                      r"bang cach nao|gi)(?!\w))")
_PROBLEM = re.compile(r"(?<!\w)(?P<noun>kho khan|vuong mac|bat cap|han che|ton tai|van de)(?!\w)")


def _problem_solved(question: str, previous: Turn) -> str | None:
    """"Phường đề xuất giải quyết thế nào?" after "Phường Tân Mỹ gặp khó khăn gì về trụ sở?": what is
    to be solved is that problem ("… giải quyết khó khăn về trụ sở thế nào?")."""
    solving = _SOLVING.search(fold_chars(question))
    asked = previous.standalone.rstrip(" ?.!")
    form, words = question_form(asked), words_of(asked)
    if form.kind is not None and len(words) == len(form.words):  # without its question phrase ("là gì")
        start = form.ask[0] - (form.ask[0] > 0 and form.words[form.ask[0] - 1] == "la")
        asked = (asked[:words[start].start()] + asked[words[form.ask[1] - 1].end():]).strip(" ,")
    problem = _PROBLEM.search(fold_chars(asked)) if solving else None
    if problem is None:
        return None
    said = " ".join(asked[problem.start():].split())
    said = said[:1].lower() + said[1:]  # "Khó khăn … ở Phú Thuận" in the middle of a question
    return f"{question[:solving.end()]} {said}{question[solving.end():]}"


def _another_measure(question: str, turns: Sequence[Turn]) -> str | None:
    """The thing the previous question (the last of `turns`) was about, when the follow-up asks
    another measure of it ("Xe nặng bao nhiêu?" after "Suzuki Axelo RR 2017 giá bao nhiêu?"): its
    answer (a price) says nothing of the weight asked."""
    previous = turns[-1]
    asked, before = question_form(question), question_form(previous.standalone)
    thing = next((t for t in map(named_thing, (turn.standalone for turn in reversed(turns))) if t), None)
    measure = (asked.unit, asked.counted)
    if asked.kind == before.kind == NUMBER and any(measure) and measure != (before.unit, before.counted) \
            and thing is not None and len(thing.split()) > 1 and thing in previous.standalone:
        return thing
    return None


def _finished(question: str, rewritten: str) -> str:
    """The rewritten question written as the user wrote theirs: accents only when they used any."""
    if rewritten == question:
        return rewritten
    rewritten = _FOLLOW_UP_MARK.sub("", rewritten)
    if not has_diacritics(question):
        # Mixed text defeats retrieval: the accents are only restored on a question without any
        # (and one typed in lower case stays so).
        return strip_diacritics(rewritten)
    return rewritten[:1].upper() + rewritten[1:]


@dataclass(frozen=True)
class FollowUp:
    """A question as understood in its conversation: `text` (the standalone question), the
    document of the answer it follows up on, when it was rewritten from it, and the words
    (accent-free) the rewriting brought in from the earlier turns."""

    text: str
    document: str | None = None
    carried: frozenset[str] = frozenset()

    @classmethod
    def of(cls, question: str, rewritten: str, document: str | None) -> "FollowUp":
        own = {fold(w.group()) for w in words_of(question)}
        return cls(rewritten, document, frozenset(fold(w.group()) for w in words_of(rewritten)) - own)


def rewrite_question(question: str, history: Sequence[HistoryItem],
                     restore: Callable[[str], str] | None = None) -> FollowUp:
    """Turn a follow-up into a standalone question, using the earlier turns of the conversation,
    their questions and their answers.

    "Còn phường Tân Mỹ thì sao?" after "Ai là Bí thư Đảng ủy phường Phú Thuận?" becomes "Ai là Bí
    thư Đảng ủy phường Tân Mỹ?"; "Bà ấy giữ chức vụ gì?" after "Tổ công tác số 5 do ai làm tổ
    trưởng?" (answered "Nguyễn Thị Mỹ Hằng") becomes "Bà Nguyễn Thị Mỹ Hằng giữ chức vụ gì?";
    "Khu đất đó rộng bao nhiêu?" names the land the earlier answer spoke of; "Tại sao?" asks why
    about what the previous answer said. A turn answered "not found" (an unrelated question in
    between) is passed over; earlier questions given without their answers are rewritten turn by
    turn first, so chains of follow-ups resolve.

    Args:
        question: the new question.
        history: earlier turns, oldest first (questions, turns or answers: `turns.read_history`).
        restore: puts the accents back on a question typed without any (the archive's restorer),
            so its demonstratives ("đó" in "to cong tac do") are read as meant.

    Returns:
        The standalone question (the question itself when it is no follow-up) and the document of
        the turn it follows.
    """
    turns: list[Turn] = []
    for turn in read_history(history)[-MAX_HISTORY:]:
        if not turn.answered and turn.standalone == turn.question:
            turn = replace(turn, standalone=_rewrite_one(turn.question, turns, restore))
        turns.append(turn)
    rewritten = _rewrite_one(question, turns, restore)
    previous = next((t for t in reversed(turns) if t.relevant), None)
    document = previous.document if previous else None
    if rewritten == " ".join(nfc(question).split()):
        # "Còn ông Trưởng ban … thì sao?": says its own subject, but goes on from the previous turn;
        # so does a short question that names nothing ("xe nặng bao nhiêu kg" after one about a motorbike).
        goes_on = _FOLLOW_UP_MARK.match(question) or (len(_content_words(question)) <= SHORT_FOLLOW_UP_WORDS
                                                       and not entities(question) and not _names(question))
        return FollowUp(question, document if goes_on else None)
    return FollowUp.of(question, rewritten, document)
