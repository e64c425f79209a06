"""Demonstratives: what a follow-up's "khu đất đó", "kế hoạch này", "kiến nghị đó" and "điều đó" point
at in the earlier turns of a conversation, their questions and their answers ("khu đất đó" → the land
an answer spoke of, "điều đó" → what it said). People and places: `answer.references`."""

from __future__ import annotations

import re
from typing import Sequence

from ..text.mentions import PLACE_KINDS, phrase_at, splice, words_of
from ..text.names import ORGANIZATION_HEADS, name_end, starts_with_written
from ..text.normalize import bare_among_accents, canonical_tones, fold, has_diacritics
from ..text.questions import STOP as QUESTION_STOP
from ..text.questions import STOP_WRITTEN, question_form
from ..text.spans import ORGANIZATION as ORGANIZATION_SPAN
from ..text.spans import sentence_words, typed_spans
from ..text.units import find_phrase
from .things import brand
from .turns import Turn, statement

# "điều đó", "việc này", "làm vậy": what the previous turn established.
ABSTRACT = ("điều đó", "điều này", "việc đó", "việc này", "chuyện đó", "chuyện này", "vấn đề đó", "vấn đề này",
            "thông tin đó", "thông tin này", "như vậy", "vậy", "thế")


# Nouns that are no thing to point at ("người đó" is a person; "lúc đó" a time).
_NOT_THINGS = frozenset(fold(w) for w in "người ông bà anh chị cô em vị đồng chí lúc khi hôm ngày nơi chỗ "
                        "điều việc chuyện vấn đề thông tin cái ở tại từ đến".split())


_PLACE_KIND_ENDS = frozenset(fold(kind.split()[-1]) for kind in PLACE_KINDS) | {fold(k.split()[0]) for k in PLACE_KINDS}


_DEMONSTRATIVE = re.compile(r"(?<!\w)(?P<head>\w+(?: \w+)?) (?P<dem>đó|này|ấy|kia|đấy)(?!\w)")


# Nouns of what was said ("kiến nghị đó", "chủ trương này"): they point at the previous answer.
_SAYINGS = frozenset(fold(w.replace("_", " ")) for w in (
    "kiến_nghị đề_xuất chủ_trương ý_kiến thông_tin quyết_định yêu_cầu cam_kết phát_biểu nhận_định tuyên_bố "
    "chính_sách đề_nghị lời_hứa nhận_xét thông_báo phản_ánh lý_do nguyên_nhân sự_việc vụ_việc hiện_tượng kết_quả"
    ).split())


def _thing(head: str, turns: Sequence[Turn], question: str) -> str | None:
    """What "<head> đó" points at: the phrase starting with `head` in an earlier question or answer
    sentence, with what specifies it ("kế hoạch đó" → "Kế hoạch 249-KH/UBKTTW"), or `head` and the
    earlier short answer ("môn đó" → "môn Ngữ văn")."""
    head_words = tuple(fold(w) for w in head.split())
    # as written where the question writes accents ("quan" is no "quận")
    written = tuple(canonical_tones(w.lower()) for w in head.split()) if has_diacritics(question) else None
    asked = {fold(w) for w in question.split()}
    for turn in reversed(turns):
        if not turn.relevant:
            continue
        for text in (turn.sentence, turn.standalone):
            words = sentence_words(text)
            for index in range(len(words) - len(head_words) + 1):
                if tuple(w.folded for w in words[index:index + len(head_words)]) != head_words or (
                        written and tuple(w.written for w in words[index:index + len(head_words)]) != written):
                    continue
                # An organisation's whole name ("Ngân hàng Thương mại Cổ phần …"); else what names it:
                # a capitalised name, a code or a quotation right after the noun; "số 5" of "tổ công tác số 5".
                whole = next((text[span.start:span.end] for span in typed_spans(text)
                              if span.kind == ORGANIZATION_SPAN and span.start == words[index].start
                              and span.last_word >= index + len(head_words)), None)
                if whole:
                    return whole
                end = index + len(head_words)
                if end + 1 < len(words) and words[end].folded == "so" and words[end + 1].text.isdigit():
                    end += 2
                # A quotation runs to its end, whatever the question says ("mô hình “liên phường”").
                quoted = _quoted(text, words, index + len(head_words))
                while end < len(words) and end - index < len(head_words) + 5 \
                        and (quoted or words[end].folded not in asked) \
                        and _names_on(text, words, end, quoted, end > index + len(head_words)):
                    end += 1
                if end > index + len(head_words):
                    return re.sub(r"[“”\"]", "", text[words[index].start:words[end - 1].end])
        if turn.short_answer and fold(head) in fold(turn.standalone):  # "môn nào …?" answered "Ngữ văn"
            return f"{head} {turn.short_answer}"
    return None


