"""References: what a follow-up's pronouns and demonstratives point at in the earlier turns of a
conversation, their questions and their answers ("bà ấy" → the woman an answer named, "khu đất
đó" → the land it spoke of, "điều đó" → what it said)."""

from __future__ import annotations

import re
from typing import Sequence

from ..results import RELATED
from ..text.mentions import (
    LOCATIVE_PRONOUNS,
    PERSON_NOUNS,
    PERSON_PRONOUNS,
    PLACE_KINDS,
    PLACE_PRONOUNS,
    ROLE_QUESTIONS,
    entities,
    is_capitalised,
    matched_words,
    phrase_at,
    splice,
    words_of,
)
from ..text.names import ORGANIZATION_HEADS, name_end, starts_with_written
from ..text.names import PERSON_TITLES as PERSON_TITLE_WORDS
from ..text.normalize import canonical_tones, fold
from ..text.questions import PERSON, question_form
from ..text.questions import STOP as QUESTION_STOP
from ..text.spans import ORGANIZATION as ORGANIZATION_SPAN
from ..text.spans import PERSON as PERSON_SPAN
from ..text.spans import PLACE as PLACE_SPAN
from ..text.spans import sentence_words, typed_spans
from ..text.units import find_phrase
from ..text.words import SURNAMES
from .turns import Turn, statement


def _people(turn: Turn, doubtful: bool = False) -> list[str]:
    """The people a turn named, most salient last: in its answer sentence, in its question, and its
    short answer when the question asked for a person."""
    # The subject of the answer sentence (its first person) is the likeliest referent; a sentence shown
    # only as related may be about someone else (read only when `doubtful` allows it).
    names = [turn.sentence[s.start:s.end] for s in typed_spans(turn.sentence)
             if s.kind == PERSON_SPAN][::-1] if turn.status != RELATED or doubtful else []
    names += [turn.standalone[e.name_start:e.end] for e in entities(turn.standalone) if e.category == "person"]
    # The short answer to "who": the likeliest of all, when it is a person's name (not "TPHCM"), as the
    # sentence names it or, quoted from before the sentence (the one who said it), on its own.
    short = turn.short_answer
    written = turn.sentence if short and short in turn.sentence else short
    if short and question_form(turn.standalone).kind == PERSON and \
            any(s.kind == PERSON_SPAN and written[s.start:s.end] == short for s in typed_spans(written)):
        names.append(short)
    ordered: list[str] = []
    for name in names:
        if name in ordered:
            ordered.remove(name)
        ordered.append(name)
    return ordered


def _in_order(names: list[str], turn: Turn) -> list[str]:
    """`names` in the order the turn wrote them (its question first, then its answer sentence)."""
    text = f"{turn.standalone} {turn.sentence}"
    return sorted(names, key=lambda name: text.find(name))


def _sentence_places(sentence: str) -> list[str]:
    return [sentence[s.start:s.end] for s in typed_spans(sentence) if s.kind == PLACE_SPAN and " " in sentence[s.start:s.end]]


def _bare_places(text: str) -> list[str]:
    """Names that may be places written without their kind word ("Phú Thuận còn kiến nghị…"): for
    "phường đó", any capitalised name but a Vietnamese person's (a surname first) or a titled one."""
    kinds = {fold(kind) for kind in PLACE_KINDS}
    words = sentence_words(text)
    found = []
    for span in typed_spans(text):
        name = text[span.start:span.end]
        if any(fold(name).startswith(kind + " ") for kind in kinds) or span.kind not in (PLACE_SPAN, PERSON_SPAN, "name"):
            continue
        titled = span.first_word > 0 and words[span.first_word - 1].folded in PERSON_TITLE_WORDS
        if span.kind == PLACE_SPAN or (words[span.first_word].folded not in SURNAMES and not titled):
            found.append(name)
    return found


def _after_locative(text: str, name: str) -> bool:
    before = text[:text.find(name)].split()
    return bool(before) and fold(before[-1]) in ("o", "tai")


