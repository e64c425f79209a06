"""Answer types: what a question asks for (a person, a time, a number of something, a place, a
reason) and whether a sentence holds such a thing that the question does not already name.

Model-free and deliberately coarse: "bao nhiêu tiền" wants a number followed by a currency,
"bao nhiêu tuổi" an age, "năm nào" a year; a sentence that names the right people but gives no
such thing is the usual near miss ("Phường Tân Mỹ có bao nhiêu dân?" against a passage about the
ward's staff).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .normalize import canonical_tones, fold
from .questions import NUMBER, PERSON, PLACE, REASON, ROLE, TIME, question_form
from .words import PLACE_NAMES, SURNAMES

# Units a number must carry to answer "bao nhiêu <unit>": cue words in the question (with their
# diacritics; accent-free when the question has none), and what follows a number in an answering
# sentence (accent-free, NFKC: m² is m2).
_NUMBER = r"(?:\d[\d.,]*|hai|bon|sau|bay|tam|chin|muoi|chuc|tram|nghin|ngan|trieu|mot|nua|vai)\s?"
_SCALE = r"(?:(?:nghin|ngan|trieu|ty|ti|tram|van|muoi|chuc)\s)?"
_PEOPLE = ("người|dân|nhân khẩu|cử tri|hành khách|khán giả|đại biểu|thí sinh|học sinh|sinh viên|công nhân|lao động|"
           "bệnh nhân|nạn nhân|thuyền viên|thủy thủ|cán bộ|công chức|viên chức|đảng viên|giáo viên|bác sĩ|chiến sĩ|"
           "doanh nghiệp|nhân viên|thành viên|khách hàng|cầu thủ|vận động viên|người chơi|binh sĩ|lính")
# What "1 triệu" counts when it is not money: "1 triệu lượt khách", "2 triệu người", "3 tỷ con cá".
_COUNTED = f"{fold(_PEOPLE)}|luot|khach|ho|con|chiec|cai|tan|lit|ve|don|cay|tre|em|san pham|tin nhan|thue bao"
_UNITS = {
    "percent": ("tỷ lệ|tỉ lệ|phần trăm", r"\d[\d.,]*\s?%|phan tram|mot nua|mot phan"),
    "age": ("tuổi", rf"{_NUMBER}tuoi|sinh nam \d{{4}}|sn \d{{4}}"),
    "money": ("tiền|giá|chi phí|kinh phí|lương|doanh thu|lợi nhuận|vốn|ngân sách|thu nhập|trị giá|giá trị|"
              "thuế|phí|tốn|đồng|usd|đô la|euro|triệu|tỷ",
              rf"{_NUMBER}{_SCALE}(?:dong|d|vnd|usd|euro|do la|do|yen|bang anh|nhan dan te)(?!\w)|"
              rf"\d[\d.,]*\s?(?:nghin|ngan|trieu|ty|ti)(?!\w)(?!\s(?:{_COUNTED})(?!\w))|\$\s?\d|\d\s?\$"),
    "duration": ("lâu|ngày|tháng|năm|giờ|phút|tuần|tiếng",
                 rf"{_NUMBER}(?:giay|phut|gio|tieng|ngay|tuan|thang|nam|the ky|thap ky)(?!\w)|"
                 rf"nua (?:gio|ngay|thang|nam)|\d{{1,2}}:\d{{2}}|(?:1\d|20)\d{{2}}"),
    "area": ("rộng|diện tích|m2|km2|hecta|ha|mét vuông", rf"{_NUMBER}(?:m2|km2|ha|hecta|hec ta|met vuong|km vuong|dam vuong|mau)(?!\w)"),
    "length": ("dài|cao|xa|sâu|chiều dài|chiều cao|mét|m|km|cây số|cm", rf"{_NUMBER}(?:m|met|km|cm|mm|kilomet|dam)(?!\w)"),
    "weight": ("nặng|trọng lượng|khối lượng|kg|tấn|ký", rf"{_NUMBER}(?:kg|tan|ta|g|gram|gam|kilogam|pound)(?!\w)"),
    "people": (_PEOPLE, rf"{_NUMBER}{_SCALE}(?:\w+ )?(?:{fold(_PEOPLE)}|ho|tre|em|chau)(?!\w)"),
}
# Times that need a particular form: "năm nào" a year, "mấy giờ" a clock time.
_TIME_UNITS = {
    "year": ("nam nao|nam bao nhieu|nam may", r"(?<![\d.,])(?:1\d|20)\d{2}(?![\d.,]\d)|nam \d{3,4}(?!\d)"),
    "clock": ("may gio|gio nao|luc may gio", r"\d{1,2}\s?(?:h|gio)(?:\s?\d{2})?(?!\w)|\d{1,2}:\d{2}"),
}


def _pattern(phrases) -> re.Pattern:
    return re.compile(r"(?<!\w)(?:" + "|".join(map(re.escape, phrases)) + r")(?!\w)")


_UNIT_ANSWERS = {unit: re.compile(answer) for unit, (_cues, answer) in _UNITS.items()}
_TIME_CUES = {unit: (_pattern(cues.split("|")), re.compile(answer)) for unit, (cues, answer) in _TIME_UNITS.items()}

# Spelled-out numbers, matched with their diacritics; "một", "ba" and "năm" are left out, being as
# often "a", "father" and "year".
_NUMBER_WORDS = frozenset("hai bốn sáu bảy tám chín mười mươi chục trăm nghìn ngàn triệu tỷ tỉ".split())
_TIME = re.compile(
    r"(?<!\w)(?:\d{1,2}[-/.]\d{1,2}(?:[-/.]\d{2,4})?|(?:ngay|thang|nam|quy|tuan|sang|chieu|toi|trua|dem|dau|cuoi|giua)"
    r" \d{1,4}|\d{1,2}(?:h| gio)(?:\d{2})?|nam \d{4}|(?:hom|sang|chieu|toi) (?:qua|nay|mai)|"
    r"thu (?:hai|ba|tu|nam|sau|bay)|chu nhat|dau nam|cuoi nam|tuan (?:truoc|nay|toi|qua)|"
    r"thang (?:truoc|nay|toi|qua)|nam (?:truoc|nay|toi|ngoai|qua)|dip tet|truoc tet|sau tet|"
    r"(?<![\d.,])(?:1\d|20)\d{2}(?![\d.,]\d))(?!\w)")
_DATE = re.compile(r"(?<!\w)\d{1,2}[-/.]\d{1,2}(?:[-/.]\d{2,4})?(?!\w)")
_REASON = re.compile(r"(?<!\w)(?:vi|do|boi|nham|de|nen|nguyen nhan|ly do|li do|khien|dan den|gay ra)(?!\w)")
_ROLE = re.compile(
    r"(?<!\w)(?:bi thu|chu tich|pho|truong|giam doc|uy vien|bo truong|thu truong|thu tuong|tong thong|hlv|"
    r"huan luyen vien|cau thu|dai su|chanh|vien truong|hieu truong|chu nhiem|dai bieu|nha bao|ca si|dien vien|"
    r"bac si|giao su|pgs|tien si|nguoi phat ngon|to truong|doi truong|thu ky|tong giam doc|chu tich|can bo|"
    r"cong chuc|nhan vien|ky su|luat su|nha van|nhac si|hoa si|chuyen gia)(?!\w)")
_WORD = re.compile(r"\w+")


@dataclass(frozen=True)
class AnswerType:
    """What a question asks for: `kind` (PERSON, TIME, ...) and, for numbers and times, the unit
    the answer must carry (`money`, `age`, `year`, ...; None when any will do)."""

    kind: str
    unit: str | None = None


def asked_type(question: str) -> AnswerType | None:
    """What `question` asks for, or None for open questions ("gì", "thế nào"), read accent-free
    (`questions.question_form`), so typing with or without diacritics asks the same."""
    form = question_form(question)
    if form.kind == NUMBER:
        return AnswerType(NUMBER, form.unit if form.unit in _UNITS else None)
    if form.kind == TIME:
        return AnswerType(TIME, form.unit if form.unit in _TIME_UNITS else None)
    if form.kind in (PERSON, PLACE, REASON, ROLE):
        return AnswerType(form.kind)
    return None


# "giống xoài gì", "đường nào", "bao nhiêu đảng viên": the words a wh-word attaches to name what
# the question is about; an answer sentence usually repeats them.
_WH_AFTER = re.compile(r"(?<!\w)(\w+(?: \w+)?) (?:gi|nao)(?!\w)")
_WH_BEFORE = re.compile(r"(?<!\w)(?:bao nhieu|bao nhiu|nhung) (\w+(?: \w+)?)")
# Not focus words: function words, the nouns of the wh-phrases themselves ("hôm nào", "chức vụ
# gì"), units (checked with the number) and nouns too general to be repeated by an answer.
_NOT_FOCUS = frozenset(
    "la co duoc nhung cac mot nguoi viec cai o tai ve cua va thi ra den tu cho voi lam gi nao sao the nhu ai dau "
    "bao nhieu tren duoi trong ngoai sau truoc hom ngay nam thang khi luc noi vi thoi diem gian chuc vu vai tro "
    "giu danh nghe cuong mang linh vuc van de noi dung dieu cach kieu loai hinh thuc phan tram tien gia tuoi".split())


def focus_words(question: str) -> frozenset[str]:
    """The accent-free content words a wh-word attaches to ("giống xoài gì" gives giong, xoai)."""
    folded = fold(question)
    found = [match.group(1) for pattern in (_WH_AFTER, _WH_BEFORE) for match in pattern.finditer(folded)]
    return frozenset(word for phrase in found for word in phrase.split() if word not in _NOT_FOCUS)


# First words of organisations and places ("Ban Chỉ huy", "Sở Quy hoạch", "Công an"): a name they
# start is not a person's.
_NOT_PERSON = frozenset(
    "ban bo so cuc vu vien hoi dang doan cong trung truong benh phong uy hdnd ubnd mttq thanh tinh quan huyen xa "
    "phuong thi song nui duong pho cau cang san nha tap ngan quy doi clb lien to khu vung mien tong chinh quoc "
    "nuoc dai bao hoc giai cup world chuong ke du le".split())


# Words after which a capitalised name is a place ("phường Phú Thuận", "tại Hà Nội").
_PLACE_BEFORE = frozenset("phuong quan huyen xa tinh tp thi tran duong pho song nui ho dao nuoc tai o den tu "
                          "ve sang thon ap lang cang".split())


@dataclass(frozen=True)
class _Name:
    words: tuple[str, ...]  # accent-free
    initial: bool  # opens the sentence, where a capital says nothing
    after_place_word: bool  # follows "phường", "tại", ...


def _names(text: str) -> tuple[_Name, ...]:
    """Proper names in `text`: runs of capitalised words, a run split where a surname starts a
    person's name inside it ("Phú Thuận Châu Xuân Đại Thắng": a place, then a person)."""
    names, run = [], []
    for word in [*_WORD.finditer(text), None]:
        capitalised = word is not None and word.group()[0].isupper() and not word.group().isupper()
        if capitalised and (not run or not text[run[-1].end():word.start()].strip()):
            run.append(word)
            continue
        if run:
            words = tuple(fold(w.group()) for w in run)
            before = _WORD.findall(fold(text[:run[0].start()]))
            initial = not text[:run[0].start()].strip(" \"“'(")
            place = bool(before) and before[-1] in _PLACE_BEFORE
            cut = next((i for i in range(1, len(words) - 1) if words[i] in SURNAMES), None)
            if cut is None:
                names.append(_Name(words, initial, place))
            else:
                names += [_Name(words[:cut], initial, place), _Name(words[cut:], False, False)]
        run = [word] if capitalised else []
    return tuple(names)


