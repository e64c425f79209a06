"""Informal spellings: the short forms people type in chat ("ko", "đc", "bn", "ntn", "cty"), written
out before a question is read ("Tại sao ko đc để rễ ngập nước?" → "Tại sao không được …"), with
accents when the question has any and without when it has none, as its other words are."""

from __future__ import annotations

import re

from .normalize import has_diacritics, strip_diacritics

# Whole words only, any case; each with its written-out form.
SHORT_FORMS = {
    "ko": "không", "k": "không", "hok": "không", "hông": "không",
    "đc": "được", "dc": "được", "bn": "bao nhiêu", "bnh": "bao nhiêu", "ntn": "như thế nào", "j": "gì",
    "cty": "công ty", "ng": "người", "trc": "trước", "sv": "sinh viên", "hs": "học sinh", "gv": "giáo viên",
}
_ALTERNATIVES = "|".join(sorted(map(re.escape, SHORT_FORMS), key=len, reverse=True))
_PATTERN = re.compile(r"(?<![\w.,/-])(" + _ALTERNATIVES + r")(?![\w.,/-])", re.IGNORECASE)


def written_out(question: str) -> str:
    """`question` with its chat short forms written out ("k" and "j" in lower case only, and "k"
    never after a number: "50 k" is an amount)."""
    accented = has_diacritics(question)

    def replace(match: re.Match) -> str:
        word = match.group(1)
        if word in ("K", "J") or (word == "k" and question[:match.start()].rstrip()[-1:].isdigit()):
            return word  # a letter that names something ("ông K."), or thousands ("50 k")
        full = SHORT_FORMS[word.lower()]
        full = full if accented else strip_diacritics(full)
        return full[:1].upper() + full[1:] if word[:1].isupper() else full

    return _PATTERN.sub(replace, question)
