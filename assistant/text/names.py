"""Names in a sentence: people, organisations and places written with capitals ("Nguyễn Thị Mỹ
Hằng", "Ủy ban Kiểm tra Trung ương", "phường Phú Thuận"), and roles with the bodies and places
that qualify them ("Phó Bí thư Thường trực Đảng ủy phường Phú Thuận"), as typed spans.

Vietnamese capitalises each word of a person's name, only the first syllable of each word of an
organisation's; names are read on the words as written, accent-free where accents do not matter.
"""

from __future__ import annotations

from typing import Sequence

from .normalize import canonical_tones
from .questions import ORGAN_WORDS, PLACE_KINDS, ROLE_HEADS, ROLE_PREFIXES
from .sentence_words import (
    NAME,
    ORGANIZATION,
    PERSON,
    PLACE,
    ROLE,
    Span,
    Word,
    is_boundary,
    joined,
    starts_with,
    starts_with_written,
)
from .words import PLACE_NAMES, SURNAMES, fold_all

ORGANIZATION_HEADS = tuple(tuple(canonical_tones(w) for w in h.replace("_", " ").split()) for h in (
    "ủy_ban ủy_ban_nhân_dân ban sở bộ cục tổng_cục vụ công_ty tổng_công_ty ngân_hàng trường bệnh_viện viện hội_đồng "
    "hội hiệp_hội đảng tập_đoàn trung_tâm nhóm báo đài hãng liên_đoàn câu_lạc_bộ clb đội quỹ tòa_án viện_kiểm_sát "
    "công_an học_viện đại_học văn_phòng tổ_chức quân_đội lực_lượng tạp_chí thông_tấn_xã kênh cơ_quan ủy_ban").split())


_TITLE_WORDS = tuple(tuple(t.split()) for t in fold_all("ông bà anh chị cô thầy đồng_chí ts ths pgs gs bs hlv ls ks "
                                                        "nsnd nsưt đại_tá thượng_tá trung_tá thiếu_tá", joiner="_"))


PERSON_TITLES = frozenset(fold_all(
    "ông bà anh chị cô thầy chú em cụ đồng_chí đại_tá thượng_tá trung_tá thiếu_tá đại_úy thượng_úy trung_úy "
    "thiếu_tướng trung_tướng thượng_tướng đại_tướng hlv tiền_đạo thủ_môn hậu_vệ tiền_vệ ts ths pgs gs bs ls ks nhà_báo "
    "ca_sĩ nghệ_sĩ tay_vợt võ_sĩ vđv cầu_thủ bé cháu ngài", joiner="_"))


# Heads written in lower case before an organisation's name: "đảng Nhân dân", "hãng Reuters".
LOWER_ORGANIZATION_HEADS = frozenset("dang hang bao dai kenh doi".split())


# As written: accent-free, "Phó" would be "phố" and "Vũ" "vụ".
_PLACE_KIND_WORDS = tuple(tuple(canonical_tones(w) for w in k.replace("_", " ").split()) for k in (
    "phường xã quận huyện tỉnh thành_phố tp thị_xã thị_trấn ấp thôn làng khu_phố ga vịnh sông cảng chợ đảo núi hồ "
    "đường phố cầu bến_xe sân_bay sân sân_vận_động tỉnh_lộ quốc_lộ khu_công_nghiệp").split())


# A name after a kind of place is the place's, even opening with a surname: "đường Nguyễn Huệ", "chợ Bến
# Thành", "trường Nguyễn Huệ", "đường hoa Nguyễn Huệ" name no person.
_NAMED_AFTER = _PLACE_KIND_WORDS + tuple(tuple(canonical_tones(w) for w in k.split()) for k in (
    "trường", "bệnh viện", "đường hoa", "đường sách", "quảng trường", "đại lộ", "hẻm", "ngõ"))
_PLACE_BEFORE = frozenset(fold_all("tại ở đến từ về sang qua ra vào thuộc miền vùng", joiner="_")) | set(PLACE_KINDS)
# A name opening with a compass point is a region or a country ("Đông Afghanistan", "Nam Phi"), no person.
_COMPASS = frozenset(("Đông", "Tây", "Nam", "Bắc"))


def _given_name_follows(sentence: str, words: tuple[Word, ...], index: int) -> bool:
    """Whether a surname at `index` is followed by a hyphenated given name ("Moon Jae-in", "Park
    Hang-seo"): a person's name, which no organisation's name runs on into."""
    return index + 2 < len(words) and words[index].capitalised and words[index + 1].capitalised \
        and sentence[words[index + 1].end:words[index + 2].start] == "-" and not words[index + 2].capitalised


