"""Language: does a text read as Vietnamese (with or without diacritics) or as another language?"""

from __future__ import annotations

import re
import unicodedata

from .normalize import has_diacritics
from .words import ENGLISH_FUNCTION_WORDS

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
