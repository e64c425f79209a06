"""Fits: whether an amount or a time is of the unit a question asks for: counting what it counts
("bao nhiêu thủy thủ": "27 thuyền viên"), measuring what it measures ("rộng bao nhiêu": "gần 12.000
m²", "bao nhiêu điện": "606 triệu kWh"), in the form of time it asks ("ngày nào": a date, no year
alone). Read accent-free."""

from __future__ import annotations

import re

from ..text.equivalents import kind_at
from ..text.normalize import fold_chars
from ..text.questions import QuestionForm
from ..text.spans import Span
from ..text.units import PEOPLE_NOUNS

# Units a number must carry, accent-free words of what follows it.
_UNIT_WORDS = {  # "bảng Anh" in full: "2017 bằng cách …" is no amount of pounds
    "area": {"m2", "km2", "ha", "hecta", "met vuong", "km vuong", "mau", "sao"},
    "length": {"m", "met", "km", "cm", "mm", "kilomet", "cay so", "dam", "hai ly"},
    "weight": {"kg", "tan", "ta", "g", "gram", "gam", "kilogam", "yen"},
    "money": {"dong", "d", "vnd", "usd", "euro", "do", "yen", "ty", "trieu", "nghin", "ngan", "ti", "bang anh", "won",
              "nhan dan te", "baht", "ringgit", "rup", "$"},
    "percent": {"%", "phan tram"},
    "age": {"tuoi", "nam tuoi"},
    "duration": {"giay", "phut", "gio", "tieng", "ngay", "tuan", "thang", "nam", "the ky", "thap ky", "ky"},
    "power": {"mw", "kw", "w", "gw", "kwh", "mwh", "ma luc", "cv", "hp"},
    "temperature": {"do", "do c", "c"},
    "storage": {"mah", "gb", "mb", "tb", "kb", "lit", "l", "ml"},
    "people": {"nguoi", "dan", "nhan khau", "nhan", "cu dan", "ho", "trieu", "nghin", "ngan", "van"},
}


# What a question's counted noun may also be written as in an answer ("dân" → "người dân", "nhân khẩu").
_COUNTED_ALIKE = {"dan": {"nguoi", "nhan", "cu", "dan", "ho"}, "nguoi": {"nguoi", "nhan", "cong", "can", "lao"}}
# What is measured, not counted, and the units it is measured in ("tiêu thụ bao nhiêu điện" → "606 triệu
# kWh"; "camera bao nhiêu chấm", as people say megapixels, → "13 MP"), accent-free. Not "nước" (also
# a country: "bao nhiêu nước tham dự") nor "dầu" ("đầu").
_MEASURED_IN = {"dien": {"kwh", "mwh", "gwh"}, "cham": {"mp", "megapixel"}, "xang": {"lit", "l"}}


# Words of an amount's size that come before what it counts ("90 nghìn người").
MAGNITUDES = frozenset("tram nghin ngan van trieu ty ti chuc".split())


def unit_fits(span: Span, form: QuestionForm, text: str = "") -> bool:
    """Whether the amount `span` (its `text` in the sentence) is of the unit the question asks for."""
    unit_words = span.unit.split()
    if form.unit == "money" and not unit_words and fold_chars(text).split()[-1:] in (["ty"], ["ti"], ["trieu"]):
        return True  # "gần 16.000 tỷ": the news leaves "đồng" out
    if form.unit == "people" and form.counted:
        counted_words = [w for w in unit_words if w not in MAGNITUDES]
        if counted_words[:1] == ["nguoi"]:  # "bao nhiêu cán bộ" → "hơn 90 nghìn người"
            return True
        if form.counted[0] == "nguoi" and counted_words[:1] and counted_words[0] in PEOPLE_NOUNS:
            return True  # "mấy người" → "3 khách hàng"
    if form.unit in _UNIT_WORDS and not (form.unit == "people" and form.counted):
        allowed = _UNIT_WORDS[form.unit]
        return any(" ".join(unit_words[:n]) in allowed for n in (1, 2)) or \
            (form.unit == "percent" and "%" in span.unit)
    if form.counted:
        head = form.counted[0]
        if not unit_words:
            return False
        if head in _MEASURED_IN:
            return next((w for w in unit_words if w not in MAGNITUDES), "") in _MEASURED_IN[head]
        return unit_words[0] == head or unit_words[0] in _COUNTED_ALIKE.get(head, ()) or \
            (len(form.counted) > 1 and form.counted[:2] == tuple(unit_words[:2])) or \
            _same_kind(form.counted, tuple(unit_words[:len(form.counted)]))
    return True


def _same_kind(counted: tuple[str, ...], unit: tuple[str, ...]) -> bool:
    """Whether the noun a question counts and the one after an amount are names of one thing
    (`text.equivalents.KINDS`: "thủy thủ" and "27 thuyền viên"), accent-free."""
    kind = kind_at(counted, counted, len(counted) - 1) if counted else None
    return kind is not None and bool(unit) and kind_at(unit, unit, len(unit) - 1) == kind


def only_year(text: str) -> bool:
    """Whether a time is a year and nothing more ("2017", "năm 2017"): no date, no month."""
    return bool(re.fullmatch(r"(?:nam )?(?:1[5-9]|20)\d\d", fold_chars(text).lower()))


def time_fits(text: str, unit: str) -> bool:
    folded = fold_chars(text)
    return {"year": bool(re.search(r"(?:1[5-9]|20)\d\d", folded)),
            "month": folded.startswith("thang") or bool(re.fullmatch(r"\d{1,2}[-/]\d{4}", folded)),
            "date": bool(re.match(r"(?:ngay |hom |mong |mung )?\d{1,2}[-/.]\d{1,2}", folded)),
            "clock": bool(re.search(r"\d(?:h|g| gio|:)", folded)),
            "minute": folded.startswith("phut")}.get(unit, True)
