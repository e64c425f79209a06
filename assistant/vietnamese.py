"""Vietnamese text handling: NFC, tone-mark canonicalisation, diacritic folding, tokens, sentences.

Everything here works on plain strings and is model-free. What is *shown* to a user is always
the original text; the normalised forms produced here are only used for matching.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

# Combining marks as they appear after NFD.
TONE_MARKS = {
    "\u0300",  # huyền (grave)
    "\u0301",  # sắc (acute)
    "\u0303",  # ngã (tilde)
    "\u0309",  # hỏi (hook above)
    "\u0323",  # nặng (dot below)
}
VOWEL_MODIFIERS = {"\u0302", "\u0306", "\u031b"}  # circumflex (â ê ô), breve (ă), horn (ơ ư)
VOWELS = set("aeiouyAEIOUY")

_WORD = re.compile(r"[\w\u0300-\u036f]+", re.UNICODE)  # NFD words keep their marks
# A token: letters/digits, keeping internal dots, commas, slashes and hyphens between
# alphanumerics together ("12.000", "3,5", "TP.HCM", "249-KH/UBKTTW").
_TOKEN = re.compile(r"\w+(?:[.,/\-]\w+)*", re.UNICODE)
_THOUSANDS = re.compile(r"(?<![\d.,])\d{1,3}(?:\.\d{3})+(?![\d.,]*\d)")


def nfc(text: str) -> str:
    """Return `text` in Unicode NFC, the form every stored and cited text uses."""
    return unicodedata.normalize("NFC", text)


def strip_diacritics(text: str) -> str:
    """Remove every diacritic: tone marks, vowel modifiers and đ → d (`Hòa Đức` → `Hoa Duc`)."""
    decomposed = unicodedata.normalize("NFD", text)
    bare = "".join(ch for ch in decomposed if unicodedata.category(ch) != "Mn")
    return bare.replace("đ", "d").replace("Đ", "D")


def has_diacritics(text: str) -> bool:
    """True when `text` carries any Vietnamese diacritic (tone mark, modifier or đ)."""
    return strip_diacritics(nfc(text)) != nfc(text)


@lru_cache(maxsize=65536)
def _canonical_syllable(word: str) -> str:
    """Move the tone mark of one NFD word to its canonical vowel (old style: `hòa`, `thúy`)."""
    tones = [ch for ch in word if ch in TONE_MARKS]
    if len(tones) != 1:
        return word
    tone = tones[0]
    # Split into base letters, each with its non-tone combining marks.
    letters: list[list[str]] = []
    for ch in word:
        if ch == tone:
            continue
        if unicodedata.combining(ch) and letters:
            letters[-1].append(ch)
        else:
            letters.append([ch])
    bases = [group[0] for group in letters]
    lower = "".join(bases).lower()
    vowel_positions = [i for i, base in enumerate(bases) if base in VOWELS]
    if not vowel_positions:
        return word
    # "qu" and "gi" + vowel: the u / i belongs to the initial consonant.
    if lower.startswith("qu") and len(vowel_positions) > 1 and vowel_positions[0] == 1:
        vowel_positions = vowel_positions[1:]
    elif lower.startswith("gi") and len(vowel_positions) > 1 and vowel_positions[0] == 1:
        vowel_positions = vowel_positions[1:]
    # The vowel nucleus is the first contiguous run of vowels.
    nucleus = [vowel_positions[0]]
    for position in vowel_positions[1:]:
        if position != nucleus[-1] + 1:
            break
        nucleus.append(position)
    modified = [i for i in nucleus if any(mark in VOWEL_MODIFIERS for mark in letters[i][1:])]
    if modified:
        target = modified[-1]  # ươ: the tone sits on ơ
    elif len(nucleus) == 1:
        target = nucleus[0]
    elif nucleus[-1] + 1 < len(bases):  # closed syllable: hoàn, toán, khuất
        target = nucleus[-1]
    else:  # open syllable: hòa, thúy, khỏe, ngoài, khuỷu
        target = nucleus[-2]
    letters[target].append(tone)
    return unicodedata.normalize("NFD", "".join("".join(group) for group in letters))


def canonical_tones(text: str) -> str:
    """Place tone marks canonically so `hoà`/`hòa`, `thuý`/`thúy`, `khoẻ`/`khỏe` compare equal.

    Args:
        text: any Vietnamese text.

    Returns:
        The text in NFC with each syllable's tone mark on its canonical vowel.
    """
    decomposed = unicodedata.normalize("NFD", text)
    return nfc(_WORD.sub(lambda match: _canonical_syllable(match.group(0)), decomposed))


def normalize_for_matching(text: str) -> str:
    """The form used for lexical matching: NFKC (m² → m2), lower case, canonical tones,
    thousands separators removed (12.000 → 12000), abbreviation dots removed (TP.HCM → tphcm)."""
    text = unicodedata.normalize("NFKC", text).lower()
    text = canonical_tones(text)
    text = _THOUSANDS.sub(lambda match: match.group(0).replace(".", ""), text)
    return re.sub(r"(?<=[^\W\d])\.(?=[^\W\d])", "", text)


@lru_cache(maxsize=8192)
def fold(text: str) -> str:
    """Matching form without diacritics: what a user typing without accents would write."""
    return strip_diacritics(normalize_for_matching(text))


def tokens(text: str) -> list[str]:
    """Lower-cased matching tokens (syllables, numbers, codes) of `text`, single letters kept."""
    return _TOKEN.findall(normalize_for_matching(text))


# --- word lists ------------------------------------------------------------------------------

# Common words every question may use even when the articles do not (question words, function
# words): a weak prior, outweighed by any count from the corpus itself.
COMMON_WORDS = (
    "ai gì nào đâu bao nhiêu mấy khi nào lúc nào tại sao vì sao thế nào như thế nào là của và có "
    "được cho với các những một trong không này đã để người từ đến về theo như năm tại ra vào sẽ "
    "cũng thì đó mà rằng còn rất đang vẫn lại đều chỉ cùng bị nên nếu hay hoặc ở trên dưới sau "
    "trước giữa làm gồm thuộc tên gọi ngày tháng số lượng bằng hơn nhất đầu tiên cuối điều chức vụ "
    "thành phố nước Việt Nam ông bà anh chị họ nó chúng tôi bạn việc nhằm giúp đề nghị kiến nghị "
    "đâu bao lâu xảy diễn thế giới quốc gia lịch sử chính phủ"
)
# Interrogatives and question particles: they never appear in an answer.
QUESTION_WORDS = frozenset("ai gì nào đâu bao nhiêu mấy sao chăng hả nhỉ không chưa vậy thế".split())
# Common Vietnamese surnames, accent-free. Only capitalised syllables count as a name where these
# are used, so folding costs little precision and lets accent-free and accented names meet.
SURNAMES = frozenset(fold(
    "Nguyễn Trần Lê Phạm Hoàng Huỳnh Phan Vũ Võ Đặng Bùi Đỗ Hồ Ngô Dương Lý Châu Đinh Lâm Mai Trương "
    "Đoàn Tô Cao Hà Lương Tạ Trịnh Đào Kiều Thái Tăng Lưu Quách Văn Tiêu Giang Mạc Chu Khổng Triệu Âu").split())

# Places a capitalised run of words often names in the news: the provinces (before and after the
# 2025 merger), regions, and countries as Vietnamese writes them. Accent-free; a run is a place only
# when it is one of these whole ("Việt Nam", "Hồng Kông"), never because it contains one ("Mỹ Hằng").
# "Hồ Chí Minh" is left out: it is a person as often as the city.
PLACE_NAMES = frozenset(fold(line.strip()) for line in """
An Giang|Bà Rịa Vũng Tàu|Bắc Giang|Bắc Kạn|Bạc Liêu|Bắc Ninh|Bến Tre|Bình Định|Bình Dương|Bình Phước|Bình Thuận
Cà Mau|Cần Thơ|Cao Bằng|Đà Nẵng|Đắk Lắk|Đắk Nông|Điện Biên|Đồng Nai|Đồng Tháp|Gia Lai|Hà Giang|Hà Nam|Hà Nội
Hà Tĩnh|Hải Dương|Hải Phòng|Hậu Giang|Hòa Bình|Hưng Yên|Khánh Hòa|Kiên Giang|Kon Tum|Lai Châu|Lâm Đồng|Lạng Sơn
Lào Cai|Long An|Nam Định|Nghệ An|Ninh Bình|Ninh Thuận|Phú Thọ|Phú Yên|Quảng Bình|Quảng Nam|Quảng Ngãi|Quảng Ninh
Quảng Trị|Sóc Trăng|Sơn La|Tây Ninh|Thái Bình|Thái Nguyên|Thanh Hóa|Thừa Thiên Huế|Huế|Tiền Giang|Trà Vinh
Tuyên Quang|Vĩnh Long|Vĩnh Phúc|Yên Bái|Sài Gòn|Tây Nguyên|Đông Nam Bộ|Tây Nam Bộ|Đồng bằng sông Cửu Long
Việt Nam|Trung Quốc|Hồng Kông|Đài Loan|Ma Cao|Nhật Bản|Hàn Quốc|Triều Tiên|Hoa Kỳ|Mỹ|Nga|Anh|Pháp|Đức|Ý
Tây Ban Nha|Bồ Đào Nha|Hà Lan|Bỉ|Thụy Sĩ|Thụy Điển|Na Uy|Đan Mạch|Phần Lan|Ba Lan|Ukraine|Ấn Độ|Thái Lan|Lào
Campuchia|Malaysia|Singapore|Indonesia|Philippines|Myanmar|Brunei|Úc|New Zealand|Canada|Mexico|Brazil
Argentina|Iran|Iraq|Israel|Ai Cập|Thổ Nhĩ Kỳ|Ả Rập Xê Út|Qatar|Triều Tiên|Châu Á|Châu Âu|Châu Phi|Đông Nam Á
Trung Đông|Biển Đông""".replace("\n", "|").split("|") if line.strip())


# Function words that mark an English question typed into a Vietnamese archive.
ENGLISH_FUNCTION_WORDS = frozenset(
    "the a an of to in on for with about what which who whom whose when where why how is are was were "
    "did does do has have had can could would should will be been this that these those from by".split())


# An accent-free Vietnamese syllable: initial consonant, vowel cluster, final consonant or glide.
_SYLLABLE = re.compile(
    r"(?:b|c|ch|d|g|gh|gi|h|k|kh|l|m|n|ng|ngh|nh|p|ph|qu|r|s|t|th|tr|v|x)?"
    r"(?:a|e|i|o|u|y|ai|ao|au|ay|eo|eu|ia|iu|oa|oe|oi|ua|ue|ui|uy|uu|ye|yeu|ieu|uoi|uou|oai|oay|oao|uay|uya|uye|"
    r"io|uo|ie|oo|uyu)"
    r"(?:c|ch|m|n|ng|nh|p|t|i|y|o|u)?")


def looks_vietnamese(text: str) -> bool:
    """Whether `text` reads as Vietnamese (with or without diacritics) rather than another language.

    Vietnamese diacritics decide at once; text mostly in another script is foreign; accent-free
    Latin text is foreign when it is full of English function words that are no Vietnamese syllable
    (`what did …`, not `the`, which may be "thế"), or when most of its words could not be one
    (French, say; brand names such as "xiaomi redmi note" are fewer).
    """
    letters = [ch for ch in text if ch.isalpha()]
    if not letters:
        return False
    latin = sum("LATIN" in unicodedata.name(ch, "") for ch in letters)
    if latin < len(letters) / 2:
        return False
    if has_diacritics(text):
        return True
    words = re.findall(r"[a-z]+", text.lower())
    if not words:
        return True  # numbers and codes: nothing says another language
    # "the", "an", "to", "do", "can" are also accent-free Vietnamese ("thế", "công an", "to", "do",
    # "cần"): only words no Vietnamese syllable could be count as English.
    english = sum(word in ENGLISH_FUNCTION_WORDS and not _SYLLABLE.fullmatch(word) for word in words)
    foreign = sum(not _SYLLABLE.fullmatch(word) for word in words)
    share = foreign / len(words)
    return not (english >= 2 or english / len(words) >= 0.25 or english and share >= 0.4
                or len(words) >= 3 and share >= 0.6)


# --- sentences -------------------------------------------------------------------------------

# Abbreviations that end with a dot but do not end a sentence.
ABBREVIATIONS = {
    "tp", "q", "p", "tt", "ts", "ths", "pgs", "gs", "bs", "ks", "ls", "th", "mr", "mrs", "ms",
    "dr", "st", "no", "vs", "etc", "v.v", "tr", "vd", "đ", "ông", "bà",
}
_TERMINATORS = ".!?…"
_OPENING_QUOTES = "“‘«"
_CLOSING_QUOTES = "”’»"


def _is_sentence_end(text: str, index: int, depth: int) -> bool:
    """Whether the terminator at `index` ends a sentence (the caller skips quoted text)."""
    if depth > 0:
        return False
    after = index + 1
    while after < len(text) and text[after] in _TERMINATORS + _CLOSING_QUOTES + '")':
        after += 1
    if after < len(text) and not text[after].isspace():
        return False  # 12.000, TP.HCM, 3.5, a.m.
    following = text[after:].lstrip()
    if not following:
        return True
    first = following[0]
    if not (first.isupper() or first.isdigit() or first in _OPENING_QUOTES + '"(-–'):
        return False  # "quy hoạch… ảnh hưởng": the sentence goes on
    if text[index] == ".":
        word = re.search(r"([\w.]+)$", text[:index])
        if word and word.group(1).lower() in ABBREVIATIONS:
            return False
        if word and len(word.group(1)) == 1 and word.group(1).isupper():
            return False  # an initial: "Nguyễn V. An"
    return True


def sentence_spans(text: str) -> list[tuple[int, int]]:
    """Split `text` into sentences and return their `(start, end)` character spans.

    Does not split `12.000 m²`, `TP.HCM`, `249-KH/UBKTTW`, decimals, common abbreviations
    followed by a name (`TS. Lê`), or inside quotes “…”. Spans exclude surrounding whitespace,
    and a line break always ends a sentence.

    Args:
        text: the original text (not normalised); offsets refer to it.

    Returns:
        Non-overlapping spans in order; `text[start:end]` is one sentence.
    """
    spans: list[tuple[int, int]] = []
    for line in re.finditer(r"[^\n]+", text):
        spans.extend(_line_sentence_spans(text, line.start(), line.end()))
    return spans


def _line_sentence_spans(text: str, begin: int, end: int) -> list[tuple[int, int]]:
    spans = []
    depth = 0  # nesting of curly quotes; straight quotes toggle
    straight_open = False
    start = begin
    index = begin
    line = text[:end]
    while index < end:
        char = text[index]
        if char in _OPENING_QUOTES:
            depth += 1
        elif char in _CLOSING_QUOTES:
            depth = max(0, depth - 1)
            if depth == 0 and index > begin and text[index - 1] in _TERMINATORS:
                if _is_sentence_end(line, index, 0):
                    spans.append((start, index + 1))
                    start = index + 1
        elif char == '"':
            straight_open = not straight_open
        elif char in _TERMINATORS and not straight_open:
            if _is_sentence_end(line, index, depth):
                stop = index + 1
                while stop < end and text[stop] in _TERMINATORS:
                    stop += 1
                if stop < end and text[stop] in _CLOSING_QUOTES + '"':
                    index += 1
                    continue  # the closing quote will end the sentence
                spans.append((start, stop))
                start = stop
                index = stop
                continue
        index += 1
    spans.append((start, end))
    return [trim_span(text, s, e) for s, e in spans if text[s:e].strip()]


def trim_span(text: str, start: int, end: int) -> tuple[int, int]:
    """Shrink `(start, end)` so `text[start:end]` has no surrounding whitespace."""
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end