def name_end(sentence: str, words: tuple[Word, ...], index: int, organization: bool) -> int:
    """The last word of the name starting at `index`: capitalised words joined by spaces or
    hyphens; for an organisation also the lower-case syllables of its words ("Ủy ban Kiểm tra
    Trung ương", "Ban Chỉ huy quân sự")."""
    last = index
    probe = index + 1
    named = False  # a proper name came after the organisation's lower-case words ("Hội đồng nhân dân tỉnh Đồng Nai")
    while probe < len(words) and joined(sentence, words[probe - 1], words[probe], (" ", " - ", "-", " – ")):
        if joined(sentence, words[probe - 1], words[probe], (" - ", " – ")) and starts_with(words, probe, ROLE_HEADS):
            break  # "Azharuddin Abdul Rahman - Tổng Cục trưởng …": the name, then the role
        if organization and probe > index + 1 and _given_name_follows(sentence, words, probe):
            break  # "đảng Dân chủ Moon Jae-in": the party, then its candidate
        if words[probe].capitalised or sentence[words[probe - 1].end:words[probe].start] == "-":  # "Moon Jae-in"
            named = named or not words[probe - 1].capitalised
            last = probe
            probe += 1
            continue
        if not organization:
            break
        gap = probe
        while gap < len(words) and gap - probe < 6 and not words[gap].capitalised \
                and (not is_boundary(words[gap]) or (words[gap - 1].folded, words[gap].folded) in _COMPOUNDS) \
                and joined(sentence, words[gap - 1], words[gap]):
            gap += 1
        if _joins_body(sentence, words, gap):  # "Bộ Giáo dục và Đào tạo": one body
            last, probe = gap - 1, gap + 1
            continue
        if gap == probe:
            break
        closes = not (gap < len(words) and words[gap].capitalised)
        if closes and named:
            # After the proper name only the rest of its last word: "Trung ương", not "Đồng Nai họp".
            if not words[probe - 2].capitalised and not words[probe - 1].acronym:
                last = probe
            break
        last = gap - 1
        probe = gap
        if closes:
            break
    return last


# Words that open a sentence before a name, no part of it; and compounds whose second word is a
# function word elsewhere ("hàng không": aviation, in "Cục Hàng không Việt Nam").
_OPENING_WORDS = frozenset(("theo", "tại", "trong", "với", "về", "do", "sau", "khi", "ngoài", "từ", "cùng", "ở"))
_COMPOUNDS = frozenset({("hang", "khong")})


def _joins_body(sentence: str, words: tuple[Word, ...], index: int) -> bool:
    """Whether the "và" at `index` joins two fields of one body's name ("Bộ Giáo dục và Đào tạo", "Sở
    Tài nguyên và Môi trường"), not two bodies or a body and a person ("Bộ Y tế và Bộ Tài chính", "UBND
    và Nguyễn Văn An")."""
    return index + 1 < len(words) and words[index].folded == "va" and words[index + 1].capitalised \
        and not starts_with_written(words, index + 1, ORGANIZATION_HEADS) \
        and not (words[index + 1].folded in SURNAMES and index + 2 < len(words) and words[index + 2].capitalised) \
        and joined(sentence, words[index - 1], words[index]) and joined(sentence, words[index], words[index + 1])