def _person(name: _Name, asked: set[str]) -> bool:
    """Whether a capitalised run is a person's name the question does not give: not after a place
    word, not starting like an organisation, and on its own at a sentence's start only if it
    begins with a surname."""
    words = name.words
    if set(words) <= asked or name.after_place_word or words[0] in _NOT_PERSON or " ".join(words) in PLACE_NAMES:
        return False
    return (words[0] in SURNAMES and len(words) >= 2) or len(words) >= 2 or not name.initial


def holds(answer_type: AnswerType, sentence: str, question: str) -> bool:
    """Whether `sentence` holds a thing of `answer_type` that `question` does not already name."""
    folded, folded_question = fold(sentence), fold(question)
    asked_words = set(_WORD.findall(folded_question))
    kind, unit = answer_type.kind, answer_type.unit
    if kind == NUMBER and unit is not None:
        return any(match.group() not in folded_question for match in _UNIT_ANSWERS[unit].finditer(folded))
    if kind == NUMBER:
        dates = [match.span() for pattern in (_TIME, _DATE) for match in pattern.finditer(folded)]
        return any(word.group() not in asked_words and not any(s <= word.start() < e for s, e in dates)
                   for word in _WORD.finditer(folded) if word.group()[0].isdigit()) \
            or any(word in _NUMBER_WORDS for word in _WORD.findall(canonical_tones(sentence.lower())))
    if kind == TIME:
        pattern = _TIME_CUES[unit][1] if unit else _TIME
        return any(match.group() not in folded_question for match in pattern.finditer(folded))
    if kind == PERSON:
        return any(_person(name, asked_words) for name in _names(sentence))
    if kind == PLACE:
        return any((len(name.words) >= 2 or not name.initial) and not set(name.words) <= asked_words
                   for name in _names(sentence))
    if kind == REASON:
        return bool(_REASON.search(folded))
    if kind == ROLE:
        return bool(_ROLE.search(folded))
    return False
