"""Normalisation: NFC, tone-mark canonicalisation, diacritic folding and matching tokens.

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
# Characters that take no room but act on what is shown: zero-width spaces and joiners, the word
# joiner, a byte-order mark inside text, and the bidirectional controls (marks, embeddings,
# overrides, isolates) that can show a text in another order than it is written.
INVISIBLE = re.compile("[\u061c\u200b-\u200f\u202a-\u202e\u2060\u2066-\u2069\ufeff]")


def visible(text: str) -> str:
    """`text` without its invisible characters (`INVISIBLE`), for titles and for showing a passage:
    "Ti\u200bêu đề" reads "Tiêu đề", and no reordering control reaches a screen. The stored
    article keeps them, so offsets stay those of the text as loaded."""
    return INVISIBLE.sub("", text)


def nfc(text: str) -> str:
    """Return `text` in Unicode NFC, the form every stored and cited text uses."""
    return unicodedata.normalize("NFC", text)


def strip_diacritics(text: str) -> str:
    """Remove every diacritic: tone marks, vowel modifiers and đ → d (`Hòa Đức` → `Hoa Duc`)."""
    if text.isascii():
        return text
    decomposed = unicodedata.normalize("NFD", text)
    bare = "".join(ch for ch in decomposed if unicodedata.category(ch) != "Mn")
    return bare.replace("đ", "d").replace("Đ", "D")


@lru_cache(maxsize=65536)
def strip_word_diacritics(word: str) -> str:
    """`strip_diacritics` of one word, cached: the same syllables come back text after text."""
    return strip_diacritics(word)


def has_diacritics(text: str) -> bool:
    """True when `text` carries any Vietnamese diacritic (tone mark, modifier or đ)."""
    if text.isascii():
        return False
    composed = nfc(text)
    return strip_diacritics(composed) != composed


def bare_among_accents(word: str, text: str) -> bool:
    """Whether `word` carries no accents in a `text` that has them: it is then as typed ("quan" of
    "Cơ quan này" is no "quận"), where in a text typed without any it may stand for an accented word."""
    return not has_diacritics(word) and has_diacritics(text)


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


@lru_cache(maxsize=8192)
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


@lru_cache(maxsize=65536)
def _fold_char(char: str) -> str:
    compatible = unicodedata.normalize("NFKC", char)
    bare = strip_diacritics(compatible if len(compatible) == 1 else char).lower()
    return bare if len(bare) == 1 else char


@lru_cache(maxsize=16384)
def fold_chars(text: str) -> str:
    """`text` lower-cased without diacritics, character for character (`m²` → `m2`, `Đ` → `d`), so
    an offset in the result is the same offset in `text`. Reading a question and its answer
    sentence in this form makes typing with or without diacritics, old or new tone marks, NFC or
    NFD (once composed) the same."""
    return "".join(_fold_char(char) for char in nfc(text)) if len(nfc(text)) == len(text) else \
        "".join(_fold_char(char) for char in text)


def tokens(text: str) -> list[str]:
    """Lower-cased matching tokens (syllables, numbers, codes) of `text`, single letters kept."""
    return _TOKEN.findall(normalize_for_matching(text))