def name_runs(sentence: str, words: tuple[Word, ...], roles: list[Span]) -> list[tuple[int, int]]:
    """Runs of capitalised words `[first, last]` that may be names; a lone capital opening the
    sentence is just its first word, and the words of a role are the role's."""
    runs, index = [], 0
    role_ends = {span.first_word: span.last_word for span in roles}
    opening = next((i for i, w in enumerate(words) if sentence[:w.start].strip(" \t\"“'(-–") == ""), -1)
    while index < len(words):
        word = words[index]
        if not word.capitalised or (index == opening and word.written in _OPENING_WORDS):
            index += 1  # "Theo Bộ Giáo dục và Đào tạo, …": the preposition opens the sentence, the name follows
            continue
        if index in role_ends:  # "Bí thư Đảng ủy phường Tân Mỹ Trần Chí Dũng": the role, then the name
            index = role_ends[index] + 1
            continue
        head = starts_with_written(words, index, ORGANIZATION_HEADS)
        organization = bool(head) or \
            (index > 0 and not words[index - 1].capitalised and words[index - 1].folded in LOWER_ORGANIZATION_HEADS)
        if index == opening and head == 1 and index + 1 < len(words) and not words[index + 1].capitalised:
            organization = False  # "Báo giới nêu …": a capital that only opens the sentence
        last = name_end(sentence, words, index, organization)
        # A name ends where a role starts: "Theo Cục trưởng …" opens with "Theo", no name.
        last = next((k - 1 for k in range(index + 1, last + 1) if k in role_ends), last)
        titled = starts_with(words, index, _TITLE_WORDS)
        if titled and index + titled <= last:  # "Ông Nguyễn Quang Nghị": the title, then the name
            index += titled
            word = words[index]
        if (index == opening and last == index and not word.acronym and word.folded not in SURNAMES) or \
                (last == index and len(word.text) == 1):  # a sentence's first word, "khối B"
            index += 1
            continue
        while last + 1 < len(words) and words[last + 1].folded[0].isdigit() and len(words[last + 1].folded) <= 4 \
                and joined(sentence, words[last], words[last + 1]) and \
                sentence[words[last + 1].end:words[last + 1].end + 1] not in ("-", "/", ":", "(") and \
                (last + 2 >= len(words) or not joined(sentence, words[last + 1], words[last + 2]) or
                 words[last + 2].capitalised or is_boundary(words[last + 2])):
            last += 1  # "Honda Future 125", "Minh Hoàng 06": a number ending a name
        runs.append((index, last))
        index = last + 1
    return runs


def kind_of_run(sentence: str, words: tuple[Word, ...], first: int, last: int) -> str:
    folded = tuple(w.folded for w in words[first:last + 1])
    before = words[first - 1].folded if first else ""
    before_two = " ".join(w.folded for w in words[max(0, first - 2):first])
    if starts_with_written(words, first, ORGANIZATION_HEADS) or (before in LOWER_ORGANIZATION_HEADS
                                                          and first and not words[first - 1].capitalised):
        return ORGANIZATION
    if _place_kind(words[first]) or before in _PLACE_BEFORE or before_two in PLACE_KINDS \
            or " ".join(folded) in PLACE_NAMES \
            or after_place_kind([w.written for w in words[max(0, first - 2):first]]) \
            or (words[first].text in _COMPASS and last > first and before not in PERSON_TITLES):
        return PLACE
    if all(w.acronym for w in words[first:last + 1]) or (last > first and any(w.acronym for w in words[first:last + 1])
                                                          and folded[0] not in SURNAMES):
        return ORGANIZATION
    if any(c.isdigit() for word in folded for c in word) or (first and words[first - 1].written in _CALENDAR_WORDS):
        return NAME  # "U23 Malaysia", "Boeing 777", "năm Đinh Dậu", "Tết Nguyên Đán"
    if before in PERSON_TITLES or before_two in PERSON_TITLES or (folded[0] in SURNAMES and len(folded) >= 2):
        return PERSON
    if folded[-1] in _THING_ENDS:  # "Madrid Open", "Cayman Islands": an event, a place, a company
        return NAME
    if len(folded) >= 2 and first > 0 and not any(w.acronym for w in words[first:last + 1]):
        return PERSON
    return NAME


# Last words of the foreign names of events, places and companies news writes in capitals, no person's.
_THING_ENDS = frozenset("open cup masters championship championships league islands island group bank airlines "
                        "airways corporation company inc ltd foundation university college institute hotel resort "
                        "center centre park tower plaza mall festival awards award games tour series prix "
                        "motors electronics holdings capital airport stadium arena".split())


# Kinds of place of one word as written: accent-free, "Quản lý" would open "quận Lý".
_ONE_WORD_KINDS = frozenset(kind[0] for kind in _PLACE_KIND_WORDS if len(kind) == 1)


def _place_kind(word: Word) -> bool:
    """Whether a word is a kind of place ("phường", "quận"): as written when it has accents."""
    return word.folded in PLACE_KINDS and not word.acronym \
        and (word.written == word.folded or word.written in _ONE_WORD_KINDS)


def after_place_kind(before: Sequence[str]) -> bool:
    """Whether a name written after the words `before` (lower case, canonical tone marks) is a
    place's: they end with a kind of place (`_NAMED_AFTER`)."""
    return any(tuple(before[len(before) - len(kind):]) == kind for kind in _NAMED_AFTER if len(before) >= len(kind))


