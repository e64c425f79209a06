"""Conversation: rewrite a follow-up question into a standalone one, by rules on Vietnamese (no model)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Sequence

from ..config import MAX_HISTORY
from ..text.normalize import canonical_tones, fold, has_diacritics, nfc, strip_diacritics
from ..text.words import QUESTION_WORDS, SURNAMES

PLACE_KINDS = ("thành phố", "thị xã", "thị trấn", "khu phố", "phường", "xã", "quận", "huyện", "tỉnh",
               "ấp", "thôn", "tp")
PERSON_TITLES = ("đồng chí", "ông", "bà", "anh", "chị", "cô")
DEMONSTRATIVES = ("ấy", "này", "đó", "đấy")
PERSON_PRONOUNS = tuple(f"{head} {dem}" for head in ("ông", "bà", "anh", "chị", "cô", "người", "vị", "đồng chí")
                        for dem in DEMONSTRATIVES)
PLACE_PRONOUNS = tuple(f"{head} {dem}" for head in PLACE_KINDS + ("nơi", "địa phương", "đơn vị")
                       for dem in DEMONSTRATIVES)
LOCATIVE_PRONOUNS = ("ở đó", "ở đấy", "tại đó", "tại đấy")  # only "đó" is replaced: "ở phường Tân Mỹ"
# Words that end a name typed in lower case ("phuong phu thuan la ...") and never start one.
STOP_WORDS = frozenset(
    "la co cua thi va o tai ve da dang se duoc bi cho voi nhu nao gi ai sao bao may nay do ay day hien "
    "trong kien nghi de xuat khong chua nua con the vay".split())
# The shapes of "what about X?": còn X (thì sao), thế/vậy (còn) X thì sao, X thì thế nào...
_FOLLOW_UP = (
    re.compile(r"^(?:(?:va|the|vay) )*con (?:voi )?(?P<x>.+?)(?: nua)?(?: thi (?:sao|nhu the nao|the nao))?$"),
    re.compile(r"^(?:(?:va|the|vay|voi) )*(?P<x>.+?)(?: nua)? thi (?:sao|nhu the nao|the nao)$"),
)
_TRAILING_PARTICLES = frozenset({"a", "nhi", "ha", "vay"})
_ROLE = (re.compile(r"^(?:(?:vay|the) )?ai (?:la|lam) (?P<x>.+)$"), re.compile(r"^(?P<x>.+) la ai$"))
MAX_FOLLOW_UP_WORDS = 8
_QUESTION_PHRASES = tuple(sorted(QUESTION_WORDS))  # a question word in "còn X" makes it no follow-up


@dataclass(frozen=True)
class Entity:
    """A place or person named in a question: `text[start:end]`, the name from `name_start`."""

    kind: str  # canonical kind or title word ("phường", "ông"), or "" for a bare person name
    category: str  # "place" or "person"
    start: int
    name_start: int
    end: int


def _words(text: str) -> list[re.Match]:
    return list(re.finditer(r"\w+", text))


@lru_cache(maxsize=8192)
def _key(word: str) -> tuple[bool, str]:
    """How `word` is compared with phrase words: `(True, canonical lower case)` when typed with
    accents (so `phương` is not `phường`), else `(False, accent-free)` (so `phuong` may be)."""
    if has_diacritics(word):
        return True, canonical_tones(word.lower())
    return False, fold(word)


@lru_cache(maxsize=64)
def _phrase_table(phrases: tuple[str, ...]) -> dict[tuple[bool, str], list[tuple[str, tuple[tuple[str, str], ...]]]]:
    """`phrases` indexed by the key of their first word, longest first, each word in both forms."""
    table: dict[tuple[bool, str], list] = {}
    for phrase in sorted(phrases, key=lambda p: -len(p.split())):
        parts = tuple((canonical_tones(part), fold(part)) for part in phrase.split())
        for key in ((True, parts[0][0]), (False, parts[0][1])):
            table.setdefault(key, []).append((phrase, parts))
    return table


def _same(word: str, target: tuple[str, str]) -> bool:
    """Whether `word` is the phrase word `target` = (canonical lower case, accent-free)."""
    accented, key = _key(word)
    return key == target[0] if accented else key == target[1]


def _phrase_at(words: list[re.Match], index: int, phrases: tuple[str, ...]) -> tuple[str, int] | None:
    """The first of `phrases` (longest first) whose words start at `index`: `(phrase, width)`."""
    if index >= len(words):
        return None
    for phrase, parts in _phrase_table(phrases).get(_key(words[index].group()), ()):
        window = words[index:index + len(parts)]
        if len(window) == len(parts) and all(_same(w.group(), p) for w, p in zip(window, parts)):
            return phrase, len(parts)
    return None


def _is_capitalised(word: str) -> bool:
    return word[0].isupper() or word[0].isdigit()


def _name_end(text: str, words: list[re.Match], index: int, category: str) -> int:
    """Index after the proper name starting at word `index` (== index when there is none)."""
    end = index
    while (end < len(words) and end - index < 5 and _is_capitalised(words[end].group())
           and (end == index or not text[words[end - 1].end():words[end].start()].strip())):
        end += 1
    if end > index and category == "place":
        # "phường Tân Mỹ Trần Chí Dũng": a surname inside the run starts a person's name.
        return next((k for k in range(index + 1, end - 1) if fold(words[k].group()) in SURNAMES), end)
    if end > index or not words[index:] or fold(words[index].group()) in STOP_WORDS:
        return end
    # Typed in lower case: a place name is usually two syllables, a person's up to three after a surname.
    if category == "person" and fold(words[index].group()) not in SURNAMES:
        return index
    limit = 2 if category == "place" else 3
    while end < len(words) and end - index < limit and fold(words[end].group()) not in STOP_WORDS:
        end += 1
    return end


def entities(text: str) -> list[Entity]:
    """Places (kind word + name) and persons (title + name, or a capitalised name starting with
    a surname) named in `text`, in order."""
    words, found, index = _words(text), [], 0
    while index < len(words):
        kind = _phrase_at(words, index, PLACE_KINDS + PERSON_TITLES)
        if kind:
            category = "place" if kind[0] in PLACE_KINDS else "person"
            end = _name_end(text, words, index + kind[1], category)
            if end > index + kind[1]:
                found.append(Entity(kind[0], category, words[index].start(), words[index + kind[1]].start(),
                                    words[end - 1].end()))
                index = end
                continue
        word = words[index].group()
        if word[0].isupper() and fold(word) in SURNAMES:
            end = _name_end(text, words, index, "person")
            if end - index >= 2:
                found.append(Entity("", "person", words[index].start(), words[index].start(), words[end - 1].end()))
                index = end
                continue
        index += 1
    return found


def _splice(text: str, start: int, end: int, replacement: str) -> str:
    """Replace `text[start:end]`, capitalising at the start of the question, lower-casing a
    kind or title word moved into the middle of one."""
    if start == 0:
        replacement = replacement[:1].upper() + replacement[1:]
    elif _phrase_at(_words(replacement), 0, PLACE_KINDS + PERSON_TITLES):
        replacement = replacement[:1].lower() + replacement[1:]
    return text[:start] + replacement + text[end:]


def _matched_words(text: str, patterns: Sequence[re.Pattern]) -> list[re.Match] | None:
    """The words of `text` that group `x` of the first matching pattern covers; the patterns
    match the accent-free words joined by spaces, final particles ("ạ", "nhỉ") dropped."""
    words = _words(text)
    keys = [fold(w.group()) for w in words]
    while len(keys) > 2 and keys[-1] in _TRAILING_PARTICLES:
        keys.pop()
    joined = " ".join(keys)
    match = next((m for pattern in patterns if (m := pattern.match(joined))), None)
    if not match:
        return None
    first = joined[:match.start("x")].count(" ")
    return words[first:first + match.group("x").count(" ") + 1]


def _what_about(question: str, previous: str) -> str | None:
    """`previous` asked again about X when `question` is "còn X thì sao?" and the like."""
    subject_words = _matched_words(question, _FOLLOW_UP)
    if not subject_words or len(subject_words) > MAX_FOLLOW_UP_WORDS \
            or any(_phrase_at(subject_words, i, _QUESTION_PHRASES) for i in range(len(subject_words))):
        return None
    subject = question[subject_words[0].start():subject_words[-1].end()]
    found = entities(subject)
    new = found[0] if found and found[0].start == 0 and found[0].end == len(subject) else None
    # A bare capitalised subject ("Tân Mỹ") is a place name; a lower-case one ("trụ sở") a topic.
    category = new.category if new else ("place" if all(_is_capitalised(w.group()) for w in _words(subject)) else "")
    candidates = [e for e in entities(previous) if e.category == category]
    target = next((e for e in reversed(candidates) if new and e.kind == new.kind), None) \
        or (candidates[-1] if candidates else None)
    if target is None:
        base = previous.rstrip(" ?.!") + (" ở " if new and new.category == "place" else ", ")
        return _splice(base, len(base), len(base), subject) + "?"
    if new is None or (not new.kind and target.kind):
        return _splice(previous, target.name_start, target.end, subject)
    return _splice(previous, target.start, target.end, subject)


def _referent(category: str, kind: str | None, resolved: Sequence[str], plural: bool = False) -> str | None:
    """The most recent place (of `kind` when given) or person named in the earlier questions;
    for a person, the role asked about ("Ai là Chủ tịch UBND…?") when no name was given."""
    for previous in reversed(resolved):
        found = [e for e in entities(previous) if e.category == category]
        if category == "place":
            same_kind = [e for e in found if e.kind == kind] or found
            if same_kind:
                return previous[same_kind[-1].start:same_kind[-1].end]
            continue
        if found:
            names = [previous[e.name_start:e.end] for e in found]
            return " và ".join(dict.fromkeys(names)) if plural else names[-1]
        role = _matched_words(previous, _ROLE)
        if role:
            return previous[role[0].start():role[-1].end()]
    return None


def _resolve_pronouns(question: str, resolved: Sequence[str]) -> str:
    """Replace "ông ấy", "phường đó", "ở đó", "họ"... by what they refer to in earlier questions."""
    words, replacements, index = _words(question), [], 0
    own = {e.category for e in entities(question)}
    while index < len(words):
        hit = _phrase_at(words, index, PLACE_PRONOUNS + LOCATIVE_PRONOUNS + PERSON_PRONOUNS)
        word = words[index].group()
        if hit is None and word.lower() == "họ" and not _phrase_at(words, index + 1, ("tên", "và tên")):
            hit = ("họ", 1)
        if hit is None:
            index += 1
            continue
        phrase, width = hit
        start, end = words[index].start(), words[index + width - 1].end()
        category = "place" if phrase in PLACE_PRONOUNS + LOCATIVE_PRONOUNS else "person"
        head = phrase.rsplit(" ", 1)[0]
        referent = _referent(category, head if head in PLACE_KINDS else None, resolved, plural=phrase == "họ")
        if phrase in LOCATIVE_PRONOUNS:
            start = words[index + 1].start()
        # A pronoun whose referent is named in the question itself is left alone.
        if referent and category not in own:
            replacements.append((start, end, referent))
        index += width
    for start, end, referent in reversed(replacements):
        question = _splice(question, start, end, referent)
    return question


def _rewrite_one(question: str, resolved: Sequence[str]) -> str:
    question = " ".join(nfc(question).split())
    if not resolved or not question:
        return question
    rewritten = _resolve_pronouns(question, resolved)
    rewritten = _what_about(rewritten, resolved[-1]) or rewritten
    if rewritten != question and not has_diacritics(question):
        # Mixed text defeats retrieval: the accents are only restored on a question without any.
        return strip_diacritics(rewritten)
    return rewritten


def rewrite_question(question: str, history: Sequence[str]) -> str:
    """Turn a follow-up into a standalone question, using the earlier questions of the conversation.

    "Còn phường Tân Mỹ thì sao?" after "Ai là Bí thư Đảng ủy phường Phú Thuận?" becomes "Ai là Bí
    thư Đảng ủy phường Tân Mỹ?"; "Ông ấy giữ chức vụ gì?" after "Nguyễn Đăng Thoại cho biết điều
    gì?" becomes "Nguyễn Đăng Thoại giữ chức vụ gì?". The history is rewritten turn by turn first,
    so chains of follow-ups resolve.

    Args:
        question: the new question.
        history: earlier user questions, oldest first.

    Returns:
        The standalone question, or `question` itself when it is not a follow-up.
    """
    resolved: list[str] = []
    for earlier in list(history)[-MAX_HISTORY:]:
        if isinstance(earlier, str) and earlier.strip():
            resolved.append(_rewrite_one(earlier, resolved))
    rewritten = _rewrite_one(question, resolved)
    return question if rewritten == " ".join(nfc(question).split()) else rewritten