def _organization(head: str, previous: Turn) -> str | None:
    """"công ty đó" after an answer naming "Tập đoàn Alibaba": the organisation the previous turn
    named, when the noun is one an organisation is called by."""
    if tuple(canonical_tones(w) for w in head.lower().split()) not in ORGANIZATION_HEADS:
        return None
    for text in (previous.sentence, previous.standalone):
        words = sentence_words(text)
        for index, word in enumerate(words):  # inside a role too: "Chủ tịch Tập đoàn Alibaba"
            if word.capitalised and starts_with_written(words, index, ORGANIZATION_HEADS):
                last = name_end(text, words, index, organization=True)
                if last > index and words[last].capitalised:
                    return text[word.start:words[last].end]
    return brand(previous.standalone)  # "hãng này" after "Ford định cắt giảm …?"


_OPENING_QUOTES = (" “", "“", " \"")


def _names_on(text: str, words, index: int, quoted: bool, named: bool) -> bool:
    """Whether word `index` goes on naming the thing before it: a capitalised word, a number, a
    quotation opening, any word of a quotation until it closes, or, once something is `named`, a
    word joined by "-" or "/" ("Sở Quy hoạch - Kiến trúc")."""
    gap = text[words[index - 1].end:words[index].start]
    word = words[index].text
    return gap in _OPENING_QUOTES or (gap in (" ", "", "-", "/") and (
        quoted or word[0].isupper() or any(c.isdigit() for c in word) or (named and gap in ("-", "/"))))


def _quoted(text: str, words, first: int) -> bool:
    """Whether a quotation opens right after word `first - 1`."""
    opening = text[words[first - 1].end:words[first].start] if first < len(words) else ""
    return "“" in opening or '"' in opening


SAID_WORDS = 12  # of an answer sentence, after the noun of what was said


def _what_was_said(head: str, previous: Turn) -> str:
    """What "<head> đó" ("kiến nghị đó") points at in the previous turn: from `head` on in what it
    established ("kiến nghị xây Trung tâm hành chính …", not "phường nào kiến nghị …"), or in its
    answer sentence when that still asks; the whole statement after `head` when neither names it."""
    said = statement(previous)
    keys = tuple(fold(w) for w in head.split())
    for text, limit in ((said, None), (previous.sentence, SAID_WORDS)):
        words = sentence_words(text)
        at = find_phrase(tuple(w.folded for w in words), keys)
        if at < 0:
            continue
        last = len(words) if limit is None else min(len(words), at + len(keys) + limit)
        tail = text[words[at].start:words[last - 1].end].rstrip(" ,.;:")
        if question_form(tail).kind is None:
            return tail[:1].lower() + tail[1:]
    return f"{head} {said[:1].lower() + said[1:]}"


def resolve_demonstratives(question: str, turns: Sequence[Turn]) -> str:
    """Replace "khu đất đó", "mô hình này", "điều đó", "làm vậy" by what they point at."""
    previous = next((t for t in reversed(turns) if t.relevant), None)
    if previous is None:
        return question
    words = words_of(question)
    for index in range(len(words)):
        hit = phrase_at(words, index, ABSTRACT)
        if hit and (hit[0] not in ("vậy", "thế") or index > 0 and fold(words[index - 1].group()) in
                    ("lam", "noi", "nhu", "vi", "bao", "tuyen", "khang", "danh", "cho")):
            start, end = words[index].start(), words[index + hit[1] - 1].end()
            return splice(question, start, end, statement(previous))
    for match in _DEMONSTRATIVE.finditer(question):
        head = match.group("head")
        first = head.split()[0]
        stop = canonical_tones(first.lower()) in STOP_WRITTEN if has_diacritics(question) \
            else fold(first) in QUESTION_STOP
        head = head.split()[-1] if stop and " " in head else head  # "có", not the "Cơ" of "Cơ quan"
        last = fold(head.split()[-1])
        # "Cơ quan này" typed with accents elsewhere: its "quan" is no "quận"
        place_kind = last in _PLACE_KIND_ENDS and not bare_among_accents(head.split()[-1], question)
        if fold(head.split()[0]) in _NOT_THINGS or last in _NOT_THINGS or place_kind:
            continue  # "mẹ em ấy", "Đảng ủy phường đó": a person or a place, for `resolve_pronouns`
        if fold(head) in _SAYINGS:
            start = match.start("head") + match.group("head").find(head)
            return splice(question, start, match.end("dem"), _what_was_said(head, previous))
        referent = _thing(head, turns, question) or _organization(head, previous)
        if referent:
            start = match.start("head") + match.group("head").find(head)
            return splice(question, start, match.end("dem"), referent)
    return question