def _woman(name: str, turn: Turn) -> bool | None:
    """Whether `name` is a woman's (a "Thị" middle name, or "bà"/"chị"/"cô" before it), a man's
    ("ông"/"anh" before it), or unknown."""
    if " thi " in f" {fold(name)} ":
        return True
    for text in (turn.sentence, turn.standalone):
        before = text[:text.find(name)] if name in text else ""
        title = fold(before.split()[-1]) if before.split() else ""
        if title in ("ba", "chi", "co"):
            return True
        if title in ("ong", "anh"):
            return False
    return None


def _referent(category: str, kind: str | None, turns: Sequence[Turn], plural: bool = False,
              title: str = "") -> str | None:
    """`_named_before`; for a person nobody named for sure, the one a sentence shown as related was
    about ("ông ấy" after "Ai tuyên bố thắng cử?" with the sentence naming Moon Jae-in, unsure); for
    "ở đó" with no place named for sure, the latest name an earlier question wrote that may be one
    ("Afghanistan" of "Tuyết dày khiến chính phủ Afghanistan phải làm gì?")."""
    found = _named_before(category, kind, turns, plural, title)
    if found is None and category == "person":
        found = _named_before(category, kind, turns, plural, title, doubtful=True)
    if found is None and category == "place" and not kind:
        found = next((names[-1] for turn in reversed(turns) if turn.relevant
                      and (names := _bare_places(turn.standalone))), None)
    return found


def _named_before(category: str, kind: str | None, turns: Sequence[Turn], plural: bool = False,
                  title: str = "", doubtful: bool = False) -> str | None:
    """The most recent place (of `kind` when given) or person the earlier turns named, in their
    questions or answers; a person of the gender the pronoun's `title` says when one is known
    ("bà ấy": not "Trần Chí Dũng"); for a person, the role asked about when no name was given."""
    wants_woman = True if fold(title) in ("ba", "chi", "co") else False if fold(title) in ("ong", "anh") else None
    # A person the conversation already calls by another title is not the one meant: "em ấy" after
    # "chị ấy" (the mother) is still the boy "em ấy" was before.
    called = _called(turns) if fold(title) in _KIN_TITLES else {}
    for turn in reversed(turns):
        if not turn.relevant:
            continue
        if category == "place":
            found = [turn.standalone[e.start:e.end] for e in entities(turn.standalone) if e.category == "place"]
            # "ở đó" after "… bị bỏ ở Nội Bài …?": a name the question put after "ở" or "tại".
            found += [name for name in _bare_places(turn.standalone) if _after_locative(turn.standalone, name)] \
                if not kind else []
            found += _sentence_places(turn.sentence)  # written with capitals: read strictly
            same_kind = [p for p in found if fold(p).startswith(fold(kind or "") + " ")] if kind else found
            if same_kind or (found and not kind):
                return (same_kind or found)[0]
            # "Phú Thuận" named without its kind: "phường đó" is "phường Phú Thuận"; a name of one word
            # only where the question put it after "ở" or "tại" ("tỉnh đó" after "… ở Nuristan?").
            bare = [name for name in _bare_places(turn.standalone) + _bare_places(turn.sentence)
                    if " " in name or _after_locative(turn.standalone, name)]
            if kind and bare:
                return f"{kind} {bare[0]}"
            continue
        counted = _people_counted(turn) if plural else None
        if counted:  # "Họ có an toàn không?" after "Trên tàu có bao nhiêu thuyền viên?": the crew counted
            return counted
        names = [n for n in _people(turn, doubtful) if called.get(fold(n), fold(title)) == fold(title)]
        if wants_woman is not None:  # known to be of the gender asked first, then unknown ones
            names = [n for n in names if _woman(n, turn) is None] + [n for n in names if _woman(n, turn) is wants_woman]
        if names:
            if plural and turn.short_answer and question_form(turn.standalone).kind == PERSON:
                return turn.short_answer  # "Hai đối thủ là ai?" → "Hong Joon Pyo và Ahn Cheol Soo"
            if plural:
                ordered = _in_order(names[-3:], turn)
                return " và ".join([", ".join(ordered[:-1]), ordered[-1]] if len(ordered) > 2 else ordered)
            return names[-1]
        role = matched_words(turn.standalone, ROLE_QUESTIONS)
        if role:
            return turn.standalone[role[0].start():role[-1].end()]
    return None


