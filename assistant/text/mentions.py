"""Mentions: the people and places a question names ("phường Tân Mỹ", "ông Trần Chí Dũng", a
name typed in lower case and without accents), the pronouns that point at them ("ông ấy", "phường
đó", "ở đó"), and matching Vietnamese phrases typed with or without diacritics."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Sequence

from .names import after_place_kind
from .normalize import canonical_tones, fold, has_diacritics
from .words import SURNAMES

PLACE_KINDS = ("thành phố", "thị xã", "thị trấn", "khu phố", "phường", "xã", "quận", "huyện", "tỉnh",
               "ấp", "thôn", "tp")


PERSON_TITLES = ("đồng chí", "ông", "bà", "anh", "chị", "cô")


DEMONSTRATIVES = ("ấy", "này", "đó", "đấy")


# Nouns for a person that a demonstrative makes a reference: "cầu thủ đó" is the player named before.
PERSON_NOUNS = ("cầu thủ", "tay vợt", "thủ môn", "tiền đạo", "vận động viên", "ứng viên", "ứng cử viên", "thí sinh",
                "học sinh", "sinh viên", "chàng trai", "cô gái", "bệnh nhân", "nạn nhân", "tài xế", "ca sĩ",
                "diễn viên", "nghệ sĩ", "bác sĩ", "giáo viên", "nhà báo", "phóng viên", "doanh nhân", "tỷ phú")


PERSON_PRONOUNS = tuple(f"{head} {dem}" for head in ("ông", "bà", "anh", "chị", "cô", "em", "cậu", "người", "vị",
                                                    "đồng chí") + PERSON_NOUNS for dem in DEMONSTRATIVES + ("ta",))


PLACE_PRONOUNS = tuple(f"{head} {dem}" for head in PLACE_KINDS + ("nơi", "địa phương", "đơn vị")
                       for dem in DEMONSTRATIVES)


LOCATIVE_PRONOUNS = ("ở đó", "ở đấy", "tại đó", "tại đấy")  # only "đó" is replaced: "ở phường Tân Mỹ"


# Words that end a name typed in lower case ("phuong phu thuan la ...") and never start one.
STOP_WORDS = frozenset(
    "la co cua thi va o tai ve da dang se duoc bi cho voi nhu nao gi ai sao bao may nay do ay day hien "
    "trong kien nghi de xuat khong chua nua con the vay".split())


TRAILING_PARTICLES = frozenset({"a", "nhi", "ha", "vay"})


ROLE_QUESTIONS = (re.compile(r"^(?:(?:vay|the) )?ai (?:la|lam) (?P<x>.+)$"), re.compile(r"^(?P<x>.+) la ai$"))


@dataclass(frozen=True)
class Entity:
    """A place or person named in a question: `text[start:end]`, the name from `name_start`."""

    kind: str  # canonical kind or title word ("phường", "ông"), or "" for a bare person name
    category: str  # "place" or "person"
    start: int
    name_start: int
    end: int


def words_of(text: str) -> list[re.Match]:
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


def phrase_at(words: list[re.Match], index: int, phrases: tuple[str, ...]) -> tuple[str, int] | None:
    """The first of `phrases` (longest first) whose words start at `index`: `(phrase, width)`."""
    if index >= len(words):
        return None
    for phrase, parts in _phrase_table(phrases).get(_key(words[index].group()), ()):
        window = words[index:index + len(parts)]
        if len(window) == len(parts) and all(_same(w.group(), p) for w, p in zip(window, parts)):
            return phrase, len(parts)
    return None


def is_capitalised(word: str) -> bool:
    return word[0].isupper() or word[0].isdigit()


def _name_end(text: str, words: list[re.Match], index: int, category: str) -> int:
    """Index after the proper name starting at word `index` (== index when there is none)."""
    end = index
    while end < len(words) and end - index < 5:
        gap = text[words[end - 1].end():words[end].start()] if end > index else ""
        # capitalised words a space apart, and a part joined by a hyphen ("Moon Jae-in")
        if not ((is_capitalised(words[end].group()) and not gap.strip()) or (end > index and gap == "-")):
            break
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
    # One syllable after a kind word typed in lower case is seldom a place: "ap dung" is "áp dụng".
    return index if category == "place" and end - index < 2 else end


def entities(text: str) -> list[Entity]:
    """Places (kind word + name) and persons (title + name, or a capitalised name starting with
    a surname) named in `text`, in order."""
    words, found, index = words_of(text), [], 0
    while index < len(words):
        kind = phrase_at(words, index, PLACE_KINDS + PERSON_TITLES)
        following = fold(words[index + kind[1]].group()) if kind and index + kind[1] < len(words) else ""
        if kind and not (kind[0] in PLACE_KINDS and following == "uy"):  # "huyện ủy" is a body, no place
            category = "place" if kind[0] in PLACE_KINDS else "person"
            end = _name_end(text, words, index + kind[1], category)
            if end > index + kind[1]:
                found.append(Entity(kind[0], category, words[index].start(), words[index + kind[1]].start(),
                                    words[end - 1].end()))
                index = end
                continue
        word = words[index].group()
        # "Nguyễn Huệ" of "đường hoa Nguyễn Huệ" is a street, no person.
        if word[0].isupper() and fold(word) in SURNAMES and \
                not after_place_kind([canonical_tones(w.group().lower()) for w in words[max(0, index - 2):index]]):
            end = _name_end(text, words, index, "person")
            if end - index >= 2:
                found.append(Entity("", "person", words[index].start(), words[index].start(), words[end - 1].end()))
                index = end
                continue
        index += 1
    return found


def splice(text: str, start: int, end: int, replacement: str) -> str:
    """Replace `text[start:end]`, capitalising at the start of the question, lower-casing a
    kind or title word moved into the middle of one."""
    if start == 0:
        replacement = replacement[:1].upper() + replacement[1:]
    elif phrase_at(words_of(replacement), 0, PLACE_KINDS + PERSON_TITLES):
        replacement = replacement[:1].lower() + replacement[1:]
    return text[:start] + replacement + text[end:]


def matched_words(text: str, patterns: Sequence[re.Pattern]) -> list[re.Match] | None:
    """The words of `text` that group `x` of the first matching pattern covers; the patterns
    match the accent-free words joined by spaces, final particles ("ạ", "nhỉ") dropped."""
    words = words_of(text)
    keys = [fold(w.group()) for w in words]
    while len(keys) > 2 and keys[-1] in TRAILING_PARTICLES:
        keys.pop()
    joined = " ".join(keys)
    match = next((m for pattern in patterns if (m := pattern.match(joined))), None)
    if not match:
        return None
    first = joined[:match.start("x")].count(" ")
    return words[first:first + match.group("x").count(" ") + 1]
