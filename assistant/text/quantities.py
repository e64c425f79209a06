"""Quantities in a sentence: amounts with their approximation and unit ("gần 12.000 m²", "hơn 866
nghìn thí sinh"), dates and times ("24-10", "tháng 2", "14g30"), identifiers ("249-KH/UBKTTW") and
quotations, as typed spans."""

from __future__ import annotations

import re

from .normalize import canonical_tones, fold
from .sentence_words import CODE, NUMBER, QUOTE, SCORE, TIME, Span, Word, is_boundary, joined

# As written ("hạng 1.020" is a rank, "hàng trăm" an approximation).
_APPROXIMATELY = tuple(canonical_tones(p) for p in (
    "gần", "khoảng", "hơn", "trên", "dưới", "ít nhất", "tối thiểu", "tối đa", "chừng", "xấp xỉ", "gần như",
    "lên tới", "lên đến", "tới", "đến", "cả", "vào khoảng", "hàng", "ngót"))


# Spelled numbers as written (accent-free they are other words: "tâm" is no "tám"); "một", "ba",
# "năm", "tư" and "nửa" are as often "a", "father", "year", "private" and "half".
_NUMBER_WORDS = frozenset("hai bốn sáu bảy tám chín mười mươi trăm nghìn ngàn triệu tỷ tỉ chục".split())


_SCALE_WORDS = frozenset("trăm nghìn ngàn triệu tỷ tỉ chục".split())


# "năm" after a number written in digits is years ("hơn 20 năm"), although it also ends a phrase.
_YEARS = canonical_tones("năm")
_AFTER_YEARS = frozenset(canonical_tones(w) for w in "tuổi liền nay qua trước sau".split())


# Number words that are also other words ("ba" father, "năm" year): numbers only before a scale ("ba trăm").
_AMBIGUOUS_NUMBER_WORDS = frozenset("một ba năm".split())


_UNIT_SYMBOLS = re.compile(r"%|m2|m3|km2|km|cm|mm|kg|ha|nm|usd|vnd|mw|kw|kwh|gb|mb|tb|ghz|mhz|hz|mp|mah|mbps|gbps|"
                           r"cc|ml|l|g|t|m|\$")


# A day and month; not the hours of "2-3 giờ sáng".
DATE = re.compile(r"(?<![\w/.-])\d{1,2}[-/.]\d{1,2}(?:[-/.]\d{2,4})?(?![\w/-])(?! ?(?:gio|h|g)(?!\w))")


_TIME_PHRASES = re.compile(
    r"(?<!\w)(?:(?:(?:cuoi|dau|giua) )?(?:thang|nam|quy|tuan|phut|hiep|ky|mong|mung) \d{1,4}(?:[-/]\d{2,4})?"
    r"(?: (?:thang|nam) [\w]+)?|"
    r"(?:\d{1,2} ?- ?)?\d{1,2}(?:h|g| gio)(?:\s?\d{2})?(?: (?:sang|chieu|toi|trua|dem))?|\d{1,2}:\d{2}|"
    r"(?<![\d.,])(?:1[5-9]|20)\d{2}(?![\d.,]*\d)|"
    r"(?:thu (?:hai|ba|tu|nam|sau|bay)|chu nhat)|(?:hom|sang|chieu|toi|dem|trua) (?:qua|nay|mai|kia)|"
    r"(?:moi )?(?:cuoi|dau|giua) (?:tuan|thang|nam)(?: (?:nay|toi|sau|truoc|qua))?|"
    r"(?:tuan|thang|nam) (?:truoc|nay|toi|sau|qua|ngoai)|dip tet|truoc tet|sau tet|ra gieng)(?!\w)")