def _people_counted(turn: Turn) -> str | None:
    """"các thuyền viên" when a turn asked how many people of a kind ("bao nhiêu thuyền viên") and was
    answered; None otherwise."""
    form = question_form(turn.standalone)
    words = words_of(turn.standalone)
    if not turn.short_answer or form.unit != "people" or not form.counted or len(words) != len(form.words):
        return None
    noun = words[form.ask[1]:form.ask[1] + len(form.counted)]
    return "các " + turn.standalone[noun[0].start():noun[-1].end()]


# The titles a person is called by ("chị ấy", "em ấy"), which stay theirs through a conversation.
_KIN_TITLES = frozenset(fold(w) for w in "ông bà anh chị cô em cậu".split())


def _called(turns: Sequence[Turn]) -> dict[str, str]:
    """The people earlier questions called by a pronoun, accent-free, each with the pronoun's title
    ("luu thi chau": "chi" after "chị ấy bao nhiêu tuổi" became "chị Lưu Thị Châu bao nhiêu tuổi")."""
    called = {}
    for turn in turns:
        words = words_of(turn.question)
        titles = {fold(words[i].group()) for i in range(len(words)) if phrase_at(words, i, PERSON_PRONOUNS)}
        if len(titles & _KIN_TITLES) != 1 or turn.standalone == turn.question:
            continue
        asked = fold(turn.question)
        for entity in entities(turn.standalone):
            name = fold(turn.standalone[entity.name_start:entity.end])
            if entity.category == "person" and name not in asked:
                called[name] = next(iter(titles & _KIN_TITLES))
    return called


def resolve_pronouns(question: str, turns: Sequence[Turn]) -> str:
    """Replace "ông ấy", "phường đó", "ở đó", "họ"... by what they refer to in earlier turns."""
    words, replacements, index = words_of(question), [], 0
    pronouns = [(words[i].start(), words[i + hit[1] - 1].end()) for i in range(len(words))
                if (hit := phrase_at(words, i, PLACE_PRONOUNS + LOCATIVE_PRONOUNS + PERSON_PRONOUNS))]
    # What the question names itself ("anh ta" is no "Tạ Thắng"): a pronoun referring to it is left alone.
    own = {e.category for e in entities(question) if not any(s <= e.start < t or e.start <= s < e.end
                                                              for s, t in pronouns)}
    while index < len(words):
        hit = phrase_at(words, index, PLACE_PRONOUNS + LOCATIVE_PRONOUNS + PERSON_PRONOUNS)
        word = words[index].group()
        # "họ" (they), not "bao nhiêu hộ" typed without accents and restored as "họ"
        counted = index and fold(words[index - 1].group()) in ("nhieu", "may", "cac", "nhung") \
            or index and words[index - 1].group().isdigit()
        if hit is None and word.lower() == "họ" and not counted and not phrase_at(words, index + 1, ("tên", "và tên")):
            hit = ("họ", 1)
        if hit is None:
            index += 1
            continue
        phrase, width = hit
        start, end = words[index].start(), words[index + width - 1].end()
        category = "place" if phrase in PLACE_PRONOUNS + LOCATIVE_PRONOUNS else "person"
        head = phrase.rsplit(" ", 1)[0]
        referent = _referent(category, head if head in PLACE_KINDS else None, turns, plural=phrase == "họ",
                             title=head if category == "person" else "")
        if phrase in LOCATIVE_PRONOUNS:
            start = words[index + 1].start()
        elif category == "person" and referent and head in ("ông", "bà", "anh", "chị", "cô") \
                and fold(words[index].group()) in ("ong", "ba", "anh", "chi", "co") \
                and all(is_capitalised(w) for w in referent.split()):  # "Moon Jae-in" too
            # Keep the title before a name ("bà Nguyễn Thị Mỹ Hằng"), not before a role ("Chủ tịch UBND…").
            start = words[index + 1].start() if width > 1 else start
        elif category == "person" and referent and head in PERSON_NOUNS and all(is_capitalised(w) for w in
                                                                                referent.split()):
            start = words[index + width - 1].start()  # "cầu thủ đó" → "cầu thủ Công Phượng"
        # A pronoun whose referent is named in the question itself is left alone.
        if referent and category not in own:
            replacements.append((start, end, referent))
        index += width
    for start, end, referent in reversed(replacements):
        question = splice(question, start, end, referent)
    return question