def roles(sentence: str, words: tuple[Word, ...]) -> list[Span]:
    """Role phrases: a role head ("Phó Bí thư", "Chủ tịch") with the bodies, qualifiers and places
    that follow it ("Phó Bí thư Thường trực Đảng ủy phường Phú Thuận"), up to the name of the person
    holding it."""
    spans, index, first = [], 0, None
    while index < len(words):
        length = starts_with(words, index, ROLE_HEADS)
        if not length or (length == 1 and words[index].folded == "truong" and not _is_truong(words[index])):
            index += 1
            continue
        if first is None:
            first = index - 1 if index and words[index - 1].folded in ROLE_PREFIXES else index
        last = index + length - 1
        if words[last].folded in _BODY_HEADS:  # "…, Phó Ban quản lý đường sắt đô thị, …": the board's name,
            end = last  # in lower case, set apart by commas as a title is
            while end + 1 < min(len(words), index + length + BODY_NAME_WORDS) \
                    and joined(sentence, words[end], words[end + 1]) and not words[end + 1].capitalised:
                end += 1
            if end - last >= 2 and sentence[words[end].end:words[end].end + 1] in (",", ")"):
                last = end
        probe = last + 1
        while probe < len(words) and joined(sentence, words[probe - 1], words[probe], (" ", " - ", "-", ".")):
            organ = starts_with(words, probe, ORGAN_WORDS)
            if organ:
                last = probe + organ - 1
            elif words[probe].folded in ("thuong", "truc", "vu"):
                last = probe
            elif _place_kind(words[probe]):
                last = probe
                while last + 1 < len(words) and words[last + 1].capitalised and \
                        joined(sentence, words[last], words[last + 1]) and \
                        not (last > probe and words[last + 1].folded in SURNAMES):
                    last += 1
            elif words[probe].capitalised and (starts_with_written(words, probe, ORGANIZATION_HEADS) or
                                               words[probe].folded not in SURNAMES):
                last = name_end(sentence, words, probe, organization=True)
                # "Bí thư Thành ủy Đà Nẵng Nguyễn Xuân Anh": the holder's name ends the role.
                holder = next((k for k in range(probe + 1, last + 1) if words[k].folded in SURNAMES
                               and words[k].capitalised and k + 1 < len(words) and words[k + 1].capitalised), None)
                if holder is not None:
                    last = holder - 1
            elif words[probe].acronym or (words[probe].capitalised and words[probe].folded not in SURNAMES):
                last = probe
            else:
                break
            probe = last + 1
        if last + 2 < len(words) and words[last + 1].folded == "kiem" and starts_with(words, last + 2, ROLE_HEADS):
            index = last + 2  # "Chủ tịch kiêm Giám đốc điều hành Tập đoàn Alibaba": one chain of roles
            continue
        spans.append(Span(words[first].start, words[last].end, ROLE, "", first, last))
        index = last + 1
        first = None
    return spans


# Heads that name a body ("Phó Ban", "Phó Phòng") and the words of the body's name written after them.
_BODY_HEADS, BODY_NAME_WORDS = frozenset(("ban", "phong")), 6
_TRUONG = canonical_tones("trưởng")
_CALENDAR_WORDS = frozenset(canonical_tones(w) for w in ("năm", "tết", "lễ"))


def _is_truong(word: Word) -> bool:
    """Whether "truong" is the role "trưởng" (as written; typed without accents, when capitalised),
    not "trường" (school) or "trương"."""
    return word.written == _TRUONG if word.written != word.folded else word.capitalised


def kind_places(sentence: str, words: tuple[Word, ...]) -> list[Span]:
    """Places written as a kind word and a capitalised name ("phường Phú Thuận", "ga Suối Tiên"),
    wherever they stand (inside a role too)."""
    spans = []
    for index, word in enumerate(words[:-1]):
        length = starts_with_written(words, index, _PLACE_KIND_WORDS)
        if not length or index + length >= len(words) or not words[index + length].capitalised:
            continue
        last = index + length
        while last + 1 < len(words) and words[last + 1].capitalised and joined(sentence, words[last], words[last + 1]) \
                and not (last > index + length and words[last + 1].folded in SURNAMES):
            last += 1
        spans.append(Span(words[index].start, words[last].end, PLACE, "", index, last))
    return spans