def numbers(sentence: str, words: tuple[Word, ...], folded: str) -> list[Span]:
    spans = []
    index = 0
    dates = [m.span() for m in DATE.finditer(folded) if _calendar_date(m.group()) or not _range_of(folded, m.end())]
    while index < len(words):
        word = words[index]
        is_digit = word.folded[0].isdigit()
        following = words[index + 1].text.lower() if index + 1 < len(words) else ""
        spelled = (word.text.lower() in _NUMBER_WORDS and following and not words[index + 1].capitalised
                   and following != "phú") or \
            (word.text.lower() in _AMBIGUOUS_NUMBER_WORDS and following in _SCALE_WORDS)  # "tỷ phú" counts nothing
        if not (is_digit or spelled) or any(s <= word.start < e for s, e in dates):
            index += 1
            continue
        first, last = index, index
        # 12.000 and 3,5 are one number; "1,2 triệu" and "hai trăm" run on.
        while last + 1 < len(words) and sentence[words[last].end:words[last + 1].start] in (".", ",") \
                and words[last + 1].folded.isdigit() and is_digit:
            last += 1
        # "33-35 độ C", "10-15%": a range of one unit, no date nor score.
        if is_digit and last + 1 < len(words) and sentence[words[last].end:words[last + 1].start] in _RANGE_DASHES \
                and words[last + 1].folded.isdigit() and _range_of(folded, words[last + 1].end):
            last += 1
        while last + 1 < len(words) and words[last + 1].text.lower() in _SCALE_WORDS | _NUMBER_WORDS \
                and joined(sentence, words[last], words[last + 1]):
            last += 1
        # What follows: a unit symbol joined to the number, or up to two lower-case words (the thing counted).
        unit_words: list[int] = []
        probe = last + 1
        if probe < len(words) and _UNIT_SYMBOLS.fullmatch(words[probe].folded) and \
                sentence[words[last].end:words[probe].start] in ("", " "):
            unit_words.append(probe)
        elif sentence[word.end:word.end + 1] == "%" or sentence[words[last].end:words[last].end + 2] == " %":
            pass
        else:
            while probe < len(words) and len(unit_words) < 2 and joined(sentence, words[probe - 1], words[probe]) \
                    and not words[probe].capitalised \
                    and (not is_boundary(words[probe])
                         or (not unit_words and is_digit and words[probe].written == _YEARS)) \
                    and (len(unit_words) == 0 or not words[probe].text[0].isupper()) \
                    and not (unit_words and words[unit_words[0]].written == _YEARS
                             and words[probe].written not in _AFTER_YEARS):
                unit_words.append(probe)
                probe += 1
            # "35 độ C": the scale of a temperature
            if unit_words and words[unit_words[-1]].folded == "do" and probe < len(words) \
                    and words[probe].text in ("C", "F") and joined(sentence, words[probe - 1], words[probe]):
                unit_words.append(probe)
        start = word.start
        # An approximation before it belongs to the amount: "gần 12.000 m²", "khoảng 14 người".
        for phrase in _APPROXIMATELY:
            length = len(phrase.split())
            if first >= length and " ".join(w.written for w in words[first - length:first]) == phrase \
                    and all(joined(sentence, words[k], words[k + 1]) for k in range(first - length, first)):
                start = words[first - length].start
                break
        end = words[unit_words[-1]].end if unit_words else words[last].end
        # A rate keeps what it is per, in its text only: "12 nghìn đồng/kg", "100 km/h".
        per = unit_words[-1] + 1 if unit_words else len(words)
        if per < len(words) and sentence[end:end + 1] == "/" and words[per].start == end + 1:
            end = words[per].end
        unit = " ".join(words[k].folded for k in unit_words)
        if sentence[end:end + 1] == "%":
            end += 1
        elif sentence[end:end + 2] == " %":
            end += 2
        if sentence[end - 1:end] == "%":
            unit = "%"
        spans.append(Span(start, end, NUMBER, unit, first, unit_words[-1] if unit_words else last))
        index = (unit_words[-1] if unit_words else last) + 1
    return spans


# The words opening a time, as written: accent-free, "thắng 3-0" (won) would be "tháng 3" (March).
_TIME_WORDS = {fold(w): canonical_tones(w) for w in (
    "tháng năm quý tuần phút hiệp kỳ mồng mùng thứ chủ sáng chiều tối trưa đêm đầu cuối giữa hôm mỗi").split()}


_RANGE_DASHES = ("-", "–", " - ", " – ")
# What a range of amounts is of, right after it ("33-35 độ C"): a measure a score or a date is not followed by.
_RANGE_UNIT = re.compile(r" ?(?:%|do|tuoi|tan|trieu|nghin|ngan|ty|ti|nguoi|km|m|kg|cm|mm|ha|m2|usd|dong|phan tram)"
                         r"(?!\w)")


def _range_of(folded: str, end: int) -> bool:
    """Whether a unit follows the amounts ending at `end` of the accent-free text `folded`."""
    return bool(_RANGE_UNIT.match(folded, end))


def _calendar_date(text: str) -> bool:
    """Whether a day-month ("24-10", "6/2", "22.6.2017") is one of the calendar: no "3-0"."""
    day, month = (int(part) for part in re.split(r"[-/.]", text)[:2])
    return 1 <= day <= 31 and 1 <= month <= 12


def times(sentence: str, words: tuple[Word, ...], folded: str) -> list[Span]:
    spans = []
    for pattern in (DATE, _TIME_PHRASES):
        for match in pattern.finditer(folded):
            if any(s.start <= match.start() < s.end for s in spans):
                continue
            first = next(i for i, w in enumerate(words) if w.end > match.start())
            opening = words[first]
            if opening.written != opening.folded and opening.written != _TIME_WORDS.get(opening.folded,
                                                                                         opening.written):
                continue
            last = max(i for i, w in enumerate(words) if w.start < match.end())
            # "thắng 3-0": a score, no date; "33-35 độ": a range of amounts (`numbers`)
            kind = SCORE if pattern is DATE and not _calendar_date(match.group()) else TIME
            if kind == SCORE and _range_of(folded, match.end()):
                continue
            spans.append(Span(match.start(), match.end(), kind, "", first, last))
    return spans


def quotes(sentence: str, words: tuple[Word, ...]) -> list[Span]:
    spans = []
    for match in re.finditer(r"[“\"«]([^”\"»]{1,80})[”\"»]", sentence):
        inner_start, inner_end = match.start(1), match.end(1)
        inside = [i for i, w in enumerate(words) if inner_start <= w.start and w.end <= inner_end]
        if inside and len(inside) <= 10:
            spans.append(Span(inner_start, inner_end, QUOTE, "", inside[0], inside[-1]))
    return spans


def codes(sentence: str, words: tuple[Word, ...]) -> list[Span]:
    """Identifiers: letters with digits, `/` or `-` ("249-KH/UBKTTW", "HAN-REP-HAN", "B727-200")."""
    spans = []
    for match in re.finditer(r"(?<![\w/-])(?=[\w/-]*[A-Za-zĐđ])(?=[\w/-]*\d)\w+(?:[/-]\w+)+(?![\w/-])|"
                             r"(?<![\w/-])[A-ZĐ]{2,}(?:[/-][A-ZĐ0-9]+)+(?![\w/-])|"
                             r"(?<![\w])[A-ZĐ]+\d+[\w-]*(?!\w)", sentence):
        inside = [i for i, w in enumerate(words) if match.start() <= w.start and w.end <= match.end()]
        if inside:
            spans.append(Span(match.start(), match.end(), CODE, "", inside[0], inside[-1]))
    return spans