# Kinds of place a question's subject may be written without a name ("vậy phường kiến nghị gì?").
_BARE_SUBJECT_KINDS = ("phường", "xã", "quận", "huyện", "tỉnh")
_OPENERS = frozenset(("vay", "the", "con", "va", "cu"))


def resolve_bare_place(question: str, turns: Sequence[Turn]) -> str:
    """"Vậy phường kiến nghị gì?" after a turn about phường Tân Mỹ: the place kind that opens the
    question without a name is that place ("Vậy phường Tân Mỹ kiến nghị gì?")."""
    words = words_of(question)
    index = 0
    while index < len(words) - 1 and fold(words[index].group()) in _OPENERS:
        index += 1
    if index + 1 >= len(words):
        return question
    kind = next((k for k in _BARE_SUBJECT_KINDS if fold(words[index].group()) == fold(k)), None)
    if kind is None or is_capitalised(words[index + 1].group()) or entities(question):
        return question
    referent = _referent("place", kind, turns)
    if referent is None or not fold(referent).startswith(fold(kind) + " "):
        return question
    return splice(question, words[index].start(), words[index].end(), referent)


# "điều đó", "việc này", "làm vậy": what the previous turn established.
ABSTRACT = ("điều đó", "điều này", "việc đó", "việc này", "chuyện đó", "chuyện này", "vấn đề đó", "vấn đề này",
            "thông tin đó", "thông tin này", "như vậy", "vậy", "thế")


# Nouns that are no thing to point at ("người đó" is a person; "lúc đó" a time).
_NOT_THINGS = frozenset(fold(w) for w in "người ông bà anh chị cô em vị đồng chí lúc khi hôm ngày nơi chỗ "
                        "điều việc chuyện vấn đề thông tin cái ở tại từ đến".split())


_PLACE_KIND_ENDS = frozenset(fold(kind.split()[-1]) for kind in PLACE_KINDS) | {fold(k.split()[0]) for k in PLACE_KINDS}


_DEMONSTRATIVE = re.compile(r"(?<!\w)(?P<head>\w+(?: \w+)?) (?P<dem>đó|này|ấy|kia|đấy)(?!\w)")


# Nouns of what was said ("kiến nghị đó", "chủ trương này"): they point at the previous answer.
_SAYINGS = frozenset(fold(w) for w in (
    "kiến_nghị đề_xuất chủ_trương ý_kiến thông_tin quyết_định yêu_cầu cam_kết phát_biểu nhận_định tuyên_bố "
    "chính_sách đề_nghị lời_hứa nhận_xét thông_báo phản_ánh lý_do nguyên_nhân sự_việc vụ_việc hiện_tượng kết_quả "
    "việc_làm_này").replace("_", " ").split())


def _thing(head: str, turns: Sequence[Turn], question: str) -> str | None:
    """What "<head> đó" points at: the phrase starting with `head` in an earlier question or answer
    sentence, with what specifies it ("kế hoạch đó" → "Kế hoạch 249-KH/UBKTTW"), or `head` and the
    earlier short answer ("môn đó" → "môn Ngữ văn")."""
    head_words = tuple(fold(w) for w in head.split())
    asked = {fold(w) for w in question.split()}
    for turn in reversed(turns):
        if not turn.relevant:
            continue
        for text in (turn.sentence, turn.standalone):
            words = sentence_words(text)
            for index in range(len(words) - len(head_words) + 1):
                if tuple(w.folded for w in words[index:index + len(head_words)]) != head_words:
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
    return None


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
        head = head.split()[-1] if fold(head.split()[0]) in QUESTION_STOP else head
        last = fold(head.split()[-1])
        if fold(head.split()[0]) in _NOT_THINGS or last in _NOT_THINGS or last in _PLACE_KIND_ENDS:
            continue  # "mẹ em ấy", "Đảng ủy phường đó": a person or a place, for `resolve_pronouns`
        if fold(head) in _SAYINGS or fold(head.split()[-1]) in _SAYINGS:
            start = match.start("head") + match.group("head").find(head)
            return splice(question, start, match.end("dem"), _what_was_said(head, previous))
        referent = _thing(head, turns, question) or _organization(head, previous)
        if referent:
            start = match.start("head") + match.group("head").find(head)
            return splice(question, start, match.end("dem"), referent)
    return question
